//! Per-feed next poll: interval, TTL/Cache-Control clamp, exponential backoff with jitter.
