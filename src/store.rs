//! sled trees behind typed accessors: schema version, feed state, seen posts, alerts, outbox, sent,
//! WebSub subscriptions.

use std::convert::Infallible;
use std::path::Path;

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};

use crate::model::{Alert, Delivery, OutboxKey, PostKey, Target};

/// The on-disk layout this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the data store at {path}: {source}")]
    Open { path: String, source: sled::Error },
    #[error("data store error: {0}")]
    Sled(#[from] sled::Error),
    #[error("data store holds an unreadable record in {tree}: {message}")]
    Corrupt { tree: &'static str, message: String },
    #[error("data store schema {found} is newer than this build understands ({SCHEMA_VERSION})")]
    Schema { found: u32 },
    #[error("data store flush did not finish: {0}")]
    Flush(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

mod delivery;
mod websub;

/// Poll state of one feed, kept across restarts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedState {
    /// The feed has been read once; later posts are new.
    pub initialized: bool,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Consecutive failures.
    pub failures: u32,
    /// Last error shown to the operator, to log only state changes.
    pub last_error: Option<String>,
    /// Unix seconds of the next planned poll.
    pub next_poll: Option<i64>,
}

/// A post that has been seen in a feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeenRecord {
    /// Unix seconds when first seen.
    pub first_seen: i64,
    /// Hash of what the alert shows (title, excerpt), to notice corrections.
    pub fingerprint: String,
}

/// A message a post got at a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentRecord {
    pub target: Target,
    pub message_id: String,
}

/// What one ingest writes atomically.
#[derive(Debug, Default)]
pub struct IngestBatch {
    pub seen: Vec<(PostKey, SeenRecord)>,
    pub alerts: Vec<Alert>,
    pub deliveries: Vec<(OutboxKey, Delivery)>,
    pub feed_state: Option<FeedState>,
}

/// Handle on the data directory; cheap to clone.
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    meta: sled::Tree,
    feeds: sled::Tree,
    seen: sled::Tree,
    posts: sled::Tree,
    outbox: sled::Tree,
    sent: sled::Tree,
    subs: sled::Tree,
    categories: sled::Tree,
    websub: sled::Tree,
}

/// sled's page cache.
const CACHE_BYTES: u64 = 16 * 1024 * 1024;

impl Store {
    /// Opens (or creates) the store in `dir`.
    pub fn open(dir: &Path) -> Result<Store> {
        let db = sled::Config::new()
            .path(dir)
            // sled's default lets its page cache grow to 1 GiB with the data; a bot that runs
            // for months on a small machine keeps 16 MiB of hot pages (benches: pipeline, feeds_10k).
            .cache_capacity(CACHE_BYTES)
            .open()
            .map_err(|source| StoreError::Open {
                path: dir.display().to_string(),
                source,
            })?;
        Self::from_db(db)
    }

    /// A store that lives in memory only (previews, tests).
    pub fn temporary() -> Result<Store> {
        Self::from_db(sled::Config::new().temporary(true).open()?)
    }

    fn from_db(db: sled::Db) -> Result<Store> {
        let meta = db.open_tree("meta")?;
        match meta.get("schema")? {
            Some(v) => {
                let found = v
                    .as_ref()
                    .try_into()
                    .map(u32::from_be_bytes)
                    .map_err(|_| corrupt("meta", "schema version"))?;
                if found > SCHEMA_VERSION {
                    return Err(StoreError::Schema { found });
                }
            }
            None => {
                meta.insert("schema", &SCHEMA_VERSION.to_be_bytes())?;
            }
        }
        Ok(Store {
            meta,
            feeds: db.open_tree("feeds")?,
            seen: db.open_tree("seen")?,
            posts: db.open_tree("posts")?,
            outbox: db.open_tree("outbox")?,
            sent: db.open_tree("sent")?,
            subs: db.open_tree("subs")?,
            categories: db.open_tree("categories")?,
            websub: db.open_tree("websub")?,
            db,
        })
    }

    pub fn feed_state(&self, feed: &str) -> Result<FeedState> {
        Ok(match self.feeds.get(feed)? {
            Some(v) => decode("feeds", &v)?,
            None => FeedState::default(),
        })
    }

    pub fn put_feed_state(&self, feed: &str, state: &FeedState) -> Result<()> {
        self.feeds.insert(feed, encode(state))?;
        Ok(())
    }

    pub fn seen(&self, feed: &str, key: &PostKey) -> Result<Option<SeenRecord>> {
        match self.seen.get(post_id(feed, key))? {
            Some(v) => Ok(Some(decode("seen", &v)?)),
            None => Ok(None),
        }
    }

    /// Writes the seen marks, the alerts, their deliveries and the feed state in one transaction.
    pub fn ingest(&self, feed: &str, batch: &IngestBatch) -> Result<()> {
        let seen: Vec<_> = batch
            .seen
            .iter()
            .map(|(k, r)| (post_id(feed, k), encode(r)))
            .collect();
        let alerts: Vec<_> = batch
            .alerts
            .iter()
            .map(|a| (post_id(&a.feed, &a.key), encode(a)))
            .collect();
        let deliveries: Vec<_> = batch
            .deliveries
            .iter()
            .map(|(k, d)| (k.to_bytes(), encode(d)))
            .collect();
        let state = batch.feed_state.as_ref().map(encode);
        let res: Result<(), TransactionError<Infallible>> =
            (&self.seen, &self.posts, &self.outbox, &self.feeds).transaction(
                |(seen_t, posts_t, outbox_t, feeds_t)| {
                    for (k, v) in &seen {
                        seen_t.insert(k.as_slice(), v.as_slice())?;
                    }
                    for (k, v) in &alerts {
                        posts_t.insert(k.as_slice(), v.as_slice())?;
                    }
                    for (k, v) in &deliveries {
                        outbox_t.insert(k.as_slice(), v.as_slice())?;
                    }
                    if let Some(s) = &state {
                        feeds_t.insert(feed.as_bytes(), s.as_slice())?;
                    }
                    Ok::<_, ConflictableTransactionError<Infallible>>(())
                },
            );
        match res {
            Ok(()) => Ok(()),
            Err(TransactionError::Storage(e)) => Err(e.into()),
            Err(TransactionError::Abort(never)) => match never {},
        }
    }

    /// The stored alert of a post.
    pub fn alert(&self, feed: &str, key: &PostKey) -> Result<Option<Alert>> {
        match self.posts.get(post_id(feed, key))? {
            Some(v) => Ok(Some(decode("posts", &v)?)),
            None => Ok(None),
        }
    }

    /// A small value kept across restarts (e.g. the Telegram update offset).
    pub fn meta_get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.meta.get(key)?.map(|v| v.to_vec()))
    }

    pub fn meta_put(&self, key: &str, value: &[u8]) -> Result<()> {
        self.meta.insert(key, value)?;
        Ok(())
    }

    /// The `subs` tree (chat → subscription), read and written by `subscriptions`.
    pub fn subs_tree(&self) -> &sled::Tree {
        &self.subs
    }

    /// Remembers categories seen in posts, so chat commands can offer them.
    pub fn note_categories<'a>(
        &self,
        categories: impl IntoIterator<Item = &'a String>,
    ) -> Result<()> {
        for c in categories {
            if !self.categories.contains_key(c.as_bytes())? {
                self.categories.insert(c.as_bytes(), &[])?;
            }
        }
        Ok(())
    }

    /// Every category seen in a post so far, sorted.
    pub fn known_categories(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for item in self.categories.iter() {
            let (k, _) = item?;
            out.push(String::from_utf8_lossy(&k).into_owned());
        }
        Ok(out)
    }

    /// The categories a chat may pick: those seen in posts and `extra` (the configured feeds'),
    /// sorted, each once. A store error leaves only `extra`.
    pub fn categories_with(&self, extra: &[String]) -> Vec<String> {
        let mut known = self.known_categories().unwrap_or_default();
        known.extend(extra.iter().cloned());
        known.sort();
        known.dedup();
        known
    }

    /// Makes every write so far durable.
    /// The fsync runs on Tokio's blocking pool, off the async workers.
    pub async fn flush(&self) -> Result<()> {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || db.flush())
            .await
            .map_err(|e| StoreError::Flush(e.to_string()))??;
        Ok(())
    }

    /// Forgets seen marks first recorded before `cutoff` (unix seconds); returns how many.
    pub fn prune_seen(&self, cutoff: i64) -> Result<usize> {
        let mut removed = 0;
        for item in self.seen.iter() {
            let (k, v) = item?;
            let rec: SeenRecord = decode("seen", &v)?;
            if rec.first_seen < cutoff {
                self.seen.remove(&k)?;
                self.posts.remove(&k)?;
                let mut prefix = k.to_vec();
                prefix.push(0);
                for sent in self.sent.scan_prefix(prefix).keys() {
                    self.sent.remove(sent?)?;
                }
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// The id of a post across feeds: `feed \0 key`.
pub fn post_id(feed: &str, key: &PostKey) -> Vec<u8> {
    let mut id = Vec::with_capacity(feed.len() + key.as_str().len() + 1);
    id.extend_from_slice(feed.as_bytes());
    id.push(0);
    id.extend_from_slice(key.as_str().as_bytes());
    id
}

fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("store records always serialize to JSON")
}

fn decode<T: DeserializeOwned>(tree: &'static str, bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| corrupt(tree, &e.to_string()))
}

fn corrupt(tree: &'static str, message: &str) -> StoreError {
    StoreError::Corrupt {
        tree,
        message: message.to_owned(),
    }
}
