//! Fetch failures against the fake feed server: size cap, redirects, timeouts, error statuses
//! with Retry-After, bad URLs and refused connections.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use sokbo::config::HttpConfig;
use sokbo::source::http::{FetchError, Fetcher, Validators};

use super::{LIMIT, RSS, config, feed_xml, fetched, fetcher};
use crate::support::feed_server::{FeedServer, Resource};

#[tokio::test]
async fn body_size_cap_is_enforced_while_reading() {
    let server = FeedServer::start().await;
    let total = 1024 * LIMIT;
    server.huge("/chunked", total, false);
    server.huge("/declared", total, true);
    let fetcher = fetcher();
    let none = Validators::default();

    let err = fetcher
        .fetch(&server.url("/chunked"), &none)
        .await
        .unwrap_err();
    assert_eq!(err, FetchError::TooLarge { limit: LIMIT });
    assert!(
        server.bytes_sent("/chunked") < total / 16,
        "the whole body was read"
    );

    let err = fetcher
        .fetch(&server.url("/declared"), &none)
        .await
        .unwrap_err();
    assert_eq!(err, FetchError::TooLarge { limit: LIMIT });
    assert!(server.bytes_sent("/declared") < total / 16);

    server.serve("/exact", Resource::new(vec![b'x'; LIMIT as usize], RSS));
    let exact = fetched(fetcher.fetch(&server.url("/exact"), &none).await.unwrap());
    assert_eq!(exact.body.len() as u64, LIMIT);
    server.serve("/over", Resource::new(vec![b'x'; LIMIT as usize + 1], RSS));
    let err = fetcher
        .fetch(&server.url("/over"), &none)
        .await
        .unwrap_err();
    assert_eq!(err, FetchError::TooLarge { limit: LIMIT });
}

#[tokio::test]
async fn redirects_are_followed_up_to_five() {
    let server = FeedServer::start().await;
    server.serve("/final.xml", Resource::new(feed_xml("end"), RSS));
    server.redirect_chain("/five", 5, "/final.xml");
    server.redirect_chain("/six", 6, "/final.xml");
    let fetcher = fetcher();
    let none = Validators::default();

    let ok = fetched(fetcher.fetch(&server.url("/five"), &none).await.unwrap());
    assert_eq!(ok.final_url, server.url("/final.xml"));
    assert_eq!(ok.body, Bytes::from(feed_xml("end")));

    let err = fetcher.fetch(&server.url("/six"), &none).await.unwrap_err();
    assert_eq!(err, FetchError::TooManyRedirects);
    assert_eq!(server.requests("/final.xml"), 1);
}

#[tokio::test]
async fn hanging_responses_time_out() {
    let server = FeedServer::start().await;
    server.hang("/hang-body");
    server.stall("/stall");
    let fetcher = Fetcher::new(&HttpConfig {
        timeout: Duration::from_millis(300),
        ..config()
    })
    .unwrap();
    let none = Validators::default();
    let err = fetcher
        .fetch(&server.url("/hang-body"), &none)
        .await
        .unwrap_err();
    assert_eq!(err, FetchError::Timeout);
    let err = fetcher
        .fetch(&server.url("/stall"), &none)
        .await
        .unwrap_err();
    assert_eq!(err, FetchError::Timeout);
    assert_eq!(err.to_string(), "timed out");
}

#[tokio::test]
async fn error_statuses_carry_retry_after() {
    let server = FeedServer::start().await;
    server.fail("/busy", 429, Some("120"));
    let in_an_hour = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    server.fail("/down", 503, Some(&in_an_hour));
    server.fail("/broken", 500, None);
    let fetcher = fetcher();
    let none = Validators::default();

    let err = fetcher
        .fetch(&server.url("/busy"), &none)
        .await
        .unwrap_err();
    let expected = FetchError::Status {
        status: 429,
        retry_after: Some(Duration::from_secs(120)),
    };
    assert_eq!(err, expected);
    assert_eq!(
        err.to_string(),
        "HTTP 429 Too Many Requests, retry after 2m"
    );

    match fetcher
        .fetch(&server.url("/down"), &none)
        .await
        .unwrap_err()
    {
        FetchError::Status {
            status: 503,
            retry_after: Some(after),
        } => assert!(
            (Duration::from_secs(3500)..=Duration::from_secs(3600)).contains(&after),
            "{after:?}"
        ),
        other => panic!("expected 503 with Retry-After, got {other:?}"),
    }

    let err = fetcher
        .fetch(&server.url("/broken"), &none)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        FetchError::Status {
            status: 500,
            retry_after: None
        }
    );
    let err = fetcher
        .fetch(&server.url("/missing"), &none)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        FetchError::Status {
            status: 404,
            retry_after: None
        }
    );
}

#[tokio::test]
async fn bad_urls_and_refused_connections() {
    let fetcher = fetcher();
    let none = Validators::default();
    let err = fetcher
        .fetch("ftp://example.com/feed", &none)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        FetchError::InvalidUrl("ftp://example.com/feed: not http(s)".into())
    );
    let err = fetcher.fetch("not a url", &none).await.unwrap_err();
    assert!(matches!(err, FetchError::InvalidUrl(_)), "{err:?}");

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let err = fetcher
        .fetch(&format!("http://127.0.0.1:{port}/feed"), &none)
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Connect(_)), "{err:?}");
}
