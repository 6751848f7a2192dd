//! A feed's WebSub subscription at its hub, as stored: hub, topic, secret, state and lease.

use serde::{Deserialize, Serialize};

/// Where a subscription stands, as the hub last said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubState {
    /// Asked for; the hub has not verified it yet.
    Pending,
    /// The hub verified it; notifications come until `lease_expires`.
    Verified,
    /// The hub refused it (`hub.mode=denied`).
    Denied,
    /// The subscribe request failed (network, hub status).
    Failed,
}

impl SubState {
    pub fn as_str(self) -> &'static str {
        match self {
            SubState::Pending => "pending",
            SubState::Verified => "verified",
            SubState::Denied => "denied",
            SubState::Failed => "failed",
        }
    }
}

/// One feed's subscription at one hub. Debug leaves the secret out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebSubRecord {
    pub hub: String,
    pub topic: String,
    /// `hub.secret`, hex; kept across renewals at the same hub and topic.
    pub secret: String,
    pub state: SubState,
    /// A subscribe request was sent and neither verification nor denial came since.
    #[serde(default)]
    pub awaiting: bool,
    /// Unix seconds of the last subscribe request.
    pub requested_at: i64,
    /// Unix seconds when the verified lease ends.
    pub lease_expires: Option<i64>,
    /// Unix seconds of the next subscribe request (renewal or retry).
    pub next_attempt: i64,
    /// Consecutive failures (request failed, denied, not verified in time).
    pub failures: u32,
    pub last_error: Option<String>,
}

impl std::fmt::Debug for WebSubRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebSubRecord")
            .field("hub", &self.hub)
            .field("topic", &self.topic)
            .field("secret", &"<redacted>")
            .field("state", &self.state)
            .field("awaiting", &self.awaiting)
            .field("requested_at", &self.requested_at)
            .field("lease_expires", &self.lease_expires)
            .field("next_attempt", &self.next_attempt)
            .field("failures", &self.failures)
            .field("last_error", &self.last_error)
            .finish()
    }
}
