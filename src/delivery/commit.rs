//! Group commit: finished deliveries leave the outbox in the store at once, and one flush makes
//! a whole group of them durable; only then may each target's next delivery start.

use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;

use super::lanes::LaneId;
use crate::model::{Delivery, OutboxKey};
use crate::store::{Store, StoreError};

/// How long a failed write or flush waits before it is tried again.
const RETRY: Duration = Duration::from_secs(1);

/// A delivery that is done: accepted (with its message id, if any), refused or given up.
#[derive(Debug)]
pub struct Completion {
    pub lane: LaneId,
    pub key: OutboxKey,
    pub delivery: Delivery,
    pub message_id: Option<String>,
}

type Flush = BoxFuture<'static, Result<(), StoreError>>;

/// Completions on their way to disk.
#[derive(Default)]
pub struct Commits {
    /// Not yet written.
    to_write: Vec<Completion>,
    /// Written, waiting for the next flush.
    written: Vec<(LaneId, OutboxKey)>,
    /// Written and being flushed.
    flushing: Option<(Vec<(LaneId, OutboxKey)>, Flush)>,
    /// After a failure: nothing is tried before then.
    retry_at: Option<Instant>,
}

impl Commits {
    pub fn add(&mut self, completion: Completion) {
        self.to_write.push(completion);
    }

    /// Writes what waits and starts a flush of it, unless one runs or a retry is not due.
    pub fn start(&mut self, store: &Store) {
        if self.flushing.is_some() || self.retry_at.is_some_and(|t| t > Instant::now()) {
            return;
        }
        self.retry_at = None;
        let mut pending = std::mem::take(&mut self.to_write).into_iter();
        for c in pending.by_ref() {
            let message_id = c.message_id.as_deref();
            if let Err(e) = store.complete_delivery(&c.key, &c.delivery, message_id) {
                tracing::error!(target_id = %c.delivery.target.id(), "outbox: cannot record a finished delivery, retrying: {e}");
                self.to_write.push(c);
                self.retry_at = Some(Instant::now() + RETRY);
                break;
            }
            self.written.push((c.lane, c.key));
        }
        self.to_write.extend(pending);
        if self.written.is_empty() {
            return;
        }
        let store = store.clone();
        let batch = std::mem::take(&mut self.written);
        self.flushing = Some((batch, Box::pin(async move { store.flush().await })));
    }

    pub fn is_flushing(&self) -> bool {
        self.flushing.is_some()
    }

    /// Nothing waits to be written or flushed.
    pub fn is_idle(&self) -> bool {
        self.flushing.is_none() && self.to_write.is_empty() && self.written.is_empty()
    }

    /// When a failed write or flush is tried again.
    pub fn retry_at(&self) -> Option<Instant> {
        self.retry_at
    }

    /// Waits for the running flush (forever when none runs). Cancel-safe: the flush goes on.
    pub async fn flushed(&mut self) -> Result<(), StoreError> {
        match &mut self.flushing {
            Some((_, flush)) => flush.await,
            None => std::future::pending().await,
        }
    }

    /// Takes the flush's outcome: on success, the lanes and keys now durable.
    pub fn finish(&mut self, result: Result<(), StoreError>) -> Vec<(LaneId, OutboxKey)> {
        let Some((batch, _)) = self.flushing.take() else {
            return Vec::new();
        };
        match result {
            Ok(()) => batch,
            Err(e) => {
                tracing::error!(
                    deliveries = batch.len(),
                    "outbox: flush failed, retrying: {e}"
                );
                self.written.extend(batch);
                self.retry_at = Some(Instant::now() + RETRY);
                Vec::new()
            }
        }
    }
}
