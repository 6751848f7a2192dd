//! The `chat_feeds` tree: feeds chats added, one JSON record per URL, changed atomically.

use super::SledStore;
use crate::model::ChatFeed;
use crate::storage::error::{Result, decode, encode};

const TREE: &str = "chat_feeds";

impl SledStore {
    pub fn chat_feed(&self, url: &str) -> Result<Option<ChatFeed>> {
        self.chat_feeds
            .get(url)?
            .map(|v| decode(TREE, &v))
            .transpose()
    }

    /// Replaces the record of `url` with what `change` makes of the stored one, atomically;
    /// `change` may run more than once; `None` leaves the record as it is.
    pub fn update_chat_feed(
        &self,
        url: &str,
        mut change: impl FnMut(Option<ChatFeed>) -> Option<ChatFeed>,
    ) -> Result<Option<ChatFeed>> {
        loop {
            let old = self.chat_feeds.get(url)?;
            let current: Option<ChatFeed> = old.as_ref().map(|v| decode(TREE, v)).transpose()?;
            let Some(next) = change(current.clone()) else {
                return Ok(current);
            };
            let swapped =
                self.chat_feeds
                    .compare_and_swap(url, old.as_ref(), Some(encode(&next)))?;
            if swapped.is_ok() {
                return Ok(Some(next));
            }
        }
    }

    pub fn remove_chat_feed(&self, url: &str) -> Result<Option<ChatFeed>> {
        self.chat_feeds
            .remove(url)?
            .map(|v| decode(TREE, &v))
            .transpose()
    }

    /// Every record in URL order.
    pub fn chat_feeds(&self) -> Result<Vec<ChatFeed>> {
        self.chat_feeds
            .iter()
            .map(|item| {
                let (_, v) = item?;
                decode(TREE, &v)
            })
            .collect()
    }
}
