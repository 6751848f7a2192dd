//! Telegram: chat commands in through teloxide (long polling, replies), alerts out through
//! sokbo's own Bot API client (`api.rs`, no 10 s sleep on 5xx), one bot.

pub mod api;
mod context;
mod files;
mod pace;
mod send;
mod updates;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context as _;
use futures_util::future::BoxFuture;
use teloxide::payloads::SetMyCommandsSetters;
use teloxide::prelude::*;
use teloxide::types::{BotCommand, Me};

pub use send::{delivery_error, recipient};

use crate::config::{Config, TelegramConfig};
use crate::i18n::command_list;
use crate::model::{ChatId, Lang, Target};
use crate::platform::front::Front;
use crate::platform::{Pace, TargetEvents};
use crate::render::telegram::RenderOptions;
use crate::storage::Store;
use crate::storage::SubscriptionStore;

/// A connected Telegram bot: notifier for `Target::TelegramChat` and command front end.
pub struct Telegram {
    /// Replies to commands.
    bot: Bot,
    /// Sends and edits alerts; `pacer` keeps them within Telegram's limits.
    api: api::BotApi,
    pacer: std::sync::Mutex<pace::Pacer>,
    /// Long polling and look-ups.
    plain: Bot,
    me: Me,
    front: Front,
    render: RenderOptions,
    /// getUpdates answers (false after three failures in a row).
    polling_ok: AtomicBool,
}

impl Telegram {
    /// Lets this platform's chats add feeds through `feeds`.
    pub fn set_chat_feeds(&self, feeds: std::sync::Arc<crate::chat_feeds::ChatFeeds>) {
        let _ = self.front.feeds.set(feeds);
    }

    /// Connects with `telegram.token`: checks the token (getMe) and registers the command list.
    pub async fn connect(
        tg: &TelegramConfig,
        config: &Config,
        store: Store,
    ) -> anyhow::Result<Arc<Telegram>> {
        let url = tg
            .api_url
            .parse()
            .context("telegram.api_url is not a URL")?;
        let plain = Bot::new(tg.token.clone()).set_api_url(url);
        let me = plain
            .get_me()
            .await
            .context("Telegram did not accept telegram.token (getMe failed)")?;
        for lang in [Lang::Ko, Lang::En] {
            let commands: Vec<BotCommand> = command_list(lang)
                .into_iter()
                .map(|(c, d)| BotCommand::new(c, d))
                .collect();
            let req = plain.set_my_commands(commands);
            let req = match lang {
                Lang::Ko => req.language_code("ko"),
                Lang::En => req,
            };
            if let Err(e) = req.await {
                tracing::warn!("Telegram setMyCommands failed: {e}");
            }
        }
        let bot = plain.clone();
        let (timeout, connect_timeout) = (config.delivery.timeout, config.http.connect_timeout);
        let api = api::BotApi::new(&tg.api_url, &tg.token, timeout, connect_timeout)?;
        tracing::info!(username = %me.username(), "Telegram connected");
        Ok(Arc::new(Telegram {
            bot,
            api,
            pacer: std::sync::Mutex::new(pace::Pacer::default()),
            plain,
            me,
            front: Front::new(config, store),
            render: RenderOptions {
                timezone: config.bot.timezone,
                language: config.bot.language,
                photo: tg.photo,
            },
            polling_ok: AtomicBool::new(true),
        }))
    }

    /// Takes a sending slot for `chat` at `now`, or says how long to wait: the whole bot
    /// (Telegram's overall limit) or only this chat.
    fn reserve_slot(&self, chat: &str, now: std::time::Instant) -> Result<(), Pace> {
        let mut pacer = self.pacer.lock().unwrap_or_else(|e| e.into_inner());
        pacer.reserve(chat, now).map_err(|wait| match wait {
            pace::Wait::Overall(d) => Pace::Platform(d),
            pace::Wait::Chat(d) => Pace::Target(d),
        })
    }

    /// Whether Telegram answers: the token was accepted and getUpdates is not failing.
    pub fn healthy(&self) -> bool {
        self.polling_ok.load(Ordering::Relaxed)
    }
}

/// Keeps subscriptions true when the outbox finds a chat gone or moved.
pub struct SubscriptionEvents {
    pub subs: SubscriptionStore,
}

impl TargetEvents for SubscriptionEvents {
    fn gone<'a>(&'a self, target: &'a Target, reason: &'a str) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            if let Some(chat) = ChatId::from_target(target)
                && let Err(e) = self.subs.set_inactive(&chat, reason).await
            {
                tracing::error!(chat = %target.id(), "cannot pause the subscription: {e}");
            }
        })
    }

    fn moved<'a>(&'a self, from: &'a Target, to: &'a Target) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            if let (Some(from), Some(to)) = (ChatId::from_target(from), ChatId::from_target(to))
                && let Err(e) = self.subs.migrate(&from, &to).await
            {
                tracing::error!("cannot move the subscription: {e}");
            }
        })
    }
}
