//! Fake Discord for integration tests, driven by the real serenity client and sokbo's REST
//! client: REST on 127.0.0.1:0 (axum: gateway URL, current user, application commands, channel
//! and webhook messages, interaction callbacks) and a gateway on a local websocket (Hello,
//! Identify → READY, heartbeat ACK, INTERACTION_CREATE pushed by tests).
//!
//! It records every request, message, edit and interaction reply (with its files) and hosts
//! attachments to download (see [`files`]); checks embeds against Discord's limits; and injects
//! faults per channel (429 with retry_after, 403 Missing Access, 404 Unknown Channel, 500). Like production, REST answers can wait a fixed latency
//! (`set_latency`) and a seeded fraction of message creates can fail with HTTP 500
//! (`set_error_rate`). Shuts down when dropped.

mod files;
mod gateway;
pub mod json;
mod limits;
mod records;
mod rest;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::{Notify, mpsc};
use tokio::task::JoinHandle;

/// The bot token tests configure (three dot-separated parts, like a real one).
pub const TOKEN: &str = "MTA5OTk5OTk5OTk5OTk5OTk5.GaBcDe.fake-discord-token_for_sokbo_tests_0123";
/// The bot's user id and the application id READY announces.
pub const BOT_ID: u64 = 1_099_999_999_999_999_999;
pub const APP_ID: u64 = 1_088_888_888_888_888_888;
pub const GUILD_ID: u64 = 1_077_777_777_777_777_777;

/// A fault a channel (or webhook id) answers with.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// The next `times` posts get 429 with this retry_after (seconds).
    RateLimited { retry_after: f64, times: usize },
    /// 403 Missing Access (code 50001), every time.
    MissingAccess,
    /// 404 Unknown Channel (code 10003), every time.
    UnknownChannel,
    /// The next `times` posts get 500.
    ServerError { times: usize },
}

/// One request as received.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
    #[allow(dead_code)] // harness API that no test uses yet
    pub body: Value,
    pub status: u16,
}

/// One message posted to a channel or through a webhook, with its later edits.
#[derive(Debug, Clone)]
pub struct Posted {
    pub id: String,
    pub channel: Option<u64>,
    pub webhook: Option<u64>,
    pub body: Value,
    pub edits: Vec<Value>,
}

#[derive(Default)]
pub struct State {
    pub requests: Vec<Request>,
    pub messages: Vec<Posted>,
    pub replies: Vec<(String, Value)>,
    /// Interactions answered "thinking" (type 5), by token: their reply comes as an edit of
    /// `@original`.
    pub deferred: HashMap<String, (String, Value)>,
    pub commands: Option<Value>,
    pub faults: HashMap<u64, Fault>,
    pub identified: usize,
    pub heartbeats: usize,
    pub next_id: u64,
    pub seq: u64,
    pub sessions: Vec<mpsc::UnboundedSender<String>>,
    /// Problems found in what the bot sent (limits broken, bad shapes).
    pub violations: Vec<String>,
    /// Each channel's bucket holds one message per this long (announced in the headers).
    pub bucket: Option<Duration>,
    /// New gateway connections are closed at once.
    pub refuse_gateway: bool,
    pub last_post: HashMap<u64, std::time::Instant>,
    /// Every REST answer waits this long after its request was processed.
    pub latency: Duration,
    /// (fraction, generator): message creates drawing below the fraction get a 500.
    pub create_errors: Option<(f64, fastrand::Rng)>,
    /// Arrival times of bot requests in the last second (Discord's global 50 a second).
    pub global: std::collections::VecDeque<std::time::Instant>,
    /// Files requests uploaded (multipart bodies), in arrival order.
    pub uploads: Vec<files::Upload>,
    /// Hosted attachments by path, and how many downloads were asked for.
    pub attachments: HashMap<String, Vec<u8>>,
    pub downloads: usize,
}

pub(crate) struct Shared {
    state: Mutex<State>,
    changed: Notify,
    pub gateway_url: String,
}

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the state and wakes waiters.
    pub fn update<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let out = f(&mut self.lock());
        self.changed.notify_waiters();
        out
    }
}

/// Handle to a running fake Discord.
pub struct DiscordServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for DiscordServer {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl DiscordServer {
    /// Binds REST and gateway listeners on 127.0.0.1 ephemeral ports.
    pub async fn start() -> DiscordServer {
        let rest = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let ws = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = rest.local_addr().unwrap();
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                next_id: 1_200_000_000_000_000_000,
                ..State::default()
            }),
            changed: Notify::new(),
            gateway_url: format!("ws://{}", ws.local_addr().unwrap()),
        });
        let app = rest::router(shared.clone());
        let tasks = vec![
            tokio::spawn(async move {
                let _ = axum::serve(rest, app).await;
            }),
            tokio::spawn(gateway::serve(ws, shared.clone())),
        ];
        DiscordServer {
            addr,
            shared,
            tasks,
        }
    }

    /// The `discord.api_url` setting.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A webhook URL of Discord's form (its path is resolved against `discord.api_url`).
    pub fn webhook_url(id: u64) -> String {
        format!(
            "https://discord.com/api/webhooks/{id}/{}",
            json::WEBHOOK_TOKEN
        )
    }

    pub fn fail(&self, channel: u64, fault: Fault) {
        self.shared.update(|s| s.faults.insert(channel, fault));
    }

    /// Drops every gateway session without a closing handshake and, while `refuse` holds, drops
    /// new connections before the websocket handshake: a gateway outage.
    pub fn drop_gateway(&self, refuse: bool) {
        self.shared.update(|s| {
            s.refuse_gateway = refuse;
            for tx in s.sessions.drain(..) {
                let _ = tx.send(gateway::CLOSE.to_owned());
            }
        });
    }

    /// Lets gateway connections in again.
    pub fn allow_gateway(&self) {
        self.shared.update(|s| s.refuse_gateway = false);
    }

    /// Every channel's bucket empties with each message and refills after `reset`: answers
    /// announce it (`X-RateLimit-Remaining: 0`), and a message sent sooner gets a 429.
    pub fn set_bucket(&self, reset: Duration) {
        self.shared.update(|s| s.bucket = Some(reset));
    }

    /// Every REST answer waits `latency` after its request was processed (buckets count at
    /// arrival); `Duration::ZERO` turns it off. Requests wait in parallel, not in turn.
    pub fn set_latency(&self, latency: Duration) {
        self.shared.update(|s| s.latency = latency);
    }

    /// Answers `fraction` (0.0–1.0) of message creates (channel messages and webhook posts) with
    /// HTTP 500 "500: Internal Server Error", before any fault or bucket: nothing is recorded but
    /// the request, and the bucket is not touched. One `f64()` draw of
    /// `fastrand::Rng::with_seed(seed)` per create, in arrival order; a draw below `fraction`
    /// fails. 0.0 turns it off.
    pub fn set_error_rate(&self, fraction: f64, seed: u64) {
        let errors = (fraction > 0.0).then(|| (fraction, fastrand::Rng::with_seed(seed)));
        self.shared.update(|s| s.create_errors = errors);
    }

    #[allow(dead_code)] // harness API that no test uses yet
    pub fn clear_fault(&self, channel: u64) {
        self.shared.update(|s| s.faults.remove(&channel));
    }

    /// Sends INTERACTION_CREATE with `interaction` on every open gateway session; returns how
    /// many sessions got it.
    pub fn push_interaction(&self, interaction: Value) -> usize {
        self.shared.update(|s| {
            s.seq += 1;
            let frame = serde_json::json!({
                "op": 0, "s": s.seq, "t": "INTERACTION_CREATE", "d": interaction
            })
            .to_string();
            s.sessions.retain(|tx| !tx.is_closed());
            s.sessions
                .iter()
                .filter(|tx| tx.send(frame.clone()).is_ok())
                .count()
        })
    }
}
