//! The contract of reads, writes and ingests: records read back, an ingest is all or nothing, "new?" is decided once.

use sokbo::model::{Alert, FeedState, PostKey, SeenRecord};
use sokbo::storage::{IngestPost, Store};

use super::*;

pub(super) async fn records_read_back_as_written(store: Store) {
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
        ..FeedState::default()
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

pub(super) async fn an_ingest_writes_everything_or_nothing_taken(store: Store) {
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

pub(super) async fn two_concurrent_ingests_of_one_post_give_one_alert(store: Store) {
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

pub(super) async fn a_correction_is_taken_only_over_the_version_it_corrects(store: Store) {
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
