//! The app polling one feed that advertises a fake hub, and what the WebSub tests read back.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use sokbo::config::{Config, ServerConfig};

use crate::support::app::{TestApp, http_feed, spawn_app};
use crate::support::feed_server::{FeedServer, Resource};
use crate::support::websub_hub::{FakeHub, HubMode};

pub const WAIT: Duration = Duration::from_secs(20);

/// An Atom feed advertising `hub`, with entries `items` (newest first).
pub fn atom(self_url: &str, hub: &str, items: &[u32]) -> String {
    let entries: String = items
        .iter()
        .map(|i| {
            format!(
                "<entry><id>urn:n{i}</id><title>{i}번 소식</title>\
                 <link href=\"https://news.example.kr/{i}\"/>\
                 <updated>2024-05-0{}T09:00:00+09:00</updated></entry>",
                i % 9 + 1
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <title>news</title><id>urn:feed</id><updated>2024-05-01T09:00:00+09:00</updated>\
         <link rel=\"self\" href=\"{self_url}\"/><link rel=\"hub\" href=\"{hub}\"/>{entries}</feed>"
    )
}

pub struct Setup {
    pub feeds: FeedServer,
    pub hub: FakeHub,
    pub app: TestApp,
    /// `http://<listen>` of the app's endpoints (also its public URL).
    pub base: String,
    /// The feed's `rel="self"` URL.
    pub topic: String,
    /// The app's config (to start it again).
    pub config: Config,
    pub _tmp: tempfile::TempDir,
}

/// The app polling one feed every `interval` that advertises a fake hub in `mode`.
pub async fn setup(mode: HubMode, interval: Duration) -> Setup {
    let feeds = FeedServer::start().await;
    let hub = FakeHub::start(mode).await;
    let topic = feeds.url("/feed.xml");
    feeds.serve(
        "/feed.xml",
        Resource::new(atom(&topic, &hub.url(), &[1]), "application/atom+xml").etag("\"v1\""),
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let listen = format!("127.0.0.1:{port}");
    let base = format!("http://{listen}");
    let config = config(tmp.path(), &topic, interval, &listen, &base);
    let app = spawn_app(config.clone());
    Setup {
        feeds,
        hub,
        app,
        base,
        topic,
        config,
        _tmp: tmp,
    }
}

pub fn config(tmp: &Path, url: &str, interval: Duration, listen: &str, base: &str) -> Config {
    let mut config = Config::default();
    config.bot.data_dir = tmp.join("data");
    config.http.max_body_bytes = 64 * 1024;
    config.feeds.push(http_feed("news", url, interval));
    config.server = Some(ServerConfig {
        listen: listen.into(),
        ping_token: String::new(),
        public_url: format!("{base}/"),
    });
    config
}

/// Waits until /healthz reports `state` for the feed's subscription.
pub async fn wait_for_websub_state(base: &str, state: &str) -> bool {
    let deadline = tokio::time::Instant::now() + WAIT;
    while tokio::time::Instant::now() < deadline {
        if let Ok(response) = reqwest::get(format!("{base}/healthz")).await
            && let Ok(body) = response.json::<Value>().await
            && body["websub"]["news"] == state
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

pub fn metric_lines(text: &str, name: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.starts_with(name))
        .map(str::to_owned)
        .collect()
}
