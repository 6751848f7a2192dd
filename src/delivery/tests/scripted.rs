//! A notifier the engine tests script per chat: accept, fail with a retry, or gone; optionally
//! held at a gate; it records what started, what was accepted and what ran at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::future::BoxFuture;
use tokio::sync::Notify;

use crate::model::{Alert, Target};
use crate::platform::{DeliveryError, Notifier};

/// What the scripted notifier does for a chat.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Accept,
    /// Retry after this long, every time.
    Fail(Duration),
    Gone,
}

#[derive(Default)]
pub struct Seen {
    /// (chat, post) in the order deliveries started.
    pub started: Vec<(String, String)>,
    /// (chat, post) in the order they were accepted.
    pub accepted: Vec<(String, String)>,
    in_flight: HashMap<String, usize>,
    pub max_in_flight: usize,
    pub max_per_chat: usize,
}

pub struct Scripted {
    scripts: HashMap<String, Script>,
    seen: Mutex<Seen>,
    /// When set, every delivery waits for `release` before it answers.
    pub gate: Option<Arc<Notify>>,
}

impl Scripted {
    pub fn new(scripts: &[(&str, Script)], gated: bool) -> Arc<Scripted> {
        Arc::new(Scripted {
            scripts: scripts.iter().map(|(c, s)| (c.to_string(), *s)).collect(),
            seen: Mutex::default(),
            gate: gated.then(|| Arc::new(Notify::new())),
        })
    }

    pub fn seen<T>(&self, f: impl FnOnce(&Seen) -> T) -> T {
        f(&self.seen.lock().unwrap())
    }
}

fn chat_of(target: &Target) -> String {
    match target {
        Target::TelegramChat { chat } => chat.clone(),
        other => other.id(),
    }
}

impl Notifier for Scripted {
    fn serves(&self, target: &Target) -> bool {
        matches!(target, Target::TelegramChat { .. })
    }

    fn deliver<'a>(
        &'a self,
        alert: &'a Alert,
        target: &'a Target,
        _previous: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Option<String>, DeliveryError>> {
        Box::pin(async move {
            let chat = chat_of(target);
            let entry = (chat.clone(), alert.key.0.clone());
            {
                let mut seen = self.seen.lock().unwrap();
                seen.started.push(entry.clone());
                let n = seen.in_flight.entry(chat.clone()).or_default();
                *n += 1;
                let n = *n;
                let total = seen.in_flight.values().sum();
                seen.max_per_chat = seen.max_per_chat.max(n);
                seen.max_in_flight = seen.max_in_flight.max(total);
            }
            match &self.gate {
                Some(gate) => gate.notified().await,
                None => tokio::task::yield_now().await,
            }
            let mut seen = self.seen.lock().unwrap();
            *seen.in_flight.get_mut(&chat).unwrap() -= 1;
            match self.scripts.get(&chat).copied().unwrap_or(Script::Accept) {
                Script::Accept => {
                    seen.accepted.push(entry);
                    Ok(Some("1".into()))
                }
                Script::Fail(after) => Err(DeliveryError::Retry {
                    after: Some(after),
                    reason: "scripted failure".into(),
                }),
                Script::Gone => Err(DeliveryError::Gone {
                    reason: "scripted: blocked".into(),
                }),
            }
        })
    }
}
