//! Polling of http(s) feeds: one task per feed, a global bound and a per-host bound on fetches.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;

use crate::config::{FeedConfig, HttpConfig};
use crate::pipeline::Pipeline;
use crate::source::feed::parse_feed;
use crate::source::http::{FetchError, FetchOutcome, Fetcher, Validators};
use crate::source::schedule::Schedule;

/// Bounds on fetches in flight: overall and per host.
pub struct Limits {
    global: Arc<Semaphore>,
    per_host: Mutex<HashMap<String, Arc<Semaphore>>>,
    host_limit: usize,
}

impl Limits {
    pub fn new(http: &HttpConfig) -> Limits {
        Limits {
            global: Arc::new(Semaphore::new(http.max_concurrent.max(1))),
            per_host: Mutex::new(HashMap::new()),
            host_limit: http.per_host.max(1),
        }
    }

    async fn acquire(&self, url: &str) -> (OwnedSemaphorePermit, OwnedSemaphorePermit) {
        let host = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
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

/// What every poller shares.
pub struct Poller {
    pub pipeline: Arc<Pipeline>,
    pub metrics: crate::metrics::Metrics,
    pub fetcher: Fetcher,
    pub limits: Limits,
    pub http: HttpConfig,
}

impl Poller {
    /// Polls `feed` until `shutdown`; `now` wakes it early (instant triggers).
    pub async fn run_feed(
        self: Arc<Self>,
        feed: FeedConfig,
        now: Arc<Notify>,
        shutdown: CancellationToken,
    ) {
        let stored = self
            .pipeline
            .store()
            .feed_state(&feed.name)
            .unwrap_or_default();
        let schedule = Schedule::new(feed.interval, &self.http);
        let mut delay = match stored.next_poll {
            Some(t) if t > Utc::now().timestamp() => {
                Duration::from_secs((t - Utc::now().timestamp()) as u64)
            }
            _ => schedule.first_poll(fastrand::f64()),
        };
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(delay) => {}
                _ = now.notified() => {}
            }
            delay = tokio::select! {
                _ = shutdown.cancelled() => return,
                d = self.poll_once(&feed) => d,
            };
        }
    }

    /// One poll of `feed`; returns the delay until the next one.
    pub async fn poll_once(&self, feed: &FeedConfig) -> Duration {
        let Some(url) = feed.url.as_deref() else {
            return feed.interval;
        };
        let store = self.pipeline.store();
        let mut state = match store.feed_state(&feed.name) {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(feed = %feed.name, "cannot read feed state: {e}");
                return feed.interval;
            }
        };
        let validators = Validators {
            etag: state.etag.clone(),
            last_modified: state.last_modified.clone(),
        };
        let fetched = {
            let _permits = self.limits.acquire(url).await;
            self.fetcher.fetch(url, &validators).await
        };
        self.metrics.poll(&feed.name);
        match &fetched {
            Ok(FetchOutcome::NotModified { .. }) => self.metrics.not_modified(&feed.name),
            Err(_) => self.metrics.fetch_error(&feed.name),
            Ok(FetchOutcome::Fetched(_)) => {}
        }
        let result = match fetched {
            Ok(FetchOutcome::NotModified {
                validators,
                cache_hint,
            }) => {
                state.etag = validators.etag.or(state.etag);
                state.last_modified = validators.last_modified.or(state.last_modified);
                Ok((None, cache_hint))
            }
            Ok(FetchOutcome::Fetched(f)) => {
                match parse_feed(&f.body, f.content_type.as_deref(), &f.final_url) {
                    Ok(parsed) => {
                        state.etag = f.validators.etag;
                        state.last_modified = f.validators.last_modified;
                        let hint = match (parsed.ttl, f.cache_hint) {
                            (Some(a), Some(b)) => Some(a.max(b)),
                            (a, b) => a.or(b),
                        };
                        Ok((Some(parsed.posts), hint))
                    }
                    Err(e) => {
                        self.metrics.fetch_error(&feed.name);
                        Err((e.to_string(), None))
                    }
                }
            }
            Err(e) => {
                let retry_after = match &e {
                    FetchError::Status { retry_after, .. } => *retry_after,
                    _ => None,
                };
                Err((e.to_string(), retry_after))
            }
        };
        let delay = match result {
            Ok((posts, hint)) => {
                if let Some(previous) = state.last_error.take() {
                    tracing::info!(feed = %feed.name, "feed works again (was: {previous})");
                }
                state.failures = 0;
                let delay =
                    Schedule::new(feed.interval, &self.http).after_success(hint, fastrand::f64());
                state.next_poll = Some(Utc::now().timestamp() + delay.as_secs() as i64);
                let res = match posts {
                    Some(posts) => self.pipeline.ingest(feed, posts, Some(state), Utc::now()).await.map(|r| {
                        if r.new_posts > 0 {
                            tracing::info!(feed = %feed.name, new = r.new_posts, alerts = r.alerts, "new posts");
                        }
                    }),
                    None => store.put_feed_state(&feed.name, &state),
                };
                if let Err(e) = res {
                    tracing::error!(feed = %feed.name, "cannot record the poll: {e}");
                }
                return delay;
            }
            Err((message, retry_after)) => {
                state.failures = state.failures.saturating_add(1);
                if state.last_error.as_deref() != Some(message.as_str()) {
                    tracing::warn!(feed = %feed.name, failures = state.failures, "feed unavailable: {message}");
                    state.last_error = Some(message);
                }
                Schedule::new(feed.interval, &self.http).after_failure(
                    state.failures,
                    retry_after,
                    fastrand::f64(),
                )
            }
        };
        state.next_poll = Some(Utc::now().timestamp() + delay.as_secs() as i64);
        if let Err(e) = store.put_feed_state(&feed.name, &state) {
            tracing::error!(feed = %feed.name, "cannot record the poll: {e}");
        }
        delay
    }
}
