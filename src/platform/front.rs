//! What the Telegram and Discord front ends share: the store and subscriptions they read and
//! change, the categories a chat may pick, the reply language (configured, or the user's own),
//! and the quiet-hours check that makes an alert silent.

use std::sync::{Arc, OnceLock};

use chrono_tz::Tz;

use crate::chat_feeds::ChatFeeds;
use crate::config::Config;
use crate::model::{ChatId, Lang, Target};
use crate::storage::{Store, SubscriptionStore};

/// The state both chat front ends keep besides their platform client.
pub(super) struct Front {
    pub store: Store,
    pub subs: SubscriptionStore,
    /// `bot.language`, for users who give no language of their own.
    lang: Lang,
    /// `bot.timezone`, the zone of quiet hours.
    timezone: Tz,
    /// Categories of the configured feeds, offered besides those seen in posts.
    feed_categories: Vec<String>,
    /// Feeds chats add themselves; set once the pipeline exists (unset: chat feeds are off).
    pub feeds: OnceLock<Arc<ChatFeeds>>,
}

impl Front {
    pub fn new(config: &Config, store: Store) -> Front {
        Front {
            subs: SubscriptionStore::new(store.clone()),
            store,
            lang: config.bot.language,
            timezone: config.bot.timezone,
            feed_categories: config.feed_categories(),
            feeds: OnceLock::new(),
        }
    }

    /// Categories a chat may pick: those of the configured feeds and those seen in posts.
    pub async fn known_categories(&self) -> Vec<String> {
        self.store.categories_with(&self.feed_categories).await
    }

    /// The reply language for a user's language code (Telegram's `language_code`, Discord's
    /// locale); the configured one when there is none.
    pub fn lang_for(&self, code: Option<&str>) -> Lang {
        Lang::from_code(code, self.lang)
    }

    /// The chat feeds service, when chat feeds are on.
    pub fn feeds(&self) -> Option<&ChatFeeds> {
        self.feeds.get().map(Arc::as_ref)
    }

    /// Whether the chat `target` delivers to is in its quiet hours now (its alerts then go out
    /// without a notification sound). Webhooks and the console have none.
    pub async fn is_quiet(&self, target: &Target) -> bool {
        match ChatId::from_target(target) {
            Some(chat) => self.subs.is_quiet_now(&chat, self.timezone).await,
            None => false,
        }
    }
}
