//! The chat token lines of `sokbo check`: whether each configured token has its platform's
//! shape. Only "ok" or "malformed" is printed, never the token or any part of it.

use crate::config::Config;
use crate::model::Platform;

/// A Telegram Bot API token: `<bot id digits>:<secret>`, the secret 30–45 of `[A-Za-z0-9_-]`
/// (35 in tokens BotFather issues today).
pub fn telegram_token_ok(token: &str) -> bool {
    let Some((id, secret)) = token.split_once(':') else {
        return false;
    };
    (1..=20).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_digit())
        && (30..=45).contains(&secret.len())
        && secret.bytes().all(is_base64url)
}

/// A Discord bot token: three non-empty base64url parts separated by dots.
pub fn discord_token_ok(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(is_base64url))
}

fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// One line per configured token: (platform, looks right, what is expected).
pub fn token_lines(config: &Config) -> Vec<(Platform, bool, &'static str)> {
    let mut lines = Vec::new();
    if let Some(telegram) = config.telegram.as_ref().filter(|t| !t.token.is_empty()) {
        let expected = "expected <digits>:<about 35 of A-Z a-z 0-9 _ ->";
        let ok = telegram_token_ok(&telegram.token);
        lines.push((Platform::Telegram, ok, expected));
    }
    if let Some(discord) = config.discord.as_ref().filter(|d| !d.token.is_empty()) {
        let expected = "expected three base64url parts separated by dots";
        let ok = discord_token_ok(&discord.token);
        lines.push((Platform::Discord, ok, expected));
    }
    lines
}

/// Prints the token table (nothing when no token is set); returns the number of malformed ones.
pub fn print(config: &Config) -> usize {
    let lines = token_lines(config);
    if lines.is_empty() {
        return 0;
    }
    println!("{:<20} FORMAT", "TOKEN");
    let mut malformed = 0;
    for (platform, ok, expected) in lines {
        let platform = platform.as_str();
        if ok {
            println!("{platform:<20} ok");
        } else {
            malformed += 1;
            println!("{platform:<20} malformed ({expected}; value not shown)");
        }
    }
    println!();
    malformed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telegram_shapes() {
        let shapes: Vec<bool> = [
            "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0",
            "7:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0-xyz",
            "1:a-b_C",
            "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0AAHfiqksKZ8WmR2z",
            "123456789:AAHfiqksKZ8WmR2zSjiQ7 v4TMAKdiHm9T0",
            "12345678a:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0",
            ":AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0",
            "AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0",
            "",
        ]
        .iter()
        .map(|t| telegram_token_ok(t))
        .collect();
        assert_eq!(
            shapes,
            [true, true, false, false, false, false, false, false, false]
        );
    }

    #[test]
    fn discord_shapes() {
        let shapes: Vec<bool> = [
            "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0_-AB",
            "a.b.c",
            "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe",
            "a.b.c.d",
            "a..c",
            "Bot a.b.c",
            "a+/.b.c",
            "",
        ]
        .iter()
        .map(|t| discord_token_ok(t))
        .collect();
        assert_eq!(
            shapes,
            [true, true, false, false, false, false, false, false]
        );
    }
}
