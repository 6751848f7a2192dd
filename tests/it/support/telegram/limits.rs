//! Telegram's send limits as the fake enforces them, on the real clock.
//!
//! - overall: at most `overall_per_sec` sends in any rolling second;
//! - per chat: a token bucket of `per_chat_burst` tokens refilled at `per_chat_per_sec` a second
//!   (Telegram documents "about one message per second" per chat and tolerates short bursts: the
//!   bucket lets `per_chat_burst` messages through at once, then one a second);
//! - per group, supergroup or channel (negative chat id): at most `group_per_min` sends in any
//!   rolling minute.
//!
//! A refused send does not count. Its `retry_after` is the whole number of seconds (at least 1)
//! until that send would pass. Only sends are limited (send*, forward*, copy*), not edits.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// The limits in force; `Limits::telegram()` by default.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub enabled: bool,
    pub overall_per_sec: usize,
    pub per_chat_per_sec: f64,
    pub per_chat_burst: f64,
    pub group_per_min: usize,
}

impl Limits {
    /// 30/s overall, 1/s per chat with a burst of 3, 20/min per group or channel.
    pub fn telegram() -> Limits {
        Limits {
            enabled: true,
            overall_per_sec: 30,
            per_chat_per_sec: 1.0,
            per_chat_burst: 3.0,
            group_per_min: 20,
        }
    }

    /// No limits at all (throughput benchmarks).
    pub fn off() -> Limits {
        Limits {
            enabled: false,
            ..Limits::telegram()
        }
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::telegram()
    }
}

/// Counts sends against [`Limits`].
#[derive(Debug, Default)]
pub struct Limiter {
    overall: VecDeque<Instant>,
    buckets: HashMap<i64, (f64, Instant)>,
    groups: HashMap<i64, VecDeque<Instant>>,
}

const SECOND: Duration = Duration::from_secs(1);
const MINUTE: Duration = Duration::from_secs(60);

fn whole_seconds(wait: Duration) -> u32 {
    let secs = wait.as_secs_f64().ceil();
    if secs < 1.0 { 1 } else { secs as u32 }
}

fn prune(window: &mut VecDeque<Instant>, now: Instant, span: Duration) {
    while window
        .front()
        .is_some_and(|&t| now.duration_since(t) >= span)
    {
        window.pop_front();
    }
}

impl Limiter {
    /// Ok when a send to `chat` may go now (and counts it); Err(retry_after seconds) otherwise.
    pub fn admit(&mut self, limits: &Limits, chat: i64, now: Instant) -> Result<(), u32> {
        if !limits.enabled {
            return Ok(());
        }
        prune(&mut self.overall, now, SECOND);
        if self.overall.len() >= limits.overall_per_sec {
            let oldest = self.overall.front().copied().unwrap_or(now);
            return Err(whole_seconds(
                SECOND.saturating_sub(now.duration_since(oldest)),
            ));
        }
        let (tokens, at) = self
            .buckets
            .get(&chat)
            .copied()
            .unwrap_or((limits.per_chat_burst, now));
        let tokens = (tokens + now.duration_since(at).as_secs_f64() * limits.per_chat_per_sec)
            .min(limits.per_chat_burst);
        if tokens < 1.0 {
            let wait = (1.0 - tokens) / limits.per_chat_per_sec.max(f64::MIN_POSITIVE);
            return Err(whole_seconds(Duration::from_secs_f64(wait.min(3600.0))));
        }
        if chat < 0 {
            let window = self.groups.entry(chat).or_default();
            prune(window, now, MINUTE);
            if window.len() >= limits.group_per_min {
                let oldest = window.front().copied().unwrap_or(now);
                return Err(whole_seconds(
                    MINUTE.saturating_sub(now.duration_since(oldest)),
                ));
            }
            window.push_back(now);
        }
        self.buckets.insert(chat, (tokens - 1.0, now));
        self.overall.push_back(now);
        Ok(())
    }
}
