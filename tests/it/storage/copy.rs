//! Moving a store between backends (sled → PostgreSQL → sled keeps every record), and a
//! database that lacks the migrations.

use sokbo::model::{ChatId, Subscription};
use sokbo::storage::{Completed, Location, Store, copy};

use super::records::websub_record;
use super::*;
use crate::support::postgres::fresh_database;

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
            fence: None,
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
    let feed = sokbo::model::ChatFeed::new("https://a.example/rss", "A", ChatId::telegram(1), 5);
    store
        .update_chat_feed(&feed.url.clone(), |_| Some(feed.clone()))
        .await
        .unwrap();
}

/// Everything in the store at `location`, sorted.
async fn contents(location: &Location) -> sokbo::storage::Snapshot {
    let store = Store::open(location).await.unwrap();
    store.export().await.unwrap().sorted()
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
    assert_eq!(contents(&pg).await, original);
    copy(&pg, &sled_b).await.unwrap();
    assert_eq!(contents(&sled_b).await, original);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_without_migrations_is_named_and_migrate_fixes_it() {
    let url = fresh_database().await;
    let err = Store::postgres(&url, false).await.err().expect("refused");
    assert!(
        err.to_string().contains("run `sokbo store migrate`"),
        "{err}"
    );
    Store::postgres(&url, true).await.expect("migrated");
    Store::postgres(&url, false).await.expect("up to date");
}
