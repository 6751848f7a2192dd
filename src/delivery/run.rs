//! The engine's loop: load the outbox, start what may start, take answers and new deliveries,
//! sleep until the next lane or platform is due; on shutdown, finish what is in flight.

use std::time::{Duration, Instant};

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::attempt::{Finished, attempt};
use super::commit::Commits;
use super::lanes::Lanes;
use super::{Engine, Queued};
use crate::platform::Pace;

/// First and longest wait between tries to read the outbox while the store does not answer.
const LOAD_RETRY_FIRST: Duration = Duration::from_millis(500);
const LOAD_RETRY_MAX: Duration = Duration::from_secs(30);

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
    pub tasks: JoinSet<Finished>,
    pub commits: Commits,
}

impl Engine {
    /// Delivers until `shutdown`; deliveries in flight then finish and are recorded first.
    pub async fn run(self, shutdown: CancellationToken) {
        let platforms = vec![PlatformState::default(); self.notifiers.len()];
        let mut runner = Runner {
            lanes: Lanes::new(self.notifiers.len()),
            platforms,
            tasks: JoinSet::new(),
            commits: Commits::default(),
            engine: self,
        };
        if runner.load(&shutdown).await {
            runner.drive(shutdown).await;
        }
    }
}

impl Runner {
    /// Reads every pending delivery once, retrying while the store does not answer;
    /// afterwards the queue tells of new ones. False when stopped first.
    async fn load(&mut self, shutdown: &CancellationToken) -> bool {
        let mut wait = LOAD_RETRY_FIRST;
        let pending = loop {
            match self.engine.store.pending().await {
                Ok(pending) => break pending,
                Err(e) => {
                    tracing::error!(
                        "outbox: cannot read pending deliveries, retrying in {wait:?}: {e}"
                    );
                }
            }
            tokio::select! {
                _ = shutdown.cancelled() => return false,
                _ = tokio::time::sleep(wait) => {}
            }
            wait = (wait * 2).min(LOAD_RETRY_MAX);
        };
        let mut unserved = 0usize;
        for (key, d) in pending {
            let q = Queued {
                key,
                target: d.target,
                edit: d.edit,
            };
            if !self.push(q) {
                unserved += 1;
            }
        }
        tracing::info!(
            pending = self.lanes.len(),
            chats = self.lanes.lane_count(),
            "outbox read"
        );
        if unserved > 0 {
            tracing::warn!(
                unserved,
                "outbox holds deliveries for platforms that are not running; they wait"
            );
        }
        true
    }

    /// Queues one delivery in its target's lane; false when no notifier serves it.
    fn push(&mut self, q: Queued) -> bool {
        match self.engine.notifiers.index_of(&q.target) {
            Some(platform) => {
                self.lanes.push(platform, &q.target, q.key, q.edit);
                true
            }
            None => false,
        }
    }

    async fn drive(&mut self, shutdown: CancellationToken) {
        let mut stopping = false;
        loop {
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
                Some(batch) = self.engine.inbox.recv() => {
                    for q in batch {
                        self.push(q);
                    }
                }
                durable = self.commits.written(), if self.commits.is_writing() => {
                    for (lane, key) in durable {
                        self.lanes.finish(lane, key);
                    }
                }
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
            let task = attempt(
                self.engine.store.clone(),
                notifier.clone(),
                self.engine.metrics.clone(),
                head.key,
            );
            self.tasks.spawn(async move {
                Finished {
                    lane: head.lane,
                    key: head.key,
                    platform,
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
            for t in self.lanes.next_timer().into_iter().chain(platforms) {
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
