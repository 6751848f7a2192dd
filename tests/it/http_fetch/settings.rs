//! A feed's own request settings against the fake feed server: headers, cookies and basic auth
//! it requires (401 without them), and a proxy its requests go through.

use std::collections::BTreeMap;

use sokbo::config::{BasicAuth, HttpConfig, RequestSettings};
use sokbo::source::http::{FetchError, Fetcher, Validators};

use super::{RSS, config, feed_xml, fetched, fetcher};
use crate::support::app::{http_feed, spawn_app};
use crate::support::feed_server::{FeedServer, Resource};

fn settings() -> RequestSettings {
    RequestSettings {
        headers: BTreeMap::from([("X-Api-Key".into(), "key-1".into())]),
        cookies: BTreeMap::from([
            ("session".into(), "s-2".into()),
            ("lang".into(), "ko".into()),
        ]),
        basic_auth: Some(BasicAuth {
            user: "reader".into(),
            password: "pw 3".into(),
        }),
        proxy: None,
    }
}

#[tokio::test]
async fn headers_cookies_and_basic_auth_reach_the_site() {
    let server = FeedServer::start().await;
    // "reader:pw 3" in base64.
    let resource = Resource::new(feed_xml("회원 전용"), RSS)
        .require("x-api-key", "key-1")
        .require("cookie", "lang=ko; session=s-2")
        .require("authorization", "Basic cmVhZGVyOnB3IDM=");
    server.serve("/members.xml", resource);
    let url = server.url("/members.xml");

    let refused = fetcher().fetch(&url, &Validators::default()).await;
    assert_eq!(
        refused,
        Err(FetchError::Status {
            status: 401,
            retry_after: None
        })
    );
    let outcome = fetcher()
        .fetch_with(&url, &Validators::default(), &settings())
        .await
        .expect("fetched with the settings");
    assert!(String::from_utf8_lossy(&fetched(outcome).body).contains("회원 전용"));
    // Each setting counts: without the cookies the site refuses again.
    let no_cookies = RequestSettings {
        cookies: BTreeMap::new(),
        ..settings()
    };
    let refused = fetcher()
        .fetch_with(&url, &Validators::default(), &no_cookies)
        .await;
    assert!(matches!(
        refused,
        Err(FetchError::Status { status: 401, .. })
    ));
}

#[tokio::test]
async fn a_feeds_proxy_carries_its_requests() {
    // The fake answers by path, so as an HTTP proxy it serves the absolute-form request for a
    // host that does not even resolve.
    let proxy = FeedServer::start().await;
    proxy.serve("/feed.xml", Resource::new(feed_xml("프록시 경유"), RSS));
    let via = RequestSettings {
        proxy: Some(format!("http://{}", proxy.addr())),
        ..RequestSettings::default()
    };
    let url = "http://feeds.invalid/feed.xml";
    let direct = fetcher().fetch(url, &Validators::default()).await;
    assert!(direct.is_err(), "no such host without the proxy");
    let outcome = fetcher()
        .fetch_with(url, &Validators::default(), &via)
        .await
        .expect("through the proxy");
    assert!(String::from_utf8_lossy(&fetched(outcome).body).contains("프록시 경유"));
    let host = proxy.last_request_headers("/feed.xml").expect("a request")["host"].clone();
    assert_eq!(host, "feeds.invalid");

    // `[http] proxy` does the same for every feed.
    let global = Fetcher::new(&HttpConfig {
        proxy: format!("http://{}", proxy.addr()),
        ..config()
    })
    .expect("client");
    let outcome = global
        .fetch(url, &Validators::default())
        .await
        .expect("via [http] proxy");
    assert!(String::from_utf8_lossy(&fetched(outcome).body).contains("프록시 경유"));
}

#[tokio::test]
async fn the_poller_sends_a_feeds_settings() {
    let server = FeedServer::start().await;
    let resource = Resource::new(feed_xml("회원 소식"), RSS)
        .require("x-api-key", "key-1")
        .require("authorization", "Basic cmVhZGVyOnB3IDM=");
    server.serve("/members.xml", resource);
    let tmp = tempfile::tempdir().unwrap();
    let mut config = sokbo::config::Config::default();
    config.bot.data_dir = tmp.path().join("data");
    config.alerts.backlog = 1;
    let mut feed = http_feed(
        "members",
        &server.url("/members.xml"),
        std::time::Duration::from_secs(3600),
    );
    feed.request = RequestSettings {
        cookies: BTreeMap::new(),
        ..settings()
    };
    config.feeds.push(feed);
    let mut app = spawn_app(config);
    let alert = app
        .next_alert(std::time::Duration::from_secs(30))
        .await
        .expect("the members' feed was read");
    assert_eq!(alert.title, "회원 소식");
    app.stop().await;
}
