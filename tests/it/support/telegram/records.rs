//! What tests read back from the fake: sent and edited messages, calls, error answers, 429
//! counts, commands, callback answers, and waits on any of them with a deadline.

use std::time::Duration;

use serde_json::Value;

use super::{Call, ErrorReply, SentMessage, TelegramServer};

impl TelegramServer {
    /// Messages accepted by sendMessage / sendPhoto, in order.
    pub fn messages(&self) -> Vec<SentMessage> {
        self.shared.lock().messages.clone()
    }

    /// Messages accepted for `chat`.
    pub fn messages_to(&self, chat: i64) -> Vec<SentMessage> {
        let state = self.shared.lock();
        state
            .messages
            .iter()
            .filter(|m| m.chat_id == chat)
            .cloned()
            .collect()
    }

    /// Accepted editMessageText / editMessageCaption calls, in order.
    pub fn edits(&self) -> Vec<SentMessage> {
        self.shared.lock().edits.clone()
    }

    /// Every request received (including refused ones), in order.
    pub fn calls(&self) -> Vec<Call> {
        self.shared.lock().calls.clone()
    }

    /// The parameters of every call of `method` (case-insensitive).
    pub fn calls_of(&self, method: &str) -> Vec<Value> {
        let state = self.shared.lock();
        state
            .calls
            .iter()
            .filter(|c| c.method.eq_ignore_ascii_case(method))
            .map(|c| c.params.clone())
            .collect()
    }

    /// How many requests of `method` (case-insensitive) arrived.
    pub fn requests(&self, method: &str) -> usize {
        let state = self.shared.lock();
        state
            .calls
            .iter()
            .filter(|c| c.method.eq_ignore_ascii_case(method))
            .count()
    }

    /// Every error answer given, in order.
    pub fn errors(&self) -> Vec<ErrorReply> {
        self.shared.lock().errors.clone()
    }

    /// How many 429 answers were given (limits and injected storms).
    pub fn too_many_requests(&self) -> usize {
        self.shared
            .lock()
            .errors
            .iter()
            .filter(|e| e.code == 429)
            .count()
    }

    /// The commands last set by setMyCommands.
    pub fn commands(&self) -> Option<Value> {
        self.shared.lock().commands.clone()
    }

    /// The parameters of every answerCallbackQuery call.
    pub fn callback_answers(&self) -> Vec<Value> {
        self.calls_of("AnswerCallbackQuery")
    }

    /// Waits until `condition` holds (checked now and after every request), up to `timeout`.
    pub async fn wait_for(
        &self,
        timeout: Duration,
        condition: impl Fn(&TelegramServer) -> bool,
    ) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut changes = self.shared.changed.subscribe();
        loop {
            changes.borrow_and_update();
            if condition(self) {
                return true;
            }
            match tokio::time::timeout_at(deadline, changes.changed()).await {
                Ok(Ok(())) => {}
                _ => return condition(self),
            }
        }
    }

    /// Waits until at least `n` messages were accepted.
    pub async fn wait_for_messages(&self, n: usize, timeout: Duration) -> bool {
        self.wait_for(timeout, |s| s.shared.lock().messages.len() >= n)
            .await
    }

    /// Waits until at least `n` edits were accepted.
    pub async fn wait_for_edits(&self, n: usize, timeout: Duration) -> bool {
        self.wait_for(timeout, |s| s.shared.lock().edits.len() >= n)
            .await
    }

    /// Waits until at least `n` requests of `method` arrived.
    pub async fn wait_for_requests(&self, method: &str, n: usize, timeout: Duration) -> bool {
        self.wait_for(timeout, |s| s.requests(method) >= n).await
    }
}
