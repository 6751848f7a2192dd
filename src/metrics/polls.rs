//! How late claimed polls start (a cluster node's polling): the distribution, for percentiles.
//! Shown once a node polls by claims (PostgreSQL), so a sled install's `/metrics` stays as it
//! was. The node's claimed feeds and worst lag of the last minute come with its cluster role.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::Metrics;
use super::family::Histogram;

/// Upper bounds of `sokbo_poll_lateness_seconds`: 10 ms to 5 min.
pub const LAG_BUCKETS: &[f64] = &[
    0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0, 60.0, 300.0,
];

pub(super) struct PollLag {
    shown: AtomicBool,
    lateness: Histogram,
}

impl PollLag {
    pub(super) fn new() -> PollLag {
        PollLag {
            shown: AtomicBool::new(false),
            lateness: Histogram::new(
                "sokbo_poll_lateness_seconds",
                "Time from a claimed poll's planned time to its start (cluster).",
                LAG_BUCKETS,
            ),
        }
    }

    pub(super) fn encode(&self, out: &mut String) {
        if self.shown.load(Ordering::Relaxed) {
            self.lateness.encode(out);
        }
    }
}

impl Metrics {
    /// Shows `sokbo_poll_lateness_seconds`: this node polls by claims.
    pub fn show_poll_lag(&self) {
        self.0.polls.shown.store(true, Ordering::Relaxed);
    }

    /// A claimed poll started `lag` after its planned time.
    pub fn poll_lag(&self, lag: Duration) {
        self.0.polls.lateness.observe(lag.as_secs_f64());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_only_on_a_node_that_polls_by_claims() {
        let metrics = Metrics::new();
        metrics.poll_lag(Duration::from_millis(300));
        assert!(!metrics.encode().contains("sokbo_poll_lateness_seconds"));
        metrics.show_poll_lag();
        let text = metrics.encode();
        let bucket = "sokbo_poll_lateness_seconds_bucket{le=\"0.5\"} 1\n";
        assert!(text.contains(bucket), "{text}");
        assert!(
            text.contains("sokbo_poll_lateness_seconds_count 1\n"),
            "{text}"
        );
    }
}
