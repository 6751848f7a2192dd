//! The engine against a scripted notifier: window, per-target order, breaking first, fault
//! isolation, gone chats, giving up, and a clean stop.

mod scripted;

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use super::*;
use crate::model::SeenRecord;
use crate::model::{Alert, PostKey};
use crate::storage::{IngestBatch, IngestPost};
use scripted::{Script, Scripted};

/// Stores alerts `posts` and one delivery of each to each of `chats`, in that order.
async fn queue(store: &Store, queue: &Queue, posts: &[(&str, bool)], chats: &[&str]) {
    let mut batch = IngestBatch::default();
    for (post, breaking) in posts {
        let alert = Alert {
            feed: "news".into(),
            key: PostKey(post.to_string()),
            title: post.to_string(),
            breaking: *breaking,
            ..Alert::default()
        };
        let mut deliveries = Vec::new();
        for chat in chats {
            let target = Target::TelegramChat {
                chat: chat.to_string(),
            };
            let delivery = Delivery {
                feed: "news".into(),
                key: alert.key.clone(),
                target,
                attempts: 0,
                not_before: 0,
                edit: false,
                enqueued_at: now_ms(),
                failing_since: 0,
            };
            deliveries.push((*breaking, delivery));
        }
        batch.posts.push(IngestPost {
            alert: Some(alert.clone()),
            deliveries,
            ..IngestPost::new(alert.key, SeenRecord::default())
        });
    }
    let written = store.ingest("news", &batch).await.unwrap();
    queue.push(&written.deliveries);
}

/// Waits until the outbox holds `n` deliveries.
async fn outbox_holds(store: &Store, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while store.outbox_len().await.unwrap() != n {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {n} in the outbox"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

struct Running {
    store: Store,
    queue: Queue,
    stop: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

fn start(notifier: Arc<Scripted>, settings: Settings) -> Running {
    let store = Store::temporary().unwrap();
    let mut notifiers = Notifiers::default();
    notifiers.add(notifier);
    let (engine, queue) = Engine::new(store.clone(), notifiers, settings);
    let stop = CancellationToken::new();
    let task = tokio::spawn(engine.run(stop.clone()));
    Running {
        store,
        queue,
        stop,
        task,
    }
}

async fn until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn settings(window: usize) -> Settings {
    Settings {
        window,
        give_up_after: Duration::from_secs(3600),
    }
}

#[tokio::test]
async fn the_window_bounds_deliveries_in_flight_and_each_chat_keeps_its_order() {
    let notifier = Scripted::new(&[], false);
    let app = start(notifier.clone(), settings(4));
    let chats: Vec<String> = (0..12).map(|i| i.to_string()).collect();
    let chats: Vec<&str> = chats.iter().map(String::as_str).collect();
    queue(
        &app.store,
        &app.queue,
        &[("a", false), ("b", false), ("c", false)],
        &chats,
    )
    .await;
    until("36 deliveries", || {
        notifier.seen(|s| s.accepted.len() == 36)
    })
    .await;
    notifier.seen(|s| {
        assert_eq!(s.max_per_chat, 1);
        assert!(s.max_in_flight <= 4, "{} in flight", s.max_in_flight);
        for chat in &chats {
            let posts: Vec<&str> = s
                .accepted
                .iter()
                .filter(|(c, _)| c == chat)
                .map(|(_, p)| p.as_str())
                .collect();
            assert_eq!(posts, ["a", "b", "c"], "chat {chat}");
        }
    });
    outbox_holds(&app.store, 0).await;
    app.stop.cancel();
    app.task.await.unwrap();
}

#[tokio::test]
async fn breaking_news_overtakes_what_waits() {
    let notifier = Scripted::new(&[], true);
    let gate = notifier.gate.clone().unwrap();
    let app = start(notifier.clone(), settings(1));
    queue(&app.store, &app.queue, &[("old", false)], &["1", "2", "3"]).await;
    until("first start", || notifier.seen(|s| s.started.len() == 1)).await;
    queue(&app.store, &app.queue, &[("속보", true)], &["4"]).await;
    for n in 1..=4 {
        until("a start", || notifier.seen(|s| s.started.len() == n)).await;
        gate.notify_one();
    }
    until("all accepted", || notifier.seen(|s| s.accepted.len() == 4)).await;
    let order: Vec<String> = notifier.seen(|s| s.started.iter().map(|(c, _)| c.clone()).collect());
    assert_eq!(order, ["1", "4", "2", "3"]);
    app.stop.cancel();
    app.task.await.unwrap();
}

#[tokio::test]
async fn a_failing_chat_holds_up_only_itself_and_a_gone_one_is_dropped() {
    let scripts = [
        ("bad", Script::Fail(Duration::from_secs(3600))),
        ("gone", Script::Gone),
    ];
    let notifier = Scripted::new(&scripts, false);
    let app = start(notifier.clone(), settings(2));
    let posts = [("a", false), ("b", false), ("c", false)];
    queue(&app.store, &app.queue, &posts, &["bad", "gone", "x", "y"]).await;
    until("x and y served", || {
        notifier.seen(|s| s.accepted.len() == 6)
    })
    .await;
    // "bad" keeps its three (one tried, waiting an hour), "gone" lost all of its own.
    outbox_holds(&app.store, 3).await;
    let tried: Vec<(String, String)> = notifier.seen(|s| {
        s.started
            .iter()
            .filter(|(c, _)| c != "x" && c != "y")
            .cloned()
            .collect()
    });
    assert_eq!(
        tried,
        [
            ("bad".to_string(), "a".to_string()),
            ("gone".into(), "a".into())
        ]
    );
    app.stop.cancel();
    app.task.await.unwrap();
}

#[tokio::test]
async fn a_delivery_failing_past_give_up_after_is_dropped() {
    let notifier = Scripted::new(&[("bad", Script::Fail(Duration::from_millis(10)))], false);
    let settings = Settings {
        window: 4,
        give_up_after: Duration::from_millis(100),
    };
    let app = start(notifier.clone(), settings);
    queue(
        &app.store,
        &app.queue,
        &[("a", false), ("b", false)],
        &["bad"],
    )
    .await;
    outbox_holds(&app.store, 0).await;
    let tries = notifier.seen(|s| s.started.len());
    assert!(
        tries >= 4,
        "each retried until it was given up ({tries} tries)"
    );
    app.stop.cancel();
    app.task.await.unwrap();
}

#[tokio::test]
async fn stopping_finishes_and_records_what_is_in_flight() {
    let notifier = Scripted::new(&[], true);
    let gate = notifier.gate.clone().unwrap();
    let app = start(notifier.clone(), settings(8));
    queue(
        &app.store,
        &app.queue,
        &[("a", false), ("b", false)],
        &["1", "2", "3"],
    )
    .await;
    until("three in flight", || {
        notifier.seen(|s| s.started.len() == 3)
    })
    .await;
    app.stop.cancel();
    for _ in 0..3 {
        gate.notify_one();
    }
    app.task.await.unwrap();
    // The three in flight were accepted and left the outbox; nothing new started.
    assert_eq!(
        notifier.seen(|s| (s.started.len(), s.accepted.len())),
        (3, 3)
    );
    assert_eq!(app.store.outbox_len().await.unwrap(), 3);
    assert_eq!(
        app.store
            .sent_for("news", &PostKey("a".into()))
            .await
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test]
async fn a_restart_reads_the_outbox_again() {
    let notifier = Scripted::new(&[], false);
    let store = Store::temporary().unwrap();
    queue(&store, &Queue::detached(), &[("a", false)], &["1", "2"]).await;
    let mut notifiers = Notifiers::default();
    notifiers.add(notifier.clone());
    let (engine, _queue) = Engine::new(store.clone(), notifiers, settings(4));
    let stop = CancellationToken::new();
    let task = tokio::spawn(engine.run(stop.clone()));
    outbox_holds(&store, 0).await;
    assert_eq!(notifier.seen(|s| s.accepted.len()), 2);
    stop.cancel();
    task.await.unwrap();
}
