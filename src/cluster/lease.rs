//! Keeping one lease: take it when it is free or lapsed, renew it at a third of its time to
//! live, and give it up the moment renewal can no longer be proven. Expiry is counted on this
//! process's monotonic clock from the moment each request left, with the time left that the
//! database reported: a paused process (SIGSTOP) that wakes finds its lease already gone.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::model::{Fence, Granted};
use crate::storage::ClusterStore;

/// Wait between tries of a renewal that failed while the lease is still valid.
const RENEW_RETRY: Duration = Duration::from_millis(250);

/// A lease held now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// What fenced writes carry; `None` on a single node (sled), where nothing competes.
    pub fence: Option<Fence>,
    /// When it lapses unless renewed; `None`: never.
    pub until: Option<Instant>,
}

impl Held {
    fn valid_at(&self, now: Instant) -> bool {
        self.until.is_none_or(|until| now < until)
    }
}

/// What the holder's tasks see of a lease; cheap to clone.
#[derive(Clone)]
pub struct LeaseView {
    rx: watch::Receiver<Option<Held>>,
}

impl LeaseView {
    /// A lease that is always held and fences nothing: one node alone (sled).
    pub fn solo() -> LeaseView {
        let held = Held {
            fence: None,
            until: None,
        };
        let (tx, rx) = watch::channel(Some(held));
        // Keeps the channel open, so `changed` waits forever instead of failing.
        std::mem::forget(tx);
        LeaseView { rx }
    }

    /// The lease if it is held and has not lapsed by this process's clock.
    pub fn held(&self) -> Option<Held> {
        self.rx
            .borrow()
            .clone()
            .filter(|h| h.valid_at(Instant::now()))
    }

    /// Time left before it lapses: `None` when not held, `Duration::MAX` when it never does.
    pub fn left(&self) -> Option<Duration> {
        let held = self.held()?;
        Some(match held.until {
            Some(until) => until.saturating_duration_since(Instant::now()),
            None => Duration::MAX,
        })
    }

    /// Waits until the lease is taken, renewed or lost.
    pub async fn changed(&mut self) {
        if self.rx.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// Keeps lease `name` for `holder` until `stop`, then releases it.
pub struct Keeper {
    pub store: ClusterStore,
    pub holder: String,
    pub name: String,
    pub ttl: Duration,
    /// Told of every change, for tasks that watch several leases at once.
    pub changes: Arc<Notify>,
}

impl Keeper {
    /// Starts keeping; the view follows the lease.
    pub fn spawn(
        self,
        tracker: &tokio_util::task::TaskTracker,
        stop: CancellationToken,
    ) -> LeaseView {
        let (tx, rx) = watch::channel(None);
        tracker.spawn(self.run(tx, stop));
        LeaseView { rx }
    }

    async fn run(self, tx: watch::Sender<Option<Held>>, stop: CancellationToken) {
        let mut held: Option<(Fence, Instant)> = None;
        let mut warned = false;
        loop {
            held = match held {
                None => self.try_take(&tx, &mut warned).await,
                Some((fence, until)) => self.renew(&tx, fence, until, &stop).await,
            };
            if stop.is_cancelled() {
                break;
            }
            if held.is_none() {
                tokio::select! {
                    _ = stop.cancelled() => break,
                    _ = tokio::time::sleep(self.ttl / 5) => {}
                }
            }
        }
        if let Some((fence, _)) = held {
            tx.send_replace(None);
            self.changes.notify_one();
            if let Err(e) = self.store.release(&fence).await {
                tracing::warn!(lease = %self.name, "cannot release the lease; it lapses by itself: {e}");
            }
        }
    }

    async fn try_take(
        &self,
        tx: &watch::Sender<Option<Held>>,
        warned: &mut bool,
    ) -> Option<(Fence, Instant)> {
        let asked = Instant::now();
        match self.store.acquire(&self.name, &self.holder, self.ttl).await {
            Ok(Some(granted)) => {
                *warned = false;
                let fence = Fence {
                    lease: self.name.clone(),
                    epoch: granted.epoch,
                };
                let until = asked + left(granted);
                tracing::info!(lease = %self.name, epoch = granted.epoch, "lease taken");
                self.publish(tx, &fence, until);
                Some((fence, until))
            }
            Ok(None) => None,
            Err(e) => {
                if !*warned {
                    tracing::warn!(lease = %self.name, "cannot ask for the lease: {e}");
                    *warned = true;
                }
                None
            }
        }
    }

    /// Renews at a third of the time to live; `None` (told at once) when it is lost.
    async fn renew(
        &self,
        tx: &watch::Sender<Option<Held>>,
        fence: Fence,
        mut until: Instant,
        stop: &CancellationToken,
    ) -> Option<(Fence, Instant)> {
        // A third of the time to live after the last grant.
        let due = until
            .checked_sub(self.ttl * 2 / 3)
            .unwrap_or_else(Instant::now);
        tokio::select! {
            _ = stop.cancelled() => return Some((fence, until)),
            _ = tokio::time::sleep_until(due) => {}
        }
        loop {
            let asked = Instant::now();
            if asked >= until {
                break;
            }
            let answer =
                tokio::time::timeout_at(until, self.store.renew(&fence, &self.holder, self.ttl))
                    .await;
            match answer {
                Ok(Ok(Some(granted))) => {
                    until = asked + left(granted);
                    self.publish(tx, &fence, until);
                    return Some((fence, until));
                }
                Ok(Ok(None)) => break,
                Ok(Err(e)) => tracing::warn!(lease = %self.name, "cannot renew the lease: {e}"),
                Err(_) => break,
            }
            tokio::select! {
                _ = stop.cancelled() => return Some((fence, until)),
                _ = tokio::time::sleep(RENEW_RETRY.min(until.saturating_duration_since(Instant::now()))) => {}
            }
        }
        tracing::warn!(lease = %self.name, epoch = fence.epoch, "lease lost; its work stops here");
        tx.send_replace(None);
        self.changes.notify_one();
        None
    }

    fn publish(&self, tx: &watch::Sender<Option<Held>>, fence: &Fence, until: Instant) {
        tx.send_replace(Some(Held {
            fence: Some(fence.clone()),
            until: Some(until),
        }));
        self.changes.notify_one();
    }
}

fn left(granted: Granted) -> Duration {
    Duration::from_millis(u64::try_from(granted.left_ms).unwrap_or(0))
}
