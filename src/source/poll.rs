//! Polling of http(s) feeds: one task per feed, a global bound and a per-host bound on fetches;
//! and the one path from feed bytes (fetched, or pushed by a WebSub hub) to the pipeline.

mod claimed;
mod limits;
mod outcome;

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use futures_util::future::BoxFuture;
use tokio::sync::{Notify, OwnedSemaphorePermit};
use tokio_util::sync::CancellationToken;

use crate::config::{FeedConfig, FeedSource, HttpConfig};
use crate::model::FeedState;
use crate::model::Post;
use crate::pipeline::{IngestReport, Pipeline};
use crate::source::feed::{FeedError, ParsedFeed, parse_feed};
use crate::source::http::{Fetcher, GuardedFetcher};
use crate::source::schedule::Schedule;
use crate::storage::StoreError;
use crate::websub::WebSub;

pub use limits::{FeedLocks, Limits, host_of};
use outcome::Polled;

/// What every poller shares.
pub struct Poller {
    pub pipeline: Arc<Pipeline>,
    pub metrics: crate::metrics::Metrics,
    pub fetcher: Fetcher,
    pub limits: Limits,
    pub http: HttpConfig,
    /// Subscribes feeds that advertise a hub (when `[server] public_url` is set).
    pub websub: Option<Arc<WebSub>>,
    /// One ingest at a time per feed: a poll and a pushed notification must not both find
    /// the same post new.
    pub ingests: FeedLocks,
    /// The guarded fetcher of chat-added feeds (public addresses only, unless allowed).
    pub chat_fetcher: Option<Arc<GuardedFetcher>>,
    /// Reviews each poll's state before it is written (health notices).
    pub health: Option<Arc<dyn AfterPoll>>,
}

/// What runs after each poll, before its state is written: it may change the state (what the
/// feed's followers were told of its health).
pub trait AfterPoll: Send + Sync {
    fn after_poll<'a>(
        &'a self,
        feed: &'a FeedConfig,
        state: &'a mut FeedState,
    ) -> BoxFuture<'a, ()>;
}

impl Poller {
    /// Polls `feed` until `shutdown`; `now` wakes it early (instant triggers).
    ///
    /// One such task per feed sleeps most of the time, so what it holds across an await is
    /// kept small: one cancellation future for both waits, and the poll itself boxed (see
    /// [`Poller::poll_once`]).
    pub async fn run_feed(
        self: Arc<Self>,
        feed: FeedConfig,
        now: Arc<Notify>,
        shutdown: CancellationToken,
    ) {
        let mut delay = self.first_delay(&feed).await;
        let cancelled = shutdown.cancelled();
        tokio::pin!(cancelled);
        loop {
            tokio::select! {
                _ = &mut cancelled => return,
                _ = tokio::time::sleep(delay) => {}
                _ = now.notified() => {}
            }
            delay = tokio::select! {
                _ = &mut cancelled => return,
                d = self.poll_once(&feed) => d,
            };
        }
    }

    /// Delay before the first poll of `feed`: until its stored next poll, else a short spread.
    async fn first_delay(&self, feed: &FeedConfig) -> Duration {
        let stored = self
            .pipeline
            .store()
            .feed_state(&feed.name)
            .await
            .unwrap_or_default();
        let now = Utc::now().timestamp();
        match stored.next_poll {
            Some(t) if t > now => Duration::from_secs((t - now) as u64),
            _ => Schedule::new(feed.interval, &self.http).first_poll(fastrand::f64()),
        }
    }

    /// One poll of `feed`; returns the delay until the next one.
    ///
    /// Waits for its fetch slots in this small future; the large one (fetch, parse, record,
    /// several KiB) is boxed and lives only while the feed is being polled. With thousands of
    /// feeds, each a task that sleeps or waits for a slot most of the time, an inline one would
    /// cost every task its full size all the time.
    pub async fn poll_once(&self, feed: &FeedConfig) -> Duration {
        let FeedSource::Http(url) = &feed.source else {
            return feed.interval;
        };
        let permits = self.limits.acquire(url).await;
        Box::pin(self.poll_with(feed, url, permits)).await
    }

    /// `poll_once` holding `permits`, which are released as soon as the fetch is done; the
    /// result is written with the feed's posts in one ingest when there are any.
    async fn poll_with(
        &self,
        feed: &FeedConfig,
        url: &str,
        permits: (OwnedSemaphorePermit, OwnedSemaphorePermit),
    ) -> Duration {
        let store = self.pipeline.store();
        let state = match store.feed_state(&feed.name).await {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(feed = %feed.name, "cannot read feed state: {e}");
                return feed.interval;
            }
        };
        let Polled {
            mut state,
            posts,
            delay,
        } = self.fetch(feed, url, permits, state).await;
        state.next_poll = Some(Utc::now().timestamp() + delay.as_secs() as i64);
        let res = match posts {
            Some(posts) => self.record(feed, posts, Some(state)).await.map(drop),
            None => store.put_feed_state(&feed.name, &state).await,
        };
        if let Err(e) = res {
            tracing::error!(feed = %feed.name, "cannot record the poll: {e}");
        }
        delay
    }
}

impl Poller {
    /// Delay after a successful poll; with a verified WebSub subscription, `http.max_interval`
    /// (a safety net; the hub pushes), but never past the end of its lease.
    async fn after_success(&self, feed: &FeedConfig, hint: Option<Duration>) -> Duration {
        let schedule = Schedule::new(feed.interval, &self.http);
        let delay = schedule.after_success(hint, fastrand::f64());
        let now = Utc::now().timestamp();
        let Some(websub) = &self.websub else {
            return delay;
        };
        let Some(lease_end) = websub.healthy_until(&feed.name, now).await else {
            return delay;
        };
        let stretched = schedule.after_success(Some(self.http.max_interval), fastrand::f64());
        let lease_left = Duration::from_secs(u64::try_from(lease_end - now).unwrap_or(0));
        delay.max(stretched.min(lease_left))
    }

    /// Feed bytes → posts; a document that does not parse counts as a fetch error of `feed`.
    fn parse(
        &self,
        feed: &FeedConfig,
        body: &[u8],
        content_type: Option<&str>,
        base_url: &str,
    ) -> Result<ParsedFeed, FeedError> {
        let parsed = parse_feed(body, content_type, base_url);
        if parsed.is_err() {
            self.metrics.fetch_error(&feed.name);
        }
        parsed
    }

    /// Posts → seen marks, alerts and outbox deliveries (with `state` when given), one ingest
    /// per feed at a time.
    async fn record(
        &self,
        feed: &FeedConfig,
        posts: Vec<Post>,
        state: Option<FeedState>,
    ) -> Result<IngestReport, StoreError> {
        let lock = self.ingests.get(&feed.name);
        let report = {
            let _one_at_a_time = lock.lock().await;
            self.pipeline.ingest(feed, posts, state, Utc::now()).await
        };
        self.ingests.put_back(&feed.name, lock);
        let report = report?;
        if report.new_posts > 0 {
            tracing::info!(feed = %feed.name, new = report.new_posts, alerts = report.alerts, "new posts");
        }
        Ok(report)
    }

    /// A feed document a WebSub hub pushed for `feed`: parsed and recorded like a polled one
    /// (the poll state, validators included, is left alone).
    pub async fn push(&self, feed: &FeedConfig, body: &[u8], content_type: Option<&str>) {
        let base = feed.source.url().unwrap_or_default();
        let posts = match self.parse(feed, body, content_type, base) {
            Ok(parsed) => parsed.posts,
            Err(e) => {
                tracing::warn!(feed = %feed.name, "WebSub notification is not a feed: {e}");
                return;
            }
        };
        if let Err(e) = self.record(feed, posts, None).await {
            tracing::error!(feed = %feed.name, "cannot record the WebSub notification: {e}");
        }
    }
}
