//! Operations wiring: the `[server]` endpoints (/healthz, /metrics, /ping) on the running bot.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::Context;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::Config;
use crate::metrics::Metrics;
use crate::server::{Health, HealthFn, PingFn, PingOutcome, ServerState, serve};
use crate::store::Store;

/// Per-feed "poll now" triggers, by feed name.
pub type Triggers = HashMap<String, Arc<Notify>>;

/// Binds `[server] listen` and serves until `shutdown`; does nothing without `[server]`.
pub async fn spawn_server(
    config: &Config,
    store: Store,
    metrics: Metrics,
    triggers: Triggers,
    platforms: Vec<String>,
    tracker: &TaskTracker,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let Some(server) = &config.server else {
        return Ok(());
    };
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
    let state = ServerState::new(metrics, &server.ping_token, health, ping);
    tracing::info!(listen = %server.listen, "HTTP endpoints up: /healthz /metrics /ping");
    tracker.spawn(async move {
        if let Err(e) = serve(listener, state, shutdown).await {
            tracing::error!("HTTP server stopped: {e}");
        }
    });
    Ok(())
}

/// What /healthz reports: the store answers, the platforms connected at start, failing feeds,
/// and the outbox depth.
fn health(store: &Store, feeds: &[String], platforms: &[String]) -> Health {
    let mut store_ok = true;
    let mut feeds_failing = Vec::new();
    for feed in feeds {
        match store.feed_state(feed) {
            Ok(state) if state.failures > 0 => feeds_failing.push(feed.clone()),
            Ok(_) => {}
            Err(_) => store_ok = false,
        }
    }
    Health {
        store_ok,
        platforms: platforms.iter().map(|p| (p.clone(), true)).collect(),
        feeds_failing,
        outbox_depth: store.outbox_len(),
        outbox_oldest: None,
    }
}
