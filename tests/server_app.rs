//! The `[server]` endpoints on the running bot: /ping polls a feed now, /healthz, /metrics.

mod support;

use std::time::Duration;

use support::app::{pinged_feed_config, spawn_app};
use support::feed_server::{FeedServer, Resource};

const WAIT: Duration = Duration::from_secs(20);

fn rss(items: &[u32]) -> String {
    let items: String = items
        .iter()
        .map(|i| format!("<item><title>{i}번 소식</title><link>https://news.example.kr/{i}</link><guid>n{i}</guid></item>"))
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>{items}</channel></rss>"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ping_polls_at_once_and_health_and_metrics_report() {
    let feeds = FeedServer::start().await;
    feeds.serve(
        "/feed.xml",
        Resource::new(rss(&[1]), "application/rss+xml").etag("\"a\""),
    );
    let tmp = tempfile::tempdir().unwrap();
    let (config, listen) = pinged_feed_config(
        &tmp.path().join("data"),
        &feeds.url("/feed.xml"),
        "ping-secret-42",
    );
    let mut app = spawn_app(config);
    assert!(feeds.wait_for_requests("/feed.xml", 1, WAIT).await);

    let http = reqwest::Client::new();
    let base = format!("http://{listen}");
    let ping = format!("{base}/ping?feed=news");
    let wait_up = async {
        loop {
            if http.get(format!("{base}/healthz")).send().await.is_ok() {
                break;
            }
            tokio::task::yield_now().await;
        }
    };
    tokio::time::timeout(WAIT, wait_up)
        .await
        .expect("server up");

    assert_eq!(http.post(&ping).send().await.unwrap().status(), 401);
    let unknown = http
        .post(format!("{base}/ping?feed=nope"))
        .bearer_auth("ping-secret-42")
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    feeds.set_body("/feed.xml", rss(&[2, 1]));
    let pinged = http
        .post(&ping)
        .bearer_auth("ping-secret-42")
        .send()
        .await
        .unwrap();
    assert_eq!(pinged.status(), 202);
    let alert = app.next_alert(WAIT).await.expect("the pinged feed alerts");
    assert_eq!(alert.title, "2번 소식");

    let health = http.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let body: serde_json::Value = health.json().await.unwrap();
    assert_eq!(body["status"], "ok", "{body}");
    let metrics = http
        .get(format!("{base}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for line in [
        "sokbo_polls_total{feed=\"news\"} 2",
        "sokbo_posts_seen_total{feed=\"news\"} 2",
        "sokbo_alerts_total{platform=\"console\",outcome=\"delivered\"} 1",
    ] {
        assert!(
            metrics.lines().any(|l| l == line),
            "missing {line:?} in\n{metrics}"
        );
    }
    assert!(!metrics.contains("ping-secret-42"));
    app.stop().await;
}
