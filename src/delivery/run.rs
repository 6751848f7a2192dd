//! The engine's loop: load the outbox, start what may start, take answers and new deliveries,
//! sleep until the next lane or platform is due; on shutdown, finish what is in flight.

use std::time::{Duration, Instant};

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::attempt::{Finished, Permit, attempt};
use super::commit::Commits;
use super::holds::{Hold, Recent};
use super::lanes::Lanes;
use super::{Engine, Incoming, Queued};
use crate::model::OutboxKey;
use crate::platform::Pace;

/// Per platform: requests in flight, and when its overall budget allows the next.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct PlatformState {
    pub in_flight: usize,
    pub blocked_until: Option<Instant>,
}

/// The engine while it runs.
pub(super) struct Runner {
    pub engine: Engine,
    pub lanes: Lanes,
    pub platforms: Vec<PlatformState>,
    pub holds: Vec<Hold>,
    pub recent: Recent,
    pub tasks: JoinSet<Finished>,
    pub commits: Commits,
}

impl Engine {
    /// Delivers until `shutdown`; deliveries in flight then finish and are recorded first.
    pub async fn run(self, shutdown: CancellationToken) {
        let platforms = self.notifiers.len();
        let mut runner = Runner {
            lanes: Lanes::new(platforms),
            platforms: vec![PlatformState::default(); platforms],
            holds: (0..platforms).map(|_| Hold::default()).collect(),
            recent: Recent::new(self.lease_changes.is_some()),
            tasks: JoinSet::new(),
            commits: Commits::default(),
            engine: self,
        };
        runner.drive(shutdown).await;
    }
}

impl Runner {
    /// Queues one delivery in its target's lane, if this node sends to its platform now and
    /// it did not just finish; false when no notifier serves it.
    pub(super) fn push(&mut self, q: Queued) -> bool {
        let Some(platform) = self.engine.notifiers.index_of(&q.target) else {
            return false;
        };
        if self.holds[platform].held.is_some() && !self.recent.contains(&q.key) {
            self.lanes.push(platform, &q.target, q.key, q.edit);
        }
        true
    }

    /// A delivery left its lane for good.
    pub(super) fn forget(&mut self, key: OutboxKey) {
        self.recent.add(key, Instant::now());
    }

    fn take(&mut self, incoming: Incoming) {
        match incoming {
            Incoming::New(batch) => {
                for q in batch {
                    self.push(q);
                }
            }
            Incoming::Loaded {
                platform,
                generation,
                queued,
            } => self.loaded(platform, generation, queued),
        }
    }

    async fn drive(&mut self, shutdown: CancellationToken) {
        let mut stopping = false;
        let changes = self.engine.lease_changes.clone().unwrap_or_default();
        loop {
            self.check_leases();
            let now = Instant::now();
            self.lanes.wake_due(now);
            if !stopping {
                for platform in 0..self.platforms.len() {
                    self.dispatch(platform, now);
                }
            }
            self.commits.start(&self.engine.store);
            self.report();
            if stopping && self.tasks.is_empty() {
                if self.commits.is_idle() {
                    return;
                }
                if self.commits.retry_at().is_some() {
                    // The store fails: what is not recorded goes again after the restart.
                    tracing::error!("outbox: stopping with finished deliveries not recorded");
                    return;
                }
            }
            let wake = self.next_wake(stopping);
            tokio::select! {
                Some(done) = self.tasks.join_next(), if !self.tasks.is_empty() => match done {
                    Ok(finished) => self.settle(finished).await,
                    Err(e) => tracing::error!("delivery task failed: {e}"),
                },
                Some(incoming) = self.engine.inbox.recv() => self.take(incoming),
                durable = self.commits.written(), if self.commits.is_writing() => {
                    for (lane, key) in durable {
                        self.lanes.finish(lane, key);
                        self.forget(key);
                    }
                }
                _ = changes.notified() => {}
                _ = sleep_until(wake) => {}
                _ = shutdown.cancelled(), if !stopping => {
                    stopping = true;
                    tracing::info!(in_flight = self.tasks.len(), "outbox: finishing deliveries in flight");
                }
            }
        }
    }

    /// Starts ready deliveries of `platform` while its window and budget allow.
    fn dispatch(&mut self, platform: usize, now: Instant) {
        let Some(notifier) = self.engine.notifiers.get(platform).cloned() else {
            return;
        };
        if !self.holds[platform].may_send(now) {
            return;
        }
        let fence = self.holds[platform]
            .held
            .as_ref()
            .and_then(|h| h.fence.clone());
        let state = &mut self.platforms[platform];
        if state.blocked_until.is_some_and(|t| t > now) {
            return;
        }
        state.blocked_until = None;
        while self.platforms[platform].in_flight < self.engine.settings.window {
            let Some(head) = self.lanes.peek(platform) else {
                return;
            };
            let Some(target) = self.lanes.target(head.lane) else {
                return;
            };
            match notifier.reserve(target, head.edit, now) {
                Ok(()) => {}
                Err(Pace::Target(d)) => {
                    self.lanes.wait(head.lane, now + d);
                    continue;
                }
                Err(Pace::Platform(d)) => {
                    self.platforms[platform].blocked_until = Some(now + d);
                    return;
                }
            }
            self.lanes.start(head);
            self.platforms[platform].in_flight += 1;
            let permit = Permit {
                lease: self.engine.leases[platform].clone(),
                stop: self.holds[platform].stop.clone(),
            };
            let task = attempt(
                self.engine.store.clone(),
                notifier.clone(),
                self.engine.metrics.clone(),
                head.key,
                permit,
            );
            let fence = fence.clone();
            self.tasks.spawn(async move {
                Finished {
                    lane: head.lane,
                    key: head.key,
                    platform,
                    fence,
                    attempt: task.await,
                }
            });
        }
    }

    /// The next moment something may become due: a waiting lane, a platform's budget, a
    /// commit to retry. `None`: only an event can change anything.
    fn next_wake(&self, stopping: bool) -> Option<Instant> {
        let mut wake = self.commits.retry_at();
        if !stopping {
            let platforms = self.platforms.iter().filter_map(|p| p.blocked_until);
            let timers = self.lanes.next_timer().into_iter().chain(platforms);
            for t in timers.chain(self.lease_deadline()) {
                wake = Some(wake.map_or(t, |w| w.min(t)));
            }
        }
        wake
    }

    fn report(&self) {
        let in_flight = self.platforms.iter().map(|p| p.in_flight).sum();
        self.engine.metrics.set_in_flight(in_flight);
    }
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => tokio::time::sleep(Duration::from_secs(3600)).await,
    }
}
