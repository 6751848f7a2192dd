//! A poll of a feed this node claimed in the cluster (PostgreSQL): the same fetch, parse and
//! ingest as any poll, then the result written under the claim, which releases it.
//!
//! The ingest needs no claim: whether a post is new is decided inside its transaction, so an
//! ingest from a node whose claim lapsed is as safe as a pushed one. The state (validators,
//! failures, next poll) is written only while the claim is still the feed's.

use chrono::Utc;

use super::{Polled, Poller};
use crate::config::FeedConfig;
use crate::storage::{Claimed, ClusterStore, StoreError};

impl Poller {
    /// Polls `feed` under `claimed` (which brings the shared state) and writes the result to
    /// `cluster`, releasing the claim; `started` is called as the fetch starts, once the
    /// fetch slots are there. A refused write ([`StoreError::Fenced`]) means another node
    /// took the feed meanwhile; whatever this poll ingested stays.
    pub async fn poll_claimed(
        &self,
        feed: &FeedConfig,
        claimed: Claimed,
        cluster: &ClusterStore,
        started: impl FnOnce(),
    ) -> Result<(), StoreError> {
        let Claimed { claim, state, .. } = claimed;
        let Some(url) = feed.source.url() else {
            let held = [(claim.feed.clone(), claim.number)];
            return cluster.release_claims(&claim.holder, &held).await;
        };
        let permits = self.limits.acquire(url).await;
        started();
        let before = (state.etag.clone(), state.last_modified.clone());
        let Polled {
            mut state,
            posts,
            delay,
        } = self.fetch(feed, url, permits, state).await;
        state.next_poll = Some(Utc::now().timestamp() + delay.as_secs() as i64);
        if let Some(posts) = posts {
            match self.record(feed, posts, None).await {
                Ok(report) => {
                    state.initialized = true;
                    if report.new_posts > 0 {
                        state.last_post_at = Some(Utc::now().timestamp());
                    }
                }
                Err(e) => {
                    tracing::error!(feed = %feed.name, "cannot record the poll: {e}");
                    // The old validators make the next poll fetch these posts again.
                    (state.etag, state.last_modified) = before;
                }
            }
        }
        cluster.finish_claim(&claim, &state, delay).await
    }
}
