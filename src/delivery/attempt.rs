//! One delivery attempt, run as its own task: read the delivery and its alert, hand them to the
//! notifier, count what came of it.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::lanes::LaneId;
use crate::cluster::LeaseView;
use crate::metrics::{AlertOutcome, Metrics};
use crate::model::{Alert, Delivery, Fence, OutboxKey};
use crate::platform::{DeliveryError, Notifier};
use crate::storage::{Store, StoreError};

/// What an attempt came to, for the engine to record.
#[derive(Debug)]
pub enum Attempt {
    /// The outbox no longer holds it.
    Missing,
    /// It can never go (its alert is gone, or it edits a message never sent): remove it.
    Void {
        delivery: Delivery,
        why: &'static str,
    },
    /// The notifier answered.
    Tried {
        delivery: Delivery,
        title: String,
        result: Result<Option<String>, DeliveryError>,
    },
    /// Reading the store failed; the lane tries again later.
    Store(StoreError),
    /// The platform's lease was lost before the request left (or while it was out): nothing
    /// to record, the new holder sends it.
    Stopped,
}

/// One finished attempt and where it came from.
#[derive(Debug)]
pub struct Finished {
    pub lane: LaneId,
    pub key: OutboxKey,
    pub platform: usize,
    /// The lease it was sent under, for the completion (cluster only).
    pub fence: Option<Fence>,
    pub attempt: Attempt,
}

/// What an attempt may send under: the platform's lease, and the token cancelled when it is
/// lost.
pub struct Permit {
    pub lease: LeaseView,
    pub stop: CancellationToken,
}

/// Delivers the outbox entry `key` through `notifier`, unless the lease of `permit` is lost
/// first: a paused process that wakes after its lease lapsed sends nothing.
pub async fn attempt(
    store: Store,
    notifier: Arc<dyn Notifier>,
    metrics: Metrics,
    key: OutboxKey,
    permit: Permit,
) -> Attempt {
    let (delivery, alert, previous) = match load(&store, &key).await {
        Ok(Ok(loaded)) => loaded,
        Ok(Err(not_ready)) => return not_ready,
        Err(e) => return Attempt::Store(e),
    };
    if permit.lease.held().is_none() || permit.stop.is_cancelled() {
        return Attempt::Stopped;
    }
    if delivery.attempts == 0 && delivery.enqueued_at > 0 {
        let waited = chrono::Utc::now().timestamp_millis() - delivery.enqueued_at;
        metrics.delivery_wait(Duration::from_millis(u64::try_from(waited).unwrap_or(0)));
    }
    let send = notifier.deliver(&alert, &delivery.target, previous.as_deref());
    let result = tokio::select! {
        _ = permit.stop.cancelled() => return Attempt::Stopped,
        result = send => result,
    };
    count(&metrics, &alert, &delivery, &result);
    Attempt::Tried {
        delivery,
        title: alert.title,
        result,
    }
}

/// A delivery, its alert and the message it edits; or why it cannot go.
type Loaded = Result<(Delivery, Alert, Option<String>), Attempt>;

async fn load(store: &Store, key: &OutboxKey) -> Result<Loaded, StoreError> {
    let Some(delivery) = store.delivery(key).await? else {
        return Ok(Err(Attempt::Missing));
    };
    let Some(alert) = store.alert(&delivery.feed, &delivery.key).await? else {
        let why = "outbox entry without its alert";
        return Ok(Err(Attempt::Void { delivery, why }));
    };
    let previous = if delivery.edit {
        match store
            .sent_message(&delivery.feed, &delivery.key, &delivery.target)
            .await?
        {
            Some(id) => Some(id),
            None => {
                let why = "correction of a message never sent";
                return Ok(Err(Attempt::Void { delivery, why }));
            }
        }
    } else {
        None
    };
    Ok(Ok((delivery, alert, previous)))
}

/// Counts an attempt's outcome, rate limits and publish → sent latency.
fn count(
    metrics: &Metrics,
    alert: &Alert,
    delivery: &Delivery,
    result: &Result<Option<String>, DeliveryError>,
) {
    let platform = delivery.target.platform();
    let outcome = match result {
        Ok(_) if delivery.edit => AlertOutcome::Edited,
        Ok(_) => {
            if let Some(published) = alert.published {
                let age = chrono::Utc::now() - published;
                // Only posts that carry a real publish time (not a bare date) say much here.
                if let Ok(age) = age.to_std()
                    && age < Duration::from_secs(24 * 3600)
                {
                    metrics.latency(age);
                }
            }
            AlertOutcome::Delivered
        }
        Err(DeliveryError::Retry { after, .. }) => {
            if after.is_some() {
                metrics.rate_limited(platform);
            }
            AlertOutcome::Retried
        }
        Err(DeliveryError::Rejected { .. }) => AlertOutcome::Dropped,
        Err(DeliveryError::Gone { .. }) => AlertOutcome::Gone,
        Err(DeliveryError::Moved { .. }) => AlertOutcome::Retried,
    };
    metrics.alert(platform, outcome);
}
