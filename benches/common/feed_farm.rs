//! A fake feed farm for polling benchmarks: feeds `/f/{i}.xml` spread over many hosts (one
//! listener per loopback address 127.0.1.x, each its own host to per-host bounds), answering
//! after an added latency, 304 when the ETag matches; a feed gains a post now and then, and
//! with faults on some requests get a 503 or no answer at all.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;

/// Share of polls that find a new post.
const NEW_POST: f64 = 0.005;
/// With faults: share of requests answered 503, and share never answered.
const ERRORS: f64 = 0.02;
const HANGS: f64 = 0.01;

/// What the farm has served.
#[derive(Debug, Default)]
pub struct Served {
    pub requests: AtomicU64,
    pub not_modified: AtomicU64,
    pub errors: AtomicU64,
    pub hangs: AtomicU64,
}

struct Farm {
    latency: Duration,
    faults: bool,
    /// Current version of each feed (its newest post); the ETag names it.
    versions: Vec<AtomicU32>,
    served: Arc<Served>,
}

/// A running farm: the feed URLs and the counters.
pub struct FeedFarm {
    pub addrs: Vec<SocketAddr>,
    pub served: Arc<Served>,
    feeds: usize,
}

impl FeedFarm {
    /// `feeds` feeds over `hosts` loopback addresses (at most 250), answering after `latency`.
    pub async fn start(feeds: usize, hosts: usize, latency: Duration, faults: bool) -> FeedFarm {
        let served = Arc::new(Served::default());
        let farm = Arc::new(Farm {
            latency,
            faults,
            versions: (0..feeds).map(|_| AtomicU32::new(0)).collect(),
            served: served.clone(),
        });
        let app = Router::new().fallback(handle).with_state(farm);
        let mut addrs = Vec::new();
        for h in 0..hosts.clamp(1, 250) {
            let ip = format!("127.0.1.{}", h + 1);
            let listener = tokio::net::TcpListener::bind((ip.as_str(), 0))
                .await
                .unwrap_or_else(|e| panic!("bind {ip}: {e}"));
            addrs.push(listener.local_addr().expect("local addr"));
            let app = app.clone();
            tokio::spawn(async move {
                let _ = axum::serve(listener, app).await;
            });
        }
        FeedFarm {
            addrs,
            served,
            feeds,
        }
    }

    /// The URL of feed `i` (on host `i % hosts`).
    pub fn url(&self, i: usize) -> String {
        format!("http://{}/f/{i}.xml", self.addrs[i % self.addrs.len()])
    }

    /// The host of feed `i`, as per-host bounds count it.
    pub fn host(&self, i: usize) -> String {
        self.addrs[i % self.addrs.len()].ip().to_string()
    }

    /// The ETag every feed has before its first new post.
    pub fn first_etag() -> String {
        etag(0)
    }

    pub fn feeds(&self) -> usize {
        self.feeds
    }
}

fn etag(version: u32) -> String {
    format!("\"v{version}\"")
}

fn status(code: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = code;
    response
}

/// RSS with the three newest posts of a feed at `version`.
fn rss(feed: usize, version: u32) -> String {
    let items: String = (version.saturating_sub(2)..=version)
        .rev()
        .map(|v| {
            format!(
                "<item><title>{feed}번 피드 {v}번 기사</title><guid>{feed}-{v}</guid>\
                 <link>https://news.example.kr/{feed}/{v}</link></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>{items}</channel></rss>"
    )
}

async fn handle(State(farm): State<Arc<Farm>>, request: Request) -> Response {
    farm.served.requests.fetch_add(1, Ordering::Relaxed);
    let path = request.uri().path();
    let feed = path
        .strip_prefix("/f/")
        .and_then(|p| p.strip_suffix(".xml"))
        .and_then(|i| i.parse::<usize>().ok())
        .filter(|i| *i < farm.versions.len());
    let Some(feed) = feed else {
        return status(StatusCode::NOT_FOUND);
    };
    tokio::time::sleep(farm.latency).await;
    let roll = fastrand::f64();
    if farm.faults && roll < ERRORS {
        farm.served.errors.fetch_add(1, Ordering::Relaxed);
        return status(StatusCode::SERVICE_UNAVAILABLE);
    }
    if farm.faults && roll < ERRORS + HANGS {
        farm.served.hangs.fetch_add(1, Ordering::Relaxed);
        return std::future::pending().await;
    }
    if roll > 1.0 - NEW_POST {
        farm.versions[feed].fetch_add(1, Ordering::Relaxed);
    }
    let version = farm.versions[feed].load(Ordering::Relaxed);
    let tag = etag(version);
    let sent = request.headers().get(header::IF_NONE_MATCH);
    if sent.and_then(|v| v.to_str().ok()) == Some(tag.as_str()) {
        farm.served.not_modified.fetch_add(1, Ordering::Relaxed);
        let mut response = status(StatusCode::NOT_MODIFIED);
        let value = header::HeaderValue::from_str(&tag).expect("ETag is ASCII");
        response.headers_mut().insert(header::ETAG, value);
        return response;
    }
    let mut response = Response::new(Body::from(rss(feed, version)));
    let headers = response.headers_mut();
    let value = |s: &str| header::HeaderValue::from_str(s).expect("ASCII header");
    headers.insert(header::CONTENT_TYPE, value("application/rss+xml"));
    headers.insert(header::ETAG, value(&tag));
    response
}
