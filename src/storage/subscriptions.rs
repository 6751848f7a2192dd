//! `SubscriptionStore`: typed access to chat subscriptions, the same over both backends.

use super::{Result, Store};
use crate::model::{Alert, ChatId, Subscription};

/// Chat subscriptions in the store; cheap to clone.
#[derive(Clone)]
pub struct SubscriptionStore {
    store: Store,
}

impl SubscriptionStore {
    pub fn new(store: Store) -> SubscriptionStore {
        SubscriptionStore { store }
    }

    /// Whether `chat` is in its quiet hours now (false when it has none or cannot be read).
    pub async fn is_quiet_now(&self, chat: &ChatId, tz: chrono_tz::Tz) -> bool {
        matches!(self.get(chat).await, Ok(Some(sub)) if sub.is_quiet(chrono::Utc::now(), tz))
    }

    pub async fn get(&self, chat: &ChatId) -> Result<Option<Subscription>> {
        self.store.sub_get(chat).await
    }

    /// Writes `sub` under its chat, replacing what was there.
    pub async fn put(&self, sub: &Subscription) -> Result<()> {
        self.store.sub_put(sub).await
    }

    /// Applies `change` to the chat's subscription (a new empty one when absent) and writes it
    /// back atomically; `change` runs again if another writer got in between. Returns the result.
    pub async fn update(
        &self,
        chat: &ChatId,
        change: impl FnMut(&mut Subscription),
    ) -> Result<Subscription> {
        let sub = self.store.sub_update(chat, true, change).await?;
        Ok(sub.unwrap_or_else(|| Subscription::new(chat.clone())))
    }

    /// Deletes a chat's subscription; returns what it was.
    pub async fn remove(&self, chat: &ChatId) -> Result<Option<Subscription>> {
        self.store.sub_remove(chat).await
    }

    /// Every subscription, in chat id order; unreadable records are logged and left out.
    pub async fn all(&self) -> Result<Vec<Subscription>> {
        self.store.sub_all().await
    }

    pub async fn len(&self) -> Result<usize> {
        self.store.sub_len().await
    }

    /// The subscriptions that get `alert` (see `Subscription::matches`).
    pub async fn matching(&self, alert: &Alert) -> Result<Vec<Subscription>> {
        let mut subs = self.all().await?;
        subs.retain(|sub| sub.matches(alert));
        Ok(subs)
    }

    /// Marks a chat unreachable (bot blocked or removed), keeping its settings. Returns whether
    /// the chat had a subscription.
    pub async fn set_inactive(&self, chat: &ChatId, reason: &str) -> Result<bool> {
        let set = |sub: &mut Subscription| sub.inactive = Some(reason.to_owned());
        Ok(self.store.sub_update(chat, false, set).await?.is_some())
    }

    /// Clears the inactive mark of a chat that can be reached again. Returns whether it was
    /// inactive.
    pub async fn reactivate(&self, chat: &ChatId) -> Result<bool> {
        let mut was_inactive = false;
        let clear = |sub: &mut Subscription| was_inactive = sub.inactive.take().is_some();
        self.store.sub_update(chat, false, clear).await?;
        Ok(was_inactive)
    }

    /// Moves a subscription to a new chat id, settings and all (a Telegram group that became a
    /// supergroup). A subscription already under `to` is kept and the old one dropped. Returns
    /// whether anything moved.
    pub async fn migrate(&self, from: &ChatId, to: &ChatId) -> Result<bool> {
        if from == to {
            return Ok(false);
        }
        self.store.sub_migrate(from, to).await
    }
}
