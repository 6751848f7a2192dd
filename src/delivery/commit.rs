//! Group commit: finished deliveries wait while one store write runs; the next write takes all
//! of them at once (one transaction and one flush for the group). Only after it may each
//! target's next delivery start.

use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;

use super::lanes::LaneId;
use crate::model::OutboxKey;
use crate::storage::{Completed, Store, StoreError};

/// How long a failed write waits before it is tried again.
const RETRY: Duration = Duration::from_secs(1);

/// A group being written; it hands the group back with the outcome, for a retry.
type Write = BoxFuture<'static, (Vec<Completed>, Result<usize, StoreError>)>;

/// Completions on their way to disk, each with the lane it releases.
#[derive(Default)]
pub struct Commits {
    /// Not yet written.
    to_write: Vec<(LaneId, Completed)>,
    /// Being written and made durable: the lanes of the group, in its order.
    writing: Option<(Vec<LaneId>, Write)>,
    /// After a failure: nothing is tried before then.
    retry_at: Option<Instant>,
}

impl Commits {
    /// A delivery that is done: accepted (with its message id, if any), refused or given up.
    pub fn add(&mut self, lane: LaneId, done: Completed) {
        self.to_write.push((lane, done));
    }

    /// Starts writing what waits, unless a write runs or a retry is not due.
    pub fn start(&mut self, store: &Store) {
        if self.writing.is_some()
            || self.to_write.is_empty()
            || self.retry_at.is_some_and(|t| t > Instant::now())
        {
            return;
        }
        self.retry_at = None;
        let (lanes, group): (Vec<LaneId>, Vec<Completed>) =
            std::mem::take(&mut self.to_write).into_iter().unzip();
        let store = store.clone();
        let write = Box::pin(async move {
            let result = store.complete_deliveries(&group).await;
            (group, result)
        });
        self.writing = Some((lanes, write));
    }

    pub fn is_writing(&self) -> bool {
        self.writing.is_some()
    }

    /// Nothing waits to be written.
    pub fn is_idle(&self) -> bool {
        self.writing.is_none() && self.to_write.is_empty()
    }

    /// When a failed write is tried again.
    pub fn retry_at(&self) -> Option<Instant> {
        self.retry_at
    }

    /// Waits for the running write (forever when none runs) and takes its outcome: on success,
    /// the lanes and keys now durable. Cancel-safe: until it finishes, the write goes on.
    pub async fn written(&mut self) -> Vec<(LaneId, OutboxKey)> {
        let Some((_, write)) = &mut self.writing else {
            return std::future::pending().await;
        };
        let (group, result) = write.await;
        let (lanes, _) = self.writing.take().expect("a write was running");
        match result {
            Ok(refused) => {
                if refused > 0 {
                    // Sent under a lease lost meanwhile: they stay for the new holder.
                    tracing::warn!(
                        refused,
                        "outbox: completions refused, the platform lease changed hands"
                    );
                }
                lanes
                    .into_iter()
                    .zip(group)
                    .map(|(l, c)| (l, c.key))
                    .collect()
            }
            Err(e) => {
                tracing::error!(
                    deliveries = group.len(),
                    "outbox: cannot record finished deliveries, retrying: {e}"
                );
                self.to_write.extend(lanes.into_iter().zip(group));
                self.retry_at = Some(Instant::now() + RETRY);
                Vec::new()
            }
        }
    }
}
