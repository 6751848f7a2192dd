//! Feed health notices on a running bot: once when a feed has failed for `notify_after`, once
//! when it works again, none more across restarts, and a chat feed paused (with a notice) after
//! `disable_after`, which then stops being polled.

use std::path::Path;
use std::time::Duration;

use sokbo::config::Config;
use sokbo::model::{ChatId, FeedState, Told};
use sokbo::platform::console::Printed;
use sokbo::storage::{Location, Store};

use crate::support::app::{TestApp, http_feed, seed_chat_feed, spawn_app};
use crate::support::feed_server::{FeedServer, Resource, numbered_rss};

const WAIT: Duration = Duration::from_secs(20);

/// Console on, polls about every second even while failing.
fn config(data: &Path, notify_after: u64, disable_after: u64) -> Config {
    let mut config = Config::default();
    config.bot.data_dir = data.to_path_buf();
    config.http.max_backoff = Duration::from_secs(1);
    config.chat_feeds.interval = Duration::from_secs(1);
    config.chat_feeds.notify_after = Duration::from_secs(notify_after);
    config.chat_feeds.disable_after = Duration::from_secs(disable_after);
    config.chat_feeds.allow_private_addresses = true;
    config
}

/// The next notice printed within `within`, skipping alerts.
async fn next_notice(app: &mut TestApp, within: Duration) -> Option<Printed> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match app.next_printed(left).await {
            Some(p) if p.alert.notice => return Some(p),
            Some(_) => continue,
            None => return None,
        }
    }
}

fn notices(printed: &[Printed]) -> Vec<String> {
    printed
        .iter()
        .filter(|p| p.alert.notice)
        .map(|p| p.alert.title.clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_feed_is_told_once_across_a_restart_and_once_when_it_recovers() {
    let feeds = FeedServer::start().await;
    feeds.serve(
        "/feed.xml",
        Resource::new(numbered_rss(&[1]), "application/rss+xml"),
    );
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut config = config(&data, 2, 3600);
    config.feeds = vec![http_feed(
        "news",
        &feeds.url("/feed.xml"),
        Duration::from_secs(1),
    )];

    let mut app = spawn_app(config.clone());
    assert!(feeds.wait_for_requests("/feed.xml", 1, WAIT).await);
    feeds.fail("/feed.xml", 503, None);
    let failing = next_notice(&mut app, WAIT).await.expect("a failure notice");
    assert_eq!(failing.alert.title, "⚠️ 피드 오류: news");
    assert!(
        failing.alert.summary.contains("HTTP 503"),
        "{}",
        failing.alert.summary
    );
    assert_eq!(
        failing.alert.link.as_deref(),
        Some(feeds.url("/feed.xml").as_str())
    );
    let seen = feeds.requests("/feed.xml");
    assert!(feeds.wait_for_requests("/feed.xml", seen + 2, WAIT).await);
    let rest = app.stop().await;
    assert_eq!(notices(&rest), Vec::<String>::new());

    // Restarted while it still fails: nothing new to tell.
    let mut app = spawn_app(config.clone());
    let seen = feeds.requests("/feed.xml");
    assert!(feeds.wait_for_requests("/feed.xml", seen + 3, WAIT).await);
    feeds.serve(
        "/feed.xml",
        Resource::new(numbered_rss(&[1]), "application/rss+xml"),
    );
    let recovered = next_notice(&mut app, WAIT)
        .await
        .expect("a recovery notice");
    assert_eq!(recovered.alert.title, "✅ 피드 복구: news");
    let seen = feeds.requests("/feed.xml");
    assert!(feeds.wait_for_requests("/feed.xml", seen + 2, WAIT).await);
    let rest = app.stop().await;
    assert_eq!(notices(&rest), Vec::<String>::new());

    let store = Store::open(&Location::Sled(data)).await.unwrap();
    let state = store.feed_state("news").await.unwrap();
    assert_eq!(
        (state.told, state.failing_since, state.failures),
        (Told::Working, None, 0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_feed_failing_past_disable_after_is_paused_with_a_notice_and_no_longer_polled() {
    let feeds = FeedServer::start().await;
    feeds.serve(
        "/feed.xml",
        Resource::new(numbered_rss(&[1, 2]), "application/rss+xml"),
    );
    let url = feeds.url("/feed.xml");
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let location = Location::Sled(data.clone());
    seed_chat_feed(&location, &url, "속보 피드", ChatId::telegram(5)).await;
    let mut config = config(&data, 1, 3);
    config.chat_feeds.allow_ports = vec![feeds.addr().port()];
    let mut app = spawn_app(config.clone());
    assert!(feeds.wait_for_requests("/feed.xml", 1, WAIT).await);
    // First sight of a chat feed alerts nothing: the chat saw its newest post when it added it.
    feeds.fail("/feed.xml", 500, None);
    let failing = next_notice(&mut app, WAIT).await.expect("a failure notice");
    assert_eq!(failing.alert.title, "⚠️ 피드 오류: 속보 피드");
    assert!(!failing.correction);
    let paused = next_notice(&mut app, WAIT).await.expect("a pause notice");
    assert_eq!(paused.alert.title, "⏸ 피드 멈춤: 속보 피드");
    assert!(
        paused.alert.summary.contains(&format!("/subscribe {url}")),
        "{}",
        paused.alert.summary
    );
    // Paused: polling stops (one poll may have been under way).
    let seen = feeds.requests("/feed.xml");
    assert!(
        !feeds
            .wait_for_requests("/feed.xml", seen + 2, Duration::from_secs(4))
            .await
    );
    let rest = app.stop().await;
    assert_eq!(notices(&rest), Vec::<String>::new());

    let store = Store::open(&Location::Sled(data.clone())).await.unwrap();
    let record = store.chat_feed(&url).await.unwrap().expect("record");
    assert!(record.paused);
    let state: FeedState = store.feed_state(&record.name).await.unwrap();
    assert_eq!(state.told, Told::Paused);
    drop(store);

    // A restart neither polls it nor tells anything again.
    let mut app = spawn_app(config);
    assert!(
        !feeds
            .wait_for_requests("/feed.xml", seen + 2, Duration::from_secs(3))
            .await
    );
    assert!(
        next_notice(&mut app, Duration::from_millis(200))
            .await
            .is_none()
    );
    app.stop().await;
}
