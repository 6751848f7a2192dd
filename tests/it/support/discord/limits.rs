//! Discord's global limit as the fake enforces it: 50 bot requests in any second, counted at
//! arrival; the 51st gets a global 429 with `retry_after`.

use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use super::State;

/// Requests a bot may make in any second, overall.
const GLOBAL_PER_SECOND: usize = 50;

/// Discord's global limit, counted at arrival: a 51st bot request within a second gets a global
/// 429 (interaction callbacks are exempt, as on Discord).
pub(super) fn global_limit(s: &mut State) -> Option<(StatusCode, HeaderMap, Value)> {
    let now = std::time::Instant::now();
    let second = std::time::Duration::from_secs(1);
    while s
        .global
        .front()
        .is_some_and(|&t| now.duration_since(t) >= second)
    {
        s.global.pop_front();
    }
    if s.global.len() < GLOBAL_PER_SECOND {
        s.global.push_back(now);
        return None;
    }
    let oldest = s.global.front().copied().unwrap_or(now);
    let retry_after = second
        .saturating_sub(now.duration_since(oldest))
        .as_secs_f64();
    let mut headers = HeaderMap::new();
    headers.insert("x-ratelimit-global", "true".parse().unwrap());
    headers.insert("x-ratelimit-scope", "global".parse().unwrap());
    let body = json!({
        "message": "You are being rate limited.",
        "retry_after": retry_after,
        "global": true,
    });
    Some((StatusCode::TOO_MANY_REQUESTS, headers, body))
}
