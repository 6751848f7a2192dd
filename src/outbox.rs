//! Durable delivery queue: deliveries wait in sled until their notifier accepts them.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::metrics::{AlertOutcome, Metrics, platform_of};
use crate::platform::{DeliveryError, Notifiers, TargetEvents};
use crate::post::Alert;
use crate::post::PostKey;
use crate::store::{Store, StoreError};

/// Order of a delivery in the outbox: breaking news first, then by arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct OutboxKey {
    /// 0 for breaking news, 1 for the rest.
    pub priority: u8,
    pub seq: u64,
}

impl OutboxKey {
    pub fn new(breaking: bool, seq: u64) -> OutboxKey {
        OutboxKey {
            priority: if breaking { 0 } else { 1 },
            seq,
        }
    }

    pub fn to_bytes(&self) -> [u8; 9] {
        let mut b = [0u8; 9];
        b[0] = self.priority;
        b[1..].copy_from_slice(&self.seq.to_be_bytes());
        b
    }

    pub fn from_bytes(b: &[u8]) -> Option<OutboxKey> {
        let (&priority, seq) = b.split_first()?;
        Some(OutboxKey {
            priority,
            seq: u64::from_be_bytes(seq.try_into().ok()?),
        })
    }
}

/// Where an alert goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    Console,
    TelegramChat { chat: String },
    DiscordChannel { channel: u64 },
    DiscordWebhook { url: String },
}

impl Target {
    /// A stable text id, used in the `sent` tree and in logs (webhook tokens left out).
    pub fn id(&self) -> String {
        match self {
            Target::Console => "console".into(),
            Target::TelegramChat { chat } => format!("telegram:{chat}"),
            Target::DiscordChannel { channel } => format!("discord:{channel}"),
            Target::DiscordWebhook { url } => {
                let hash = blake3::hash(url.as_bytes()).to_hex();
                format!("webhook:{}", &hash[..16])
            }
        }
    }
}

/// One alert for one target, waiting to be delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    pub feed: String,
    pub key: PostKey,
    pub target: Target,
    /// Failed attempts so far.
    #[serde(default)]
    pub attempts: u32,
    /// Unix milliseconds before which it is not tried again.
    #[serde(default)]
    pub not_before: i64,
    /// Edit the message the post already got at this target (a correction).
    #[serde(default)]
    pub edit: bool,
    /// Unix milliseconds when it was queued; 0 in records written before this was kept.
    #[serde(default)]
    pub enqueued_at: i64,
}

/// What one step of the outbox did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// A delivery failed for now and waits; others may go first.
    Deferred,
    /// A delivery was refused for good and removed (logged).
    Dropped,
    /// Nothing can go now; the earliest deferred delivery is due after this long.
    Idle {
        next_due: Option<Duration>,
    },
}

/// Delivers the outbox, one delivery at a time, in order per target.
///
/// One delivery is in flight at a time, so a crash repeats at most that one; the platform
/// clients pace themselves (Telegram's Throttle) underneath.
#[derive(Clone)]
pub struct Outbox {
    store: Store,
    notifiers: Notifiers,
    wake: Arc<Notify>,
    events: Option<Arc<dyn TargetEvents>>,
    metrics: Metrics,
}

impl Outbox {
    pub fn new(store: Store, notifiers: Notifiers, wake: Arc<Notify>) -> Outbox {
        Outbox {
            store,
            notifiers,
            wake,
            events: None,
            metrics: Metrics::default(),
        }
    }

    /// Counts outcomes, rate limits and publish → sent latency in `metrics`.
    pub fn with_metrics(mut self, metrics: Metrics) -> Outbox {
        self.metrics = metrics;
        self
    }

    /// Tells `events` when a target is gone or moved.
    pub fn with_events(mut self, events: Arc<dyn TargetEvents>) -> Outbox {
        self.events = Some(events);
        self
    }

    /// Tries the first delivery that may go now.
    pub async fn try_deliver_one(&self) -> Result<Outcome, StoreError> {
        let now = now_ms();
        let mut blocked: HashSet<Target> = HashSet::new();
        let mut next_due: Option<i64> = None;
        for (key, delivery) in self.store.pending(1024)? {
            if blocked.contains(&delivery.target) {
                continue;
            }
            let Some(notifier) = self.notifiers.for_target(&delivery.target) else {
                blocked.insert(delivery.target.clone());
                continue;
            };
            if delivery.not_before > now {
                next_due =
                    Some(next_due.map_or(delivery.not_before, |d| d.min(delivery.not_before)));
                blocked.insert(delivery.target.clone());
                continue;
            }
            let Some(alert) = self.store.alert(&delivery.feed, &delivery.key)? else {
                tracing::error!(feed = %delivery.feed, post = %delivery.key.as_str(), "outbox entry without its alert; removed");
                self.store.complete_delivery(&key, &delivery, None)?;
                return Ok(Outcome::Dropped);
            };
            let previous = if delivery.edit {
                self.store
                    .sent_message(&delivery.feed, &delivery.key, &delivery.target)?
            } else {
                None
            };
            if delivery.edit && previous.is_none() {
                self.store.complete_delivery(&key, &delivery, None)?;
                return Ok(Outcome::Dropped);
            }
            let result = notifier
                .deliver(&alert, &delivery.target, previous.as_deref())
                .await;
            self.count(&alert, &delivery, &result);
            return self.settle(key, delivery, &alert.title, result).await;
        }
        Ok(Outcome::Idle {
            next_due: next_due.map(|t| Duration::from_millis((t - now).max(0) as u64)),
        })
    }

    fn count(
        &self,
        alert: &Alert,
        delivery: &Delivery,
        result: &Result<Option<String>, DeliveryError>,
    ) {
        let platform = platform_of(&delivery.target);
        let outcome = match result {
            Ok(_) if delivery.edit => AlertOutcome::Edited,
            Ok(_) => {
                if let Some(published) = alert.published {
                    let age = chrono::Utc::now() - published;
                    // Only posts that carry a real publish time (not a bare date) say much here.
                    if let Ok(age) = age.to_std()
                        && age < Duration::from_secs(24 * 3600)
                    {
                        self.metrics.latency(age);
                    }
                }
                AlertOutcome::Delivered
            }
            Err(DeliveryError::Paced { .. }) => return,
            Err(DeliveryError::Retry { after, .. }) => {
                if after.is_some() {
                    self.metrics.rate_limited(platform);
                }
                AlertOutcome::Retried
            }
            Err(DeliveryError::Rejected { .. }) => AlertOutcome::Dropped,
            Err(DeliveryError::Gone { .. }) => AlertOutcome::Gone,
            Err(DeliveryError::Moved { .. }) => AlertOutcome::Retried,
        };
        self.metrics.alert(platform, outcome);
    }

    /// Records what a delivery attempt came to.
    async fn settle(
        &self,
        key: OutboxKey,
        mut delivery: Delivery,
        title: &str,
        result: Result<Option<String>, DeliveryError>,
    ) -> Result<Outcome, StoreError> {
        let target_id = delivery.target.id();
        let outcome = match result {
            Ok(message_id) => {
                self.store
                    .complete_delivery(&key, &delivery, message_id.as_deref())?;
                Outcome::Delivered
            }
            Err(DeliveryError::Paced { after }) => {
                delivery.not_before = now_ms() + after.as_millis() as i64;
                tracing::debug!(%target_id, "paced for {after:?}");
                self.store.update_delivery(&key, &delivery)?;
                return Ok(Outcome::Deferred);
            }
            Err(DeliveryError::Retry { after, reason }) => {
                delivery.attempts += 1;
                let wait = after.unwrap_or_else(|| backoff(delivery.attempts));
                delivery.not_before = now_ms() + wait.as_millis() as i64;
                tracing::warn!(%target_id, attempts = delivery.attempts, "delivery failed, retrying in {wait:?}: {reason}");
                self.store.update_delivery(&key, &delivery)?;
                return Ok(Outcome::Deferred);
            }
            Err(DeliveryError::Rejected { reason }) => {
                tracing::error!(%target_id, post = %title, "delivery refused for good: {reason}");
                self.store.complete_delivery(&key, &delivery, None)?;
                Outcome::Dropped
            }
            Err(DeliveryError::Gone { reason }) => {
                let dropped = self.store.drop_deliveries_to(&delivery.target)?;
                tracing::warn!(%target_id, dropped, "chat unreachable, its subscriptions pause: {reason}");
                if let Some(events) = &self.events {
                    events.gone(&delivery.target, &reason);
                }
                Outcome::Dropped
            }
            Err(DeliveryError::Moved { to }) => {
                let moved = self.store.retarget_deliveries(&delivery.target, &to)?;
                tracing::info!(from = %target_id, to = %to.id(), moved, "chat moved; deliveries follow");
                if let Some(events) = &self.events {
                    events.moved(&delivery.target, &to);
                }
                Outcome::Deferred
            }
        };
        self.store.flush().await?;
        Ok(outcome)
    }

    /// Delivers until `shutdown`; a delivery in flight is finished first.
    pub async fn run(self, shutdown: CancellationToken) {
        while !shutdown.is_cancelled() {
            let wait = match self.try_deliver_one().await {
                Ok(Outcome::Idle { next_due }) => next_due.unwrap_or(Duration::from_secs(3600)),
                Ok(_) => continue,
                Err(e) => {
                    tracing::error!("outbox: {e}");
                    Duration::from_secs(1)
                }
            };
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }
}

/// Wait after the n-th failed attempt: 1 s doubling up to 5 min, with jitter.
pub fn backoff(attempts: u32) -> Duration {
    let base = 1000u64
        .saturating_mul(1 << attempts.min(9).saturating_sub(1))
        .min(300_000);
    Duration::from_millis(base + fastrand::u64(0..=base / 4))
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests;
