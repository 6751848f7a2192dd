//! The sled backend: one embedded database in `bot.data_dir`, a tree per kind of record, JSON
//! values. Synchronous; the facade calls it inline.

mod chat_feeds;
mod copy;
mod ingest;
mod outbox;
mod subs;
mod websub;

use std::path::Path;

use super::SCHEMA_VERSION;
use super::error::{Result, StoreError, corrupt, decode, encode};
use crate::model::{Alert, FeedState, PostKey, SeenRecord};

/// Handle on the sled trees; cheap to clone.
#[derive(Clone)]
pub struct SledStore {
    db: ::sled::Db,
    /// The folder, or `None` for a temporary store.
    dir: Option<String>,
    meta: ::sled::Tree,
    feeds: ::sled::Tree,
    seen: ::sled::Tree,
    posts: ::sled::Tree,
    outbox: ::sled::Tree,
    sent: ::sled::Tree,
    subs: ::sled::Tree,
    categories: ::sled::Tree,
    websub: ::sled::Tree,
    chat_feeds: ::sled::Tree,
}

/// sled's page cache.
const CACHE_BYTES: u64 = 16 * 1024 * 1024;

impl From<::sled::Error> for StoreError {
    fn from(e: ::sled::Error) -> StoreError {
        StoreError::Backend(e.to_string())
    }
}

impl SledStore {
    /// Opens (or creates) the store in `dir`.
    pub fn open(dir: &Path) -> Result<SledStore> {
        let db = ::sled::Config::new()
            .path(dir)
            // sled's default lets its page cache grow to 1 GiB with the data; a bot that runs
            // for months on a small machine keeps 16 MiB of hot pages (benches: pipeline, feeds_10k).
            .cache_capacity(CACHE_BYTES)
            .open()
            .map_err(|e| StoreError::Open {
                path: dir.display().to_string(),
                message: e.to_string(),
            })?;
        Self::from_db(db, Some(dir.display().to_string()))
    }

    /// A store that lives in memory only (previews, tests).
    pub fn temporary() -> Result<SledStore> {
        Self::from_db(::sled::Config::new().temporary(true).open()?, None)
    }

    fn from_db(db: ::sled::Db, dir: Option<String>) -> Result<SledStore> {
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
        Ok(SledStore {
            meta,
            feeds: db.open_tree("feeds")?,
            seen: db.open_tree("seen")?,
            posts: db.open_tree("posts")?,
            outbox: db.open_tree("outbox")?,
            sent: db.open_tree("sent")?,
            subs: db.open_tree("subs")?,
            categories: db.open_tree("categories")?,
            websub: db.open_tree("websub")?,
            chat_feeds: db.open_tree("chat_feeds")?,
            dir,
            db,
        })
    }

    pub fn describe(&self) -> String {
        match &self.dir {
            Some(dir) => format!("sled at {dir}"),
            None => "sled in memory".to_owned(),
        }
    }

    pub fn ping(&self) -> Result<()> {
        self.meta.get("schema")?;
        Ok(())
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

    pub fn seen_many(&self, feed: &str, keys: &[PostKey]) -> Result<Vec<Option<SeenRecord>>> {
        keys.iter().map(|key| self.seen(feed, key)).collect()
    }

    pub fn alert(&self, feed: &str, key: &PostKey) -> Result<Option<Alert>> {
        match self.posts.get(post_id(feed, key))? {
            Some(v) => Ok(Some(decode("posts", &v)?)),
            None => Ok(None),
        }
    }

    pub fn meta_get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.meta.get(key)?.map(|v| v.to_vec()))
    }

    pub fn meta_put(&self, key: &str, value: &[u8]) -> Result<()> {
        self.meta.insert(key, value)?;
        Ok(())
    }

    pub fn note_categories(&self, categories: &[String]) -> Result<()> {
        for c in categories {
            if !self.categories.contains_key(c.as_bytes())? {
                self.categories.insert(c.as_bytes(), &[])?;
            }
        }
        Ok(())
    }

    pub fn known_categories(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for item in self.categories.iter() {
            let (k, _) = item?;
            out.push(String::from_utf8_lossy(&k).into_owned());
        }
        Ok(out)
    }

    /// Makes every write so far durable; the fsync runs on Tokio's blocking pool.
    pub async fn flush(&self) -> Result<()> {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || db.flush())
            .await
            .map_err(|e| StoreError::Flush(e.to_string()))??;
        Ok(())
    }

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
fn post_id(feed: &str, key: &PostKey) -> Vec<u8> {
    let mut id = Vec::with_capacity(feed.len() + key.as_str().len() + 1);
    id.extend_from_slice(feed.as_bytes());
    id.push(0);
    id.extend_from_slice(key.as_str().as_bytes());
    id
}

/// `post_id` split back into feed and key.
fn split_post_id(tree: &'static str, id: &[u8]) -> Result<(String, PostKey)> {
    let text = std::str::from_utf8(id).map_err(|e| corrupt(tree, e))?;
    let (feed, key) = text
        .split_once('\0')
        .ok_or_else(|| corrupt(tree, "key without a feed"))?;
    Ok((feed.to_owned(), PostKey(key.to_owned())))
}
