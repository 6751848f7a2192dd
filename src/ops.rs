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
use crate::model::Platform;
use crate::server::{
    Health, HealthFn, NodeRole, PingFn, PingOutcome, ServerState, WebSubRoutes, serve,
};
use crate::storage::Store;
use crate::websub::unix_now;

/// Per-feed "poll now" triggers, by feed name.
pub type Triggers = HashMap<String, Arc<Notify>>;

/// Whether a platform is up now (for /healthz).
pub type PlatformUp = Arc<dyn Fn() -> bool + Send + Sync>;

/// This node's role in its cluster now (for /healthz and /metrics).
pub type NodeFn = Arc<dyn Fn() -> NodeRole + Send + Sync>;

/// What the endpoints serve from.
pub struct ServerParts {
    pub store: Store,
    pub metrics: Metrics,
    pub triggers: Triggers,
    /// The platforms running, each with its live check (for /healthz).
    pub platforms: Vec<(Platform, PlatformUp)>,
    /// The WebSub callback, when `[server] public_url` is set.
    pub websub: Option<WebSubRoutes>,
    /// Present on a PostgreSQL store (a cluster of one or more).
    pub node: Option<NodeFn>,
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
        node,
    } = parts;
    let listener = tokio::net::TcpListener::bind(&server.listen)
        .await
        .with_context(|| format!("server.listen: cannot listen on {}", server.listen))?;
    let feeds: Vec<String> = config.feeds.iter().map(|f| f.name.clone()).collect();
    let feeds = Arc::new(feeds);
    let platforms = Arc::new(platforms);
    let health: HealthFn = Arc::new(move || {
        let (store, feeds, platforms) = (store.clone(), feeds.clone(), platforms.clone());
        let node = node.as_ref().map(|node| node());
        Box::pin(async move {
            let mut health = health(&store, &feeds, &platforms).await;
            health.node = node;
            health
        })
    });
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
async fn health(store: &Store, feeds: &[String], platforms: &[(Platform, PlatformUp)]) -> Health {
    let platforms = platforms
        .iter()
        .map(|(platform, up)| (*platform, up()))
        .collect();
    let mut health = Health {
        store_ok: false,
        platforms,
        feeds_failing: Vec::new(),
        outbox_depth: 0,
        outbox_oldest: None,
        websub: Vec::new(),
        node: None,
    };
    // A database that went away must not hold /healthz up: it answers "down" in time.
    match tokio::time::timeout(STORE_CHECK, store_report(store, feeds, &mut health)).await {
        Ok(Ok(())) => health.store_ok = true,
        Ok(Err(e)) => tracing::warn!("healthz: store down: {e}"),
        Err(_) => tracing::warn!("healthz: store did not answer within {STORE_CHECK:?}"),
    }
    health
}

/// Longest wait for the store's part of /healthz.
const STORE_CHECK: std::time::Duration = std::time::Duration::from_secs(2);

/// The store's part of /healthz: failing feeds, WebSub states, outbox depth and age.
async fn store_report(
    store: &Store,
    feeds: &[String],
    health: &mut Health,
) -> Result<(), crate::storage::StoreError> {
    let now = unix_now();
    store.ping().await?;
    for feed in feeds {
        if store.feed_state(feed).await?.failures > 0 {
            health.feeds_failing.push(feed.clone());
        }
        if let Some(sub) = store.websub(feed).await? {
            health
                .websub
                .push((feed.clone(), sub.label(now).to_owned()));
        }
    }
    health.outbox_depth = store.outbox_len().await?;
    health.outbox_oldest = store
        .outbox_oldest(chrono::Utc::now().timestamp_millis())
        .await?;
    Ok(())
}
