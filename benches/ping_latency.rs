//! Publish → alert latency through `POST /ping` for an http feed, console notifier (captured):
//! p50 and p99 over 200 posts.
//!
//! Run: `cargo bench --bench ping_latency`

/// The integration tests' harness; a bench uses only part of it.
#[path = "../tests/it/support/mod.rs"]
#[allow(dead_code, unused_imports)]
mod support;

use std::time::{Duration, Instant};

use support::app::{pinged_feed_config, spawn_app};
use support::feed_server::{FeedServer, Resource};

const POSTS: u32 = 200;
const TOKEN: &str = "bench-ping-token";

fn rss(newest: u32) -> String {
    let first = newest.saturating_sub(19);
    let items: String = (first..=newest)
        .rev()
        .map(|i| format!("<item><title>속보 {i}</title><link>https://news.example.kr/{i}</link><guid>p{i}</guid></item>"))
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>{items}</channel></rss>"
    )
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let feeds = FeedServer::start().await;
    feeds.serve(
        "/feed.xml",
        Resource::new(rss(0), "application/rss+xml").etag("\"0\""),
    );
    let tmp = tempfile::tempdir().expect("temp dir");
    let (config, listen) =
        pinged_feed_config(&tmp.path().join("data"), &feeds.url("/feed.xml"), TOKEN);
    let mut app = spawn_app(config);
    assert!(
        feeds
            .wait_for_requests("/feed.xml", 1, Duration::from_secs(20))
            .await,
        "first poll"
    );
    let http = reqwest::Client::new();
    let ping = format!("http://{listen}/ping?feed=news");
    let deadline = Instant::now() + Duration::from_secs(20);
    while http.post(&ping).bearer_auth(TOKEN).send().await.is_err() {
        assert!(Instant::now() < deadline, "server up");
        tokio::task::yield_now().await;
    }

    let mut latencies = Vec::with_capacity(POSTS as usize);
    for i in 1..=POSTS {
        feeds.set_body("/feed.xml", rss(i));
        let published = Instant::now();
        let status = http
            .post(&ping)
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("ping")
            .status();
        assert_eq!(status, 202);
        loop {
            let alert = app
                .next_alert(Duration::from_secs(20))
                .await
                .expect("alert");
            if alert.title == format!("속보 {i}") {
                break;
            }
        }
        latencies.push(published.elapsed());
    }
    app.stop().await;

    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize];
    println!("publish → alert through /ping, http feed, console notifier, {POSTS} posts");
    println!("  p50 {:>8.2} ms", at(0.50).as_secs_f64() * 1000.0);
    println!("  p99 {:>8.2} ms", at(0.99).as_secs_f64() * 1000.0);
    println!("  max {:>8.2} ms", at(1.0).as_secs_f64() * 1000.0);
}
