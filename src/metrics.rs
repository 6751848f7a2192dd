//! Prometheus metrics: the counters, histograms and gauges sokbo keeps, and their text exposition.
//!
//! Hand-written rather than built on `prometheus-client`: that crate writes OpenMetrics (`# EOF`,
//! `# TYPE` names without `_total`), which does not match the `text/plain; version=0.0.4` that
//! `/metrics` serves, and it keeps label sets in a hash map, so samples come out in no fixed
//! order. The metric set here is small and fixed; samples are written sorted by label values.

mod family;
mod feeds;
mod polls;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::Duration;

use family::{CounterFamily, Gauge, Histogram};
use feeds::{FeedCounter, FeedCounters};

use crate::model::Platform;

/// Upper bounds of `sokbo_publish_to_sent_seconds`: 50 ms to 1 h.
pub const LATENCY_BUCKETS: &[f64] = &[
    0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0,
];

/// Upper bounds of `sokbo_summary_seconds`: 10 µs to 100 ms.
pub const SUMMARY_BUCKETS: &[f64] = &[
    0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1,
];

/// Upper bounds of `sokbo_article_seconds`: 10 ms to 10 s.
pub const ARTICLE_BUCKETS: &[f64] = &[0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0];

/// What became of one delivery attempt, as counted in `sokbo_alerts_total{outcome}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertOutcome {
    /// The platform accepted a new alert.
    Delivered,
    /// The attempt failed for now; the delivery waits for another try.
    Retried,
    /// Refused for good and removed.
    Dropped,
    /// The chat is unreachable; its deliveries were dropped.
    Gone,
    /// A correction: a sent message was edited.
    Edited,
}

impl AlertOutcome {
    pub const ALL: [AlertOutcome; 5] = [
        AlertOutcome::Delivered,
        AlertOutcome::Retried,
        AlertOutcome::Dropped,
        AlertOutcome::Gone,
        AlertOutcome::Edited,
    ];

    /// The label value.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertOutcome::Delivered => "delivered",
            AlertOutcome::Retried => "retried",
            AlertOutcome::Dropped => "dropped",
            AlertOutcome::Gone => "gone",
            AlertOutcome::Edited => "edited",
        }
    }
}

/// The registry; clones share it. Every method is cheap enough for the poll and delivery paths.
#[derive(Clone)]
pub struct Metrics(Arc<Registry>);

struct Registry {
    feeds: FeedCounters,
    alerts: CounterFamily,
    rate_limited: CounterFamily,
    given_up: CounterFamily,
    websub_notifications: CounterFamily,
    websub_subscribes: CounterFamily,
    publish_to_sent: Histogram,
    summary: Histogram,
    delivery_wait: Histogram,
    in_flight: Gauge,
    article_pages: CounterFamily,
    article_failures: CounterFamily,
    article_time: Histogram,
    outbox_depth: Gauge,
    outbox_oldest: Gauge,
    feeds_failing: Gauge,
    polls: polls::PollLag,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    /// An empty registry: no label sets yet, histograms and gauges at zero.
    pub fn new() -> Metrics {
        const PLATFORM: &[&str] = &["platform"];
        let metrics = Metrics(Arc::new(Registry {
            feeds: FeedCounters::new(),
            alerts: CounterFamily::new(
                "sokbo_alerts_total",
                "Delivery attempts by platform and outcome.",
                &["platform", "outcome"],
            ),
            rate_limited: CounterFamily::new(
                "sokbo_rate_limited_total",
                "Responses 429 Too Many Requests from a chat platform.",
                PLATFORM,
            ),
            given_up: CounterFamily::new(
                "sokbo_deliveries_given_up_total",
                "Deliveries dropped after failing for delivery.give_up_after.",
                PLATFORM,
            ),
            websub_notifications: CounterFamily::new(
                "sokbo_websub_notifications_total",
                "WebSub notifications received, by feed and outcome (accepted, rejected).",
                &["feed", "outcome"],
            ),
            websub_subscribes: CounterFamily::new(
                "sokbo_websub_subscribe_total",
                "WebSub subscribe requests and hub answers, by feed and outcome \
                 (requested, failed, verified, denied).",
                &["feed", "outcome"],
            ),
            publish_to_sent: Histogram::new(
                "sokbo_publish_to_sent_seconds",
                "Time from a post's publication to its alert's delivery.",
                LATENCY_BUCKETS,
            ),
            summary: Histogram::new(
                "sokbo_summary_seconds",
                "Time to summarize one post.",
                SUMMARY_BUCKETS,
            ),
            delivery_wait: Histogram::new(
                "sokbo_delivery_wait_seconds",
                "Time from a delivery's queueing to its first attempt (its turn).",
                LATENCY_BUCKETS,
            ),
            in_flight: Gauge::new(
                "sokbo_deliveries_in_flight",
                "Deliveries sent and not yet answered, all platforms.",
            ),
            article_pages: CounterFamily::new(
                "sokbo_article_pages_total",
                "Article pages fetched for full-text summaries.",
                &[],
            ),
            article_failures: CounterFamily::new(
                "sokbo_article_failures_total",
                "Article pages that gave no text, by reason (fetch, extract, timeout).",
                &["reason"],
            ),
            article_time: Histogram::new(
                "sokbo_article_seconds",
                "Time to fetch and extract one article page.",
                ARTICLE_BUCKETS,
            ),
            outbox_depth: Gauge::new("sokbo_outbox_depth", "Deliveries waiting in the outbox."),
            outbox_oldest: Gauge::new(
                "sokbo_outbox_oldest_seconds",
                "Age of the oldest waiting delivery (0 when none waits).",
            ),
            feeds_failing: Gauge::new("sokbo_feeds_failing", "Feeds whose last fetch failed."),
            polls: polls::PollLag::new(),
        }));
        metrics.0.article_pages.add(&[], 0);
        for reason in ["extract", "fetch", "timeout"] {
            metrics.0.article_failures.add(&[reason], 0);
        }
        metrics
    }

    /// Shows `feed` in the per-feed counters at 0 before anything happens to it.
    pub fn register_feed(&self, feed: &str) {
        self.0.feeds.register(feed);
    }

    /// Shows `platform` in the per-platform counters at 0, with every outcome.
    pub fn register_platform(&self, platform: Platform) {
        let platform = platform.as_str();
        for outcome in AlertOutcome::ALL {
            self.0.alerts.add(&[platform, outcome.as_str()], 0);
        }
        self.0.rate_limited.add(&[platform], 0);
        self.0.given_up.add(&[platform], 0);
    }

    /// A fetch of `feed` was made.
    pub fn poll(&self, feed: &str) {
        self.0.feeds.add(FeedCounter::Polls, feed, 1);
    }

    /// A fetch of `feed` was answered 304 Not Modified.
    pub fn not_modified(&self, feed: &str) {
        self.0.feeds.add(FeedCounter::NotModified, feed, 1);
    }

    /// A fetch or parse of `feed` failed.
    pub fn fetch_error(&self, feed: &str) {
        self.0.feeds.add(FeedCounter::FetchErrors, feed, 1);
    }

    /// `n` posts of `feed` were seen for the first time.
    pub fn posts_seen(&self, feed: &str, n: usize) {
        self.0.feeds.add(FeedCounter::PostsSeen, feed, n as u64);
    }

    /// A delivery attempt on `platform` (a target's, webhooks being Discord's) came to `outcome`.
    pub fn alert(&self, platform: Platform, outcome: AlertOutcome) {
        self.0.alerts.add(&[platform.as_str(), outcome.as_str()], 1);
    }

    /// `platform` answered 429 Too Many Requests.
    pub fn rate_limited(&self, platform: Platform) {
        self.0.rate_limited.add(&[platform.as_str()], 1);
    }

    /// A delivery on `platform` was dropped after failing too long.
    pub fn given_up(&self, platform: Platform) {
        self.0.given_up.add(&[platform.as_str()], 1);
    }

    /// A delivery started `waited` after it was queued.
    pub fn delivery_wait(&self, waited: Duration) {
        self.0.delivery_wait.observe(waited.as_secs_f64());
    }

    /// `n` deliveries are in flight now.
    pub fn set_in_flight(&self, n: usize) {
        self.0.in_flight.set(n as f64);
    }

    /// A WebSub notification for `feed` was accepted (good signature) or rejected.
    pub fn websub_notification(&self, feed: &str, accepted: bool) {
        let outcome = if accepted { "accepted" } else { "rejected" };
        self.0.websub_notifications.add(&[feed, outcome], 1);
    }

    /// A WebSub subscription of `feed` came to `outcome`: `requested` (the hub took the
    /// request), `failed` (it did not), `verified` or `denied` (the hub's answer).
    pub fn websub_subscribe(&self, feed: &str, outcome: &'static str) {
        self.0.websub_subscribes.add(&[feed, outcome], 1);
    }

    /// An alert was delivered `elapsed` after its post was published.
    pub fn latency(&self, elapsed: Duration) {
        self.0.publish_to_sent.observe(elapsed.as_secs_f64());
    }

    /// Summarizing one post took `elapsed`.
    pub fn summary_time(&self, elapsed: Duration) {
        self.0.summary.observe(elapsed.as_secs_f64());
    }

    /// An article page was fetched (a 2xx body within the size cap).
    pub fn article_fetched(&self) {
        self.0.article_pages.add(&[], 1);
    }

    /// An article page gave no text: `fetch`, `extract` or `timeout`.
    pub fn article_failure(&self, reason: &'static str) {
        self.0.article_failures.add(&[reason], 1);
    }

    /// Fetching and extracting one article page took `elapsed` (failures included).
    pub fn article_time(&self, elapsed: Duration) {
        self.0.article_time.observe(elapsed.as_secs_f64());
    }

    /// The outbox holds `depth` deliveries; the oldest has waited `oldest` (none when empty).
    pub fn set_outbox(&self, depth: usize, oldest: Option<Duration>) {
        self.0.outbox_depth.set(depth as f64);
        self.0
            .outbox_oldest
            .set(oldest.map_or(0.0, |age| age.as_secs_f64()));
    }

    /// `n` feeds are failing now.
    pub fn set_feeds_failing(&self, n: usize) {
        self.0.feeds_failing.set(n as f64);
    }

    /// Every metric in the Prometheus text format, version 0.0.4.
    pub fn encode(&self) -> String {
        let r = &self.0;
        let mut out = String::new();
        r.feeds.encode(&mut out);
        for family in [
            &r.alerts,
            &r.rate_limited,
            &r.given_up,
            &r.websub_notifications,
            &r.websub_subscribes,
            &r.article_pages,
            &r.article_failures,
        ] {
            family.encode(&mut out);
        }
        r.publish_to_sent.encode(&mut out);
        r.summary.encode(&mut out);
        r.delivery_wait.encode(&mut out);
        r.article_time.encode(&mut out);
        for gauge in [
            &r.in_flight,
            &r.outbox_depth,
            &r.outbox_oldest,
            &r.feeds_failing,
        ] {
            gauge.encode(&mut out);
        }
        r.polls.encode(&mut out);
        out
    }
}

/// The `Content-Type` of [`Metrics::encode`]'s text.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";
