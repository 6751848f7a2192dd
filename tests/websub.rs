//! WebSub against a fake hub: subscribe, verification of intent, signed pushes into the
//! pipeline, rejected signatures, denial and hub failures (polling goes on), lease renewal.

mod support;

use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use sokbo::config::{Config, ServerConfig};
use support::app::{TestApp, http_feed, spawn_app};
use support::feed_server::{FeedServer, Resource};
use support::websub_hub::{FakeHub, HubMode, Verification};

const WAIT: Duration = Duration::from_secs(20);

/// An Atom feed advertising `hub`, with entries `items` (newest first).
fn atom(self_url: &str, hub: &str, items: &[u32]) -> String {
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

struct Setup {
    feeds: FeedServer,
    hub: FakeHub,
    app: TestApp,
    /// `http://<listen>` of the app's endpoints (also its public URL).
    base: String,
    /// The feed's `rel="self"` URL.
    topic: String,
    _tmp: tempfile::TempDir,
}

/// The app polling one feed every `interval` that advertises a fake hub in `mode`.
async fn setup(mode: HubMode, interval: Duration) -> Setup {
    let feeds = FeedServer::start().await;
    let hub = FakeHub::start(mode).await;
    let topic = feeds.url("/feed.xml");
    feeds.serve(
        "/feed.xml",
        Resource::new(atom(&topic, &hub.url(), &[1]), "application/atom+xml"),
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let listen = format!("127.0.0.1:{port}");
    let base = format!("http://{listen}");
    let config = config(tmp.path(), &topic, interval, &listen, &base);
    let app = spawn_app(config);
    Setup {
        feeds,
        hub,
        app,
        base,
        topic,
        _tmp: tmp,
    }
}

fn config(tmp: &Path, url: &str, interval: Duration, listen: &str, base: &str) -> Config {
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
async fn wait_for_websub_state(base: &str, state: &str) -> bool {
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

fn metric_lines(text: &str, name: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.starts_with(name))
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_verifies_and_a_signed_push_alerts_once() {
    let mut s = setup(
        HubMode::Verify {
            lease_seconds: 3600,
        },
        Duration::from_secs(3600),
    )
    .await;
    assert!(s.hub.wait_for(1, 1, WAIT).await, "{:?}", s.hub.requests());
    let request = s.hub.requests().remove(0);
    let callback = format!("{}/websub/{}", s.base, sokbo::websub::callback_id("news"));
    assert_eq!(
        (
            request.mode.as_str(),
            request.topic.as_str(),
            request.callback.as_str()
        ),
        ("subscribe", s.topic.as_str(), callback.as_str())
    );
    assert_eq!(request.lease_seconds, Some(864_000));
    assert_eq!(request.secret.len(), 64);
    assert!(request.secret.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(s.hub.verifications(), [Verification::Echoed]);
    assert!(wait_for_websub_state(&s.base, "verified").await);

    let pushed = atom(&s.topic, &s.hub.url(), &[2, 1]);
    assert_eq!(
        s.hub.publish(&callback, &request.secret, &pushed).await,
        202
    );
    let alert = s
        .app
        .next_alert(WAIT)
        .await
        .expect("the pushed post alerts");
    assert_eq!(alert.title, "2번 소식");

    // Rejected: nothing of post 3 is recorded, so the later good push alerts it too.
    let with_3 = atom(&s.topic, &s.hub.url(), &[3, 2, 1]);
    let wrong = support::websub_hub::sign_sha256("not-the-secret", with_3.as_bytes());
    let statuses = [
        s.hub
            .post(&callback, &[("x-hub-signature-256", &wrong)], &with_3)
            .await,
        s.hub.post(&callback, &[], &with_3).await,
        s.hub
            .post(&callback, &[("x-hub-signature", "sha1=00")], &with_3)
            .await,
        s.hub
            .publish(
                &format!("{}/websub/0000000000000000", s.base),
                &request.secret,
                &with_3,
            )
            .await,
        s.hub
            .publish(&callback, &request.secret, &"x".repeat(100 * 1024))
            .await,
    ];
    assert_eq!(statuses, [403, 403, 403, 404, 413]);
    let both = atom(&s.topic, &s.hub.url(), &[4, 3, 2, 1]);
    assert_eq!(s.hub.publish(&callback, &request.secret, &both).await, 202);
    let mut titles: Vec<String> = s
        .app
        .alerts(2, WAIT)
        .await
        .into_iter()
        .map(|a| a.title)
        .collect();
    titles.sort();
    assert_eq!(titles, ["3번 소식", "4번 소식"]);

    // Verification requests the subscriber did not make are refused.
    let http = reqwest::Client::new();
    let verify = |id: &str, mode: &str, topic: &str| {
        let url = format!("{}/websub/{id}", s.base);
        let query = [
            ("hub.mode", mode),
            ("hub.topic", topic),
            ("hub.challenge", "c"),
        ];
        http.get(url).query(&query).send()
    };
    let id = sokbo::websub::callback_id("news");
    let refused = [
        verify("0000000000000000", "subscribe", &s.topic)
            .await
            .unwrap()
            .status()
            .as_u16(),
        verify(&id, "subscribe", "https://elsewhere.example/feed")
            .await
            .unwrap()
            .status()
            .as_u16(),
        verify(&id, "unsubscribe", &s.topic)
            .await
            .unwrap()
            .status()
            .as_u16(),
        verify(&id, "denied", "https://elsewhere.example/feed")
            .await
            .unwrap()
            .status()
            .as_u16(),
    ];
    assert_eq!(refused, [404, 404, 404, 404]);

    assert!(
        wait_for_websub_state(&s.base, "verified").await,
        "unchanged"
    );
    let metrics = reqwest::get(format!("{}/metrics", s.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        metric_lines(&metrics, "sokbo_websub_"),
        [
            "sokbo_websub_notifications_total{feed=\"news\",outcome=\"accepted\"} 2",
            "sokbo_websub_notifications_total{feed=\"news\",outcome=\"rejected\"} 3",
            "sokbo_websub_subscribe_total{feed=\"news\",outcome=\"requested\"} 1",
            "sokbo_websub_subscribe_total{feed=\"news\",outcome=\"verified\"} 1",
        ]
    );
    assert_eq!(s.hub.requests().len(), 1);
    let rest = s.app.stop().await;
    assert!(rest.is_empty(), "no other alert: {rest:?}");
    assert_eq!(s.feeds.requests("/feed.xml"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_subscription_leaves_polling_on() {
    let mut s = setup(HubMode::Deny, Duration::from_millis(300)).await;
    assert!(s.hub.wait_for(1, 1, WAIT).await);
    assert_eq!(
        s.hub.verifications(),
        [Verification::Denied { status: 200 }]
    );
    assert!(wait_for_websub_state(&s.base, "denied").await);
    s.feeds
        .set_body("/feed.xml", atom(&s.topic, &s.hub.url(), &[2, 1]));
    let alert = s.app.next_alert(WAIT).await.expect("polling still alerts");
    assert_eq!(alert.title, "2번 소식");
    s.app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_hub_leaves_polling_on() {
    let mut s = setup(HubMode::Fail(500), Duration::from_millis(300)).await;
    assert!(s.hub.wait_for(1, 0, WAIT).await);
    assert!(wait_for_websub_state(&s.base, "failed").await);
    s.feeds
        .set_body("/feed.xml", atom(&s.topic, &s.hub.url(), &[2, 1]));
    let alert = s.app.next_alert(WAIT).await.expect("polling still alerts");
    assert_eq!(alert.title, "2번 소식");
    let metrics = reqwest::get(format!("{}/metrics", s.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        metric_lines(&metrics, "sokbo_websub_subscribe_total"),
        ["sokbo_websub_subscribe_total{feed=\"news\",outcome=\"failed\"} 1"]
    );
    s.app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_lease_is_renewed_with_the_same_secret() {
    let s = setup(
        HubMode::Verify { lease_seconds: 2 },
        Duration::from_secs(3600),
    )
    .await;
    assert!(s.hub.wait_for(2, 2, WAIT).await, "{:?}", s.hub.requests());
    let requests = s.hub.requests();
    assert_eq!(requests[0], requests[1]);
    assert_eq!(
        s.hub.verifications()[..2],
        [Verification::Echoed, Verification::Echoed]
    );
    s.app.stop().await;
}
