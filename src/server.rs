//! The optional HTTP endpoints: `GET /healthz`, `GET /metrics`, `POST /ping?feed=NAME`, and the
//! WebSub callback `GET|POST /websub/{id}`.
//!
//! The server is axum's router on hyper's HTTP/1 connections, driven by its own accept loop so
//! that slow clients are cut off (header read timeout), connections are capped, and shutdown
//! waits a bounded time for requests in flight.

mod auth;
mod routes;
mod websub;

use std::io;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::metrics::Metrics;
use crate::model::Platform;

pub use auth::{Access, PingAuth};
pub use routes::{health_json, router};
pub use websub::{Intent, IntentOutcome, PushOutcome, WebSubHandler, WebSubRoutes, parse_intent};

/// How long a client may take to send a request's headers.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at the same time; further ones wait in the listen backlog.
pub const MAX_CONNECTIONS: usize = 256;
/// How long shutdown waits for requests in flight before closing their connections.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// Largest request body accepted outside `/websub` (no other route reads one; larger ones get 413).
pub const MAX_BODY_BYTES: u64 = 1024;

/// The state of the parts `/healthz` reports on, read at each request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Health {
    /// The store answers reads.
    pub store_ok: bool,
    /// Each running platform and whether it is up.
    pub platforms: Vec<(Platform, bool)>,
    /// Feeds whose last fetch failed.
    pub feeds_failing: Vec<String>,
    /// Deliveries waiting in the outbox.
    pub outbox_depth: usize,
    /// How long the oldest waiting delivery has waited, when known.
    pub outbox_oldest: Option<Duration>,
    /// Each feed with a WebSub subscription and its state (`verified`, `pending`, `denied`,
    /// `failed`, `expired`).
    pub websub: Vec<(String, String)>,
    /// This node's role in its cluster (PostgreSQL only).
    pub node: Option<NodeRole>,
}

/// What one node of a cluster does now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeRole {
    pub id: String,
    /// Every lease this node keeps or waits for, with the time left when it holds it.
    pub leases: Vec<(String, Option<Duration>)>,
    /// Feeds this node has claimed for polling now.
    pub claimed_feeds: u64,
    /// Worst lateness of a poll in the last minute.
    pub poll_lag: Duration,
}

impl Health {
    /// Up when the store and every configured platform are; failing feeds do not count
    /// (they are other people's servers).
    pub fn is_up(&self) -> bool {
        self.store_ok && self.platforms.iter().all(|(_, up)| *up)
    }
}

/// What a ping did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PingOutcome {
    /// A poll of the feed was started (or woken).
    Started,
    /// A poll of the feed is in flight already; no second one is started.
    AlreadyRunning,
    /// No feed has that name.
    UnknownFeed,
}

/// Reads the current [`Health`]; called on each `/healthz` and `/metrics` request.
pub type HealthFn = Arc<dyn Fn() -> futures_util::future::BoxFuture<'static, Health> + Send + Sync>;
/// Asks for a poll of the named feed now; must not block.
pub type PingFn = Arc<dyn Fn(&str) -> PingOutcome + Send + Sync>;

/// What the handlers share.
#[derive(Clone)]
pub struct ServerState {
    pub metrics: Metrics,
    pub ping_auth: PingAuth,
    pub health: HealthFn,
    pub ping: PingFn,
    /// The WebSub callback; `None` answers 404 on `/websub/…`.
    pub websub: Option<WebSubRoutes>,
}

impl ServerState {
    /// `ping_token` is `server.ping_token`; empty turns `/ping` off (403 for every request).
    pub fn new(metrics: Metrics, ping_token: &str, health: HealthFn, ping: PingFn) -> ServerState {
        ServerState {
            metrics,
            ping_auth: PingAuth::new(ping_token),
            health,
            ping,
            websub: None,
        }
    }

    /// Serves the WebSub callback routes with `websub`.
    pub fn with_websub(mut self, websub: WebSubRoutes) -> ServerState {
        self.websub = Some(websub);
        self
    }
}

impl std::fmt::Debug for ServerState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerState")
            .field("ping_auth", &self.ping_auth)
            .field("websub", &self.websub.is_some())
            .finish_non_exhaustive()
    }
}

/// Serves the endpoints on `listener` until `shutdown` is cancelled, then stops accepting, lets
/// requests in flight finish (at most [`SHUTDOWN_GRACE`]) and returns.
pub async fn serve(
    listener: TcpListener,
    state: ServerState,
    shutdown: CancellationToken,
) -> io::Result<()> {
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "HTTP endpoints listening");
    }
    let app = router(state);
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut connections = JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        let slot = tokio::select! {
            _ = shutdown.cancelled() => break,
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
        };
        let accepted = tokio::select! {
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, _peer)) => {
                connections.spawn(connection(stream, app.clone(), shutdown.clone(), slot));
            }
            Err(e) if is_per_connection(&e) => {}
            Err(e) => {
                // Out of file descriptors and the like: wait a little instead of spinning.
                tracing::warn!("accepting an HTTP connection failed: {e}");
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
            }
        }
    }
    drop(listener);
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            open = connections.len(),
            "HTTP connections still open after {SHUTDOWN_GRACE:?}; closing them"
        );
        connections.shutdown().await;
    }
    Ok(())
}

/// Errors that concern one connection only; accepting goes on at once.
fn is_per_connection(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Serves one connection; on shutdown, finishes the request in flight and closes.
async fn connection(
    stream: TcpStream,
    app: axum::Router,
    shutdown: CancellationToken,
    _slot: OwnedSemaphorePermit,
) {
    let service = TowerToHyperService::new(app);
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .max_buf_size(64 * 1024);
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    let mut conn = std::pin::pin!(conn);
    let result = tokio::select! {
        biased;
        result = conn.as_mut() => result,
        _ = shutdown.cancelled() => {
            conn.as_mut().graceful_shutdown();
            conn.await
        }
    };
    if let Err(e) = result {
        tracing::debug!("HTTP connection ended: {e}");
    }
}
