//! Which platforms this node may send to now. Per notifier: the lease it holds (always, on one
//! node alone), the token that stops its attempts when the lease is lost, and whether its
//! outbox has been read since the lease was taken. Also the keys finished lately, so a read of
//! the outbox that raced a completion does not queue a sent delivery again.

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use super::Incoming;
use super::run::Runner;
use crate::cluster::Held;
use crate::model::OutboxKey;

/// How long a finished key is remembered (longer than any read of the outbox takes).
const REMEMBER: Duration = Duration::from_secs(30);
/// First and longest wait between tries to read the outbox while the store does not answer.
const LOAD_RETRY_FIRST: Duration = Duration::from_millis(500);
const LOAD_RETRY_MAX: Duration = Duration::from_secs(30);

/// One platform's lease as the engine last saw it.
#[derive(Debug, Default)]
pub(super) struct Hold {
    pub held: Option<Held>,
    /// Cancelled when the lease is lost: attempts under it stop.
    pub stop: CancellationToken,
    /// Grows with every lease taken; an outbox read for an older one is ignored.
    pub generation: u64,
    /// The outbox has been read under the current lease: its lanes are complete.
    pub loaded: bool,
}

impl Hold {
    /// Held, not lapsed by this process's clock, and its outbox read.
    pub fn may_send(&self, now: Instant) -> bool {
        self.loaded
            && self
                .held
                .as_ref()
                .is_some_and(|h| h.until.is_none_or(|u| now < u.into_std()))
    }
}

/// Keys finished in the last [`REMEMBER`]; kept only where the outbox is read again (cluster).
#[derive(Debug, Default)]
pub(super) struct Recent {
    enabled: bool,
    keys: HashSet<OutboxKey>,
    order: VecDeque<(Instant, OutboxKey)>,
}

impl Recent {
    pub fn new(enabled: bool) -> Recent {
        Recent {
            enabled,
            ..Recent::default()
        }
    }

    pub fn add(&mut self, key: OutboxKey, now: Instant) {
        if self.enabled && self.keys.insert(key) {
            self.order.push_back((now, key));
        }
        while let Some(&(at, old)) = self.order.front() {
            if now.duration_since(at) < REMEMBER {
                break;
            }
            self.order.pop_front();
            self.keys.remove(&old);
        }
    }

    pub fn contains(&self, key: &OutboxKey) -> bool {
        self.keys.contains(key)
    }
}

impl Runner {
    /// Follows the leases: a platform whose lease was taken gets its outbox read; one whose
    /// lease was lost (or lapsed by this process's clock) drops its lanes and stops its attempts.
    pub(super) fn check_leases(&mut self) {
        for platform in 0..self.holds.len() {
            let now = self.engine.leases[platform].held();
            let hold = &mut self.holds[platform];
            let same = match (&hold.held, &now) {
                (Some(a), Some(b)) => a.fence == b.fence,
                (None, None) => true,
                _ => false,
            };
            if same {
                hold.held = now;
                continue;
            }
            if hold.held.is_some() {
                self.lose(platform);
            }
            if let Some(held) = now {
                self.gain(platform, held);
            }
        }
    }

    fn lose(&mut self, platform: usize) {
        let dropped = self.lanes.drop_platform(platform);
        let hold = &mut self.holds[platform];
        hold.stop.cancel();
        hold.held = None;
        hold.loaded = false;
        self.platforms[platform].blocked_until = None;
        tracing::warn!(
            platform,
            dropped,
            "lease lost: this node stops sending to the platform"
        );
    }

    fn gain(&mut self, platform: usize, held: Held) {
        let hold = &mut self.holds[platform];
        hold.held = Some(held);
        hold.stop = CancellationToken::new();
        hold.generation += 1;
        hold.loaded = false;
        let generation = hold.generation;
        let store = self.engine.store.clone();
        let queue = self.engine.queue.clone();
        let lease = self.engine.leases[platform].clone();
        tokio::spawn(async move {
            let mut wait = LOAD_RETRY_FIRST;
            loop {
                if lease.held().is_none() {
                    return;
                }
                match store.pending().await {
                    Ok(pending) => {
                        let queued = pending.into_iter().map(super::Queued::from).collect();
                        let _ = queue.0.send(Incoming::Loaded {
                            platform,
                            generation,
                            queued,
                        });
                        return;
                    }
                    Err(e) => tracing::error!(
                        "outbox: cannot read pending deliveries, retrying in {wait:?}: {e}"
                    ),
                }
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(LOAD_RETRY_MAX);
            }
        });
    }

    /// The outbox as read for `platform` under lease `generation`: its lanes are complete now.
    pub(super) fn loaded(&mut self, platform: usize, generation: u64, queued: Vec<super::Queued>) {
        let hold = &self.holds[platform];
        if hold.generation != generation || hold.held.is_none() {
            return;
        }
        let mut unserved = 0usize;
        for q in queued {
            match self.engine.notifiers.index_of(&q.target) {
                Some(p) if p == platform => {
                    self.push(q);
                }
                Some(_) => {}
                None => unserved += 1,
            }
        }
        self.holds[platform].loaded = true;
        tracing::info!(
            platform,
            pending = self.lanes.len(),
            chats = self.lanes.lane_count(),
            "outbox read"
        );
        if unserved > 0 && platform == 0 {
            tracing::warn!(
                unserved,
                "outbox holds deliveries for platforms that are not running; they wait"
            );
        }
    }

    /// When a held lease lapses by this process's clock, unless renewed first.
    pub(super) fn lease_deadline(&self) -> Option<Instant> {
        self.holds
            .iter()
            .filter_map(|h| h.held.as_ref()?.until.map(|u| u.into_std()))
            .min()
    }
}
