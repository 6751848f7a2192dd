//! The contract of records changed in place: subscriptions, WebSub records, pruning.

use sokbo::model::{ChatId, PostKey, SubState, Subscription, WebSubRecord};
use sokbo::storage::{Completed, Store};

use super::*;

pub(super) async fn concurrent_subscription_updates_all_land(store: Store) {
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

pub(super) async fn subscriptions_move_and_pause(store: Store) {
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

pub(super) fn websub_record(secret: &str) -> WebSubRecord {
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

pub(super) async fn websub_records_change_atomically(store: Store) {
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

pub(super) async fn pruning_forgets_old_posts_and_their_messages(store: Store) {
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
            fence: None,
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

pub(super) async fn chat_feeds_change_atomically(store: Store) {
    use sokbo::model::ChatFeed;
    let url = "https://news.example/rss";
    assert_eq!(store.chat_feed(url).await.unwrap(), None);
    assert_eq!(store.update_chat_feed(url, |_| None).await.unwrap(), None);
    // Sixteen chats follow one new feed at once: one record, every follower kept.
    let mut tasks = Vec::new();
    for i in 0..16 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let chat = ChatId::telegram(i);
            store
                .update_chat_feed(url, |current| {
                    let mut feed = current
                        .unwrap_or_else(|| ChatFeed::new(url, "뉴스", chat.clone(), 1_700_000_000));
                    feed.follow(&chat);
                    Some(feed)
                })
                .await
                .unwrap()
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let feed = store.chat_feed(url).await.unwrap().expect("stored");
    assert_eq!(feed.followers.len(), 16);
    assert_eq!(feed.title, "뉴스");
    let other = ChatFeed::new("https://a.example/atom", "A", ChatId::telegram(1), 1);
    store
        .update_chat_feed(&other.url.clone(), |_| Some(other.clone()))
        .await
        .unwrap();
    let urls: Vec<String> = store
        .chat_feeds()
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.url)
        .collect();
    assert_eq!(urls, ["https://a.example/atom", url]);
    assert_eq!(
        store.remove_chat_feed(url).await.unwrap().map(|f| f.url),
        Some(url.into())
    );
    assert_eq!(store.chat_feed(url).await.unwrap(), None);
}
