//! Chat-added feeds in the claims (PostgreSQL): claimable by any node that asks for chat feeds,
//! while someone follows them and they are not paused; registration keeps their next poll.

use std::time::Duration;

use sokbo::model::{ChatFeed, ChatId};
use sokbo::storage::{ClaimAsk, FeedSet, Store};

use super::{HOUR, feeds_of};
use crate::support::postgres::fresh_database;

fn ask<'a>(set: &'a FeedSet, chat_feeds: bool) -> ClaimAsk<'a> {
    ClaimAsk {
        holder: "n1",
        set_id: &set.id,
        max: 10,
        per_host: 1000,
        lookahead: Duration::ZERO,
        ttl: HOUR,
        chat_feeds,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_feeds_are_claimed_while_followed_and_not_paused() {
    let url = fresh_database().await;
    let store = Store::postgres(&url, true).await.unwrap();
    let cluster = store.cluster().unwrap();
    let empty = FeedSet::new(Vec::new());
    cluster.register_feeds(&empty).await.unwrap();
    let (a, b) = ("https://a.example/rss", "https://b.example/rss");
    let chat = ChatId::telegram(9);
    for feed_url in [a, b] {
        let new = |_| Some(ChatFeed::new(feed_url, "t", chat.clone(), 1));
        let record = store
            .update_chat_feed(feed_url, new)
            .await
            .unwrap()
            .unwrap();
        cluster
            .register_chat_feed(&record.name, "a.example", Duration::ZERO)
            .await
            .unwrap();
    }
    let name = |u: &str| sokbo::model::chat_feed_name(u);
    let pause = |current: Option<ChatFeed>| {
        let mut feed = current?;
        feed.paused = true;
        Some(feed)
    };
    store.update_chat_feed(b, pause).await.unwrap();

    // A node that does not poll chat feeds never gets them.
    assert_eq!(
        cluster.claim_feeds(&ask(&empty, false)).await.unwrap(),
        Vec::new()
    );
    let claimed = cluster.claim_feeds(&ask(&empty, true)).await.unwrap();
    assert_eq!(feeds_of(&claimed), vec![name(a)]);

    // Released and unfollowed: no longer claimable, though due.
    let held = [(claimed[0].claim.feed.clone(), claimed[0].claim.number)];
    cluster.release_claims("n1", &held).await.unwrap();
    let unfollow = |current: Option<ChatFeed>| {
        let mut feed = current?;
        feed.unfollow(&chat).then_some(feed)
    };
    store.update_chat_feed(a, unfollow).await.unwrap();
    assert_eq!(
        cluster.claim_feeds(&ask(&empty, true)).await.unwrap(),
        Vec::new()
    );

    // Resumed: claimable again.
    let resume = |current: Option<ChatFeed>| {
        let mut feed = current?;
        feed.paused = false;
        Some(feed)
    };
    store.update_chat_feed(b, resume).await.unwrap();
    let claimed = cluster.claim_feeds(&ask(&empty, true)).await.unwrap();
    assert_eq!(feeds_of(&claimed), vec![name(b)]);
}
