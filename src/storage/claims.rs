//! Feed polling spread over a cluster (PostgreSQL only): the feeds each node's config holds,
//! claims on due feeds with a lease, and the fenced write of a poll's result. See
//! `postgres/claims.rs` for the SQL and `source::claims` for the scheduler that uses them.

use std::time::Duration;

use super::cluster::ClusterStore;
use super::error::Result;
use crate::model::FeedState;

/// One http feed of a node's config, as registered in the store.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry {
    pub name: String,
    /// The host its URL names: claims in flight are bounded per host across the cluster.
    pub host: String,
    /// Delay before its first poll, when the store has none planned yet.
    pub first_poll: Duration,
}

/// The http feeds of one node's config. Nodes whose configs hold the same names share a set.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedSet {
    /// A hash of the sorted names.
    pub id: String,
    pub feeds: Vec<FeedEntry>,
}

impl FeedSet {
    pub fn new(feeds: Vec<FeedEntry>) -> FeedSet {
        let mut names: Vec<&str> = feeds.iter().map(|f| f.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        let mut hasher = blake3::Hasher::new();
        for name in names {
            // Length-prefixed: no two lists of names hash the same bytes.
            hasher.update(&(name.len() as u64).to_le_bytes());
            hasher.update(name.as_bytes());
        }
        let id = hasher.finalize().to_hex()[..32].to_owned();
        FeedSet { id, feeds }
    }
}

/// A node's claim on one feed: the result of its poll is written only while the claim is the
/// feed's current one (another node may have taken the feed once this claim lapsed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedClaim {
    pub feed: String,
    pub holder: String,
    /// Grows with every claim of the feed.
    pub number: i64,
}

/// A feed just claimed, with what its poll needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Claimed {
    pub claim: FeedClaim,
    /// The shared poll state: validators, failures.
    pub state: FeedState,
    /// Milliseconds from the claim to the planned poll, by the database clock (negative: the
    /// poll is that late already).
    pub due_in_ms: i64,
}

/// What a node asks for in one claim.
#[derive(Debug, Clone, Copy)]
pub struct ClaimAsk<'a> {
    pub holder: &'a str,
    /// Only feeds of this set (the node's config) are claimed.
    pub set_id: &'a str,
    /// At most this many feeds.
    pub max: usize,
    /// Claims in flight per host, across the cluster, this claim leaves at most.
    pub per_host: usize,
    /// Feeds due this soon are claimed already.
    pub lookahead: Duration,
    /// How long the claims last unless renewed.
    pub ttl: Duration,
    /// Chat-added feeds that are followed and not paused are claimed too.
    pub chat_feeds: bool,
}

impl ClusterStore {
    /// Registers `set`: feeds the store lacks are added (due after their `first_poll`), the
    /// others keep their state and next poll (their host follows the config).
    pub async fn register_feeds(&self, set: &FeedSet) -> Result<()> {
        self.0.register_feeds(set).await
    }

    /// Makes chat feed `name` (of `host`) claimable, due in `due_in` unless it has a next poll
    /// already; whether it is polled follows its record (followers, paused).
    pub async fn register_chat_feed(&self, name: &str, host: &str, due_in: Duration) -> Result<()> {
        self.0.register_chat_feed(name, host, due_in).await
    }

    /// Marks set `id` as in use; false when it is gone (pruned) and must be registered again.
    pub async fn touch_feed_set(&self, id: &str) -> Result<bool> {
        self.0.touch_feed_set(id).await
    }

    /// Claims due feeds that nobody holds, oldest due first, at most `ask.per_host` in flight
    /// per host across the cluster.
    pub async fn claim_feeds(&self, ask: &ClaimAsk<'_>) -> Result<Vec<Claimed>> {
        self.0.claim_feeds(ask).await
    }

    /// Extends the claims in `held` that `holder` still has; returns the feeds extended.
    pub async fn renew_claims(
        &self,
        holder: &str,
        held: &[(String, i64)],
        ttl: Duration,
    ) -> Result<Vec<String>> {
        self.0.renew_claims(holder, held, ttl).await
    }

    /// Writes a poll's result and releases the claim: `state`, and the next poll `next_in`
    /// from now (at once when the feed was pinged meanwhile). Refused with
    /// [`StoreError::Fenced`](super::StoreError::Fenced) once the claim is not the feed's.
    pub async fn finish_claim(
        &self,
        claim: &FeedClaim,
        state: &FeedState,
        next_in: Duration,
    ) -> Result<()> {
        self.0.finish_claim(claim, state, next_in).await
    }

    /// Gives up claims without a result (shutdown): the feeds are due for the others at once.
    pub async fn release_claims(&self, holder: &str, held: &[(String, i64)]) -> Result<()> {
        self.0.release_claims(holder, held).await
    }

    /// Makes `feed` due now (a /ping), ahead of every feed merely due.
    pub async fn poll_now(&self, feed: &str) -> Result<()> {
        self.0.poll_now(feed).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str) -> FeedEntry {
        FeedEntry {
            name: name.into(),
            host: "example.com".into(),
            first_poll: Duration::ZERO,
        }
    }

    #[test]
    fn set_ids_depend_on_the_names_only() {
        let a = FeedSet::new(vec![entry("a"), entry("b")]);
        let b = FeedSet::new(vec![entry("b"), entry("a"), entry("a")]);
        let c = FeedSet::new(vec![entry("a"), entry("c")]);
        let joined = FeedSet::new(vec![entry("a\nb")]);
        assert_eq!(a.id, b.id);
        assert_ne!(a.id, c.id);
        assert_ne!(a.id, joined.id);
        assert_eq!(a.id.len(), 32);
    }
}
