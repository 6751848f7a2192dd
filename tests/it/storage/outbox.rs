//! The contract of the outbox: order, per-target operations, completions.

use sokbo::model::{Delivery, OutboxKey, PostKey, Target};
use sokbo::storage::{Completed, Store};

use super::*;

pub(super) async fn the_outbox_keeps_breaking_first_then_arrival(store: Store) {
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

pub(super) async fn per_target_outbox_operations(store: Store) {
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
            fence: None,
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
            fence: None,
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
