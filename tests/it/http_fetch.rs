//! Fetcher against the fake feed server: conditional GET, changed bodies, gzip, charsets;
//! failures in tests/it/http_fetch/faults.rs.

mod faults;
mod settings;

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use sokbo::config::HttpConfig;
use sokbo::source::feed::parse_feed;
use sokbo::source::http::{FetchOutcome, Fetched, Fetcher, Validators};

use crate::support::feed_server::{FeedServer, Resource};

const RSS: &str = "application/rss+xml; charset=utf-8";
const LIMIT: u64 = 1024 * 1024;

fn config() -> HttpConfig {
    HttpConfig {
        connect_timeout: Duration::from_secs(5),
        timeout: Duration::from_secs(10),
        max_body_bytes: LIMIT,
        user_agent: "sokbo-test/1".into(),
        ..HttpConfig::default()
    }
}

fn fetcher() -> Fetcher {
    Fetcher::new(&config()).expect("client")
}

fn feed_xml(title: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
         <item><title>{title}</title><guid>g1</guid></item></channel></rss>"
    )
}

fn fetched(outcome: FetchOutcome) -> Fetched {
    match outcome {
        FetchOutcome::Fetched(f) => f,
        other => panic!("expected a 200, got {other:?}"),
    }
}

#[tokio::test]
async fn etag_gives_200_then_304() {
    let server = FeedServer::start().await;
    server.serve(
        "/feed.xml",
        Resource::new(feed_xml("하나"), RSS).etag("\"v1\""),
    );
    let fetcher = fetcher();
    let url = server.url("/feed.xml");

    let first = fetched(fetcher.fetch(&url, &Validators::default()).await.unwrap());
    let validators = Validators {
        etag: Some("\"v1\"".into()),
        last_modified: None,
    };
    assert_eq!(
        first,
        Fetched {
            body: Bytes::from(feed_xml("하나")),
            content_type: Some(RSS.into()),
            validators: validators.clone(),
            final_url: url.clone(),
            cache_hint: None,
        }
    );
    let headers = server.last_request_headers("/feed.xml").unwrap();
    assert_eq!(headers["user-agent"], "sokbo-test/1");
    assert!(headers.get("if-none-match").is_none());

    let second = fetcher.fetch(&url, &validators).await.unwrap();
    assert_eq!(
        second,
        FetchOutcome::NotModified {
            validators: validators.clone(),
            cache_hint: None,
        }
    );
    let headers = server.last_request_headers("/feed.xml").unwrap();
    assert_eq!(headers["if-none-match"], "\"v1\"");
    assert_eq!(
        (
            server.requests("/feed.xml"),
            server.not_modified("/feed.xml")
        ),
        (2, 1)
    );
}

#[tokio::test]
async fn last_modified_gives_200_then_304_with_cache_hint() {
    let server = FeedServer::start().await;
    let modified = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let resource = Resource::new(feed_xml("둘"), RSS)
        .last_modified(modified)
        .cache_control("public, max-age=300");
    server.serve("/lm.xml", resource);
    let fetcher = fetcher();
    let url = server.url("/lm.xml");

    let first = fetched(fetcher.fetch(&url, &Validators::default()).await.unwrap());
    let validators = Validators {
        etag: None,
        last_modified: Some("Tue, 14 Nov 2023 22:13:20 GMT".into()),
    };
    assert_eq!(first.validators, validators);
    assert_eq!(first.cache_hint, Some(Duration::from_secs(300)));

    let second = fetcher.fetch(&url, &validators).await.unwrap();
    assert_eq!(
        second,
        FetchOutcome::NotModified {
            validators,
            cache_hint: Some(Duration::from_secs(300)),
        }
    );
    let headers = server.last_request_headers("/lm.xml").unwrap();
    assert_eq!(
        headers["if-modified-since"],
        "Tue, 14 Nov 2023 22:13:20 GMT"
    );
    assert_eq!(server.not_modified("/lm.xml"), 1);
}

#[tokio::test]
async fn changed_body_gives_200_with_new_validators() {
    let server = FeedServer::start().await;
    let modified = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let resource = Resource::new(feed_xml("old"), RSS)
        .etag("\"v1\"")
        .last_modified(modified);
    server.serve("/c.xml", resource);
    let fetcher = fetcher();
    let url = server.url("/c.xml");

    let first = fetched(fetcher.fetch(&url, &Validators::default()).await.unwrap());
    server.set_body("/c.xml", feed_xml("new"));
    let second = fetched(fetcher.fetch(&url, &first.validators).await.unwrap());
    let new_validators = Validators {
        etag: server.etag("/c.xml"),
        last_modified: Some("Tue, 14 Nov 2023 22:13:21 GMT".into()),
    };
    assert_ne!(new_validators.etag, first.validators.etag);
    assert_eq!(second.body, Bytes::from(feed_xml("new")));
    assert_eq!(second.validators, new_validators);

    let third = fetcher.fetch(&url, &second.validators).await.unwrap();
    assert!(
        matches!(third, FetchOutcome::NotModified { .. }),
        "{third:?}"
    );
    assert_eq!(
        (server.requests("/c.xml"), server.not_modified("/c.xml")),
        (3, 1)
    );
}

#[tokio::test]
async fn gzip_bodies_are_decoded() {
    let server = FeedServer::start().await;
    let xml = feed_xml("압축된 피드").repeat(20);
    server.serve("/gz.xml", Resource::new(xml.clone(), RSS).gzip());

    let raw = reqwest::Client::builder().no_gzip().build().unwrap();
    let response = raw
        .get(server.url("/gz.xml"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
    assert_eq!(response.bytes().await.unwrap()[..2], [0x1f, 0x8b]);

    let got = fetched(
        fetcher()
            .fetch(&server.url("/gz.xml"), &Validators::default())
            .await
            .unwrap(),
    );
    assert_eq!(got.body, Bytes::from(xml));
    let headers = server.last_request_headers("/gz.xml").unwrap();
    assert!(
        headers["accept-encoding"]
            .to_str()
            .unwrap()
            .contains("gzip")
    );
}

#[tokio::test]
async fn charset_from_the_content_type_header_reaches_the_parser() {
    let server = FeedServer::start().await;
    let xml = feed_xml("지역 속보 똠");
    let euc_kr = encoding_rs::EUC_KR.encode(&xml).0.into_owned();
    server.serve(
        "/euc.xml",
        Resource::new(euc_kr.clone(), "text/xml; charset=EUC-KR"),
    );

    let got = fetched(
        fetcher()
            .fetch(&server.url("/euc.xml"), &Validators::default())
            .await
            .unwrap(),
    );
    assert_eq!(got.body, Bytes::from(euc_kr));
    assert_eq!(
        got.content_type.as_deref(),
        Some("text/xml; charset=EUC-KR")
    );
    let feed = parse_feed(&got.body, got.content_type.as_deref(), &got.final_url).unwrap();
    assert_eq!(feed.title.as_deref(), Some("지역 속보 똠"));
    assert_eq!(feed.posts[0].title, "지역 속보 똠");
}

#[tokio::test]
async fn wait_for_requests_observes_the_server() {
    let server = FeedServer::start().await;
    server.serve("/w.xml", Resource::new(feed_xml("w"), RSS));
    assert!(
        !server
            .wait_for_requests("/w.xml", 1, Duration::from_millis(50))
            .await
    );
    let url = server.url("/w.xml");
    let task = tokio::spawn(async move { fetcher().fetch(&url, &Validators::default()).await });
    assert!(
        server
            .wait_for_requests("/w.xml", 1, Duration::from_secs(10))
            .await
    );
    assert!(task.await.unwrap().is_ok());
}
