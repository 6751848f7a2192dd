//! What goes into and comes out of the store in one call: an ingest's batch and outcome, a
//! group of finished deliveries, and a whole store's contents for copying.

use crate::model::{
    Alert, ChatFeed, Delivery, FeedState, Fence, OutboxKey, PostKey, SeenRecord, SentRecord,
    Subscription, WebSubRecord,
};

/// One post of an ingest: its seen mark, and the alert and deliveries it brings.
#[derive(Debug, Clone)]
pub struct IngestPost {
    pub key: PostKey,
    pub seen: SeenRecord,
    /// `None`: the post must be new. `Some(f)`: a correction, taken only while the stored
    /// seen mark still has fingerprint `f`.
    pub replaces: Option<String>,
    /// The alert to keep for later edits (new alerts and corrections).
    pub alert: Option<Alert>,
    /// Deliveries to queue, each with its priority (see `OutboxKey::new`).
    pub deliveries: Vec<(bool, Delivery)>,
}

impl IngestPost {
    /// A new post's seen mark, with no alert and no deliveries yet.
    pub fn new(key: PostKey, seen: SeenRecord) -> IngestPost {
        IngestPost {
            key,
            seen,
            replaces: None,
            alert: None,
            deliveries: Vec::new(),
        }
    }
}

/// What one ingest writes atomically.
#[derive(Debug, Default)]
pub struct IngestBatch {
    pub posts: Vec<IngestPost>,
    pub feed_state: Option<FeedState>,
}

/// What an ingest wrote.
#[derive(Debug, Default, PartialEq)]
pub struct Ingested {
    /// Per post of the batch: whether it was taken (false: another writer was first).
    pub taken: Vec<bool>,
    /// The deliveries now in the outbox, with the keys they got.
    pub deliveries: Vec<(OutboxKey, Delivery)>,
}

/// A delivery that leaves the outbox: accepted (with its message id, if any), refused or
/// given up.
#[derive(Debug, Clone)]
pub struct Completed {
    pub key: OutboxKey,
    pub delivery: Delivery,
    pub message_id: Option<String>,
    /// The lease the delivery was sent under (cluster only): once it is lost, the completion
    /// is refused and the delivery stays for the new holder.
    pub fence: Option<Fence>,
}

/// Everything a store holds, for `sokbo store copy`.
#[derive(Debug, Default, PartialEq)]
pub struct Snapshot {
    pub meta: Vec<(String, Vec<u8>)>,
    pub feeds: Vec<(String, FeedState)>,
    pub seen: Vec<(String, PostKey, SeenRecord)>,
    pub posts: Vec<Alert>,
    pub outbox: Vec<(OutboxKey, Delivery)>,
    pub sent: Vec<(String, PostKey, SentRecord)>,
    pub subscriptions: Vec<Subscription>,
    pub categories: Vec<String>,
    pub websub: Vec<(String, WebSubRecord)>,
    pub chat_feeds: Vec<ChatFeed>,
}

impl Snapshot {
    /// Record counts per kind, in a fixed order, for the copy report.
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        vec![
            ("meta", self.meta.len()),
            ("feeds", self.feeds.len()),
            ("seen", self.seen.len()),
            ("posts", self.posts.len()),
            ("outbox", self.outbox.len()),
            ("sent", self.sent.len()),
            ("subscriptions", self.subscriptions.len()),
            ("categories", self.categories.len()),
            ("websub", self.websub.len()),
            ("chat feeds", self.chat_feeds.len()),
        ]
    }

    /// Sorted in each kind's key order, so two stores' snapshots compare equal.
    pub fn sorted(mut self) -> Snapshot {
        self.meta.sort_by(|a, b| a.0.cmp(&b.0));
        self.feeds.sort_by(|a, b| a.0.cmp(&b.0));
        self.seen
            .sort_by(|a, b| (&a.0, a.1.as_str()).cmp(&(&b.0, b.1.as_str())));
        self.posts
            .sort_by(|a, b| (&a.feed, a.key.as_str()).cmp(&(&b.feed, b.key.as_str())));
        self.outbox.sort_by_key(|(k, _)| *k);
        self.sent.sort_by(|a, b| {
            (&a.0, a.1.as_str(), a.2.target.id()).cmp(&(&b.0, b.1.as_str(), b.2.target.id()))
        });
        self.subscriptions.sort_by(|a, b| a.chat.cmp(&b.chat));
        self.categories.sort();
        self.websub.sort_by(|a, b| a.0.cmp(&b.0));
        self.chat_feeds.sort_by(|a, b| a.url.cmp(&b.url));
        self
    }
}
