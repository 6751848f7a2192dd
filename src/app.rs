//! Wiring: builds the store, notifiers and sources, spawns their tasks, and waits for them on shutdown.

mod chat_feeds;
mod platforms;

use std::sync::Arc;

use anyhow::Context;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::chat_feeds::polling::run_local;
use crate::cluster::{Cluster, LeaseView};
use crate::config::{Config, ConsoleMode, FeedSource, RouteConfig};
use crate::delivery::{Engine, Settings, follow};
use crate::metrics::Metrics;
use crate::model::Target;
use crate::ops::{NodeFn, ServerParts, Triggers, spawn_server};
use crate::pipeline::Pipeline;
use crate::platform::Notifiers;
use crate::platform::console::ConsoleOut;
use crate::platform::telegram::SubscriptionEvents;
use crate::server::NodeRole;
use crate::server::WebSubRoutes;
use crate::source::article::ArticleFetcher;
use crate::source::claims::{ChatFeedConfigs, FeedClaims};
use crate::source::http::Fetcher;
use crate::source::jekyll::SiteOptions;
use crate::source::poll::{Limits, Poller};
use crate::source::watch::watch_dir;
use crate::storage::SubscriptionStore;
use crate::storage::{Location, Store};
use crate::websub::{Callbacks, WebSub};

/// Runs the bot until `shutdown` is cancelled, printing console alerts to stdout.
pub async fn run(config: Config, shutdown: CancellationToken) -> anyhow::Result<()> {
    run_with(config, shutdown, ConsoleOut::Stdout).await
}

/// Runs the bot until `shutdown` is cancelled; console alerts go to `console`.
pub async fn run_with(
    config: Config,
    shutdown: CancellationToken,
    console: ConsoleOut,
) -> anyhow::Result<()> {
    // Our own child of the caller's token, so a failed start can stop what it started.
    let shutdown = shutdown.child_token();
    let location = config.store_location();
    if let Location::Sled(dir) = &location {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the data folder {}", dir.display()))?;
    }
    let mut store = Store::open(&location)
        .await
        .context("opening the data store")?;
    if !config.cluster.listen {
        store = store.without_notify();
    }
    tracing::info!(store = %store.describe(), "store open");
    let mut cluster = match store.cluster() {
        Some(cs) => Some(Cluster::join(cs, &config.cluster).await?),
        None => None,
    };

    let mut platforms = platforms::connect(&config, &store, console).await?;
    let leases: Vec<LeaseView> = match &mut cluster {
        Some(cluster) => platforms.leases.iter().map(|n| cluster.lease(n)).collect(),
        None => vec![LeaseView::solo(); platforms.leases.len()],
    };
    let subs = SubscriptionStore::new(store.clone());
    let console_on = platforms.console_on;
    let routes = active_routes(&config.routes, &platforms.notifiers);

    let metrics = Metrics::new();
    for (platform, _) in &platforms.health {
        metrics.register_platform(*platform);
    }
    // A node waiting for a platform's lease is standing by, not down.
    for ((_, up), lease) in platforms.health.iter_mut().zip(&leases) {
        let (check, lease) = (up.clone(), lease.clone());
        *up = Arc::new(move || lease.held().is_none() || check());
    }
    let events = Arc::new(SubscriptionEvents { subs: subs.clone() });
    let (engine, queue) = Engine::new(
        store.clone(),
        platforms.notifiers.clone(),
        Settings::from(&config.delivery),
    );
    let fetcher = Fetcher::new(&config.http).context("building the HTTP client")?;
    let limits = Limits::new(&config.http);
    let articles = ArticleFetcher::new(fetcher.clone(), limits.clone(), metrics.clone());
    let pipeline = Arc::new(
        Pipeline::new(store.clone(), &config, routes, console_on, queue.clone())
            .with_subscriptions(subs, platforms.chats.clone())
            .with_metrics(metrics.clone())
            .with_full_text(Arc::new(articles)),
    );
    let tracker = TaskTracker::new();
    let mut engine = engine.with_events(events).with_metrics(metrics.clone());
    if let Some(cluster) = &cluster {
        engine = engine.with_leases(leases.clone(), cluster.changes.clone());
        tracker.spawn(follow(
            store.clone(),
            cluster.store.clone(),
            queue,
            leases.clone(),
            config.cluster.listen,
            shutdown.clone(),
        ));
    }
    tracker.spawn(engine.run(shutdown.clone()));
    let chat_feeds = chat_feeds::start(&config, &store, &pipeline);
    platforms.spawn(&tracker, &shutdown, &leases, chat_feeds.as_ref());

    let triggers: Triggers = config
        .feeds
        .iter()
        .map(|feed| (feed.name.clone(), Arc::new(Notify::new())))
        .collect();
    let websub = WebSub::new(
        &config,
        store.clone(),
        metrics.clone(),
        fetcher.client().clone(),
        &triggers,
    )
    .await;
    let poller = Arc::new(Poller {
        pipeline: pipeline.clone(),
        metrics: metrics.clone(),
        fetcher,
        limits,
        http: config.http.clone(),
        websub: websub.clone(),
        ingests: Default::default(),
        chat_fetcher: chat_feeds.as_ref().map(|f| f.fetcher()),
        health: Some(chat_feeds::health(
            &config,
            &store,
            &pipeline,
            chat_feeds.as_ref(),
        )),
    });
    // In a cluster the nodes share the http feeds by claims; else one task per feed.
    let claims = cluster.as_ref().map(|cluster| {
        let claims = FeedClaims {
            store: cluster.store.clone(),
            node_id: cluster.node.id.clone(),
            ttl: cluster.ttl,
            status: cluster.status(),
            chat: chat_feeds.as_ref().map(|_| {
                Arc::new(ChatFeedConfigs::new(
                    store.clone(),
                    config.chat_feeds.clone(),
                ))
            }),
        };
        claims.spawn(
            poller.clone(),
            &config.feeds,
            &triggers,
            &tracker,
            &shutdown,
        )
    });
    for feed in &config.feeds {
        metrics.register_feed(&feed.name);
        let now = triggers.get(&feed.name).cloned().unwrap_or_default();
        match feed.source {
            FeedSource::Http(_) if claims.is_some() => {}
            FeedSource::Http(_) => {
                tracker.spawn(poller.clone().run_feed(feed.clone(), now, shutdown.clone()));
            }
            FeedSource::Folder(_) => {
                let site = SiteOptions {
                    site_url: feed.site_url.clone(),
                    permalink: feed.permalink.clone(),
                    timezone: config.bot.timezone,
                };
                tracker.spawn(watch_dir(
                    pipeline.clone(),
                    feed.clone(),
                    site,
                    now,
                    shutdown.clone(),
                ));
            }
        }
    }
    if let (Some(feeds), None) = (&chat_feeds, &claims) {
        tracker.spawn(run_local(feeds.clone(), poller.clone(), shutdown.clone()));
    }
    let websub = websub.map(|websub| {
        websub.spawn(&tracker, shutdown.clone());
        let handler = Callbacks::new(websub, poller.clone(), tracker.clone());
        WebSubRoutes {
            handler: Arc::new(handler),
            max_body_bytes: config.http.max_body_bytes,
        }
    });
    let parts = ServerParts {
        store: store.clone(),
        metrics,
        triggers,
        platforms: platforms.health,
        websub,
        node: cluster.as_ref().map(node_role),
    };
    let served = spawn_server(&config, parts, &tracker, shutdown.clone()).await;
    if let Err(e) = served {
        shutdown.cancel();
        tracker.close();
        tracker.wait().await;
        if let Some(cluster) = cluster {
            cluster.stop().await;
        }
        return Err(e);
    }
    tracker.spawn(prune_loop(
        store.clone(),
        config.alerts.seen_retention,
        shutdown.clone(),
    ));
    tracker.close();
    tracing::info!(
        feeds = config.feeds.len(),
        console = console_on,
        claims = claims.is_some(),
        "sokbo running"
    );

    shutdown.cancelled().await;
    tracker.wait().await;
    // Only now, with nothing sending, may another node take over.
    if let Some(cluster) = cluster {
        cluster.stop().await;
    }
    store.flush().await.context("flushing the data store")?;
    tracing::info!("stopped");
    Ok(())
}

/// What /healthz and /metrics show of this node's role: its leases and its polling.
fn node_role(cluster: &Cluster) -> NodeFn {
    let (id, leases, status) = (cluster.node.id.clone(), cluster.leases(), cluster.status());
    Arc::new(move || {
        let status = status.lock().unwrap_or_else(|e| e.into_inner()).clone();
        NodeRole {
            id: id.clone(),
            leases: leases.iter().map(|(n, l)| (n.clone(), l.left())).collect(),
            claimed_feeds: status.claimed_feeds,
            poll_lag: std::time::Duration::from_millis(status.poll_lag_ms),
        }
    })
}

/// Whether alerts are printed: "auto" means when no chat platform is configured.
pub fn console_enabled(config: &Config) -> bool {
    match config.bot.console {
        ConsoleMode::Always => true,
        ConsoleMode::Never => false,
        ConsoleMode::Auto => {
            config.telegram.as_ref().is_none_or(|t| t.token.is_empty())
                && config.discord.as_ref().is_none_or(|d| d.token.is_empty())
        }
    }
}

/// The configured routes whose platform is running; the others are reported once.
pub fn active_routes(routes: &[RouteConfig], notifiers: &Notifiers) -> Vec<(RouteConfig, Target)> {
    let mut out = Vec::new();
    for (i, route) in routes.iter().enumerate() {
        let Some(target) = route_target(route) else {
            continue;
        };
        if notifiers.for_target(&target).is_some() {
            out.push((route.clone(), target));
        } else {
            tracing::warn!(
                "routes[{i}] ({}) has no running platform to deliver to; skipped",
                target.id()
            );
        }
    }
    out
}

/// The target a route names.
pub fn route_target(route: &RouteConfig) -> Option<Target> {
    if let Some(chat) = &route.telegram_chat {
        Some(Target::TelegramChat { chat: chat.clone() })
    } else if let Some(channel) = route.discord_channel {
        Some(Target::DiscordChannel { channel })
    } else {
        route
            .discord_webhook
            .as_ref()
            .map(|url| Target::DiscordWebhook { url: url.clone() })
    }
}

/// Forgets old seen marks once a day.
async fn prune_loop(store: Store, retention: std::time::Duration, shutdown: CancellationToken) {
    loop {
        let cutoff =
            chrono::Utc::now().timestamp() - retention.as_secs().min(i64::MAX as u64) as i64;
        match store.prune_seen(cutoff).await {
            Ok(n) if n > 0 => tracing::info!(removed = n, "forgot old posts"),
            Ok(_) => {}
            Err(e) => tracing::error!("pruning seen posts: {e}"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(std::time::Duration::from_secs(24 * 3600)) => {}
        }
    }
}
