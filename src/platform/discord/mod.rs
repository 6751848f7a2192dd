//! Discord through serenity: slash commands in (gateway), embeds out (REST), one bot.
//!
//! The gateway and the interaction replies go through serenity; alerts go through [`rest`], which
//! keeps Discord's rate limits itself so that `discord.api_url` can point anywhere.

mod files;
mod gateway;
mod interact;
mod pace;
mod rest;
mod send;
mod slash;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context as _;
use serenity::http::{Http, HttpBuilder};

pub use rest::Dest;

use crate::config::{Config, DiscordConfig};
use crate::platform::front::Front;
use crate::render::discord::RenderOptions;
use crate::storage::Store;

/// The API origin serenity is built for; any other `api_url` turns its rate limiter off.
const DISCORD_ORIGIN: &str = "https://discord.com";

/// A connected Discord bot: notifier for Discord channels and webhooks, and command front end.
pub struct Discord {
    rest: rest::Rest,
    /// `discord.api_url` without a trailing slash.
    api: String,
    token: String,
    gateway_url: String,
    front: Front,
    render: RenderOptions,
    /// The gateway session is up (READY seen and not lost since).
    connected: AtomicBool,
}

impl Discord {
    /// Lets this platform's chats add feeds through `feeds`.
    pub fn set_chat_feeds(&self, feeds: std::sync::Arc<crate::chat_feeds::ChatFeeds>) {
        let _ = self.front.feeds.set(feeds);
    }

    /// Connects with `discord.token`: checks the token (GET /users/@me).
    pub async fn connect(
        dc: &DiscordConfig,
        config: &Config,
        store: Store,
    ) -> anyhow::Result<Arc<Discord>> {
        let api = dc.api_url.trim_end_matches('/');
        let me = http(api, &dc.token)
            .get_current_user()
            .await
            .map_err(|e| anyhow::anyhow!("{}", redact(&e.to_string(), &dc.token)))
            .context("Discord did not accept discord.token (GET /users/@me failed)")?;
        tracing::info!(user = %me.name, "Discord connected");
        Discord::new(dc, config, store)
    }

    /// Without a bot token: only `[[routes]] discord_webhook` targets, no commands.
    pub fn webhooks_only(
        dc: &DiscordConfig,
        config: &Config,
        store: Store,
    ) -> anyhow::Result<Arc<Discord>> {
        Discord::new(dc, config, store)
    }

    fn new(dc: &DiscordConfig, config: &Config, store: Store) -> anyhow::Result<Arc<Discord>> {
        let api = dc.api_url.trim_end_matches('/');
        Ok(Arc::new(Discord {
            rest: rest::Rest::new(api, &dc.token, config.delivery.timeout)?,
            api: api.to_owned(),
            token: dc.token.clone(),
            gateway_url: dc.gateway_url.clone(),
            front: Front::new(config, store),
            render: RenderOptions {
                language: config.bot.language,
            },
            connected: AtomicBool::new(false),
        }))
    }

    /// Whether this is a bot (a token was given), which channels and commands need.
    pub fn is_bot(&self) -> bool {
        !self.token.is_empty()
    }

    /// Whether the gateway session is up.
    pub fn connected(&self) -> bool {
        self.connected.load(Ordering::Relaxed)
    }
}

/// serenity's client for `api`: through it as a proxy, with serenity's rate limiter off, unless
/// it is Discord itself (serenity sends requests past its proxy while its limiter is on).
fn http(api: &str, token: &str) -> Http {
    let mut builder = HttpBuilder::new(token);
    if api != DISCORD_ORIGIN {
        builder = builder.proxy(api).ratelimiter_disabled(true);
    }
    builder.build()
}

/// `text` with `secret` replaced, for errors that might quote a request.
fn redact(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        text.to_owned()
    } else {
        text.replace(secret, "<redacted>")
    }
}
