//! The `websub` tree: each feed's WebSub subscription (hub, topic, secret, state, lease).

use super::SledStore;
use crate::model::WebSubRecord as Subscription;
use crate::storage::error::{Result, decode, encode};

impl SledStore {
    /// The stored subscription of `feed`, if one was ever requested.
    pub fn websub(&self, feed: &str) -> Result<Option<Subscription>> {
        match self.websub.get(feed)? {
            Some(v) => Ok(Some(decode("websub", &v)?)),
            None => Ok(None),
        }
    }

    /// Replaces the subscription of `feed` with what `change` makes of the stored one, atomically
    /// (a hub's verification may race the task that sent the request); returns the new record.
    /// `change` may run more than once; returning `None` leaves the record as it is.
    pub fn update_websub(
        &self,
        feed: &str,
        mut change: impl FnMut(Option<Subscription>) -> Option<Subscription>,
    ) -> Result<Option<Subscription>> {
        let mut failed = None;
        let mut result = None;
        self.websub.fetch_and_update(feed, |old| {
            let current = match old.map(|v| decode::<Subscription>("websub", v)).transpose() {
                Ok(current) => current,
                Err(e) => {
                    failed = Some(e);
                    return old.map(<[u8]>::to_vec);
                }
            };
            failed = None;
            match change(current.clone()) {
                Some(next) => {
                    let bytes = encode(&next);
                    result = Some(next);
                    Some(bytes)
                }
                None => {
                    result = current;
                    old.map(<[u8]>::to_vec)
                }
            }
        })?;
        match failed {
            Some(e) => Err(e),
            None => Ok(result),
        }
    }
}
