//! A Discord webhook URL taken apart: the id and the token of
//! `https://discord.com/api/webhooks/<id>/<token>`. Config validation and the Discord client
//! both read webhook URLs through it.

/// A webhook's id and token. Debug leaves the token out.
#[derive(Clone, PartialEq, Eq)]
pub struct DiscordWebhook {
    pub id: u64,
    pub token: String,
}

impl DiscordWebhook {
    /// The webhook of a URL like `https://discord.com/api/webhooks/<id>/<token>`; any host, since
    /// the path is resolved against `discord.api_url`.
    pub fn parse(url: &str) -> Option<DiscordWebhook> {
        let url = url::Url::parse(url).ok()?;
        let mut segments = url
            .path_segments()?
            .skip_while(|s| *s != "webhooks")
            .skip(1);
        let id = segments.next()?.parse().ok()?;
        let token = segments.next()?;
        let token_ok = !token.is_empty()
            && token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        (token_ok && segments.next().is_none()).then(|| DiscordWebhook {
            id,
            token: token.to_owned(),
        })
    }
}

impl std::fmt::Debug for DiscordWebhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiscordWebhook")
            .field("id", &self.id)
            .field("token", &"<redacted>")
            .finish()
    }
}
