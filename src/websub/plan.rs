//! Transitions of a feed's stored WebSub subscription (pure: callers pass the time).

pub use crate::model::{SubState, WebSubRecord as Subscription};

/// How long a hub has to verify a subscribe request before it is sent again.
pub const VERIFY_WAIT_SECS: i64 = 300;
/// The lease asked for: 10 days.
pub const LEASE_REQUEST_SECS: u64 = 10 * 24 * 3600;
/// First retry after a failure; doubled per consecutive failure.
pub const RETRY_BASE_SECS: i64 = 60;

/// What a feed's document advertises: the hub and the topic to subscribe to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovery {
    pub hub: String,
    /// The feed's `rel="self"` URL, else the configured feed URL.
    pub topic: String,
}

/// What a feed's subscription task does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Send a subscribe request now; `fresh_secret` when the hub or topic is new.
    Subscribe { fresh_secret: bool },
    /// Nothing until this unix second.
    Wait { until: i64 },
}

impl Subscription {
    /// Notifications are expected: verified and the lease runs.
    pub fn is_healthy(&self, now: i64) -> bool {
        self.state == SubState::Verified && self.lease_expires.is_some_and(|end| end > now)
    }

    /// The state shown in /healthz: the hub's word, or `expired` for a lapsed lease.
    pub fn label(&self, now: i64) -> &'static str {
        if self.state == SubState::Verified && !self.is_healthy(now) {
            "expired"
        } else {
            self.state.as_str()
        }
    }

    /// The record written before a subscribe request is sent (so that a hub verifying at once
    /// finds it). A renewal at the same hub and topic keeps the secret, the state and the lease.
    pub fn requested(
        previous: Option<Subscription>,
        found: &Discovery,
        secret: String,
        now: i64,
    ) -> Subscription {
        let next_attempt = now + VERIFY_WAIT_SECS;
        match previous {
            Some(mut sub) if sub.hub == found.hub && sub.topic == found.topic => {
                if sub.awaiting {
                    sub.failures = sub.failures.saturating_add(1);
                    sub.last_error = Some("the hub did not verify the last request".into());
                }
                sub.awaiting = true;
                sub.requested_at = now;
                sub.next_attempt = next_attempt;
                sub
            }
            _ => Subscription {
                hub: found.hub.clone(),
                topic: found.topic.clone(),
                secret,
                state: SubState::Pending,
                awaiting: true,
                requested_at: now,
                lease_expires: None,
                next_attempt,
                failures: 0,
                last_error: None,
            },
        }
    }

    /// The subscribe request failed; a verified lease still runs until it ends.
    pub fn request_failed(mut self, error: String, now: i64, max_backoff: i64) -> Subscription {
        self.failures = self.failures.saturating_add(1);
        if !self.is_healthy(now) {
            self.state = SubState::Failed;
        }
        self.awaiting = false;
        self.last_error = Some(error);
        self.next_attempt = now + backoff(self.failures, max_backoff);
        self
    }

    /// The hub verified the subscription for `lease` seconds; renewal is due at 85 % of it.
    pub fn verified(mut self, lease: u64, now: i64) -> Subscription {
        let lease = i64::try_from(lease)
            .unwrap_or(i64::MAX / 4)
            .min(i64::MAX / 4);
        self.state = SubState::Verified;
        self.awaiting = false;
        self.lease_expires = Some(now + lease);
        self.next_attempt = now + (lease * 85 / 100).max(1);
        self.failures = 0;
        self.last_error = None;
        self
    }

    /// The hub refused the subscription; asked again after a backoff.
    pub fn denied(mut self, reason: Option<String>, now: i64, max_backoff: i64) -> Subscription {
        self.state = SubState::Denied;
        self.awaiting = false;
        self.lease_expires = None;
        self.failures = self.failures.saturating_add(1);
        self.last_error = Some(reason.unwrap_or_else(|| "denied by the hub".into()));
        self.next_attempt = now + backoff(self.failures, max_backoff);
        self
    }
}

/// What to do for a feed that advertises `found`, given its stored subscription.
pub fn step(record: Option<&Subscription>, found: &Discovery, now: i64) -> Step {
    match record {
        None => Step::Subscribe { fresh_secret: true },
        Some(sub) if sub.hub != found.hub || sub.topic != found.topic => {
            Step::Subscribe { fresh_secret: true }
        }
        Some(sub) if now >= sub.next_attempt => Step::Subscribe {
            fresh_secret: false,
        },
        Some(sub) => Step::Wait {
            until: sub.next_attempt,
        },
    }
}

/// Seconds before the next request after `failures` consecutive failures: 60 s doubled per
/// failure, at most `max_backoff` (and at least 60 s).
pub fn backoff(failures: u32, max_backoff: i64) -> i64 {
    let doubled = RETRY_BASE_SECS.saturating_mul(1i64 << failures.saturating_sub(1).min(40));
    doubled.min(max_backoff.max(RETRY_BASE_SECS))
}
