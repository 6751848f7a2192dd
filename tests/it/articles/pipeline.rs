//! The pipeline with full text on, against the fake feed server: new posts get their page's
//! summary and image, backlog and corrections fetch nothing, and a page that is slow, huge, not
//! HTML or a redirect loop leaves the teaser's summary, counted in the metrics.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use sokbo::config::{Config, FeedConfig, FeedSource, FullText};
use sokbo::delivery::Queue;
use sokbo::metrics::Metrics;
use sokbo::model::{Alert, Post};
use sokbo::pipeline::Pipeline;
use sokbo::source::article::ArticleFetcher;
use sokbo::source::http::Fetcher;
use sokbo::source::poll::Limits;
use sokbo::storage::Store;

use super::*;
use crate::support::feed_server::{FeedServer, Resource};

const TEASER_SUMMARY: &str = "서울 지하철 2호선이 22일 오전 신호 장애로 최대 20분가량 지연 운행돼 출근길 시민들이 큰 불편을…";

fn setup(server: &FeedServer, timeout: Duration) -> (Pipeline, FeedConfig, Metrics) {
    let mut config = Config::default();
    config.alerts.backlog = 1;
    config.alerts.full_text_timeout = timeout;
    config.http.max_body_bytes = 1024 * 1024;
    let mut feed = FeedConfig::new("news", FeedSource::Http(server.url("/feed.xml")));
    feed.full_text = FullText::Auto;
    let metrics = Metrics::new();
    let fetcher = Fetcher::new(&config.http).expect("client");
    let articles = ArticleFetcher::new(fetcher, Limits::new(&config.http), metrics.clone());
    let store = Store::temporary().expect("store");
    let pipeline = Pipeline::new(store, &config, vec![], true, Queue::detached())
        .with_metrics(metrics.clone())
        .with_full_text(Arc::new(articles));
    (pipeline, feed, metrics)
}

async fn alert(pipeline: &Pipeline, feed: &FeedConfig, post: &Post) -> Alert {
    let stored = pipeline
        .store()
        .alert(&feed.name, &post.key)
        .await
        .expect("read");
    stored.expect("the post alerted")
}

/// The `sokbo_article_*` counter lines of the exposition.
fn article_counters(metrics: &Metrics) -> Vec<String> {
    let text = metrics.encode();
    let lines = text.lines().filter(|l| {
        l.starts_with("sokbo_article_pages_total") || l.starts_with("sokbo_article_failures_total")
    });
    lines.map(str::to_owned).collect()
}

#[tokio::test]
async fn new_posts_are_summarized_from_their_pages_but_backlog_is_not_fetched() {
    let server = FeedServer::start().await;
    let daily = fixture_text("ko_daily.html");
    for path in ["/a/0", "/a/1"] {
        server.serve(
            path,
            Resource::new(daily.clone(), "text/html; charset=utf-8"),
        );
    }
    server.serve("/n/1", Resource::new(broadcast_euc_kr(), "text/html"));
    let (pipeline, feed, metrics) = setup(&server, Duration::from_secs(10));

    let backlog = teaser_post(&server.url("/a/0"), DAILY_TEASER);
    pipeline
        .ingest(&feed, vec![backlog.clone()], None, Utc::now())
        .await
        .unwrap();
    assert_eq!(
        alert(&pipeline, &feed, &backlog).await.summary,
        TEASER_SUMMARY
    );
    assert_eq!(
        server.requests("/a/0"),
        0,
        "backlog on first sight is not fetched"
    );

    let daily_post = teaser_post(&server.url("/a/1"), DAILY_TEASER);
    let mut broadcast = teaser_post(&server.url("/n/1"), BROADCAST_TEASER);
    broadcast.image = Some("https://img.nuri.example/feed-thumb.jpg".into());
    let posts = vec![daily_post.clone(), broadcast.clone(), backlog.clone()];
    let report = pipeline
        .ingest(&feed, posts, None, Utc::now())
        .await
        .unwrap();
    assert_eq!(report.alerts, 2);
    let got = alert(&pipeline, &feed, &daily_post).await;
    assert_eq!(got.summary, DAILY_SUMMARY);
    assert_eq!(
        got.image,
        Some(server.url("/photo/2026/11/22/subway.jpg")),
        "the page's og:image when the feed has none"
    );
    let got = alert(&pipeline, &feed, &broadcast).await;
    assert_eq!(got.summary, BROADCAST_SUMMARY);
    assert_eq!(got.image, broadcast.image, "the feed's own image wins");

    // A corrected teaser keeps the page's summary, and the page is not fetched again.
    let mut corrected = daily_post.clone();
    corrected.title = "서울 지하철 2호선 신호 장애로 출근길 20분 지연".into();
    let report = pipeline
        .ingest(&feed, vec![corrected.clone()], None, Utc::now())
        .await
        .unwrap();
    assert_eq!(report.corrections, 1);
    let got = alert(&pipeline, &feed, &corrected).await;
    assert_eq!(
        (got.title.as_str(), got.summary.as_str()),
        (corrected.title.as_str(), DAILY_SUMMARY)
    );
    assert_eq!(server.requests("/a/1"), 1);
    assert_eq!(
        article_counters(&metrics),
        [
            "sokbo_article_pages_total 2",
            "sokbo_article_failures_total{reason=\"extract\"} 0",
            "sokbo_article_failures_total{reason=\"fetch\"} 0",
            "sokbo_article_failures_total{reason=\"timeout\"} 0",
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_page_that_does_not_answer_leaves_the_teaser_summary_at_the_timeout() {
    let server = FeedServer::start().await;
    server.stall("/slow");
    let timeout = Duration::from_secs(3);
    let (pipeline, feed, metrics) = setup(&server, timeout);
    pipeline
        .ingest(&feed, vec![], None, Utc::now())
        .await
        .unwrap();

    let post = teaser_post(&server.url("/slow"), DAILY_TEASER);
    let started = tokio::time::Instant::now();
    pipeline
        .ingest(&feed, vec![post.clone()], None, Utc::now())
        .await
        .unwrap();
    // Virtual time (the clock is paused): the ingest waited exactly the timeout, no more.
    assert_eq!(started.elapsed(), timeout);
    assert_eq!(alert(&pipeline, &feed, &post).await.summary, TEASER_SUMMARY);
    assert_eq!(server.requests("/slow"), 1, "asked once, never again");
    assert!(
        article_counters(&metrics)
            .contains(&"sokbo_article_failures_total{reason=\"timeout\"} 1".to_owned())
    );
}

#[tokio::test]
async fn huge_pages_other_documents_and_redirect_loops_fall_back_to_the_teaser() {
    let server = FeedServer::start().await;
    server.huge("/huge", 4 * 1024 * 1024, false);
    server.serve(
        "/paper.pdf",
        Resource::new(&b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"[..], "application/pdf"),
    );
    server.serve(
        "/photo.jpg",
        Resource::new(&b"\xFF\xD8\xFF\xE0\0\x10JFIF"[..], "image/jpeg"),
    );
    server.redirect_chain("/loop", 3, "/loop");
    let (pipeline, feed, metrics) = setup(&server, Duration::from_secs(10));
    pipeline
        .ingest(&feed, vec![], None, Utc::now())
        .await
        .unwrap();

    let posts: Vec<Post> = ["/huge", "/paper.pdf", "/photo.jpg", "/loop"]
        .iter()
        .map(|path| teaser_post(&server.url(path), DAILY_TEASER))
        .collect();
    let report = pipeline
        .ingest(&feed, posts.clone(), None, Utc::now())
        .await
        .unwrap();
    assert_eq!(report.alerts, 4);
    for post in &posts {
        let got = alert(&pipeline, &feed, post).await;
        assert_eq!(
            (got.summary.as_str(), got.image),
            (TEASER_SUMMARY, None),
            "{:?}",
            post.link
        );
    }
    assert_eq!(
        article_counters(&metrics),
        [
            "sokbo_article_pages_total 2",
            "sokbo_article_failures_total{reason=\"extract\"} 2",
            "sokbo_article_failures_total{reason=\"fetch\"} 2",
            "sokbo_article_failures_total{reason=\"timeout\"} 0",
        ]
    );
}
