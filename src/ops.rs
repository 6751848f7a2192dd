//! Operations wiring: the `[server]` endpoints (/healthz, /metrics, /ping, /websub) on the
//! running bot.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::Context;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::Config;
use crate::metrics::Metrics;
use crate::server::{Health, HealthFn, PingFn, PingOutcome, ServerState, WebSubRoutes, serve};
use crate::store::Store;
use crate::websub::unix_now;

/// Per-feed "poll now" triggers, by feed name.
pub type Triggers = HashMap<String, Arc<Notify>>;

/// Whether a platform is up now (for /healthz).
pub type PlatformUp = Arc<dyn Fn() -> bool + Send + Sync>;

/// What the endpoints serve from.
pub struct ServerParts {
    pub store: Store,
    pub metrics: Metrics,
    pub triggers: Triggers,
    /// The platforms running, each with its live check (for /healthz).
    pub platforms: Vec<(String, PlatformUp)>,
    /// The WebSub callback, when `[server] public_url` is set.
    pub websub: Option<WebSubRoutes>,
}

/// Binds `[server] listen` and serves until `shutdown`; does nothing without `[server]`.
pub async fn spawn_server(
    config: &Config,
    parts: ServerParts,
    tracker: &TaskTracker,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let Some(server) = &config.server else {
        return Ok(());
    };
    let ServerParts {
        store,
        metrics,
        triggers,
        platforms,
        websub,
    } = parts;
    let listener = tokio::net::TcpListener::bind(&server.listen)
        .await
        .with_context(|| format!("server.listen: cannot listen on {}", server.listen))?;
    let feeds: Vec<String> = config.feeds.iter().map(|f| f.name.clone()).collect();
    let health: HealthFn = Arc::new(move || health(&store, &feeds, &platforms));
    let ping: PingFn = Arc::new(move |feed: &str| match triggers.get(feed) {
        Some(now) => {
            now.notify_one();
            PingOutcome::Started
        }
        None => PingOutcome::UnknownFeed,
    });
    let mut state = ServerState::new(metrics, &server.ping_token, health, ping);
    if let Some(websub) = websub {
        state = state.with_websub(websub);
    }
    tracing::info!(listen = %server.listen, websub = state.websub.is_some(), "HTTP endpoints up: /healthz /metrics /ping");
    tracker.spawn(async move {
        if let Err(e) = serve(listener, state, shutdown).await {
            tracing::error!("HTTP server stopped: {e}");
        }
    });
    Ok(())
}

/// What /healthz reports: the store answers, each platform's live state, failing feeds,
/// WebSub subscriptions, the outbox depth and how long its oldest delivery has waited.
fn health(store: &Store, feeds: &[String], platforms: &[(String, PlatformUp)]) -> Health {
    let mut store_ok = true;
    let mut feeds_failing = Vec::new();
    let mut websub = Vec::new();
    let now = unix_now();
    for feed in feeds {
        match store.feed_state(feed) {
            Ok(state) if state.failures > 0 => feeds_failing.push(feed.clone()),
            Ok(_) => {}
            Err(_) => store_ok = false,
        }
        match store.websub(feed) {
            Ok(Some(sub)) => websub.push((feed.clone(), sub.label(now).to_owned())),
            Ok(None) => {}
            Err(_) => store_ok = false,
        }
    }
    let outbox_oldest = store
        .outbox_oldest(chrono::Utc::now().timestamp_millis())
        .unwrap_or_else(|_| {
            store_ok = false;
            None
        });
    Health {
        store_ok,
        platforms: platforms
            .iter()
            .map(|(name, up)| (name.clone(), up()))
            .collect(),
        feeds_failing,
        outbox_depth: store.outbox_len(),
        outbox_oldest,
        websub,
    }
}
