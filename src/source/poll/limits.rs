//! What polls share besides the client: bounds on fetches in flight (overall and per host), and
//! per-feed locks that keep a poll and a pushed notification from ingesting at once. The locks
//! only save duplicate work (summaries, article pages): whether a post is new is decided inside
//! the store's ingest transaction, so ingests from other processes stay correct without them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::HttpConfig;

/// Bounds on fetches in flight: overall and per host. Clones share the bounds (feed polls and
/// article pages count against the same ones).
#[derive(Clone)]
pub struct Limits {
    global: Arc<Semaphore>,
    per_host: Arc<Mutex<HashMap<String, Arc<Semaphore>>>>,
    host_limit: usize,
}

impl Limits {
    pub fn new(http: &HttpConfig) -> Limits {
        Limits {
            global: Arc::new(Semaphore::new(http.max_concurrent.max(1))),
            per_host: Arc::new(Mutex::new(HashMap::new())),
            host_limit: http.per_host.max(1),
        }
    }

    pub(crate) async fn acquire(&self, url: &str) -> (OwnedSemaphorePermit, OwnedSemaphorePermit) {
        let host = host_of(url);
        let host_sem = {
            let mut map = self.per_host.lock().unwrap_or_else(|e| e.into_inner());
            map.entry(host)
                .or_insert_with(|| Arc::new(Semaphore::new(self.host_limit)))
                .clone()
        };
        // Semaphores here are never closed, so acquiring cannot fail.
        let h = host_sem
            .acquire_owned()
            .await
            .expect("host semaphore is never closed");
        let g = self
            .global
            .clone()
            .acquire_owned()
            .await
            .expect("global semaphore is never closed");
        (h, g)
    }
}

/// The host `url` names (empty when it names none): what per-host bounds count by.
pub fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Per-feed async locks, made on first use and dropped when no ingest holds or awaits them,
/// so the map holds only feeds being ingested, not every feed ever seen.
#[derive(Default)]
pub struct FeedLocks(Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>);

impl FeedLocks {
    pub(super) fn get(&self, feed: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(feed.to_owned()).or_default().clone()
    }

    /// Gives back `lock`, got from `get(feed)` and no longer held: forgotten when nobody else
    /// has it (clones are only made under the map's mutex, so none can appear meanwhile).
    pub(super) fn put_back(&self, feed: &str, lock: Arc<tokio::sync::Mutex<()>>) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let ours = map.get(feed).is_some_and(|m| Arc::ptr_eq(m, &lock));
        if ours && Arc::strong_count(&lock) == 2 {
            map.remove(feed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(locks: &FeedLocks) -> usize {
        locks.0.lock().map(|m| m.len()).unwrap_or_default()
    }

    #[test]
    fn feed_locks_are_shared_while_in_use_and_forgotten_after() {
        let locks = FeedLocks::default();
        let first = locks.get("a");
        let second = locks.get("a");
        assert!(Arc::ptr_eq(&first, &second));
        locks.put_back("a", first);
        assert_eq!(held(&locks), 1, "still wanted by the second ingest");
        locks.put_back("a", second);
        assert_eq!(held(&locks), 0);
        let stale = Arc::new(tokio::sync::Mutex::new(()));
        let current = locks.get("a");
        locks.put_back("a", stale);
        assert_eq!(
            held(&locks),
            1,
            "a lock not from the map leaves the map alone"
        );
        locks.put_back("a", current);
        assert_eq!(held(&locks), 0);
    }
}
