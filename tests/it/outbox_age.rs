//! The outbox's oldest-delivery age: kept per delivery (old records still load), reported by
//! /healthz and the `sokbo_outbox_oldest_seconds` gauge.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sokbo::config::{ConsoleMode, ServerConfig};
use sokbo::delivery::Queue;
use sokbo::model::{Delivery, Post, PostKey, SeenRecord, Target};
use sokbo::pipeline::Pipeline;
use sokbo::storage::{IngestBatch, IngestPost, Store};

use crate::support::app::{dir_config, get_text, spawn_app};

const WAIT: Duration = Duration::from_secs(20);

fn delivery(key: &str, enqueued_at: i64) -> Delivery {
    Delivery {
        feed: "news".into(),
        key: PostKey(key.into()),
        target: Target::Console,
        attempts: 0,
        not_before: 0,
        edit: false,
        enqueued_at,
        failing_since: 0,
    }
}

#[test]
fn records_without_an_enqueue_time_still_load() {
    let old = r#"{"feed":"news","key":"a","target":{"kind":"console"},"attempts":2}"#;
    let loaded: Delivery = serde_json::from_str(old).expect("an old record loads");
    assert_eq!(
        loaded,
        Delivery {
            attempts: 2,
            ..delivery("a", 0)
        }
    );
}

/// One post carrying these deliveries (each with its priority).
fn with_deliveries(deliveries: Vec<(bool, Delivery)>) -> IngestBatch {
    IngestBatch {
        posts: vec![IngestPost {
            deliveries,
            ..IngestPost::new(PostKey("p".into()), SeenRecord::default())
        }],
        feed_state: None,
    }
}

#[tokio::test]
async fn the_oldest_known_head_of_either_priority_counts() {
    let store = Store::temporary().unwrap();
    assert_eq!(store.outbox_oldest(10_000).await.unwrap(), None);
    let batch = with_deliveries(vec![
        (false, delivery("old", 0)),
        (false, delivery("b", 5_000)),
        (false, delivery("c", 4_000)),
        (true, delivery("breaking", 8_000)),
    ]);
    store.ingest("news", &batch).await.unwrap();
    assert_eq!(
        store.outbox_oldest(10_000).await.unwrap(),
        Some(Duration::from_millis(5_000))
    );
    let only_old = with_deliveries(vec![(false, delivery("old", 0))]);
    let store = Store::temporary().unwrap();
    store.ingest("news", &only_old).await.unwrap();
    assert_eq!(store.outbox_oldest(10_000).await.unwrap(), None);
}

fn post(key: &str) -> Post {
    Post {
        key: PostKey(key.into()),
        title: format!("{key} 소식"),
        ..Post::default()
    }
}

/// Seconds since `at`, in whole milliseconds (as the server counts them).
fn age(at: DateTime<Utc>) -> f64 {
    (Utc::now() - at).num_milliseconds() as f64 / 1000.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_metrics_report_the_oldest_waiting_delivery() {
    let tmp = tempfile::tempdir().unwrap();
    let (data, posts) = (tmp.path().join("data"), tmp.path().join("posts"));
    std::fs::create_dir_all(&posts).unwrap();
    let mut config = dir_config(&data, &posts, 0);
    // No notifier runs, so the console deliveries wait.
    config.bot.console = ConsoleMode::Never;
    let listen = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().to_string()
    };
    config.server = Some(ServerConfig {
        listen: listen.clone(),
        ..ServerConfig::default()
    });
    // Whole seconds, so that the server's and the test's millisecond counts agree.
    let queued_at = DateTime::from_timestamp(Utc::now().timestamp() - 7200, 0).unwrap();
    {
        let store = Store::sled(&data).unwrap();
        let pipeline = Pipeline::new(store.clone(), &config, vec![], true, Queue::detached());
        let feed = &config.feeds[0];
        pipeline
            .ingest(feed, vec![], None, queued_at)
            .await
            .unwrap();
        let later = queued_at + chrono::Duration::minutes(30);
        for (key, at) in [("a", queued_at), ("b", later)] {
            pipeline
                .ingest(feed, vec![post(key)], None, at)
                .await
                .unwrap();
        }
        assert_eq!(store.outbox_len().await.unwrap(), 2);
        store.flush().await.unwrap();
    }
    let app = spawn_app(config);
    let http = reqwest::Client::new();
    let deadline = tokio::time::Instant::now() + WAIT;
    let (before, health, after) = loop {
        let before = age(queued_at);
        if let Ok(response) = http.get(format!("http://{listen}/healthz")).send().await {
            let health: serde_json::Value = response.json().await.unwrap();
            break (before, health, age(queued_at));
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the server comes up"
        );
        tokio::task::yield_now().await;
    };
    assert_eq!(health["outbox_depth"], 2, "{health}");
    let oldest = health["outbox_oldest_seconds"].as_f64().expect("an age");
    assert!(
        (before..=after).contains(&oldest),
        "{before} ≤ {oldest} ≤ {after}"
    );

    let before = age(queued_at);
    let metrics = get_text(&http, &format!("http://{listen}/metrics")).await;
    let after = age(queued_at);
    let gauge: f64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("sokbo_outbox_oldest_seconds "))
        .expect("the gauge")
        .parse()
        .unwrap();
    assert!(
        (before..=after).contains(&gauge),
        "{before} ≤ {gauge} ≤ {after}"
    );
    assert!(metrics.lines().any(|l| l == "sokbo_outbox_depth 2"));
    app.stop().await;
}
