//! Telegram through teloxide: chat commands in (long polling), alerts out (throttled), one bot.

mod send;
mod updates;

use std::sync::Arc;

use anyhow::Context as _;
use teloxide::adaptors::Throttle;
use teloxide::adaptors::throttle::Limits;
use teloxide::payloads::SetMyCommandsSetters;
use teloxide::prelude::*;
use teloxide::types::{BotCommand, Me};

pub use send::{delivery_error, recipient};

use crate::config::{Config, TelegramConfig};
use crate::i18n::{Lang, command_list};
use crate::outbox::Target;
use crate::platform::TargetEvents;
use crate::render::telegram::RenderOptions;
use crate::store::Store;
use crate::subscriptions::{ChatId, SubscriptionStore};

/// A connected Telegram bot: notifier for `Target::TelegramChat` and command front end.
pub struct Telegram {
    /// Sends and replies, paced to Telegram's limits.
    bot: Throttle<Bot>,
    /// Long polling and look-ups, unthrottled.
    plain: Bot,
    me: Me,
    store: Store,
    subs: SubscriptionStore,
    render: RenderOptions,
    lang: Lang,
    /// Categories of the configured feeds, offered besides those seen in posts.
    feed_categories: Vec<String>,
}

impl Telegram {
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
        let bot = Throttle::new_spawn(plain.clone(), Limits::default());
        let mut feed_categories: Vec<String> = config
            .feeds
            .iter()
            .flat_map(|f| f.categories.clone())
            .collect();
        feed_categories.sort();
        feed_categories.dedup();
        tracing::info!(username = %me.username(), "Telegram connected");
        Ok(Arc::new(Telegram {
            bot,
            plain,
            me,
            subs: SubscriptionStore::new(store.subs_tree().clone()),
            store,
            render: RenderOptions {
                timezone: config.bot.timezone,
                language: config.bot.language.clone(),
                photo: tg.photo,
            },
            lang: Lang::from_code(Some(&config.bot.language), Lang::Ko),
            feed_categories,
        }))
    }

    /// Categories a chat may pick: those of the configured feeds and those seen in posts.
    fn known_categories(&self) -> Vec<String> {
        let mut known = self.store.known_categories().unwrap_or_default();
        known.extend(self.feed_categories.iter().cloned());
        known.sort();
        known.dedup();
        known
    }
}

/// Keeps subscriptions true when the outbox finds a chat gone or moved.
pub struct SubscriptionEvents {
    pub subs: SubscriptionStore,
}

impl TargetEvents for SubscriptionEvents {
    fn gone(&self, target: &Target, reason: &str) {
        if let Some(chat) = ChatId::from_target(target)
            && let Err(e) = self.subs.set_inactive(&chat, reason)
        {
            tracing::error!(chat = %target.id(), "cannot pause the subscription: {e}");
        }
    }

    fn moved(&self, from: &Target, to: &Target) {
        if let (Some(from), Some(to)) = (ChatId::from_target(from), ChatId::from_target(to))
            && let Err(e) = self.subs.migrate(&from, &to)
        {
            tracing::error!("cannot move the subscription: {e}");
        }
    }
}
