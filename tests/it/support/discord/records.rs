//! What tests read back from the fake Discord: requests, messages, interaction replies,
//! registered commands, 429 counts and limit violations, and waits on any of them with a
//! deadline.

use std::time::Duration;

use serde_json::Value;

use super::{DiscordServer, Posted, Request, State};

impl DiscordServer {
    pub fn requests(&self) -> Vec<Request> {
        self.shared.lock().requests.clone()
    }

    pub fn messages(&self) -> Vec<Posted> {
        self.shared.lock().messages.clone()
    }

    pub fn messages_to(&self, channel: u64) -> Vec<Posted> {
        let state = self.shared.lock();
        let to = |m: &&Posted| m.channel == Some(channel) || m.webhook == Some(channel);
        state.messages.iter().filter(to).cloned().collect()
    }

    /// The reply body given to interaction `id`.
    pub fn reply(&self, id: &str) -> Option<Value> {
        let state = self.shared.lock();
        state
            .replies
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, b)| b.clone())
    }

    /// How many interactions were answered "thinking" first (deferred).
    pub fn deferred(&self) -> usize {
        self.shared.lock().deferred.len()
    }

    /// The commands last registered.
    pub fn commands(&self) -> Option<Value> {
        self.shared.lock().commands.clone()
    }

    /// How many 429 answers were given.
    pub fn rate_limited(&self) -> usize {
        let state = self.shared.lock();
        state.requests.iter().filter(|r| r.status == 429).count()
    }

    pub fn violations(&self) -> Vec<String> {
        self.shared.lock().violations.clone()
    }

    /// Waits until `cond` holds on the state, or `within` passes; returns whether it held.
    pub async fn wait(&self, within: Duration, cond: impl Fn(&State) -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let notified = self.shared.changed.notified();
            if cond(&self.shared.lock()) {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return cond(&self.shared.lock());
            }
        }
    }

    /// Waits for a gateway session that identified and for the commands to be registered.
    pub async fn wait_ready(&self, within: Duration) -> bool {
        self.wait(within, |s| s.identified > 0 && s.commands.is_some())
            .await
    }

    /// Waits until `n` messages went to `channel` (or webhook id).
    pub async fn wait_messages(&self, channel: u64, n: usize, within: Duration) -> Vec<Posted> {
        self.wait(within, |s| {
            let to = |m: &&Posted| m.channel == Some(channel) || m.webhook == Some(channel);
            s.messages.iter().filter(to).count() >= n
        })
        .await;
        self.messages_to(channel)
    }

    /// Waits for the reply to interaction `id`.
    pub async fn wait_reply(&self, id: &str, within: Duration) -> Option<Value> {
        self.wait(within, |s| s.replies.iter().any(|(i, _)| i == id))
            .await;
        self.reply(id)
    }

    /// Waits until some message to `channel` has `n` edits.
    pub async fn wait_edits(&self, channel: u64, n: usize, within: Duration) -> Vec<Posted> {
        self.wait(within, |s| {
            s.messages
                .iter()
                .any(|m| m.channel == Some(channel) && m.edits.len() >= n)
        })
        .await;
        self.messages_to(channel)
    }
}
