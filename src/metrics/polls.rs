//! The cluster's claimed polling as metrics: feeds claimed now, the worst poll lag of the last
//! minute, and the distribution of poll lag. Shown once a node polls by claims (PostgreSQL), so
//! a single sled install's `/metrics` stays as it was.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::Metrics;
use super::family::{Gauge, Histogram};

/// Upper bounds of `sokbo_poll_lateness_seconds`: 10 ms to 5 min.
pub const LAG_BUCKETS: &[f64] = &[
    0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0, 60.0, 300.0,
];

pub(super) struct PollGauges {
    shown: AtomicBool,
    claimed: Gauge,
    worst_lag: Gauge,
    lateness: Histogram,
}

impl PollGauges {
    pub(super) fn new() -> PollGauges {
        PollGauges {
            shown: AtomicBool::new(false),
            claimed: Gauge::new(
                "sokbo_claimed_feeds",
                "Feeds this node has claimed and not finished polling (cluster).",
            ),
            worst_lag: Gauge::new(
                "sokbo_poll_lag_seconds",
                "Worst lateness of a claimed poll's start in the last minute (cluster).",
            ),
            lateness: Histogram::new(
                "sokbo_poll_lateness_seconds",
                "Time from a claimed poll's planned time to its start (cluster).",
                LAG_BUCKETS,
            ),
        }
    }

    pub(super) fn encode(&self, out: &mut String) {
        if self.shown.load(Ordering::Relaxed) {
            self.claimed.encode(out);
            self.worst_lag.encode(out);
            self.lateness.encode(out);
        }
    }
}

impl Metrics {
    /// This node holds `n` feed claims; the worst poll lag of the last minute is `worst`.
    pub fn set_claims(&self, n: usize, worst: Duration) {
        let polls = &self.0.polls;
        polls.shown.store(true, Ordering::Relaxed);
        polls.claimed.set(n as f64);
        polls.worst_lag.set(worst.as_secs_f64());
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
    fn shown_only_once_claims_are_reported() {
        let metrics = Metrics::new();
        metrics.poll_lag(Duration::from_millis(300));
        assert!(!metrics.encode().contains("sokbo_claimed_feeds"));
        metrics.set_claims(7, Duration::from_millis(1500));
        let text = metrics.encode();
        assert!(text.contains("\nsokbo_claimed_feeds 7\n"), "{text}");
        assert!(text.contains("\nsokbo_poll_lag_seconds 1.5\n"), "{text}");
        assert!(
            text.contains("sokbo_poll_lateness_seconds_bucket{le=\"0.5\"} 1\n"),
            "{text}"
        );
        assert!(
            text.contains("sokbo_poll_lateness_seconds_count 1\n"),
            "{text}"
        );
    }
}
