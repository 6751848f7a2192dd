//! Per-feed next poll: interval, TTL/Cache-Control clamp, exponential backoff with jitter.
//!
//! Pure: the caller passes the jitter as a number in [0, 1) (e.g. `fastrand::Rng::f64`), so
//! a seeded generator gives repeatable schedules. Delays are rounded to whole milliseconds.

use std::time::Duration;

use crate::config::HttpConfig;

/// Relative spread applied to every delay: ±10 %.
pub const JITTER: f64 = 0.1;

/// First polls at start are spread over at most this long (and never past one interval).
pub const FIRST_POLL_WINDOW: Duration = Duration::from_secs(5);

/// The timing rules of one feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// The configured interval.
    pub interval: Duration,
    /// A hint (RSS ttl, Cache-Control max-age) lengthens the interval up to this, never beyond.
    pub max_interval: Duration,
    /// Longest wait after failures.
    pub max_backoff: Duration,
}

impl Schedule {
    pub fn new(interval: Duration, http: &HttpConfig) -> Schedule {
        Schedule {
            interval,
            max_interval: http.max_interval,
            max_backoff: http.max_backoff,
        }
    }

    /// Delay after a successful poll: the interval, lengthened by `hint` up to `max_interval`
    /// (a hint never shortens it), spread by ±10 %, never past the upper bound.
    pub fn after_success(&self, hint: Option<Duration>, jitter: f64) -> Duration {
        let upper = self.interval.max(self.max_interval);
        let base = hint.map_or(self.interval, |h| h.clamp(self.interval, upper));
        scale(base, spread(jitter)).min(upper)
    }

    /// Delay after the `failures`-th consecutive failure: the interval doubled per failure,
    /// spread by ±10 %, capped at `max_backoff`; at least `retry_after` (itself spread by up to
    /// +10 % so feeds told the same time do not return together), within the same cap.
    pub fn after_failure(
        &self,
        failures: u32,
        retry_after: Option<Duration>,
        jitter: f64,
    ) -> Duration {
        if failures == 0 && retry_after.is_none() {
            return self.after_success(None, jitter);
        }
        let upper = self.max_backoff.max(self.interval);
        let doubled = self.interval.saturating_mul(1u32 << failures.min(31));
        let backoff = scale(doubled.min(upper), spread(jitter)).min(upper);
        let floor = retry_after.map_or(Duration::ZERO, |r| {
            scale(r.min(upper), 1.0 + JITTER * unit(jitter)).min(upper)
        });
        backoff.max(floor)
    }

    /// Delay before a feed's first poll at start: spread over `FIRST_POLL_WINDOW` (or one
    /// interval, when shorter).
    pub fn first_poll(&self, jitter: f64) -> Duration {
        scale(self.interval.min(FIRST_POLL_WINDOW), unit(jitter))
    }
}

/// `jitter` clamped into [0, 1]; a non-number counts as the middle.
fn unit(jitter: f64) -> f64 {
    if jitter.is_nan() {
        0.5
    } else {
        jitter.clamp(0.0, 1.0)
    }
}

/// The factor in [1 − JITTER, 1 + JITTER] for `jitter` in [0, 1].
fn spread(jitter: f64) -> f64 {
    1.0 + JITTER * (2.0 * unit(jitter) - 1.0)
}

/// `d × factor`, rounded to whole milliseconds (saturating).
fn scale(d: Duration, factor: f64) -> Duration {
    let millis = (d.as_millis() as f64 * factor).round();
    // Float → integer casts saturate: huge values become u64::MAX, negatives and NaN zero.
    Duration::from_millis(millis as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: u64 = 60;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    fn schedule() -> Schedule {
        Schedule {
            interval: secs(MIN),
            max_interval: secs(60 * MIN),
            max_backoff: secs(6 * 60 * MIN),
        }
    }

    #[test]
    fn new_takes_limits_from_http_config() {
        let http = HttpConfig::default();
        assert_eq!(
            Schedule::new(secs(90), &http),
            Schedule {
                interval: secs(90),
                max_interval: secs(3600),
                max_backoff: secs(6 * 3600),
            }
        );
    }

    #[test]
    fn success_uses_interval_with_jitter() {
        let s = schedule();
        assert_eq!(s.after_success(None, 0.5), secs(60));
        assert_eq!(s.after_success(None, 0.0), secs(54));
        assert_eq!(s.after_success(None, 0.75), secs(63));
        assert_eq!(s.after_success(None, 1.0), secs(66));
        assert_eq!(s.after_success(None, f64::NAN), secs(60));
        assert_eq!(s.after_success(None, 7.0), secs(66));
    }

    #[test]
    fn hint_lengthens_up_to_max_interval_never_shortens() {
        let s = schedule();
        assert_eq!(s.after_success(Some(secs(600)), 0.5), secs(600));
        assert_eq!(s.after_success(Some(secs(600)), 0.0), secs(540));
        assert_eq!(s.after_success(Some(secs(10)), 0.5), secs(60));
        assert_eq!(s.after_success(Some(secs(86_400)), 0.5), secs(3600));
        assert_eq!(s.after_success(Some(secs(86_400)), 1.0), secs(3600));
        assert_eq!(s.after_success(Some(secs(86_400)), 0.0), secs(3240));
        let long = Schedule {
            interval: secs(7200),
            ..schedule()
        };
        assert_eq!(long.after_success(Some(secs(600)), 0.5), secs(7200));
    }

    #[test]
    fn failures_double_and_cap() {
        let s = schedule();
        assert_eq!(s.after_failure(1, None, 0.5), secs(120));
        assert_eq!(s.after_failure(2, None, 0.5), secs(240));
        assert_eq!(s.after_failure(3, None, 0.0), secs(432));
        assert_eq!(s.after_failure(8, None, 0.5), secs(15_360));
        assert_eq!(s.after_failure(9, None, 0.5), secs(21_600));
        assert_eq!(s.after_failure(9, None, 1.0), secs(21_600));
        assert_eq!(s.after_failure(9, None, 0.0), secs(19_440));
        assert_eq!(s.after_failure(u32::MAX, None, 0.5), secs(21_600));
        assert_eq!(s.after_failure(0, None, 0.5), secs(60));
    }

    #[test]
    fn retry_after_is_a_floor_within_the_cap() {
        let s = schedule();
        assert_eq!(s.after_failure(1, Some(secs(1000)), 0.0), secs(1000));
        assert_eq!(s.after_failure(1, Some(secs(1000)), 0.5), secs(1050));
        assert_eq!(s.after_failure(1, Some(secs(30)), 0.5), secs(120));
        assert_eq!(s.after_failure(1, Some(secs(999_999)), 0.5), secs(21_600));
        assert_eq!(s.after_failure(0, Some(secs(300)), 0.0), secs(300));
    }

    #[test]
    fn first_poll_spreads_within_a_short_window() {
        let s = schedule();
        assert_eq!(s.first_poll(0.0), Duration::ZERO);
        assert_eq!(s.first_poll(0.5), Duration::from_millis(2500));
        assert_eq!(s.first_poll(0.999), Duration::from_millis(4995));
        let quick = Schedule {
            interval: Duration::from_millis(200),
            ..schedule()
        };
        assert_eq!(quick.first_poll(0.5), Duration::from_millis(100));
    }

    #[test]
    fn seeded_jitter_is_repeatable_and_spreads_feeds() {
        let s = schedule();
        let delays = |seed| {
            let mut rng = fastrand::Rng::with_seed(seed);
            (0..50)
                .map(|_| s.after_success(None, rng.f64()))
                .collect::<Vec<_>>()
        };
        assert_eq!(delays(7), delays(7));
        let spread = delays(7);
        assert!(spread.iter().all(|d| (secs(54)..=secs(66)).contains(d)));
        assert!(spread.iter().any(|d| *d < secs(58)) && spread.iter().any(|d| *d > secs(62)));
    }
}
