//! Chat-added feeds polled on a running bot, on sled (a task per feed) and on PostgreSQL (by
//! claims): first sight alerts nothing, a new post is alerted under the feed's title, and a feed
//! nobody follows any more is no longer polled.

use std::time::Duration;

use sokbo::config::Config;
use sokbo::model::{ChatFeed, ChatId};
use sokbo::storage::{Location, Store};

use crate::support::app::{seed_chat_feed, spawn_app};
use crate::support::feed_server::{FeedServer, Resource, numbered_rss};
use crate::support::postgres::fresh_database;

const WAIT: Duration = Duration::from_secs(30);

async fn polls_alerts_and_stops(location: Location, mut config: Config) {
    let feeds = FeedServer::start().await;
    feeds.serve(
        "/feed.xml",
        Resource::new(numbered_rss(&[1]), "application/rss+xml"),
    );
    let url = feeds.url("/feed.xml");
    let follower = ChatId::telegram(7);
    seed_chat_feed(&location, &url, "동네 소식", follower.clone()).await;
    config.chat_feeds.interval = Duration::from_secs(1);
    config.chat_feeds.allow_private_addresses = true;
    config.chat_feeds.allow_ports = vec![feeds.addr().port()];

    let mut app = spawn_app(config);
    // A second poll started: the first one (first sight, nothing alerted) is recorded.
    assert!(feeds.wait_for_requests("/feed.xml", 2, WAIT).await);
    feeds.set_body("/feed.xml", numbered_rss(&[1, 2]));
    let alert = app.next_alert(WAIT).await.expect("the new post's alert");
    assert_eq!(alert.title, "속보 2번 기사");
    assert_eq!(alert.feed_title.as_deref(), Some("동네 소식"));
    assert!(alert.feed.starts_with("chat-"));

    // Nobody follows it any more: polling stops (one poll may have been under way).
    let store = Store::open(&location).await;
    let store = match store {
        Ok(store) => store,
        // sled is held by the running app: change the record through a second app-less path.
        Err(_) => return unfollow_after_stop(app, &location, &url, &feeds).await,
    };
    let unfollow = |current: Option<ChatFeed>| {
        let mut feed = current?;
        feed.unfollow(&follower).then_some(feed)
    };
    store.update_chat_feed(&url, unfollow).await.unwrap();
    // The claims read the record; a node's cached config does not matter.
    let seen = feeds.requests("/feed.xml");
    assert!(
        !feeds
            .wait_for_requests("/feed.xml", seen + 3, Duration::from_secs(4))
            .await
    );
    app.stop().await;
}

/// sled: stop, unfollow, start again; the feed is not polled.
async fn unfollow_after_stop(
    app: crate::support::app::TestApp,
    location: &Location,
    url: &str,
    feeds: &FeedServer,
) {
    app.stop().await;
    let store = Store::open(location).await.unwrap();
    let unfollow = |current: Option<ChatFeed>| {
        let mut feed = current?;
        feed.unfollow(&ChatId::telegram(7)).then_some(feed)
    };
    store.update_chat_feed(url, unfollow).await.unwrap();
    store.flush().await.unwrap();
    drop(store);
    let Location::Sled(data) = location else {
        unreachable!()
    };
    let mut config = Config::default();
    config.bot.data_dir = data.clone();
    config.chat_feeds.interval = Duration::from_secs(1);
    config.chat_feeds.allow_private_addresses = true;
    config.chat_feeds.allow_ports = vec![feeds.addr().port()];
    let app = spawn_app(config);
    let seen = feeds.requests("/feed.xml");
    assert!(
        !feeds
            .wait_for_requests("/feed.xml", seen + 2, Duration::from_secs(3))
            .await
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_feed_is_polled_and_alerted_on_sled() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut config = Config::default();
    config.bot.data_dir = data.clone();
    polls_alerts_and_stops(Location::Sled(data), config).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_feed_is_polled_by_claims_and_alerted_on_postgresql() {
    let url = fresh_database().await;
    let tmp = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    config.bot.data_dir = tmp.path().join("data");
    config.store.url = url.clone();
    polls_alerts_and_stops(Location::Postgres(url), config).await;
}
