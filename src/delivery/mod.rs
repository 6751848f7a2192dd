//! The outbox engine: many deliveries in flight to different targets, one at a time per
//! target, breaking news first, each platform's limits kept before a request leaves, and
//! completions made durable in groups before a target's next delivery starts.
//!
//! The promise: a delivery leaves the outbox only after its platform accepted it, and a
//! target's next delivery starts only once that is on disk. A crash (SIGKILL included)
//! therefore repeats at most the deliveries that were in flight, at most one per target.

mod attempt;
mod commit;
mod follow;
mod holds;
mod lanes;
mod run;
mod settle;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, mpsc};

use crate::cluster::LeaseView;
use crate::config::DeliveryConfig;
use crate::metrics::Metrics;
use crate::model::{Delivery, OutboxKey, Target};
use crate::platform::{Notifiers, TargetEvents};
use crate::storage::Store;

/// One delivery the engine learns of: where it goes and where it sits in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub key: OutboxKey,
    pub target: Target,
    pub edit: bool,
}

pub use follow::follow;

/// What reaches the engine besides attempts' answers.
#[derive(Debug)]
enum Incoming {
    /// Deliveries in the outbox now (some may be known already).
    New(Vec<Queued>),
    /// The whole outbox as read for `platform` when its lease was taken (`generation`).
    Loaded {
        platform: usize,
        generation: u64,
        queued: Vec<Queued>,
    },
}

impl From<(OutboxKey, Delivery)> for Queued {
    fn from((key, d): (OutboxKey, Delivery)) -> Queued {
        Queued {
            key,
            target: d.target,
            edit: d.edit,
        }
    }
}

/// Hands deliveries written to the outbox to the engine; cheap to clone.
#[derive(Clone, Debug)]
pub struct Queue(mpsc::UnboundedSender<Incoming>);

impl Queue {
    /// Tells the engine of deliveries that are in the store now (after their transaction).
    pub fn push(&self, deliveries: &[(OutboxKey, Delivery)]) {
        if deliveries.is_empty() {
            return;
        }
        let queued = deliveries
            .iter()
            .map(|(key, d)| Queued {
                key: *key,
                target: d.target.clone(),
                edit: d.edit,
            })
            .collect();
        // A stopped engine reads the store again when it starts: nothing is lost.
        let _ = self.0.send(Incoming::New(queued));
    }

    /// A queue whose engine is not running (tools that write the store only).
    pub fn detached() -> Queue {
        Queue(mpsc::unbounded_channel().0)
    }
}

/// How the engine sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Deliveries in flight at once, per platform.
    pub window: usize,
    /// A delivery still failing this long after its first failure is dropped.
    pub give_up_after: Duration,
}

impl From<&DeliveryConfig> for Settings {
    fn from(c: &DeliveryConfig) -> Settings {
        Settings {
            window: c.window,
            give_up_after: c.give_up_after,
        }
    }
}

impl Default for Settings {
    fn default() -> Settings {
        Settings::from(&DeliveryConfig::default())
    }
}

/// The delivery engine of one store; [`Engine::run`] drives it.
pub struct Engine {
    store: Store,
    notifiers: Notifiers,
    settings: Settings,
    events: Option<Arc<dyn TargetEvents>>,
    metrics: Metrics,
    /// Per notifier: the lease under which this node may send to that platform.
    leases: Vec<LeaseView>,
    /// Told when any lease changes (cluster only).
    lease_changes: Option<Arc<Notify>>,
    inbox: mpsc::UnboundedReceiver<Incoming>,
    queue: Queue,
}

impl Engine {
    /// An engine for `store`'s outbox and the queue that feeds it.
    pub fn new(store: Store, notifiers: Notifiers, settings: Settings) -> (Engine, Queue) {
        let (tx, inbox) = mpsc::unbounded_channel();
        let queue = Queue(tx);
        let engine = Engine {
            leases: vec![LeaseView::solo(); notifiers.len()],
            store,
            notifiers,
            settings,
            events: None,
            metrics: Metrics::default(),
            lease_changes: None,
            inbox,
            queue: queue.clone(),
        };
        (engine, queue)
    }

    /// Sends to each platform only while this node holds its lease (one per notifier, in
    /// order); `changes` is told whenever one of them changes.
    pub fn with_leases(mut self, leases: Vec<LeaseView>, changes: Arc<Notify>) -> Engine {
        assert_eq!(leases.len(), self.notifiers.len(), "one lease per notifier");
        self.leases = leases;
        self.lease_changes = Some(changes);
        self
    }

    /// Counts outcomes, waits, rate limits and publish → sent latency in `metrics`.
    pub fn with_metrics(mut self, metrics: Metrics) -> Engine {
        self.metrics = metrics;
        self
    }

    /// Tells `events` when a target is gone or moved.
    pub fn with_events(mut self, events: Arc<dyn TargetEvents>) -> Engine {
        self.events = Some(events);
        self
    }
}

/// Wait after the n-th failed attempt: 0.5 s doubling up to 5 min, with up to a quarter more
/// of jitter. Most 5xx and network failures are gone within the first second.
pub fn backoff(attempts: u32) -> Duration {
    let base = 500u64
        .saturating_mul(1 << attempts.min(11).saturating_sub(1))
        .min(300_000);
    Duration::from_millis(base + fastrand::u64(0..=base / 4))
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod backoff_tests {
    use super::*;

    #[test]
    fn backoff_grows_and_caps() {
        assert!((500..=625).contains(&backoff(1).as_millis()));
        assert!((2000..=2500).contains(&backoff(3).as_millis()));
        assert!((256_000..=320_000).contains(&backoff(10).as_millis()));
        assert!((300_000..=375_000).contains(&backoff(30).as_millis()));
    }
}
