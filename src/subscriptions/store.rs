//! `SubscriptionStore`: subscriptions in the sled `subs` tree, JSON values keyed by chat id.

use sled::transaction::{ConflictableTransactionError, TransactionError};

use super::{ChatId, Subscription};
use crate::model::Alert;
use crate::store::{Result, StoreError};

const TREE: &str = "subs";

/// Typed access to the `subs` tree; cheap to clone.
#[derive(Clone)]
pub struct SubscriptionStore {
    tree: sled::Tree,
}

impl SubscriptionStore {
    /// Wraps the `subs` tree (`Store::subs_tree().clone()`).
    pub fn new(tree: sled::Tree) -> SubscriptionStore {
        SubscriptionStore { tree }
    }

    /// Whether `chat` is in its quiet hours now (false when it has none or cannot be read).
    pub fn is_quiet_now(&self, chat: &ChatId, tz: chrono_tz::Tz) -> bool {
        matches!(self.get(chat), Ok(Some(sub)) if sub.is_quiet(chrono::Utc::now(), tz))
    }

    pub fn get(&self, chat: &ChatId) -> Result<Option<Subscription>> {
        self.tree
            .get(chat.to_key())?
            .map(|v| decode(&v))
            .transpose()
    }

    /// Writes `sub` under its chat, replacing what was there.
    pub fn put(&self, sub: &Subscription) -> Result<()> {
        self.tree.insert(sub.chat.to_key(), encode(sub)?)?;
        Ok(())
    }

    /// Applies `change` to the chat's subscription (a new empty one when absent) and writes it
    /// back atomically; `change` runs again if another writer got in between. Returns the result.
    pub fn update(
        &self,
        chat: &ChatId,
        mut change: impl FnMut(&mut Subscription),
    ) -> Result<Subscription> {
        let key = chat.to_key();
        loop {
            let old = self.tree.get(&key)?;
            let mut sub = match &old {
                Some(v) => decode(v)?,
                None => Subscription::new(chat.clone()),
            };
            change(&mut sub);
            if self.swap(&key, old.as_ref(), &sub)? {
                return Ok(sub);
            }
        }
    }

    /// Deletes a chat's subscription; returns what it was.
    pub fn remove(&self, chat: &ChatId) -> Result<Option<Subscription>> {
        self.tree
            .remove(chat.to_key())?
            .map(|v| decode(&v))
            .transpose()
    }

    /// Every subscription, in chat id order.
    pub fn iter(&self) -> impl Iterator<Item = Result<Subscription>> + '_ {
        self.tree.iter().map(|item| {
            let (_, v) = item?;
            decode(&v)
        })
    }

    pub fn len(&self) -> usize {
        self.tree.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tree.is_empty()
    }

    /// The subscriptions that get `alert` (see `Subscription::matches`). An unreadable record
    /// is logged and skipped, so it cannot hold back every other chat.
    pub fn matching(&self, alert: &Alert) -> Result<Vec<Subscription>> {
        let mut out = Vec::new();
        for item in self.tree.iter() {
            let (key, v) = item?;
            match decode(&v) {
                Ok(sub) if sub.matches(alert) => out.push(sub),
                Ok(_) => {}
                Err(e) => tracing::warn!(chat = %String::from_utf8_lossy(&key), "skipped: {e}"),
            }
        }
        Ok(out)
    }

    /// Marks a chat unreachable (bot blocked or removed), keeping its settings. Returns whether
    /// the chat had a subscription.
    pub fn set_inactive(&self, chat: &ChatId, reason: &str) -> Result<bool> {
        let done = self.modify_existing(chat, |sub| sub.inactive = Some(reason.to_owned()))?;
        Ok(done.is_some())
    }

    /// Clears the inactive mark of a chat that can be reached again. Returns whether it was
    /// inactive.
    pub fn reactivate(&self, chat: &ChatId) -> Result<bool> {
        let mut was_inactive = false;
        self.modify_existing(chat, |sub| was_inactive = sub.inactive.take().is_some())?;
        Ok(was_inactive)
    }

    /// Moves a subscription to a new chat id, settings and all (a Telegram group that became a
    /// supergroup). A subscription already under `to` is kept and the old one dropped. Returns
    /// whether anything moved.
    pub fn migrate(&self, from: &ChatId, to: &ChatId) -> Result<bool> {
        if from == to {
            return Ok(false);
        }
        let (from_key, to_key) = (from.to_key(), to.to_key());
        let res: std::result::Result<bool, TransactionError<StoreError>> =
            self.tree.transaction(|t| {
                let Some(old) = t.remove(from_key.as_slice())? else {
                    return Ok(false);
                };
                if t.get(to_key.as_slice())?.is_some() {
                    return Ok(false);
                }
                let mut sub = decode(&old).map_err(ConflictableTransactionError::Abort)?;
                sub.chat = to.clone();
                let bytes = encode(&sub).map_err(ConflictableTransactionError::Abort)?;
                t.insert(to_key.as_slice(), bytes)?;
                Ok(true)
            });
        match res {
            Ok(moved) => Ok(moved),
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => Err(e.into()),
        }
    }

    /// Applies `change` to the chat's existing subscription, like `update`; an absent one stays
    /// absent. Returns the result.
    fn modify_existing(
        &self,
        chat: &ChatId,
        mut change: impl FnMut(&mut Subscription),
    ) -> Result<Option<Subscription>> {
        let key = chat.to_key();
        loop {
            let Some(old) = self.tree.get(&key)? else {
                return Ok(None);
            };
            let mut sub = decode(&old)?;
            change(&mut sub);
            if self.swap(&key, Some(&old), &sub)? {
                return Ok(Some(sub));
            }
        }
    }

    /// Writes `sub` if the record is still `old`; false when another writer got in between.
    fn swap(&self, key: &[u8], old: Option<&sled::IVec>, sub: &Subscription) -> Result<bool> {
        Ok(self
            .tree
            .compare_and_swap(key, old, Some(encode(sub)?))?
            .is_ok())
    }
}

fn encode(sub: &Subscription) -> Result<Vec<u8>> {
    serde_json::to_vec(sub).map_err(|e| corrupt(e.to_string()))
}

fn decode(bytes: &[u8]) -> Result<Subscription> {
    serde_json::from_slice(bytes).map_err(|e| corrupt(e.to_string()))
}

fn corrupt(message: String) -> StoreError {
    StoreError::Corrupt {
        tree: TREE,
        message,
    }
}
