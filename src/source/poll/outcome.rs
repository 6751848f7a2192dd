//! One fetch of a feed judged: the state to keep (validators, failures, the last error), the
//! posts to ingest, and the delay until the next poll. Shared by the poller of one process and
//! the cluster's claimed polls; each writes the result its own way.

use std::time::Duration;

use tokio::sync::OwnedSemaphorePermit;

use super::Poller;
use crate::config::FeedConfig;
use crate::model::{FeedState, Post, is_chat_feed_name};
use crate::source::http::{FetchError, FetchOutcome, Validators};
use crate::source::schedule::Schedule;

/// What one fetch came to.
pub(super) struct Polled {
    /// `state` as read before the fetch, updated (its `next_poll` is left to the writer).
    pub state: FeedState,
    /// The feed's posts, when it was fetched and parsed (not on 304 or a failure).
    pub posts: Option<Vec<Post>>,
    pub delay: Duration,
}

/// A fetch that worked: posts (none on 304) and the feed's caching hint; or why it failed, with
/// the server's Retry-After.
type Judged = Result<(Option<Vec<Post>>, Option<Duration>), (String, Option<Duration>)>;

impl Poller {
    /// Fetches `feed` from `url` with the validators of `state`, holding `permits` only for the
    /// fetch, and judges the answer.
    pub(super) async fn fetch(
        &self,
        feed: &FeedConfig,
        url: &str,
        permits: (OwnedSemaphorePermit, OwnedSemaphorePermit),
        mut state: FeedState,
    ) -> Polled {
        let validators = Validators {
            etag: state.etag.clone(),
            last_modified: state.last_modified.clone(),
        };
        // Chat-added feeds go through the guard on every poll (a name may resolve elsewhere
        // by now).
        let fetcher = match &self.chat_fetcher {
            Some(guarded) if is_chat_feed_name(&feed.name) => guarded.get(),
            _ => Ok(&self.fetcher),
        };
        let fetched = match fetcher {
            Ok(fetcher) => {
                let _permits = permits;
                fetcher.fetch_with(url, &validators, &feed.request).await
            }
            Err(e) => Err(e),
        };
        self.metrics.poll(&feed.name);
        match &fetched {
            Ok(FetchOutcome::NotModified { .. }) => self.metrics.not_modified(&feed.name),
            Err(_) => self.metrics.fetch_error(&feed.name),
            Ok(FetchOutcome::Fetched(_)) => {}
        }
        let judged = self.judge(feed, url, fetched, &mut state);
        let mut polled = self.settle(feed, state, judged).await;
        if let Some(health) = &self.health {
            health.after_poll(feed, &mut polled.state).await;
        }
        polled
    }

    /// The answer to a fetch → posts and hint, or the failure; new validators go into `state`.
    fn judge(
        &self,
        feed: &FeedConfig,
        url: &str,
        fetched: Result<FetchOutcome, FetchError>,
        state: &mut FeedState,
    ) -> Judged {
        match fetched {
            Ok(FetchOutcome::NotModified {
                validators,
                cache_hint,
            }) => {
                state.etag = validators.etag.or(state.etag.take());
                state.last_modified = validators.last_modified.or(state.last_modified.take());
                Ok((None, cache_hint))
            }
            Ok(FetchOutcome::Fetched(f)) => {
                let parsed = self.parse(feed, &f.body, f.content_type.as_deref(), &f.final_url);
                // The body (up to `http.max_body_bytes`) is not kept while the posts are
                // recorded, and a large one's pages go back to the system.
                let size = f.body.len();
                drop(f.body);
                crate::memory::after_large_document(size);
                let parsed = parsed.map_err(|e| (e.to_string(), None))?;
                if let Some(websub) = self
                    .websub
                    .as_ref()
                    .filter(|_| !is_chat_feed_name(&feed.name))
                {
                    let (hub, self_url) = (parsed.hub.as_deref(), parsed.self_url.as_deref());
                    websub.discovered(&feed.name, url, hub, self_url);
                }
                state.etag = f.validators.etag;
                state.last_modified = f.validators.last_modified;
                let hint = match (parsed.ttl, f.cache_hint) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    (a, b) => a.or(b),
                };
                Ok((Some(parsed.posts), hint))
            }
            Err(e) => {
                let retry_after = match &e {
                    FetchError::Status { retry_after, .. } => *retry_after,
                    _ => None,
                };
                Err((e.to_string(), retry_after))
            }
        }
    }

    /// Failures counted (and logged when they change) or cleared, and the next delay.
    async fn settle(&self, feed: &FeedConfig, mut state: FeedState, judged: Judged) -> Polled {
        match judged {
            // `failing_since` stays until the health review has seen the recovery.
            Ok((posts, hint)) => {
                if let Some(previous) = state.last_error.take() {
                    tracing::info!(feed = %feed.name, "feed works again (was: {previous})");
                }
                state.failures = 0;
                let delay = self.after_success(feed, hint).await;
                Polled {
                    state,
                    posts,
                    delay,
                }
            }
            Err((message, retry_after)) => {
                state.failures = state.failures.saturating_add(1);
                state
                    .failing_since
                    .get_or_insert_with(|| chrono::Utc::now().timestamp());
                if state.last_error.as_deref() != Some(message.as_str()) {
                    tracing::warn!(feed = %feed.name, failures = state.failures, "feed unavailable: {message}");
                    state.last_error = Some(message);
                }
                let delay = Schedule::new(feed.interval, &self.http).after_failure(
                    state.failures,
                    retry_after,
                    fastrand::f64(),
                );
                Polled {
                    state,
                    posts: None,
                    delay,
                }
            }
        }
    }
}
