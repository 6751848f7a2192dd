//! What an attempt's answer does: done deliveries go to the group commit, failures wait with
//! backoff in their own lane only, gone chats lose their lane, moved chats take theirs along.

use std::time::{Duration, Instant};

use super::attempt::{Attempt, Finished};
use super::lanes::LaneId;
use super::run::Runner;
use super::{backoff, now_ms};
use crate::model::{OutboxKey, Target};
use crate::platform::DeliveryError;
use crate::storage::Completed;

/// How long a lane waits after the store failed it.
const STORE_RETRY: Duration = Duration::from_secs(1);

impl Runner {
    /// Records what one attempt came to.
    pub(super) async fn settle(&mut self, finished: Finished) {
        let Finished {
            lane,
            key,
            platform,
            fence,
            attempt,
        } = finished;
        self.platforms[platform].in_flight -= 1;
        let done = |delivery| Completed {
            key,
            delivery,
            message_id: None,
            fence,
        };
        match attempt {
            Attempt::Missing => {
                self.lanes.finish(lane, key);
                self.forget(key);
            }
            // Its lanes went with the lease; should the lease come back, the lane goes on.
            Attempt::Stopped => self.lanes.wait(lane, Instant::now() + STORE_RETRY),
            Attempt::Void { delivery, why } => {
                tracing::error!(feed = %delivery.feed, post = %delivery.key.as_str(), "{why}; removed");
                self.done(lane, done(delivery));
            }
            Attempt::Store(e) => {
                tracing::error!("outbox: cannot read a delivery, retrying: {e}");
                self.lanes.wait(lane, Instant::now() + STORE_RETRY);
            }
            Attempt::Tried {
                delivery,
                title,
                result,
            } => self.answered(lane, done(delivery), &title, result).await,
        }
    }

    /// `done` carries the delivery as it was tried, its key and fence.
    async fn answered(
        &mut self,
        lane: LaneId,
        done: Completed,
        title: &str,
        result: Result<Option<String>, DeliveryError>,
    ) {
        let target_id = done.delivery.target.id();
        match result {
            Ok(message_id) => self.done(lane, Completed { message_id, ..done }),
            Err(DeliveryError::Retry { after, reason }) => {
                self.retry(lane, done, title, after, &reason).await
            }
            Err(DeliveryError::Rejected { reason }) => {
                tracing::error!(%target_id, post = %title, "delivery refused for good: {reason}");
                self.done(lane, done);
            }
            Err(DeliveryError::Gone { reason }) => {
                let delivery = done.delivery;
                let keys = self.lanes.remove(lane);
                for key in &keys {
                    self.forget(*key);
                }
                if let Err(e) = self.engine.store.remove_deliveries(&keys).await {
                    tracing::error!(%target_id, "outbox: cannot drop deliveries: {e}");
                }
                tracing::warn!(%target_id, dropped = keys.len(), "chat unreachable, its subscriptions pause: {reason}");
                if let Some(events) = &self.engine.events {
                    events.gone(&delivery.target, &reason).await;
                }
            }
            Err(DeliveryError::Moved { to }) => self.moved(lane, &done.delivery.target, &to).await,
        }
    }

    /// The delivery leaves the outbox; its lane goes on once that is durable.
    fn done(&mut self, lane: LaneId, done: Completed) {
        self.commits.add(lane, done);
    }

    async fn retry(
        &mut self,
        lane: LaneId,
        done: Completed,
        title: &str,
        after: Option<Duration>,
        reason: &str,
    ) {
        let key = done.key;
        let mut delivery = done.delivery.clone();
        let target_id = delivery.target.id();
        let now = now_ms();
        if delivery.failing_since == 0 {
            delivery.failing_since = now;
        }
        let failing =
            Duration::from_millis(u64::try_from(now - delivery.failing_since).unwrap_or(0));
        if failing >= self.engine.settings.give_up_after {
            tracing::error!(%target_id, post = %title, attempts = delivery.attempts + 1, "delivery given up after failing for {}: {reason}", humantime::format_duration(Duration::from_secs(failing.as_secs())));
            self.engine.metrics.given_up(delivery.target.platform());
            self.done(lane, done);
            return;
        }
        delivery.attempts += 1;
        let wait = after.unwrap_or_else(|| backoff(delivery.attempts));
        delivery.not_before = now + wait.as_millis() as i64;
        tracing::warn!(%target_id, attempts = delivery.attempts, "delivery failed, retrying in {wait:?}: {reason}");
        if let Err(e) = self.engine.store.update_delivery(&key, &delivery).await {
            tracing::error!(%target_id, "outbox: cannot record the retry: {e}");
        }
        self.lanes.wait(lane, Instant::now() + wait);
    }

    async fn moved(&mut self, lane: LaneId, from: &Target, to: &Target) {
        let keys: Vec<OutboxKey> = self
            .lanes
            .retarget(lane, to)
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        if let Err(e) = self.engine.store.retarget_deliveries(&keys, to).await {
            tracing::error!(from = %from.id(), "outbox: cannot move deliveries: {e}");
        }
        tracing::info!(from = %from.id(), to = %to.id(), moved = keys.len(), "chat moved; deliveries follow");
        if let Some(events) = &self.engine.events {
            events.moved(from, to).await;
        }
    }
}
