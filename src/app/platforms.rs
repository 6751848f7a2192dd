//! The platforms of a run: the console, Telegram and Discord connected as configured, their
//! notifiers, the chat platforms that take commands, and a live health check for each.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::chat_feeds::ChatFeeds;
use crate::cluster::{LeaseView, while_held};
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
    /// Per notifier, in order: the name of the lease that lets a node send there (one holder
    /// per bot token in a cluster).
    pub leases: Vec<String>,
    /// With the index of its notifier (and lease).
    telegram: Option<(Arc<Telegram>, usize)>,
    discord: Option<(Arc<Discord>, usize)>,
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
        leases: Vec::new(),
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
        out.leases.push("console".to_owned());
    }
    if let Some(tg) = config.telegram.as_ref().filter(|t| !t.token.is_empty()) {
        let telegram = Telegram::connect(tg, config, store.clone()).await?;
        out.telegram = Some((telegram.clone(), out.notifiers.len()));
        out.notifiers.add(telegram.clone());
        out.leases.push(telegram_lease(&tg.token));
        out.chats.push(Platform::Telegram);
        let up = telegram.clone();
        out.health
            .push((Platform::Telegram, Arc::new(move || up.healthy())));
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
        out.discord = Some((discord.clone(), out.notifiers.len()));
        out.notifiers.add(discord.clone());
        out.leases.push(discord_lease(
            config.discord.as_ref().map_or("", |d| &d.token),
        ));
        let up = discord.clone();
        // A webhook-only setup has no session to lose.
        let check: PlatformUp = Arc::new(move || !up.is_bot() || up.connected());
        out.health.push((Platform::Discord, check));
    }
    Ok(out)
}

impl Platforms {
    /// Starts the chat front ends (Telegram long polling, the Discord gateway), each only while
    /// this node holds its platform's lease (`leases`, one per notifier in order).
    pub fn spawn(
        &mut self,
        tracker: &TaskTracker,
        shutdown: &CancellationToken,
        leases: &[LeaseView],
        feeds: Option<&Arc<ChatFeeds>>,
    ) {
        if let Some(feeds) = feeds {
            if let Some((telegram, _)) = &self.telegram {
                telegram.set_chat_feeds(feeds.clone());
            }
            if let Some((discord, _)) = &self.discord {
                discord.set_chat_feeds(feeds.clone());
            }
        }
        if let Some((telegram, at)) = self.telegram.take()
            && let Some(lease) = leases.get(at).cloned()
        {
            let view = lease.clone();
            tracker.spawn(while_held(lease, shutdown.clone(), move |token| {
                telegram.clone().run_updates(token, view.clone())
            }));
        }
        if let Some((discord, at)) = self.discord.take().filter(|(d, _)| d.is_bot())
            && let Some(lease) = leases.get(at).cloned()
        {
            tracker.spawn(while_held(lease, shutdown.clone(), move |token| {
                discord.clone().run_gateway(token)
            }));
        }
    }
}

/// One session per bot: the bot's id is the part of its token before the colon.
fn telegram_lease(token: &str) -> String {
    let bot = token.split(':').next().unwrap_or_default();
    format!("telegram:{bot}")
}

/// One session per bot token, named by a digest of it (the token never shows); webhooks only
/// need one sender too.
fn discord_lease(token: &str) -> String {
    if token.is_empty() {
        return "discord:webhooks".to_owned();
    }
    use sha2::Digest;
    let digest = sha2::Sha256::digest(token.as_bytes());
    let short: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("discord:{short}")
}
