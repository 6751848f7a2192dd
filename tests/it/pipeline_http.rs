//! End to end with an http feed: the fake feed server → poller → sled → outbox → console (captured).

use std::time::Duration;

use crate::support::app::{TestApp, http_feed, spawn_app};
use crate::support::feed_server::{FeedServer, Resource, numbered_rss as rss};

const WAIT: Duration = Duration::from_secs(20);

fn app_for(server: &FeedServer, data: &std::path::Path, backlog: usize) -> TestApp {
    let mut config = sokbo::config::Config::default();
    config.bot.data_dir = data.to_path_buf();
    config.alerts.backlog = backlog;
    config.feeds.push(http_feed(
        "news",
        &server.url("/feed.xml"),
        Duration::from_millis(200),
    ));
    spawn_app(config)
}

/// Titles of the next `n` alerts.
async fn titles(app: &mut TestApp, n: usize) -> Vec<String> {
    app.alerts(n, WAIT)
        .await
        .into_iter()
        .map(|a| a.title)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_items_alert_once_across_reorders_drops_and_restarts() {
    let server = FeedServer::start().await;
    server.serve(
        "/feed.xml",
        Resource::new(rss(&[3, 2, 1]), "application/rss+xml").etag("\"v1\""),
    );
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");

    let mut app = app_for(&server, &data, 1);
    assert_eq!(
        titles(&mut app, 1).await,
        ["속보 3번 기사"],
        "backlog 1: only the newest"
    );
    // Unchanged feed: conditional GETs answered 304.
    assert!(server.wait_for_requests("/feed.xml", 3, WAIT).await);
    assert!(server.not_modified("/feed.xml") >= 1);
    let headers = server.last_request_headers("/feed.xml").unwrap();
    assert_eq!(headers.get("if-none-match").unwrap(), "\"v1\"");

    // Two new items, in a reordered feed that also dropped an old one.
    server.set_body("/feed.xml", rss(&[1, 5, 3, 4]));
    let got = titles(&mut app, 2).await;
    assert_eq!(got, ["속보 4번 기사", "속보 5번 기사"]);

    // The dropped item comes back: it was seen, so no alert; a later new item is the next alert.
    server.set_body("/feed.xml", rss(&[2, 1, 5, 3, 4]));
    let before = server.requests("/feed.xml");
    assert!(
        server
            .wait_for_requests("/feed.xml", before + 2, WAIT)
            .await
    );
    server.set_body("/feed.xml", rss(&[6, 2, 1, 5, 3, 4]));
    assert_eq!(titles(&mut app, 1).await, ["속보 6번 기사"]);
    assert_eq!(app.stop().await, vec![]);

    // Restart: the stored ETag is sent at once and nothing is alerted again.
    let requests = server.requests("/feed.xml");
    let mut app = app_for(&server, &data, 1);
    assert!(
        server
            .wait_for_requests("/feed.xml", requests + 2, WAIT)
            .await
    );
    server.set_body("/feed.xml", rss(&[7, 6, 2, 1, 5, 3, 4]));
    assert_eq!(titles(&mut app, 1).await, ["속보 7번 기사"]);
    assert_eq!(app.stop().await, vec![]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_feed_does_not_hold_up_others_and_recovers() {
    let server = FeedServer::start().await;
    server.serve("/good.xml", Resource::new(rss(&[1]), "application/rss+xml"));
    server.serve("/bad.xml", Resource::new(rss(&[1]), "application/rss+xml"));
    let tmp = tempfile::tempdir().unwrap();
    let mut config = sokbo::config::Config::default();
    config.bot.data_dir = tmp.path().join("data");
    config.feeds.push(http_feed(
        "good",
        &server.url("/good.xml"),
        Duration::from_millis(200),
    ));
    config.feeds.push(http_feed(
        "bad",
        &server.url("/bad.xml"),
        Duration::from_millis(200),
    ));
    let mut app = spawn_app(config);
    // Both feeds read once (a second request comes only after the first was recorded).
    assert!(server.wait_for_requests("/good.xml", 2, WAIT).await);
    assert!(server.wait_for_requests("/bad.xml", 2, WAIT).await);

    server.fail("/bad.xml", 503, Some("1"));
    let n = server.requests("/bad.xml");
    assert!(server.wait_for_requests("/bad.xml", n + 2, WAIT).await);
    server.set_body("/good.xml", rss(&[2, 1]));
    let alert = app.next_alert(WAIT).await.expect("the good feed alerts");
    assert_eq!(
        (alert.feed.as_str(), alert.title.as_str()),
        ("good", "속보 2번 기사")
    );

    // Recovery: the failing feed answers again and its new item alerts.
    server.serve(
        "/bad.xml",
        Resource::new(rss(&[3, 1]), "application/rss+xml"),
    );
    let alert = app
        .next_alert(WAIT)
        .await
        .expect("the recovered feed alerts");
    assert_eq!(
        (alert.feed.as_str(), alert.title.as_str()),
        ("bad", "속보 3번 기사")
    );
    app.stop().await;
}
