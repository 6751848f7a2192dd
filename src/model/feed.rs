//! What the store keeps per feed and per seen post: poll state across restarts, first sight and
//! the fingerprint that notices corrections.

use serde::{Deserialize, Serialize};

/// Poll state of one feed, kept across restarts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedState {
    /// The feed has been read once; later posts are new.
    pub initialized: bool,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Consecutive failures.
    pub failures: u32,
    /// Last error shown to the operator, to log only state changes.
    pub last_error: Option<String>,
    /// Unix seconds of the next planned poll.
    pub next_poll: Option<i64>,
    /// Unix seconds of the first failure of the current run of failures.
    #[serde(default)]
    pub failing_since: Option<i64>,
    /// What the feed's followers (or the operator chat) were last told of its health.
    #[serde(default)]
    pub told: Told,
    /// Unix seconds when a new post was last found.
    #[serde(default)]
    pub last_post_at: Option<i64>,
}

/// What a feed's followers were last told about its health.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Told {
    /// Nothing, or that it works (again).
    #[default]
    Working,
    /// That it fails.
    Failing,
    /// That it was paused after failing too long.
    Paused,
}

/// A post that has been seen in a feed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SeenRecord {
    /// Unix seconds when first seen.
    pub first_seen: i64,
    /// Hash of what the alert shows (title, excerpt), to notice corrections.
    pub fingerprint: String,
}
