//! The storage contract: every operation means the same on sled and on PostgreSQL. Each test
//! runs on both backends (`on_sled::…`, `on_postgres::…`).

use std::collections::BTreeSet;

use sokbo::model::{
    Alert, ChatId, Delivery, FeedState, OutboxKey, PostKey, SeenRecord, SubState, Subscription,
    Target, WebSubRecord,
};
use sokbo::storage::{Completed, IngestBatch, IngestPost, Location, Store, copy};

use crate::support::postgres::fresh_database;

async fn on_postgres() -> Store {
    Store::postgres(&fresh_database().await, true)
        .await
        .expect("PostgreSQL store")
}

fn on_sled() -> Store {
    Store::temporary().expect("sled store")
}

/// Runs each contract test on both backends.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod on_sled {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::$name(super::on_sled()).await;
            })*
        }
        mod on_postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::$name(super::on_postgres().await).await;
            })*
        }
    };
}

on_both!(
    records_read_back_as_written,
    an_ingest_writes_everything_or_nothing_taken,
    two_concurrent_ingests_of_one_post_give_one_alert,
    a_correction_is_taken_only_over_the_version_it_corrects,
    the_outbox_keeps_breaking_first_then_arrival,
    per_target_outbox_operations,
    concurrent_subscription_updates_all_land,
    subscriptions_move_and_pause,
    websub_records_change_atomically,
    pruning_forgets_old_posts_and_their_messages,
);

fn alert(key: &str, breaking: bool) -> Alert {
    Alert {
        feed: "news".into(),
        key: PostKey(key.into()),
        title: format!("제목 {key}"),
        categories: vec!["경제".into()],
        breaking,
        ..Alert::default()
    }
}

fn delivery(key: &str, chat: &str, edit: bool) -> Delivery {
    Delivery {
        feed: "news".into(),
        key: PostKey(key.into()),
        target: Target::TelegramChat { chat: chat.into() },
        attempts: 0,
        not_before: 0,
        edit,
        enqueued_at: 1_700_000_000_000,
        failing_since: 0,
    }
}

/// A new post with its alert and one delivery per chat.
fn new_post(key: &str, breaking: bool, chats: &[&str]) -> IngestPost {
    IngestPost {
        key: PostKey(key.into()),
        seen: SeenRecord {
            first_seen: 1_700_000_000,
            fingerprint: format!("fp-{key}"),
        },
        replaces: None,
        alert: Some(alert(key, breaking)),
        deliveries: chats
            .iter()
            .map(|c| (breaking, delivery(key, c, false)))
            .collect(),
    }
}

fn batch(posts: Vec<IngestPost>) -> IngestBatch {
    IngestBatch {
        posts,
        feed_state: Some(FeedState {
            initialized: true,
            etag: Some("\"v1\"".into()),
            ..FeedState::default()
        }),
    }
}

async fn records_read_back_as_written(store: Store) {
    assert_eq!(
        store.feed_state("news").await.unwrap(),
        FeedState::default()
    );
    let state = FeedState {
        initialized: true,
        etag: Some("\"e\"".into()),
        last_modified: Some("Mon, 07 Dec 2026 10:00:00 GMT".into()),
        failures: 2,
        last_error: Some("503".into()),
        next_poll: Some(1_800_000_000),
    };
    store.put_feed_state("news", &state).await.unwrap();
    assert_eq!(store.feed_state("news").await.unwrap(), state);

    assert_eq!(store.meta_get("offset").await.unwrap(), None);
    store.meta_put("offset", &[0, 0, 0, 7]).await.unwrap();
    assert_eq!(
        store.meta_get("offset").await.unwrap(),
        Some(vec![0, 0, 0, 7])
    );

    let cats = [
        "정치".to_string(),
        "경제".into(),
        "IT".into(),
        "경제".into(),
    ];
    store.note_categories(&cats).await.unwrap();
    assert_eq!(
        store.known_categories().await.unwrap(),
        ["IT", "경제", "정치"]
    );
    assert_eq!(
        store.categories_with(&["사회".into(), "IT".into()]).await,
        ["IT", "경제", "사회", "정치"]
    );
    store.ping().await.unwrap();
}

async fn an_ingest_writes_everything_or_nothing_taken(store: Store) {
    let written = store
        .ingest(
            "news",
            &batch(vec![
                new_post("a", false, &["1", "2"]),
                new_post("b", true, &["1"]),
            ]),
        )
        .await
        .unwrap();
    assert_eq!(written.taken, [true, true]);
    assert_eq!(written.deliveries.len(), 3);
    let key = PostKey("a".into());
    assert_eq!(
        store.seen("news", &key).await.unwrap(),
        Some(SeenRecord {
            first_seen: 1_700_000_000,
            fingerprint: "fp-a".into()
        })
    );
    assert_eq!(
        store.alert("news", &key).await.unwrap(),
        Some(alert("a", false))
    );
    let mut queued = written.deliveries.clone();
    queued.sort_by_key(|(k, _)| *k);
    assert_eq!(store.pending().await.unwrap(), queued);
    // Breaking first: b's delivery heads the outbox.
    assert_eq!(queued[0].1, delivery("b", "1", false));
    assert!(store.feed_state("news").await.unwrap().initialized);
    let many = store
        .seen_many(
            "news",
            &[PostKey("x".into()), key.clone(), PostKey("b".into())],
        )
        .await
        .unwrap();
    let fingerprints: Vec<Option<String>> =
        many.into_iter().map(|r| r.map(|r| r.fingerprint)).collect();
    assert_eq!(
        fingerprints,
        [None, Some("fp-a".into()), Some("fp-b".into())]
    );
    // The same posts again: nothing is new, nothing is queued.
    let again = store
        .ingest(
            "news",
            &batch(vec![
                new_post("a", false, &["1", "2"]),
                new_post("c", false, &["3"]),
            ]),
        )
        .await
        .unwrap();
    assert_eq!(again.taken, [false, true]);
    assert_eq!(again.deliveries.len(), 1);
    assert_eq!(again.deliveries[0].1, delivery("c", "3", false));
    assert_eq!(store.outbox_len().await.unwrap(), 4);
}

async fn two_concurrent_ingests_of_one_post_give_one_alert(store: Store) {
    for round in 0..20 {
        let key = format!("race-{round}");
        let (a, b) = (store.clone(), store.clone());
        let (ka, kb) = (key.clone(), key.clone());
        let first = tokio::spawn(async move {
            a.ingest("news", &batch(vec![new_post(&ka, false, &["1"])]))
                .await
        });
        let second = tokio::spawn(async move {
            b.ingest("news", &batch(vec![new_post(&kb, false, &["1"])]))
                .await
        });
        let (x, y) = (
            first.await.unwrap().unwrap(),
            second.await.unwrap().unwrap(),
        );
        assert_eq!(
            [x.taken[0], y.taken[0]].iter().filter(|t| **t).count(),
            1,
            "round {round}: exactly one writer takes the post"
        );
        assert_eq!(x.deliveries.len() + y.deliveries.len(), 1);
    }
    assert_eq!(store.outbox_len().await.unwrap(), 20);
}

async fn a_correction_is_taken_only_over_the_version_it_corrects(store: Store) {
    store
        .ingest("news", &batch(vec![new_post("a", false, &["1"])]))
        .await
        .unwrap();
    let correction = |from: &str, to: &str| IngestPost {
        key: PostKey("a".into()),
        seen: SeenRecord {
            first_seen: 1_700_000_000,
            fingerprint: to.into(),
        },
        replaces: Some(from.into()),
        alert: Some(Alert {
            title: format!("고침 {to}"),
            ..alert("a", false)
        }),
        deliveries: vec![(false, delivery("a", "1", true))],
    };
    let stale = store
        .ingest("news", &batch(vec![correction("fp-old", "fp-x")]))
        .await
        .unwrap();
    assert_eq!(stale.taken, [false]);
    assert!(stale.deliveries.is_empty());
    let fixed = store
        .ingest("news", &batch(vec![correction("fp-a", "fp-b")]))
        .await
        .unwrap();
    assert_eq!(fixed.taken, [true]);
    let key = PostKey("a".into());
    assert_eq!(
        store.seen("news", &key).await.unwrap().unwrap().fingerprint,
        "fp-b"
    );
    assert_eq!(
        store.alert("news", &key).await.unwrap().unwrap().title,
        "고침 fp-b"
    );
    assert_eq!(store.outbox_len().await.unwrap(), 2);
}

async fn the_outbox_keeps_breaking_first_then_arrival(store: Store) {
    for (key, breaking) in [("a", false), ("b", true), ("c", false), ("d", true)] {
        store
            .ingest("news", &batch(vec![new_post(key, breaking, &["1"])]))
            .await
            .unwrap();
    }
    let order: Vec<String> = store
        .pending()
        .await
        .unwrap()
        .into_iter()
        .map(|(_, d)| d.key.0)
        .collect();
    assert_eq!(order, ["b", "d", "a", "c"]);
    let keys: Vec<OutboxKey> = store
        .pending()
        .await
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]));
}

async fn per_target_outbox_operations(store: Store) {
    let written = store
        .ingest("news", &batch(vec![new_post("a", false, &["1", "2", "3"])]))
        .await
        .unwrap();
    let [(k1, d1), (k2, d2), (k3, d3)] = <[_; 3]>::try_from(written.deliveries).unwrap();
    // A retry is recorded.
    let retried = Delivery {
        attempts: 2,
        not_before: 1_700_000_005_000,
        failing_since: 1_700_000_001_000,
        ..d1.clone()
    };
    store.update_delivery(&k1, &retried).await.unwrap();
    assert_eq!(store.delivery(&k1).await.unwrap(), Some(retried.clone()));
    // A moved chat: the delivery follows, due at once.
    let moved_to = Target::TelegramChat {
        chat: "-100777".into(),
    };
    store.retarget_deliveries(&[k2], &moved_to).await.unwrap();
    let moved = store.delivery(&k2).await.unwrap().unwrap();
    assert_eq!((moved.target, moved.not_before), (moved_to, 0));
    assert_eq!(
        store.outbox_oldest(1_700_000_010_000).await.unwrap(),
        Some(std::time::Duration::from_secs(10))
    );
    // A gone chat: dropped.
    store.remove_deliveries(&[k3]).await.unwrap();
    assert_eq!(store.delivery(&k3).await.unwrap(), None);
    // Completion: out of the outbox, message id kept for edits.
    store
        .complete_deliveries(&[Completed {
            key: k1,
            delivery: retried,
            message_id: Some("42".into()),
        }])
        .await
        .unwrap();
    assert_eq!(store.outbox_len().await.unwrap(), 1);
    let key = PostKey("a".into());
    assert_eq!(
        store.sent_message("news", &key, &d1.target).await.unwrap(),
        Some("42".into())
    );
    assert_eq!(
        store.sent_message("news", &key, &d3.target).await.unwrap(),
        None
    );
    let sent = store.sent_for("news", &key).await.unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].target, d1.target);
    // A completion without a message id (refused, given up) only leaves the outbox.
    store
        .complete_deliveries(&[Completed {
            key: k2,
            delivery: d2.clone(),
            message_id: None,
        }])
        .await
        .unwrap();
    assert_eq!(store.outbox_len().await.unwrap(), 0);
    assert_eq!(
        store.sent_message("news", &key, &d2.target).await.unwrap(),
        None
    );
    assert_eq!(store.outbox_oldest(1_700_000_010_000).await.unwrap(), None);
}

async fn concurrent_subscription_updates_all_land(store: Store) {
    let subs = sokbo::storage::SubscriptionStore::new(store);
    let chat = ChatId::telegram(-100_123);
    let mut tasks = Vec::new();
    for i in 0..16 {
        let (subs, chat) = (subs.clone(), chat.clone());
        tasks.push(tokio::spawn(async move {
            subs.update(&chat, |sub| {
                sub.categories.insert(format!("분야{i:02}"));
            })
            .await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let sub = subs.get(&chat).await.unwrap().unwrap();
    let want: BTreeSet<String> = (0..16).map(|i| format!("분야{i:02}")).collect();
    assert_eq!(sub.categories, want);
    assert_eq!(subs.len().await.unwrap(), 1);
}

async fn subscriptions_move_and_pause(store: Store) {
    let subs = sokbo::storage::SubscriptionStore::new(store);
    let (group, supergroup) = (ChatId::telegram(-42), ChatId::telegram(-10_042));
    let mut sub = Subscription::new(group.clone());
    sub.all = true;
    subs.put(&sub).await.unwrap();
    assert!(subs.set_inactive(&group, "blocked").await.unwrap());
    assert!(
        !subs
            .set_inactive(&ChatId::telegram(7), "blocked")
            .await
            .unwrap()
    );
    assert_eq!(subs.get(&ChatId::telegram(7)).await.unwrap(), None);
    assert!(subs.reactivate(&group).await.unwrap());
    assert!(!subs.reactivate(&group).await.unwrap());
    assert!(subs.migrate(&group, &supergroup).await.unwrap());
    assert_eq!(subs.get(&group).await.unwrap(), None);
    let moved = subs.get(&supergroup).await.unwrap().unwrap();
    assert_eq!((moved.chat.clone(), moved.all), (supergroup.clone(), true));
    assert_eq!(
        subs.matching(&alert("a", false)).await.unwrap(),
        std::slice::from_ref(&moved)
    );
    assert_eq!(subs.all().await.unwrap(), std::slice::from_ref(&moved));
    assert_eq!(subs.remove(&supergroup).await.unwrap(), Some(moved));
    assert!(subs.all().await.unwrap().is_empty());
}

fn websub_record(secret: &str) -> WebSubRecord {
    WebSubRecord {
        hub: "https://hub.example/".into(),
        topic: "https://news.example/feed.xml".into(),
        secret: secret.into(),
        state: SubState::Pending,
        awaiting: true,
        requested_at: 1_700_000_000,
        lease_expires: None,
        next_attempt: 1_700_000_300,
        failures: 0,
        last_error: None,
    }
}

async fn websub_records_change_atomically(store: Store) {
    assert_eq!(store.websub("news").await.unwrap(), None);
    let kept = store.update_websub("news", |_| None).await.unwrap();
    assert_eq!(kept, None);
    let first = store
        .update_websub("news", |old| {
            assert!(old.is_none());
            Some(websub_record("s1"))
        })
        .await
        .unwrap();
    assert_eq!(first, Some(websub_record("s1")));
    let unchanged = store.update_websub("news", |_| None).await.unwrap();
    assert_eq!(unchanged, Some(websub_record("s1")));
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .update_websub("news", |old| {
                    let mut rec = old.expect("record");
                    rec.failures += 1;
                    Some(rec)
                })
                .await
                .unwrap()
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(store.websub("news").await.unwrap().unwrap().failures, 8);
}

async fn pruning_forgets_old_posts_and_their_messages(store: Store) {
    let mut old = new_post("old", false, &["1"]);
    old.seen.first_seen = 100;
    let written = store
        .ingest("news", &batch(vec![old, new_post("new", false, &["1"])]))
        .await
        .unwrap();
    let done: Vec<Completed> = written
        .deliveries
        .iter()
        .map(|(k, d)| Completed {
            key: *k,
            delivery: d.clone(),
            message_id: Some("9".into()),
        })
        .collect();
    store.complete_deliveries(&done).await.unwrap();
    assert_eq!(store.prune_seen(1_000).await.unwrap(), 1);
    let (old, new) = (PostKey("old".into()), PostKey("new".into()));
    assert_eq!(store.seen("news", &old).await.unwrap(), None);
    assert_eq!(store.alert("news", &old).await.unwrap(), None);
    assert!(store.sent_for("news", &old).await.unwrap().is_empty());
    assert!(store.seen("news", &new).await.unwrap().is_some());
    assert_eq!(store.sent_for("news", &new).await.unwrap().len(), 1);
}

/// Fills a store with one of every kind of record.
async fn fill(store: &Store) {
    let written = store
        .ingest(
            "news",
            &batch(vec![
                new_post("a", true, &["1", "2"]),
                new_post("b", false, &["1"]),
            ]),
        )
        .await
        .unwrap();
    let (k, d) = written.deliveries[0].clone();
    store
        .complete_deliveries(&[Completed {
            key: k,
            delivery: d,
            message_id: Some("77".into()),
        }])
        .await
        .unwrap();
    store
        .meta_put("telegram_offset", &[0, 0, 1, 0])
        .await
        .unwrap();
    store.note_categories(&["경제".into()]).await.unwrap();
    let subs = sokbo::storage::SubscriptionStore::new(store.clone());
    let mut sub = Subscription::new(ChatId::telegram(1));
    sub.categories.insert("경제".into());
    subs.put(&sub).await.unwrap();
    store
        .update_websub("news", |_| Some(websub_record("s")))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_round_trip_sled_postgres_sled_keeps_everything() {
    let dirs = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sled_a = Location::Sled(dirs.0.path().join("a"));
    let pg = Location::Postgres(fresh_database().await);
    let sled_b = Location::Sled(dirs.1.path().join("b"));
    let original = {
        let store = Store::open(&sled_a).await.unwrap();
        fill(&store).await;
        store.flush().await.unwrap();
        store.export().await.unwrap().sorted()
    };
    let report = copy(&sled_a, &pg).await.unwrap();
    assert!(report.counts.iter().all(|(_, n)| *n > 0), "{report}");
    // A second copy into the same, no longer empty, target is refused.
    let again = copy(&sled_a, &pg).await.unwrap_err().to_string();
    assert!(again.contains("not empty"), "{again}");
    let on_pg = Store::open(&pg)
        .await
        .unwrap()
        .export()
        .await
        .unwrap()
        .sorted();
    assert_eq!(on_pg, original);
    copy(&pg, &sled_b).await.unwrap();
    let back = Store::open(&sled_b)
        .await
        .unwrap()
        .export()
        .await
        .unwrap()
        .sorted();
    assert_eq!(back, original);
    // New outbox entries sort after the copied ones on both.
    for location in [&pg, &sled_b] {
        let store = Store::open(location).await.unwrap();
        let last = store
            .pending()
            .await
            .unwrap()
            .into_iter()
            .map(|(k, _)| k.seq)
            .max()
            .unwrap();
        let written = store
            .ingest("news", &batch(vec![new_post("z", false, &["9"])]))
            .await
            .unwrap();
        assert!(written.deliveries[0].0.seq > last);
    }
}
