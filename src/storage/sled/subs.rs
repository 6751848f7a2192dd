//! The `subs` tree: chat subscriptions, JSON values keyed by chat id, changed by
//! compare-and-swap on the stored bytes.

use ::sled::transaction::{ConflictableTransactionError, TransactionError};

use super::SledStore;
use crate::model::{ChatId, Subscription};
use crate::storage::error::{Result, StoreError, decode, encode};

const TREE: &str = "subs";

impl SledStore {
    pub fn sub_get(&self, chat: &ChatId) -> Result<Option<Subscription>> {
        self.subs
            .get(chat.to_key())?
            .map(|v| decode(TREE, &v))
            .transpose()
    }

    pub fn sub_put(&self, sub: &Subscription) -> Result<()> {
        self.subs.insert(sub.chat.to_key(), encode(sub))?;
        Ok(())
    }

    pub fn sub_update(
        &self,
        chat: &ChatId,
        create: bool,
        mut change: impl FnMut(&mut Subscription),
    ) -> Result<Option<Subscription>> {
        let key = chat.to_key();
        loop {
            let old = self.subs.get(&key)?;
            let mut sub = match &old {
                Some(v) => decode(TREE, v)?,
                None if create => Subscription::new(chat.clone()),
                None => return Ok(None),
            };
            change(&mut sub);
            let swapped = self
                .subs
                .compare_and_swap(&key, old.as_ref(), Some(encode(&sub)))?;
            if swapped.is_ok() {
                return Ok(Some(sub));
            }
        }
    }

    pub fn sub_remove(&self, chat: &ChatId) -> Result<Option<Subscription>> {
        self.subs
            .remove(chat.to_key())?
            .map(|v| decode(TREE, &v))
            .transpose()
    }

    /// Every record in chat id order; an unreadable one is logged and skipped, so it cannot
    /// hold back every other chat.
    pub fn sub_all(&self) -> Result<Vec<Subscription>> {
        let mut out = Vec::with_capacity(self.subs.len());
        for item in self.subs.iter() {
            let (key, v) = item?;
            match decode(TREE, &v) {
                Ok(sub) => out.push(sub),
                Err(e) => tracing::warn!(chat = %String::from_utf8_lossy(&key), "skipped: {e}"),
            }
        }
        Ok(out)
    }

    pub fn sub_len(&self) -> Result<usize> {
        Ok(self.subs.len())
    }

    pub fn sub_migrate(&self, from: &ChatId, to: &ChatId) -> Result<bool> {
        let (from_key, to_key) = (from.to_key(), to.to_key());
        let res: std::result::Result<bool, TransactionError<StoreError>> =
            self.subs.transaction(|t| {
                let Some(old) = t.remove(from_key.as_slice())? else {
                    return Ok(false);
                };
                if t.get(to_key.as_slice())?.is_some() {
                    return Ok(false);
                }
                let mut sub: Subscription =
                    decode(TREE, &old).map_err(ConflictableTransactionError::Abort)?;
                sub.chat = to.clone();
                t.insert(to_key.as_slice(), encode(&sub))?;
                Ok(true)
            });
        match res {
            Ok(moved) => Ok(moved),
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => Err(e.into()),
        }
    }
}
