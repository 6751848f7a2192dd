//! Which delivery goes next: one lane per target (its deliveries in outbox order, at most one
//! in flight), the ready lane heads of each platform ordered breaking first, and the timers of
//! lanes that wait. Every operation costs O(log n) in the number of queued deliveries.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Instant;

use crate::model::{OutboxKey, Target};

/// A lane's handle, stable while the lane holds deliveries.
pub type LaneId = u64;

/// What a lane is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Its head is in its platform's ready set (when it has one).
    Idle,
    /// Its head is in flight, or its completion is not yet durable.
    Busy,
    /// Its head waits until then (pacing, backoff).
    Waiting(Instant),
}

#[derive(Debug)]
struct Lane {
    target: Target,
    platform: usize,
    /// Queued deliveries by outbox key; the value says whether it is an edit.
    keys: BTreeMap<OutboxKey, bool>,
    state: State,
}

impl Lane {
    fn head(&self) -> Option<OutboxKey> {
        self.keys.keys().next().copied()
    }
}

/// The head of a ready lane: the next delivery that may start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    pub lane: LaneId,
    pub key: OutboxKey,
    pub edit: bool,
}

/// All queued deliveries, by target.
#[derive(Debug, Default)]
pub struct Lanes {
    ids: HashMap<Target, LaneId>,
    lanes: HashMap<LaneId, Lane>,
    /// Per platform: heads of idle lanes, breaking first, then by arrival.
    ready: Vec<BTreeSet<(OutboxKey, LaneId)>>,
    timers: BTreeSet<(Instant, LaneId)>,
    next_id: LaneId,
    len: usize,
}

impl Lanes {
    /// Lanes for `platforms` platforms (indexes `0..platforms`).
    pub fn new(platforms: usize) -> Lanes {
        Lanes {
            ready: vec![BTreeSet::new(); platforms],
            ..Lanes::default()
        }
    }

    /// Deliveries queued, in flight included.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Lanes that hold deliveries.
    pub fn lane_count(&self) -> usize {
        self.lanes.len()
    }

    /// Queues `key` for `target`, served by `platform`. A key already queued is ignored.
    pub fn push(&mut self, platform: usize, target: &Target, key: OutboxKey, edit: bool) {
        let id = match self.ids.get(target) {
            Some(&id) => id,
            None => {
                let id = self.next_id;
                self.next_id += 1;
                self.ids.insert(target.clone(), id);
                let lane = Lane {
                    target: target.clone(),
                    platform,
                    keys: BTreeMap::new(),
                    state: State::Idle,
                };
                self.lanes.insert(id, lane);
                id
            }
        };
        let lane = self.lanes.get_mut(&id).expect("lane of a known id");
        let old_head = lane.head();
        if lane.keys.insert(key, edit).is_some() {
            return;
        }
        self.len += 1;
        if lane.state == State::Idle && old_head.is_none_or(|h| key < h) {
            let ready = &mut self.ready[lane.platform];
            if let Some(h) = old_head {
                ready.remove(&(h, id));
            }
            ready.insert((key, id));
        }
    }

    /// The first ready head of `platform`, left in place.
    pub fn peek(&self, platform: usize) -> Option<Head> {
        let &(key, lane) = self.ready.get(platform)?.first()?;
        let edit = self.lanes[&lane].keys[&key];
        Some(Head { lane, key, edit })
    }

    /// Takes a lane's head out of the ready set: it is in flight now.
    pub fn start(&mut self, head: Head) {
        let lane = self.lanes.get_mut(&head.lane).expect("started lane exists");
        self.ready[lane.platform].remove(&(head.key, head.lane));
        lane.state = State::Busy;
    }

    /// The target of a lane.
    pub fn target(&self, lane: LaneId) -> Option<&Target> {
        self.lanes.get(&lane).map(|l| &l.target)
    }

    /// The lane's head is done (delivered, refused or given up): the next one may go.
    pub fn finish(&mut self, lane: LaneId, key: OutboxKey) {
        let Some(l) = self.lanes.get_mut(&lane) else {
            return;
        };
        if l.keys.remove(&key).is_some() {
            self.len -= 1;
        }
        self.set_idle(lane);
    }

    /// The lane waits until `until` before its head goes (again).
    pub fn wait(&mut self, lane: LaneId, until: Instant) {
        let Some(l) = self.lanes.get_mut(&lane) else {
            return;
        };
        if let Some(h) = l.head() {
            self.ready[l.platform].remove(&(h, lane));
        }
        if let State::Waiting(t) = l.state {
            self.timers.remove(&(t, lane));
        }
        l.state = State::Waiting(until);
        self.timers.insert((until, lane));
    }

    /// When the next waiting lane is due.
    pub fn next_timer(&self) -> Option<Instant> {
        self.timers.first().map(|&(t, _)| t)
    }

    /// Lanes whose wait is over become ready again.
    pub fn wake_due(&mut self, now: Instant) {
        while let Some(&(t, lane)) = self.timers.first() {
            if t > now {
                break;
            }
            self.timers.pop_first();
            self.set_idle(lane);
        }
    }

    /// Removes a lane with all its deliveries; returns their keys.
    pub fn remove(&mut self, lane: LaneId) -> Vec<OutboxKey> {
        let Some(l) = self.lanes.remove(&lane) else {
            return Vec::new();
        };
        self.ids.remove(&l.target);
        if let Some(h) = l.head() {
            self.ready[l.platform].remove(&(h, lane));
        }
        if let State::Waiting(t) = l.state {
            self.timers.remove(&(t, lane));
        }
        self.len -= l.keys.len();
        l.keys.into_keys().collect()
    }

    /// Removes every lane of `platform` (its lease was lost); returns how many deliveries
    /// they held.
    pub fn drop_platform(&mut self, platform: usize) -> usize {
        let lanes: Vec<LaneId> = self
            .lanes
            .iter()
            .filter(|(_, l)| l.platform == platform)
            .map(|(&id, _)| id)
            .collect();
        lanes.into_iter().map(|id| self.remove(id).len()).sum()
    }

    /// Moves every delivery of `lane` to `to` (same platform); returns the moved keys.
    pub fn retarget(&mut self, lane: LaneId, to: &Target) -> Vec<(OutboxKey, bool)> {
        let Some(platform) = self.lanes.get(&lane).map(|l| l.platform) else {
            return Vec::new();
        };
        let edits: Vec<(OutboxKey, bool)> = self.lanes[&lane]
            .keys
            .iter()
            .map(|(&k, &e)| (k, e))
            .collect();
        self.remove(lane);
        for &(key, edit) in &edits {
            self.push(platform, to, key, edit);
        }
        edits
    }

    fn set_idle(&mut self, lane: LaneId) {
        let Some(l) = self.lanes.get_mut(&lane) else {
            return;
        };
        if let State::Waiting(t) = l.state {
            self.timers.remove(&(t, lane));
        }
        l.state = State::Idle;
        match l.head() {
            Some(h) => {
                self.ready[l.platform].insert((h, lane));
            }
            None => {
                let l = self.lanes.remove(&lane).expect("lane exists");
                self.ids.remove(&l.target);
            }
        }
    }
}

#[cfg(test)]
mod tests;
