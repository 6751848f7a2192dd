//! Fake Telegram Bot API on 127.0.0.1:0 (axum) for integration tests and benchmarks, driven by
//! the real teloxide client: `POST /bot{token}/{Method}` with JSON or multipart bodies, answered
//! `{"ok":true,"result":…}` or Telegram's error shapes so teloxide maps them to its own errors.
//!
//! It scripts incoming updates (long-polled by getUpdates), chats and admins; records every call
//! and every sent or edited message; checks HTML with sokbo's checker and Telegram's length and
//! button rules; enforces send limits ([`Limits`]); and injects faults per chat (blocked, kicked,
//! chat not found, migrated, …) or for the next N requests (500, 429 storms).
//!
//! Like production: `set_latency` delays every answer (all methods, getUpdates included) by a
//! fixed time after the request was processed (limits count at arrival, as Telegram's would),
//! concurrent requests waiting side by side; `set_send_error_rate` answers a seeded fraction of
//! sends with a real HTTP 500 that records nothing and counts against no limit; and
//! [`ChatFault::Hang`] never answers the requests aimed at a chat.
//!
//! Server errors and HTTP status: teloxide sleeps 10 s on any HTTP 5xx before reading the body,
//! while sokbo's own alert client (sendMessage, sendPhoto, editMessageText, editMessageCaption)
//! answers at once. So an injected 500 carries the real HTTP status 500 on those four methods,
//! and on every method for [`ChatFault::ServerError`] and the send error rate; on other methods
//! ([`Transient::ServerError`] on getMe, getUpdates, …) it goes out with HTTP status 200 and
//! Telegram's body (`{"ok":false,"error_code":500,"description":"Internal Server Error"}`), which
//! teloxide reports at once as `ApiError::Unknown("Internal Server Error")`, unless
//! `set_real_server_errors(true)`. Command replies go through teloxide's sendMessage: a real 500
//! there costs teloxide's 10 s, so turn send faults on after a test's commands were answered.
//!
//! Shuts down when dropped (hanging requests then end).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use serde_json::json;
use tokio::task::JoinHandle;

mod chats;
mod faults;
pub mod files;
mod handler;
pub mod limits;
mod multipart;
mod polling;
mod send;
mod state;
pub mod updates;

pub use limits::{Limiter, Limits};
pub use state::{Call, ChatFault, ErrorReply, Role, SentMessage, Transient};
pub use updates::{BOT_ID, BOT_USERNAME, GROUP_ANONYMOUS_BOT_ID, Incoming, TgChat, TgUser};

use state::{PendingFault, Shared};

/// The token tests give teloxide (its id is [`BOT_ID`]).
pub const TOKEN: &str = "123456:TEST-token_for_sokbo";

/// Handle to a running fake Bot API.
pub struct TelegramServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Drop for TelegramServer {
    fn drop(&mut self) {
        self.shared.closed.cancel();
        self.task.abort();
    }
}

impl TelegramServer {
    /// Binds 127.0.0.1 on an ephemeral port and serves until dropped.
    pub async fn start() -> TelegramServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let shared = Arc::new(Shared::new());
        let app = Router::new()
            .fallback(handler::handle)
            .with_state(shared.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        TelegramServer { addr, shared, task }
    }

    /// The API base URL for teloxide's `set_api_url` or the `telegram.api_url` setting.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn api_url(&self) -> url::Url {
        url::Url::parse(&self.url()).expect("loopback URL parses")
    }

    /// A teloxide bot with [`TOKEN`] pointed at this server.
    pub fn bot(&self) -> teloxide::Bot {
        teloxide::Bot::new(TOKEN).set_api_url(self.api_url())
    }

    // --- configuration -----------------------------------------------------------------

    /// Answers 401 "Unauthorized" (ApiError::InvalidToken) to any other token.
    pub fn require_token(&self, token: &str) {
        self.shared.lock().required_token = Some(token.to_owned());
    }

    pub fn set_limits(&self, limits: Limits) {
        self.shared.lock().limits = limits;
    }

    /// Injected 500s of methods besides the alert ones with the real HTTP status too (teloxide
    /// then waits 10 s) instead of 200.
    pub fn set_real_server_errors(&self, on: bool) {
        self.shared.lock().real_server_errors = on;
    }

    /// Describes a chat (kind, title, username) for answers, getChat and "@username" targets.
    pub fn add_chat(&self, chat: &TgChat) {
        self.shared.lock().chats.insert(chat.id, chat.clone());
    }

    /// Sets `user`'s role in `chat` (getChatMember, and getChatAdministrators for admins).
    pub fn set_member(&self, chat: i64, user: &TgUser, role: Role) {
        let mut state = self.shared.lock();
        let members = state.members.entry(chat).or_default();
        members.retain(|(u, _)| u.id != user.id);
        members.push((user.clone(), role));
    }

    /// Replaces the admins of `chat`.
    pub fn set_admins(&self, chat: i64, admins: &[(TgUser, Role)]) {
        let mut state = self.shared.lock();
        let members = state.members.entry(chat).or_default();
        members.retain(|(_, r)| !matches!(r, Role::Creator | Role::Admin | Role::AnonymousAdmin));
        members.extend(admins.iter().cloned());
    }

    /// Every answer waits `latency` after its request was processed; `Duration::ZERO` turns it
    /// off. Requests wait in parallel, not in turn.
    pub fn set_latency(&self, latency: Duration) {
        self.shared.lock().latency = latency;
    }

    /// Answers `fraction` (0.0–1.0) of sendMessage / sendPhoto requests with a real HTTP 500
    /// and Telegram's body, without recording the message or counting it against the limits.
    /// One `f64()` draw of `fastrand::Rng::with_seed(seed)` per send with a valid token, in
    /// arrival order; a draw below `fraction` fails. 0.0 turns it off.
    pub fn set_send_error_rate(&self, fraction: f64, seed: u64) {
        self.shared.lock().send_errors =
            (fraction > 0.0).then(|| (fraction, fastrand::Rng::with_seed(seed)));
    }

    // --- faults ------------------------------------------------------------------------

    /// Every request aimed at `chat` fails with `fault` until cleared.
    pub fn fail_chat(&self, chat: i64, fault: ChatFault) {
        self.shared.lock().chat_faults.insert(chat, fault);
    }

    pub fn clear_chat_fault(&self, chat: i64) {
        self.shared.lock().chat_faults.remove(&chat);
    }

    /// The next `n` requests of any method fail with `fault`.
    pub fn fail_next(&self, n: usize, fault: Transient) {
        self.push_fault(None, n, fault);
    }

    /// The next `n` requests aimed at `chat` fail with `fault`.
    pub fn fail_next_for(&self, chat: i64, n: usize, fault: Transient) {
        self.push_fault(Some(chat), n, fault);
    }

    fn push_fault(&self, chat: Option<i64>, remaining: usize, fault: Transient) {
        self.shared.lock().pending_faults.push(PendingFault {
            chat,
            fault,
            remaining,
        });
    }

    // --- incoming updates --------------------------------------------------------------

    /// Queues `update` for getUpdates; returns its update_id.
    pub fn push(&self, update: Incoming) -> i64 {
        let id = {
            let mut state = self.shared.lock();
            let id = state.next_update_id;
            state.next_update_id += 1;
            let mut payload = update.payload;
            if update.kind == "callback_query" {
                payload["id"] = json!(format!("cbq{id}"));
                payload["message"]["date"] = json!(send::unix_now());
            } else {
                payload["date"] = json!(send::unix_now());
            }
            if let Some(chat) = update.numbered_in {
                payload["message_id"] = json!(state.next_message_id(chat));
            }
            state
                .updates
                .push_back(json!({ "update_id": id, update.kind: payload }));
            id
        };
        self.shared.bump();
        id
    }

    /// Updates queued and not yet confirmed by a later offset.
    pub fn pending_updates(&self) -> usize {
        self.shared.lock().updates.len()
    }
}

mod records;
