//! Debug for the config structs that hold secrets: tokens and webhook paths print as "<redacted>".

use std::fmt;

use super::{DiscordConfig, RouteConfig, ServerConfig, TelegramConfig};

/// A secret string: empty stays visible as `""` (so "off" can be told apart), anything else is
/// `"<redacted>"`.
struct Secret<'a>(&'a str);

impl fmt::Debug for Secret<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("\"\"")
        } else {
            f.write_str("\"<redacted>\"")
        }
    }
}

/// A URL whose path and query carry a secret: only `scheme://host` is shown.
struct SecretUrl<'a>(&'a str);

impl fmt::Debug for SecretUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let base = url::Url::parse(self.0).ok().and_then(|url| {
            url.host_str()
                .map(|host| format!("{}://{host}", url.scheme()))
        });
        match base {
            Some(base) => write!(f, "\"{base}/<redacted>\""),
            None => Secret(self.0).fmt(f),
        }
    }
}

impl fmt::Debug for TelegramConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TelegramConfig")
            .field("token", &Secret(&self.token))
            .field("api_url", &self.api_url)
            .field("photo", &self.photo)
            .finish()
    }
}

impl fmt::Debug for DiscordConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DiscordConfig")
            .field("token", &Secret(&self.token))
            .field("api_url", &self.api_url)
            .field("gateway_url", &self.gateway_url)
            .finish()
    }
}

impl fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerConfig")
            .field("listen", &self.listen)
            .field("ping_token", &Secret(&self.ping_token))
            .field("public_url", &self.public_url)
            .finish()
    }
}

impl fmt::Debug for RouteConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RouteConfig")
            .field("telegram_chat", &self.telegram_chat)
            .field("discord_channel", &self.discord_channel)
            .field(
                "discord_webhook",
                &self.discord_webhook.as_deref().map(SecretUrl),
            )
            .field("categories", &self.categories)
            .field("feeds", &self.feeds)
            .finish()
    }
}
