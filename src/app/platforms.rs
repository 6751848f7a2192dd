//! The platforms of a run: the console, Telegram and Discord connected as configured, their
//! notifiers, the chat platforms that take commands, and a live health check for each.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::{Config, DiscordConfig};
use crate::model::Platform;
use crate::ops::PlatformUp;
use crate::platform::Notifiers;
use crate::platform::console::{ConsoleNotifier, ConsoleOut};
use crate::platform::discord::Discord;
use crate::platform::telegram::Telegram;
use crate::storage::Store;

/// What [`connect`] set up.
pub struct Platforms {
    pub notifiers: Notifiers,
    /// Chat platforms whose subscriptions become targets.
    pub chats: Vec<Platform>,
    /// Each running platform with its live check.
    pub health: Vec<(Platform, PlatformUp)>,
    pub console_on: bool,
    telegram: Option<Arc<Telegram>>,
    discord: Option<Arc<Discord>>,
}

/// Connects the configured platforms; a token a platform refuses is an error.
pub async fn connect(
    config: &Config,
    store: &Store,
    console: ConsoleOut,
) -> anyhow::Result<Platforms> {
    let mut out = Platforms {
        notifiers: Notifiers::default(),
        chats: Vec::new(),
        health: Vec::new(),
        console_on: super::console_enabled(config),
        telegram: None,
        discord: None,
    };
    if out.console_on {
        out.notifiers.add(Arc::new(ConsoleNotifier::new(
            console,
            config.bot.timezone,
            config.bot.language,
        )));
        out.health.push((Platform::Console, Arc::new(|| true)));
    }
    if let Some(tg) = config.telegram.as_ref().filter(|t| !t.token.is_empty()) {
        let telegram = Telegram::connect(tg, config, store.clone()).await?;
        out.notifiers.add(telegram.clone());
        out.chats.push(Platform::Telegram);
        let up = telegram.clone();
        out.health
            .push((Platform::Telegram, Arc::new(move || up.healthy())));
        out.telegram = Some(telegram);
    }
    let discord = match &config.discord {
        Some(dc) if !dc.token.is_empty() => {
            out.chats.push(Platform::Discord);
            Some(Discord::connect(dc, config, store.clone()).await?)
        }
        // Webhook routes need no bot.
        dc if config.routes.iter().any(|r| r.discord_webhook.is_some()) => {
            let default = DiscordConfig::default();
            let dc = dc.as_ref().unwrap_or(&default);
            Some(Discord::webhooks_only(dc, config, store.clone())?)
        }
        _ => None,
    };
    if let Some(discord) = discord {
        out.notifiers.add(discord.clone());
        let up = discord.clone();
        // A webhook-only setup has no session to lose.
        let check: PlatformUp = Arc::new(move || !up.is_bot() || up.connected());
        out.health.push((Platform::Discord, check));
        out.discord = Some(discord);
    }
    Ok(out)
}

impl Platforms {
    /// Starts the chat front ends (Telegram long polling, the Discord gateway).
    pub fn spawn(&mut self, tracker: &TaskTracker, shutdown: &CancellationToken) {
        if let Some(telegram) = self.telegram.take() {
            tracker.spawn(telegram.run_updates(shutdown.clone()));
        }
        if let Some(discord) = self.discord.take().filter(|d| d.is_bot()) {
            tracker.spawn(discord.run_gateway(shutdown.clone()));
        }
    }
}
