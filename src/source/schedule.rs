//! Per-feed next poll: interval, TTL/Cache-Control clamp, exponential backoff with jitter.
//! (interim)
use std::time::Duration;
pub fn initial_delay(_j: f64) -> Duration { Duration::ZERO }
pub fn next_delay(interval: Duration, _h: Option<Duration>, _m: Duration, _f: u32, _r: Option<Duration>, _b: Duration, _j: f64) -> Duration { interval }
