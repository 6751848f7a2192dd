//! What a node's claimed polling reports of itself: the feeds it has claimed now, and its poll
//! lag (a poll's start minus its planned time), the worst of the last minute. Read for
//! `/healthz`, `/metrics` and the node's heartbeat status.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use crate::metrics::Metrics;
use crate::model::NodeStatus;

/// Length of one slot of the lag window.
const SLOT: Duration = Duration::from_secs(10);
/// Slots kept: the worst lag covers the last 50 to 60 seconds.
const SLOTS: usize = 6;

/// The worst lag per 10-second slot, over the last six slots.
#[derive(Debug)]
pub(crate) struct LagWindow {
    origin: Instant,
    /// (slot number since `origin`, worst lag seen in it).
    slots: [(u64, Duration); SLOTS],
}

impl LagWindow {
    pub(crate) fn new(origin: Instant) -> LagWindow {
        LagWindow {
            origin,
            slots: [(u64::MAX, Duration::ZERO); SLOTS],
        }
    }

    fn slot(&self, at: Instant) -> u64 {
        let since = at.saturating_duration_since(self.origin);
        since.as_secs() / SLOT.as_secs()
    }

    pub(crate) fn record(&mut self, at: Instant, lag: Duration) {
        let slot = self.slot(at);
        let entry = &mut self.slots[(slot % SLOTS as u64) as usize];
        if entry.0 != slot {
            *entry = (slot, Duration::ZERO);
        }
        entry.1 = entry.1.max(lag);
    }

    /// The worst lag recorded in the slots that are not older than a minute at `at`.
    pub(crate) fn worst(&self, at: Instant) -> Duration {
        let now = self.slot(at);
        self.slots
            .iter()
            .filter(|(slot, _)| *slot <= now && now - *slot < SLOTS as u64)
            .map(|(_, lag)| *lag)
            .max()
            .unwrap_or_default()
    }
}

/// A node's claimed-polling figures; clones share them.
#[derive(Clone)]
pub struct ClaimStats(Arc<Inner>);

struct Inner {
    claimed: AtomicU64,
    lag: Mutex<LagWindow>,
    metrics: Metrics,
    /// The node's heartbeat status, kept up to date.
    status: Arc<Mutex<NodeStatus>>,
}

impl ClaimStats {
    pub(crate) fn new(metrics: Metrics, status: Arc<Mutex<NodeStatus>>) -> ClaimStats {
        metrics.show_poll_lag();
        let stats = ClaimStats(Arc::new(Inner {
            claimed: AtomicU64::new(0),
            lag: Mutex::new(LagWindow::new(Instant::now())),
            metrics,
            status,
        }));
        stats.set_claimed(0);
        stats
    }

    /// Feeds this node has claimed and not finished polling.
    pub fn claimed_feeds(&self) -> u64 {
        self.0.claimed.load(Ordering::Relaxed)
    }

    /// The worst lateness of a poll's start in the last minute.
    pub fn poll_lag(&self) -> Duration {
        self.window().worst(Instant::now())
    }

    /// Writes the figures into a heartbeat status.
    pub fn fill(&self, status: &mut NodeStatus) {
        status.claimed_feeds = self.claimed_feeds();
        status.poll_lag_ms = u64::try_from(self.poll_lag().as_millis()).unwrap_or(u64::MAX);
    }

    /// `n` feeds are claimed now; also brings the heartbeat status up to date (the worst lag
    /// of the last minute moves on even without polls).
    pub(crate) fn set_claimed(&self, n: usize) {
        self.0.claimed.store(n as u64, Ordering::Relaxed);
        self.report();
    }

    /// A poll started `lag` after its planned time.
    pub(crate) fn started(&self, lag: Duration) {
        self.window().record(Instant::now(), lag);
        self.0.metrics.poll_lag(lag);
        self.report();
    }

    fn report(&self) {
        let mut status = self.0.status.lock().unwrap_or_else(|e| e.into_inner());
        self.fill(&mut status);
    }

    fn window(&self) -> std::sync::MutexGuard<'_, LagWindow> {
        self.0.lag.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn the_worst_lag_of_the_last_minute_is_kept_then_forgotten() {
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        let mut window = LagWindow::new(t0);
        assert_eq!(window.worst(t0), Duration::ZERO);
        window.record(at(1), ms(300));
        window.record(at(2), ms(900));
        window.record(at(25), ms(400));
        assert_eq!(window.worst(at(30)), ms(900));
        assert_eq!(window.worst(at(59)), ms(900));
        // The slot of the 900 ms poll (0–10 s) is a minute old at 60 s.
        assert_eq!(window.worst(at(60)), ms(400));
        window.record(at(70), ms(100));
        assert_eq!(window.worst(at(70)), ms(400));
        assert_eq!(window.worst(at(90)), ms(100));
        assert_eq!(window.worst(at(200)), Duration::ZERO);
    }

    #[test]
    fn a_slot_reused_after_a_minute_starts_over() {
        let t0 = Instant::now();
        let mut window = LagWindow::new(t0);
        window.record(t0, ms(5000));
        // 60 s later the same slot index comes round again.
        let later = t0 + Duration::from_secs(60);
        window.record(later, ms(10));
        assert_eq!(window.worst(later), ms(10));
    }

    #[tokio::test]
    async fn stats_fill_the_heartbeat_and_the_metrics() {
        let metrics = Metrics::new();
        let status = Arc::new(Mutex::new(NodeStatus::default()));
        let stats = ClaimStats::new(metrics.clone(), status.clone());
        stats.started(ms(1200));
        stats.set_claimed(3);
        let status = status.lock().unwrap().clone();
        assert_eq!((status.claimed_feeds, status.poll_lag_ms), (3, 1200));
        let mut filled = NodeStatus::default();
        stats.fill(&mut filled);
        assert_eq!(filled, status);
        let text = metrics.encode();
        assert!(
            text.contains("sokbo_poll_lateness_seconds_bucket{le=\"2\"} 1\n"),
            "{text}"
        );
    }
}
