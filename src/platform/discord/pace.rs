//! Discord's REST limits kept by the bot itself: the global 50 requests per second, and the
//! per-route buckets Discord announces in `X-RateLimit-*` headers and 429 answers.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::platform::spacing::Spacing;

/// Requests per second Discord allows a bot overall.
const GLOBAL_PER_SECOND: u32 = 50;
/// Kept above the announced reset, for clock and network jitter.
const MARGIN: Duration = Duration::from_millis(50);

/// Why a request must wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// Every request must wait this long (the global limit).
    Global(Duration),
    /// Only requests to this bucket must wait.
    Bucket(Duration),
}

/// What a response said about its bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Announced {
    /// `X-RateLimit-Remaining`.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset-After`, in seconds.
    pub reset_after: Option<Duration>,
}

/// The limits of one bot, keyed by route and major parameter ("POST channel:123"); requests
/// leave evenly spaced against the global limit ([`Spacing`]), 50 in every 1.05 s.
#[derive(Debug)]
pub struct Pacer {
    global: Spacing,
    global_until: Option<Instant>,
    blocked: HashMap<String, Instant>,
}

impl Default for Pacer {
    fn default() -> Pacer {
        Pacer {
            global: Spacing::new(GLOBAL_PER_SECOND, MARGIN),
            global_until: None,
            blocked: HashMap::new(),
        }
    }
}

impl Pacer {
    /// Takes a slot for a request to `bucket`, or says how long to wait.
    pub fn reserve(&mut self, bucket: &str, now: Instant) -> Result<(), Wait> {
        if let Some(until) = self.global_until {
            if until > now {
                return Err(Wait::Global(until - now));
            }
            self.global_until = None;
        }
        if let Some(&until) = self.blocked.get(bucket) {
            if until > now {
                return Err(Wait::Bucket(until - now));
            }
            self.blocked.remove(bucket);
        }
        self.global.take(now).map_err(Wait::Global)
    }

    /// Records a response's bucket headers: an emptied bucket blocks until its reset.
    pub fn announced(&mut self, bucket: &str, seen: Announced, now: Instant) {
        if seen.remaining == Some(0)
            && let Some(after) = seen.reset_after
        {
            self.blocked.insert(bucket.to_owned(), now + after + MARGIN);
        }
    }

    /// Records a 429: the bucket (or everything, when `global`) waits `after`.
    pub fn limited(&mut self, bucket: &str, after: Duration, global: bool, now: Instant) {
        let until = now + after + MARGIN;
        if global {
            self.global_until = Some(until.max(self.global_until.unwrap_or(until)));
        } else {
            self.blocked.insert(bucket.to_owned(), until);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_limit_is_fifty_a_second_evenly_spaced() {
        let mut pacer = Pacer::default();
        let t0 = Instant::now();
        let slot = Duration::from_millis(21);
        assert_eq!(pacer.reserve("POST channel:1", t0), Ok(()));
        assert_eq!(
            pacer.reserve("POST channel:2", t0 + Duration::from_millis(1)),
            Err(Wait::Global(Duration::from_millis(20)))
        );
        assert_eq!(pacer.reserve("POST channel:2", t0 + slot), Ok(()));
    }

    #[test]
    fn an_emptied_bucket_blocks_only_itself_until_reset() {
        let mut pacer = Pacer::default();
        let t0 = Instant::now();
        let empty = Announced {
            remaining: Some(0),
            reset_after: Some(Duration::from_millis(1500)),
        };
        pacer.announced("POST channel:1", empty, t0);
        assert_eq!(
            pacer.reserve("POST channel:1", t0),
            Err(Wait::Bucket(Duration::from_millis(1550)))
        );
        assert_eq!(pacer.reserve("POST channel:2", t0), Ok(()));
        let later = t0 + Duration::from_millis(1550);
        assert_eq!(pacer.reserve("POST channel:1", later), Ok(()));
        let left = Announced {
            remaining: Some(3),
            reset_after: Some(Duration::from_secs(5)),
        };
        pacer.announced("POST channel:1", left, later);
        let slot = Duration::from_millis(21);
        assert_eq!(pacer.reserve("POST channel:1", later + slot), Ok(()));
    }

    #[test]
    fn a_global_429_stops_everything() {
        let mut pacer = Pacer::default();
        let t0 = Instant::now();
        pacer.limited("POST channel:1", Duration::from_secs(2), true, t0);
        assert_eq!(
            pacer.reserve("PATCH channel:7", t0),
            Err(Wait::Global(Duration::from_millis(2050)))
        );
        pacer.limited("POST channel:1", Duration::from_secs(1), false, t0);
        assert_eq!(
            pacer.reserve("POST channel:1", t0 + Duration::from_millis(2050)),
            Ok(())
        );
    }
}
