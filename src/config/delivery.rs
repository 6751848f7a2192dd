//! `[delivery]`: how alerts go out to the chat platforms.

use std::time::Duration;

use serde::Deserialize;

use super::de_duration;

/// How alerts go out to the chat platforms.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeliveryConfig {
    /// Deliveries in flight at once, per platform (each to a different chat).
    pub window: usize,
    /// One send to a platform that has not answered by then failed (it is retried).
    #[serde(deserialize_with = "de_duration")]
    pub timeout: Duration,
    /// A delivery still failing this long after its first failure is dropped.
    #[serde(deserialize_with = "de_duration")]
    pub give_up_after: Duration,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            // Telegram allows 30 messages a second and Discord 50 requests: 64 in flight keep
            // either budget full up to about a second of round trip.
            window: 64,
            timeout: Duration::from_secs(15),
            give_up_after: Duration::from_secs(24 * 3600),
        }
    }
}
