//! A delivery queued by another node, to the request at the platform: one node runs the bot on
//! a throwaway PostgreSQL and holds the Telegram lease; this process plays a second node and
//! ingests posts straight into the database, one at a time, each with a delivery to its own
//! chat. Measured: from the ingest's commit to the sendMessage request arriving at the fake Bot
//! API, with LISTEN/NOTIFY and with the 250 ms polling fallback (`[cluster] listen = false`),
//! the fake answering 0 or 150 ms late, and with 5 % of sends answered HTTP 500 (those wait
//! for the retry).
//!
//! Run: `cargo bench --bench cluster_handoff` (`SOKBO_BENCH_POSTS`, default 200, per line).

/// The integration tests' harness; a bench uses only part of it.
#[path = "../tests/it/support/mod.rs"]
#[allow(dead_code, unused_imports)]
mod support;

use std::time::{Duration, Instant};

use sokbo::config::{Config, ConsoleMode, StoreConfig, TelegramConfig};
use sokbo::model::{Alert, Delivery, FeedState, PostKey, SeenRecord, Target};
use sokbo::storage::{IngestBatch, IngestPost, Store};
use support::app::spawn_app;
use support::postgres::fresh_database;
use support::telegram::{TOKEN, TelegramServer, TgChat, TgUser};

const WAIT: Duration = Duration::from_secs(60);

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(run());
}

fn posts() -> usize {
    std::env::var("SOKBO_BENCH_POSTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

async fn run() {
    println!(
        "cluster hand-off: ingest commit on one node → request at the Bot API from the sender"
    );
    println!("  mode    latency  errors   p50 ms   p99 ms   max ms");
    for (listen, latency, errors) in [
        (true, 0, 0.0),
        (true, 150, 0.0),
        (true, 150, 0.05),
        (false, 0, 0.0),
        (false, 150, 0.0),
        (false, 150, 0.05),
    ] {
        scenario(listen, latency, errors).await;
    }
}

async fn scenario(listen: bool, latency_ms: u64, errors: f64) {
    let n = posts();
    let server = TelegramServer::start().await;
    server.set_latency(Duration::from_millis(latency_ms));
    server.set_send_error_rate(errors, 7);
    let chats: Vec<i64> = (0..n as i64).map(|i| 90_000 + i).collect();
    for &id in &chats {
        server.add_chat(&TgChat::private(&TgUser::new(id, "구독자")));
    }
    let url = fresh_database().await;
    let mut config = Config::default();
    config.bot.console = ConsoleMode::Never;
    config.store = StoreConfig { url: url.clone() };
    config.cluster.listen = listen;
    config.telegram = Some(TelegramConfig {
        token: TOKEN.into(),
        api_url: server.url(),
        ..TelegramConfig::default()
    });
    let mut other = Store::postgres(&url, true)
        .await
        .expect("second node's store");
    if !listen {
        other = other.without_notify();
    }
    let app = spawn_app(config);
    wait_for_sender(&other).await;

    let mut took = Vec::with_capacity(n);
    for (i, &chat) in chats.iter().enumerate() {
        let key = format!("p{i}");
        other
            .ingest("news", &batch(&key, chat))
            .await
            .expect("ingest");
        let committed = Instant::now();
        let title = format!("제목 {key}");
        let arrived = server
            .wait_for(WAIT, |s| {
                s.messages()
                    .iter()
                    .any(|m| m.chat_id == chat && m.text.contains(&title))
            })
            .await;
        assert!(arrived, "delivery {i} never arrived");
        took.push(committed.elapsed());
    }
    app.stop().await;
    took.sort();
    let at = |q: f64| took[((took.len() as f64 * q) as usize).min(took.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "  {:<7} {:>4} ms  {:>5.0} %  {:>7.1}  {:>7.1}  {:>7.1}",
        if listen { "listen" } else { "poll" },
        latency_ms,
        errors * 100.0,
        ms(at(0.5)),
        ms(at(0.99)),
        ms(*took.last().expect("posts")),
    );
}

/// Waits until the bot holds the Telegram lease.
async fn wait_for_sender(store: &Store) {
    let cluster = store.cluster().expect("PostgreSQL");
    let deadline = Instant::now() + WAIT;
    loop {
        let leases = cluster.leases().await.expect("leases");
        if leases
            .iter()
            .any(|l| l.name.starts_with("telegram:") && l.left_ms > 0)
        {
            return;
        }
        assert!(Instant::now() < deadline, "the bot never took the lease");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// One new post with one delivery to `chat`.
fn batch(key: &str, chat: i64) -> IngestBatch {
    let alert = Alert {
        feed: "news".into(),
        key: PostKey(key.into()),
        title: format!("제목 {key}"),
        categories: vec!["경제".into()],
        ..Alert::default()
    };
    let delivery = Delivery {
        feed: "news".into(),
        key: PostKey(key.into()),
        target: Target::TelegramChat {
            chat: chat.to_string(),
        },
        attempts: 0,
        not_before: 0,
        edit: false,
        enqueued_at: chrono::Utc::now().timestamp_millis(),
        failing_since: 0,
    };
    let mut post = IngestPost::new(
        PostKey(key.into()),
        SeenRecord {
            first_seen: chrono::Utc::now().timestamp(),
            fingerprint: format!("fp-{key}"),
        },
    );
    post.alert = Some(alert);
    post.deliveries = vec![(false, delivery)];
    IngestBatch {
        posts: vec![post],
        feed_state: Some(FeedState {
            initialized: true,
            ..FeedState::default()
        }),
    }
}
