//! Shape checks for single config values: http(s)/ws URLs, Bot API tokens, Telegram chat ids.

/// `Ok` when `text` parses as a URL with one of `schemes`; else the message naming the value.
pub(super) fn url(text: &str, schemes: &[&str]) -> Result<(), String> {
    match url::Url::parse(text) {
        Ok(parsed) if schemes.contains(&parsed.scheme()) => Ok(()),
        Ok(_) => {
            let expected: Vec<String> = schemes.iter().map(|s| format!("{s}://")).collect();
            let expected = match expected.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
                None => String::new(),
            };
            Err(format!("invalid URL {text:?} (expected {expected})"))
        }
        Err(e) => Err(format!("invalid URL {text:?} ({e})")),
    }
}

/// Bot API token shape: `<digits>:<letters, digits, _ or ->`.
pub(super) fn is_bot_token(token: &str) -> bool {
    match token.split_once(':') {
        Some((id, secret)) => {
            !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_digit())
                && !secret.is_empty()
                && secret
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        }
        None => false,
    }
}

/// `@name` (5–32 of `[A-Za-z0-9_]`) or a numeric chat id (negative for groups and channels).
pub(super) fn is_telegram_chat(chat: &str) -> bool {
    match chat.strip_prefix('@') {
        Some(name) => {
            (5..=32).contains(&name.len())
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        }
        None => chat.parse::<i64>().is_ok_and(|id| id != 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_by_scheme() {
        let web = ["http", "https"];
        let results = [
            url("https://example.com/feed.xml", &web),
            url("http://127.0.0.1:8080", &web),
            url("ws://127.0.0.1:1", &["ws", "wss"]),
            url("ftp://example.com", &web),
            url("ftp://example.com", &["wss"]),
            url("example.com", &web),
        ];
        assert_eq!(
            results,
            [
                Ok(()),
                Ok(()),
                Ok(()),
                Err("invalid URL \"ftp://example.com\" (expected http:// or https://)".into()),
                Err("invalid URL \"ftp://example.com\" (expected wss://)".into()),
                Err("invalid URL \"example.com\" (relative URL without a base)".into()),
            ]
        );
    }

    #[test]
    fn bot_tokens() {
        let tokens = [
            "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0",
            "1:a-b_C",
            "",
            ":abc",
            "12:",
        ];
        let more = ["12", "x1:abc", "1:ab c", "1:abc:def", "１:abc"];
        let shapes: Vec<bool> = tokens
            .iter()
            .chain(&more)
            .map(|t| is_bot_token(t))
            .collect();
        let expected = [
            true, true, false, false, false, false, false, false, false, false,
        ];
        assert_eq!(shapes, expected);
    }

    #[test]
    fn telegram_chats() {
        let chats = [
            "@abcde",
            "@sokbo_news_2024",
            "-1001234567890",
            "42",
            "@abcd",
            "abcde",
        ];
        let more = [
            "@",
            "0",
            "@abc-de",
            "@가나다라마바",
            "@abcdefghijklmnopqrstuvwxyz0123456",
        ];
        let shapes: Vec<bool> = chats
            .iter()
            .chain(&more)
            .map(|c| is_telegram_chat(c))
            .collect();
        let expected = [
            true, true, true, true, false, false, false, false, false, false, false,
        ];
        assert_eq!(shapes, expected);
    }
}
