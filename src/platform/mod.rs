//! Notifiers: the clients that take an alert to a target (console now; chat platforms behind the same trait).
//! `front` is what the Telegram and Discord command front ends share.

pub mod console;
pub mod discord;
mod front;
pub mod spacing;
pub mod telegram;

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;

use crate::model::{Alert, Target};

/// Why a delivery did not go through.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// Try again later (after `after`, when the platform said so).
    #[error("temporary failure: {reason}")]
    Retry {
        after: Option<Duration>,
        reason: String,
    },
    /// The platform will never accept this alert at this target.
    #[error("refused: {reason}")]
    Rejected { reason: String },
    /// The target is out of reach (the bot was blocked, kicked, or the chat is gone): its
    /// subscriptions pause until the bot is added back.
    #[error("chat unreachable: {reason}")]
    Gone { reason: String },
    /// The chat moved (a Telegram group became a supergroup): deliver there instead.
    #[error("chat moved to {}", to.id())]
    Moved { to: Target },
}

/// Why a delivery may not start now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// The platform's overall budget is spent: nothing of this platform goes for this long.
    Platform(Duration),
    /// This target's budget is spent: it waits this long, other targets may go.
    Target(Duration),
}

/// Told when a target is gone or moved, so subscriptions follow.
pub trait TargetEvents: Send + Sync {
    fn gone<'a>(&'a self, target: &'a Target, reason: &'a str) -> BoxFuture<'a, ()>;
    fn moved<'a>(&'a self, from: &'a Target, to: &'a Target) -> BoxFuture<'a, ()>;
}

/// Takes alerts to targets of one platform.
pub trait Notifier: Send + Sync {
    /// Whether this notifier serves `target`.
    fn serves(&self, target: &Target) -> bool;
    /// Takes a sending slot for `target` at `now` (an edit when `edit`), or says how long to
    /// wait. The delivery engine asks right before it starts a delivery, so the requests in
    /// flight are only those the platform's limits allow. No limits by default.
    fn reserve(&self, target: &Target, edit: bool, now: Instant) -> Result<(), Pace> {
        let _ = (target, edit, now);
        Ok(())
    }
    /// Delivers one alert, or edits the message `previous` when given (a correction); Ok carries
    /// the platform's message id, if it has one.
    fn deliver<'a>(
        &'a self,
        alert: &'a Alert,
        target: &'a Target,
        previous: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Option<String>, DeliveryError>>;
}

/// The notifiers of a running bot.
#[derive(Clone, Default)]
pub struct Notifiers {
    list: Vec<Arc<dyn Notifier>>,
}

impl Notifiers {
    pub fn add(&mut self, notifier: Arc<dyn Notifier>) {
        self.list.push(notifier);
    }

    pub fn for_target(&self, target: &Target) -> Option<&Arc<dyn Notifier>> {
        self.list.iter().find(|n| n.serves(target))
    }

    /// The index of the notifier serving `target` (see [`Notifiers::get`]).
    pub fn index_of(&self, target: &Target) -> Option<usize> {
        self.list.iter().position(|n| n.serves(target))
    }

    pub fn get(&self, index: usize) -> Option<&Arc<dyn Notifier>> {
        self.list.get(index)
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}
