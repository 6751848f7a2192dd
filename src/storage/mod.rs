//! The one storage interface that the pipeline, delivery engine, subscriptions, WebSub,
//! platforms and server use, over two backends: sled (embedded, the default) and PostgreSQL.
//!
//! `Store` is an enum facade rather than a trait object: there are exactly two backends, the
//! call sites keep one concrete, cheap-to-clone type, async methods need no boxing, and sled's
//! synchronous calls run inline. No sled or SQL type appears outside its backend module.

mod claims;
mod cluster;
mod copy;
mod error;
mod location;
mod postgres;
mod records;
mod sled;
mod subscriptions;

use std::path::Path;
use std::time::Duration;

use crate::model::{
    Alert, ChatFeed, ChatId, Delivery, FeedState, Fence, OutboxKey, PostKey, SeenRecord,
    SentRecord, Subscription, Target, WebSubRecord,
};

pub use claims::{ClaimAsk, Claimed, FeedClaim, FeedEntry, FeedSet};
pub use cluster::{ClusterStore, OutboxEvent, OutboxListener};
pub use copy::{CopyReport, copy};
pub use error::{Result, StoreError};
pub use location::Location;
pub use postgres::redact_url;
pub use records::{Completed, IngestBatch, IngestPost, Ingested, Snapshot};
pub use subscriptions::SubscriptionStore;

/// The on-disk layout this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone)]
enum Backend {
    Sled(self::sled::SledStore),
    Postgres(postgres::PgStore),
}

/// Handle on the data; cheap to clone.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
}

/// Runs the same operation on either backend: sled's synchronously, PostgreSQL's awaited.
macro_rules! dispatch {
    ($self:ident . $method:ident ( $($arg:expr),* )) => {
        match &$self.backend {
            Backend::Sled(s) => s.$method($($arg),*),
            Backend::Postgres(p) => p.$method($($arg),*).await,
        }
    };
}

impl Store {
    /// Opens the store at `location`; PostgreSQL gets its migrations applied.
    pub async fn open(location: &Location) -> Result<Store> {
        match location {
            Location::Sled(dir) => {
                let dir = dir.clone();
                tokio::task::spawn_blocking(move || Store::sled(&dir))
                    .await
                    .map_err(|e| StoreError::Backend(e.to_string()))?
            }
            Location::Postgres(url) => Store::postgres(url, true).await,
        }
    }

    /// Opens (or creates) a sled store in `dir`.
    pub fn sled(dir: &Path) -> Result<Store> {
        Ok(Store {
            backend: Backend::Sled(self::sled::SledStore::open(dir)?),
        })
    }

    /// Connects to PostgreSQL at `url`; applies pending migrations when `migrate`, else refuses
    /// a database whose schema is behind or ahead of this build.
    pub async fn postgres(url: &str, migrate: bool) -> Result<Store> {
        Ok(Store {
            backend: Backend::Postgres(postgres::PgStore::connect(url, migrate).await?),
        })
    }

    /// A store that lives in memory only (previews, tests).
    pub fn temporary() -> Result<Store> {
        Ok(Store {
            backend: Backend::Sled(self::sled::SledStore::temporary()?),
        })
    }

    /// Which backend this is, for logs and `/healthz` (no password).
    pub fn describe(&self) -> String {
        match &self.backend {
            Backend::Sled(s) => s.describe(),
            Backend::Postgres(p) => p.describe(),
        }
    }

    /// Whether the store answers now.
    pub async fn ping(&self) -> Result<()> {
        dispatch!(self.ping())
    }

    pub async fn feed_state(&self, feed: &str) -> Result<FeedState> {
        dispatch!(self.feed_state(feed))
    }

    pub async fn put_feed_state(&self, feed: &str, state: &FeedState) -> Result<()> {
        dispatch!(self.put_feed_state(feed, state))
    }

    pub async fn seen(&self, feed: &str, key: &PostKey) -> Result<Option<SeenRecord>> {
        dispatch!(self.seen(feed, key))
    }

    /// The seen marks of `keys` in `feed`, in the order of `keys`, in one read.
    pub async fn seen_many(&self, feed: &str, keys: &[PostKey]) -> Result<Vec<Option<SeenRecord>>> {
        dispatch!(self.seen_many(feed, keys))
    }

    /// Writes a batch in one transaction. Whether each post is new (or still has the
    /// fingerprint a correction replaces) is decided inside it: a post another writer took
    /// first is skipped with its alert and deliveries.
    pub async fn ingest(&self, feed: &str, batch: &IngestBatch) -> Result<Ingested> {
        dispatch!(self.ingest(feed, batch))
    }

    /// The stored alert of a post.
    pub async fn alert(&self, feed: &str, key: &PostKey) -> Result<Option<Alert>> {
        dispatch!(self.alert(feed, key))
    }

    /// A small value kept across restarts (e.g. the Telegram update offset).
    pub async fn meta_get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        dispatch!(self.meta_get(key))
    }

    pub async fn meta_put(&self, key: &str, value: &[u8]) -> Result<()> {
        dispatch!(self.meta_put(key, value))
    }

    /// Remembers categories seen in posts, so chat commands can offer them.
    pub async fn note_categories(&self, categories: &[String]) -> Result<()> {
        dispatch!(self.note_categories(categories))
    }

    /// Every category seen in a post so far, sorted.
    pub async fn known_categories(&self) -> Result<Vec<String>> {
        dispatch!(self.known_categories())
    }

    /// The categories a chat may pick: those seen in posts and `extra` (the configured feeds'),
    /// sorted, each once. A store error leaves only `extra`.
    pub async fn categories_with(&self, extra: &[String]) -> Vec<String> {
        let mut known = self.known_categories().await.unwrap_or_default();
        known.extend(extra.iter().cloned());
        known.sort();
        known.dedup();
        known
    }

    /// Makes every write so far durable (sled's fsync; a PostgreSQL commit already is).
    pub async fn flush(&self) -> Result<()> {
        match &self.backend {
            Backend::Sled(s) => s.flush().await,
            Backend::Postgres(_) => Ok(()),
        }
    }

    /// Forgets seen marks first recorded before `cutoff` (unix seconds); returns how many.
    pub async fn prune_seen(&self, cutoff: i64) -> Result<usize> {
        dispatch!(self.prune_seen(cutoff))
    }

    /// Every pending delivery in order (breaking first, then by arrival), read once at start.
    pub async fn pending(&self) -> Result<Vec<(OutboxKey, Delivery)>> {
        dispatch!(self.pending())
    }

    pub async fn outbox_len(&self) -> Result<usize> {
        dispatch!(self.outbox_len())
    }

    /// How long the oldest waiting delivery has waited at `now_ms` (unix milliseconds).
    pub async fn outbox_oldest(&self, now_ms: i64) -> Result<Option<Duration>> {
        dispatch!(self.outbox_oldest(now_ms))
    }

    /// One pending delivery.
    pub async fn delivery(&self, key: &OutboxKey) -> Result<Option<Delivery>> {
        dispatch!(self.delivery(key))
    }

    /// Replaces a pending delivery (after a failed attempt).
    pub async fn update_delivery(&self, key: &OutboxKey, delivery: &Delivery) -> Result<()> {
        dispatch!(self.update_delivery(key, delivery))
    }

    /// Removes these pending deliveries (a chat that is gone).
    pub async fn remove_deliveries(&self, keys: &[OutboxKey]) -> Result<()> {
        dispatch!(self.remove_deliveries(keys))
    }

    /// Sends these pending deliveries to `to` instead (a chat that moved), due at once.
    pub async fn retarget_deliveries(&self, keys: &[OutboxKey], to: &Target) -> Result<()> {
        dispatch!(self.retarget_deliveries(keys, to))
    }

    /// Removes deliveries the platform accepted (or that were given up), records the message
    /// ids they got, and makes it durable: one transaction and one flush for the whole group.
    /// Completions whose fence is no longer current are refused (sled has no fences); returns
    /// how many were refused.
    pub async fn complete_deliveries(&self, done: &[Completed]) -> Result<usize> {
        match &self.backend {
            Backend::Sled(s) => {
                s.complete_deliveries(done)?;
                s.flush().await?;
                Ok(0)
            }
            Backend::Postgres(p) => p.complete_deliveries(done).await,
        }
    }

    /// `meta_put`, refused with [`StoreError::Fenced`] once `fence` is not current.
    pub async fn meta_put_fenced(
        &self,
        key: &str,
        value: &[u8],
        fence: Option<&Fence>,
    ) -> Result<()> {
        match (&self.backend, fence) {
            (Backend::Postgres(p), Some(fence)) => p.meta_put_fenced(key, value, fence).await,
            _ => self.meta_put(key, value).await,
        }
    }

    /// The same store, whose ingests do not announce new deliveries with NOTIFY (for
    /// PostgreSQL-compatible databases without it; other nodes poll instead).
    pub fn without_notify(self) -> Store {
        match self.backend {
            Backend::Postgres(p) => Store {
                backend: Backend::Postgres(p.without_notify()),
            },
            sled => Store { backend: sled },
        }
    }

    /// The chat-added feed at `url`.
    pub async fn chat_feed(&self, url: &str) -> Result<Option<ChatFeed>> {
        dispatch!(self.chat_feed(url))
    }

    /// Replaces the chat feed of `url` with what `change` makes of the stored one, atomically
    /// against other writers (other nodes included); `change` may run more than once, and
    /// `None` leaves the record as it is. Returns the record as it is now.
    pub async fn update_chat_feed(
        &self,
        url: &str,
        change: impl FnMut(Option<ChatFeed>) -> Option<ChatFeed>,
    ) -> Result<Option<ChatFeed>> {
        dispatch!(self.update_chat_feed(url, change))
    }

    pub async fn remove_chat_feed(&self, url: &str) -> Result<Option<ChatFeed>> {
        dispatch!(self.remove_chat_feed(url))
    }

    /// Every chat-added feed, in URL order.
    pub async fn chat_feeds(&self) -> Result<Vec<ChatFeed>> {
        dispatch!(self.chat_feeds())
    }

    /// The cluster operations, on PostgreSQL only.
    pub fn cluster(&self) -> Option<ClusterStore> {
        match &self.backend {
            Backend::Sled(_) => None,
            Backend::Postgres(p) => Some(ClusterStore(p.clone())),
        }
    }

    /// The message id a post got at a target, if it was sent.
    pub async fn sent_message(
        &self,
        feed: &str,
        key: &PostKey,
        target: &Target,
    ) -> Result<Option<String>> {
        dispatch!(self.sent_message(feed, key, target))
    }

    /// Every message a post got.
    pub async fn sent_for(&self, feed: &str, key: &PostKey) -> Result<Vec<SentRecord>> {
        dispatch!(self.sent_for(feed, key))
    }

    /// The stored WebSub subscription of `feed`, if one was ever requested.
    pub async fn websub(&self, feed: &str) -> Result<Option<WebSubRecord>> {
        dispatch!(self.websub(feed))
    }

    /// Replaces the WebSub record of `feed` with what `change` makes of the stored one,
    /// atomically; returns the new record. `change` may run more than once; `None` leaves the
    /// record as it is.
    pub async fn update_websub(
        &self,
        feed: &str,
        change: impl FnMut(Option<WebSubRecord>) -> Option<WebSubRecord>,
    ) -> Result<Option<WebSubRecord>> {
        dispatch!(self.update_websub(feed, change))
    }

    pub(crate) async fn sub_get(&self, chat: &ChatId) -> Result<Option<Subscription>> {
        dispatch!(self.sub_get(chat))
    }

    pub(crate) async fn sub_put(&self, sub: &Subscription) -> Result<()> {
        dispatch!(self.sub_put(sub))
    }

    /// Applies `change` to a chat's record atomically and returns the result; an absent record
    /// starts as a new empty one when `create`, else stays absent (`None`). `change` may run
    /// more than once.
    pub(crate) async fn sub_update(
        &self,
        chat: &ChatId,
        create: bool,
        change: impl FnMut(&mut Subscription),
    ) -> Result<Option<Subscription>> {
        dispatch!(self.sub_update(chat, create, change))
    }

    pub(crate) async fn sub_remove(&self, chat: &ChatId) -> Result<Option<Subscription>> {
        dispatch!(self.sub_remove(chat))
    }

    pub(crate) async fn sub_all(&self) -> Result<Vec<Subscription>> {
        dispatch!(self.sub_all())
    }

    pub(crate) async fn sub_len(&self) -> Result<usize> {
        dispatch!(self.sub_len())
    }

    /// Moves a record to a new chat id in one transaction; see `SubscriptionStore::migrate`.
    pub(crate) async fn sub_migrate(&self, from: &ChatId, to: &ChatId) -> Result<bool> {
        dispatch!(self.sub_migrate(from, to))
    }

    /// Everything in the store, for `sokbo store copy`.
    pub async fn export(&self) -> Result<Snapshot> {
        dispatch!(self.export())
    }

    /// Writes a snapshot into this (empty) store in one go.
    pub async fn import(&self, snapshot: &Snapshot) -> Result<()> {
        dispatch!(self.import(snapshot))
    }
}
