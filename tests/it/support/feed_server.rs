//! Fake feed server on 127.0.0.1:0 (axum) for integration tests and benchmarks: named paths
//! with bodies and validators (answers 304 when they match), per-path counters, runtime body
//! changes, added latency, and scripted faults (status + Retry-After, redirect chains, hangs,
//! huge, trickled and gzip bodies). Shuts down when dropped.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use bytes::Bytes;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

mod resource;
mod respond;
mod route;

pub use resource::{Resource, numbered_rss};
use route::{Route, handle};

#[derive(Debug, Clone, Default)]
struct Stats {
    requests: usize,
    not_modified: usize,
    last_headers: Option<HeaderMap>,
}

#[derive(Default)]
struct Shared {
    routes: Mutex<HashMap<String, Route>>,
    stats: Mutex<HashMap<String, Stats>>,
    /// Requests by User-Agent, over all paths.
    agents: Mutex<HashMap<String, usize>>,
    sent: Mutex<HashMap<String, Arc<AtomicU64>>>,
    request_seen: Notify,
    /// Added before every response, in milliseconds.
    latency_ms: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Handle to a running fake feed server.
pub struct FeedServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl FeedServer {
    /// Binds 127.0.0.1 on an ephemeral port and serves until dropped.
    pub async fn start() -> FeedServer {
        FeedServer::start_on(std::net::Ipv4Addr::LOCALHOST).await
    }

    /// Binds `ip` (a loopback address: 127.0.0.2 is another host to the fetcher's per-host
    /// bound) on an ephemeral port and serves until dropped.
    pub async fn start_on(ip: std::net::Ipv4Addr) -> FeedServer {
        let listener = tokio::net::TcpListener::bind((ip, 0))
            .await
            .unwrap_or_else(|e| panic!("bind {ip}:0: {e}"));
        let addr = listener.local_addr().expect("local addr");
        let shared = Arc::new(Shared::default());
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FeedServer { addr, shared, task }
    }

    #[allow(dead_code)] // harness API that no test uses yet
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Absolute URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, normalize(path))
    }

    fn route(&self, path: &str, route: Route) {
        lock(&self.shared.routes).insert(normalize(path), route);
    }

    /// Serves `resource` at `path`.
    pub fn serve(&self, path: &str, resource: Resource) {
        self.route(path, Route::Feed(resource));
    }

    /// Replaces the body at `path`; a resource with validators gets new ones (an ETag derived
    /// from the body, Last-Modified one second later).
    pub fn set_body(&self, path: &str, body: impl Into<Bytes>) {
        let mut routes = lock(&self.shared.routes);
        let Some(Route::Feed(resource)) = routes.get_mut(&normalize(path)) else {
            panic!("set_body: no feed served at {path}");
        };
        resource.body = body.into();
        if resource.etag.is_some() {
            let hash = blake3::hash(&resource.body).to_hex();
            resource.etag = Some(format!("\"{}\"", &hash[..16]));
        }
        if let Some(previous) = &resource.last_modified {
            let previous = httpdate::parse_http_date(previous).unwrap_or(SystemTime::UNIX_EPOCH);
            resource.last_modified =
                Some(httpdate::fmt_http_date(previous + Duration::from_secs(1)));
        }
    }

    /// The ETag currently served at `path`.
    pub fn etag(&self, path: &str) -> Option<String> {
        match lock(&self.shared.routes).get(&normalize(path)) {
            Some(Route::Feed(resource)) => resource.etag.clone(),
            _ => None,
        }
    }

    /// `path` answers `status`, with a Retry-After header when given ("120" or an HTTP-date).
    pub fn fail(&self, path: &str, status: u16, retry_after: Option<&str>) {
        let status = StatusCode::from_u16(status).expect("valid status");
        let retry_after = retry_after.map(str::to_owned);
        self.route(
            path,
            Route::Status {
                status,
                retry_after,
            },
        );
    }

    /// `from` reaches `to` through `hops` redirects (302, relative Location).
    pub fn redirect_chain(&self, from: &str, hops: usize, to: &str) {
        let from = normalize(from);
        let hop_path = |i: usize| {
            if i == 0 {
                from.clone()
            } else {
                format!("{from}~hop{i}")
            }
        };
        for i in 0..hops {
            let location = if i + 1 == hops {
                normalize(to)
            } else {
                hop_path(i + 1)
            };
            self.route(&hop_path(i), Route::Redirect { location });
        }
    }

    /// `from` answers 302 with `location` as it is (an absolute URL, say on another host).
    pub fn redirect_to(&self, from: &str, location: &str) {
        let location = location.to_owned();
        self.route(from, Route::Redirect { location });
    }

    /// `path` sends headers and a first chunk, then never finishes the body.
    pub fn hang(&self, path: &str) {
        self.route(path, Route::HangBody);
    }

    /// `path` never answers at all.
    pub fn stall(&self, path: &str) {
        self.route(path, Route::Stall);
    }

    /// `path` streams `bytes` of filler, with or without a Content-Length header.
    pub fn huge(&self, path: &str, bytes: u64, declare_length: bool) {
        self.route(
            path,
            Route::Huge {
                bytes,
                declare_length,
            },
        );
    }

    /// `path` serves `body` slowly: `chunk` bytes, then a pause of `every`, until it is sent.
    #[allow(dead_code)] // harness API that only a benchmark uses
    pub fn trickle(&self, path: &str, body: impl Into<Bytes>, chunk: usize, every: Duration) {
        let body = body.into();
        let chunk = chunk.max(1);
        self.route(path, Route::Trickle { body, chunk, every });
    }

    /// Every response waits `latency` first (as a distant server would).
    #[allow(dead_code)] // harness API that only a benchmark uses
    pub fn set_latency(&self, latency: Duration) {
        let ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        self.shared.latency_ms.store(ms, Ordering::SeqCst);
    }

    /// Body bytes produced so far for `path` by `huge`.
    pub fn bytes_sent(&self, path: &str) -> u64 {
        lock(&self.shared.sent)
            .get(&normalize(path))
            .map_or(0, |n| n.load(Ordering::SeqCst))
    }

    /// Requests received for `path`.
    pub fn requests(&self, path: &str) -> usize {
        self.stats(path).requests
    }

    /// 304 responses sent for `path`.
    pub fn not_modified(&self, path: &str) -> usize {
        self.stats(path).not_modified
    }

    /// Headers of the last request for `path`.
    pub fn last_request_headers(&self, path: &str) -> Option<HeaderMap> {
        self.stats(path).last_headers
    }

    /// Requests so far by User-Agent, over all paths.
    pub fn requests_by_agent(&self) -> HashMap<String, usize> {
        lock(&self.shared.agents).clone()
    }

    fn stats(&self, path: &str) -> Stats {
        lock(&self.shared.stats)
            .get(&normalize(path))
            .cloned()
            .unwrap_or_default()
    }

    /// Waits until `path` has had at least `n` requests; false if `timeout` passes first.
    pub async fn wait_for_requests(&self, path: &str, n: usize, timeout: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.shared.request_seen.notified();
            if self.requests(path) >= n {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.requests(path) >= n;
            }
        }
    }
}

impl Drop for FeedServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn normalize(path: &str) -> String {
    if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}
