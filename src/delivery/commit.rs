//! Group commit: finished deliveries wait while one store write runs; the next write takes all
//! of them at once (one transaction and one flush for the group). Only after it may each
//! target's next delivery start.

use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;

use super::lanes::LaneId;
use crate::model::{Delivery, OutboxKey};
use crate::storage::{Completed, Store, StoreError};

/// How long a failed write waits before it is tried again.
const RETRY: Duration = Duration::from_secs(1);

/// A delivery that is done: accepted (with its message id, if any), refused or given up.
#[derive(Debug)]
pub struct Completion {
    pub lane: LaneId,
    pub key: OutboxKey,
    pub delivery: Delivery,
    pub message_id: Option<String>,
}

type Write = BoxFuture<'static, Result<(), StoreError>>;

/// Completions on their way to disk.
#[derive(Default)]
pub struct Commits {
    /// Not yet written.
    to_write: Vec<Completion>,
    /// Being written and made durable.
    writing: Option<(Vec<Completion>, Write)>,
    /// After a failure: nothing is tried before then.
    retry_at: Option<Instant>,
}

impl Commits {
    pub fn add(&mut self, completion: Completion) {
        self.to_write.push(completion);
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
        let batch = std::mem::take(&mut self.to_write);
        let done: Vec<Completed> = batch
            .iter()
            .map(|c| Completed {
                key: c.key,
                delivery: c.delivery.clone(),
                message_id: c.message_id.clone(),
            })
            .collect();
        let store = store.clone();
        let write = Box::pin(async move { store.complete_deliveries(&done).await });
        self.writing = Some((batch, write));
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

    /// Waits for the running write (forever when none runs). Cancel-safe: the write goes on.
    pub async fn written(&mut self) -> Result<(), StoreError> {
        match &mut self.writing {
            Some((_, write)) => write.await,
            None => std::future::pending().await,
        }
    }

    /// Takes the write's outcome: on success, the lanes and keys now durable.
    pub fn finish(&mut self, result: Result<(), StoreError>) -> Vec<(LaneId, OutboxKey)> {
        let Some((batch, _)) = self.writing.take() else {
            return Vec::new();
        };
        match result {
            Ok(()) => batch.into_iter().map(|c| (c.lane, c.key)).collect(),
            Err(e) => {
                tracing::error!(
                    deliveries = batch.len(),
                    "outbox: cannot record finished deliveries, retrying: {e}"
                );
                self.to_write.extend(batch);
                self.retry_at = Some(Instant::now() + RETRY);
                Vec::new()
            }
        }
    }
}
