//! Fake feed server on 127.0.0.1:0 (axum) for integration tests and benchmarks: named paths
//! with bodies and validators (answers 304 when they match), per-path counters, runtime body
//! changes, and scripted faults (status + Retry-After, redirect chains, hangs, huge and gzip
//! bodies). Shuts down when dropped.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use futures_util::stream::{self, StreamExt};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

mod resource;
mod respond;

pub use resource::{Resource, numbered_rss};

/// What a path answers.
#[derive(Debug, Clone)]
enum Route {
    Feed(Resource),
    Status {
        status: StatusCode,
        retry_after: Option<String>,
    },
    Redirect {
        location: String,
    },
    /// Headers and a first chunk, then a body that never ends.
    HangBody,
    /// No response at all.
    Stall,
    /// `bytes` of filler, streamed; Content-Length declared or chunked.
    Huge {
        bytes: u64,
        declare_length: bool,
    },
}

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
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
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

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let headers = request.headers().clone();
    {
        let mut stats = lock(&shared.stats);
        let entry = stats.entry(path.clone()).or_default();
        entry.requests += 1;
        entry.last_headers = Some(headers.clone());
    }
    respond::count_agent(&shared.agents, &headers);
    shared.request_seen.notify_waiters();

    let route = lock(&shared.routes).get(&path).cloned();
    let response = match route {
        None => respond::status(StatusCode::NOT_FOUND, None),
        Some(Route::Feed(resource)) => respond::feed(&resource, &headers),
        Some(Route::Status {
            status,
            retry_after,
        }) => respond::status(status, retry_after.as_deref()),
        Some(Route::Redirect { location }) => respond::redirect(&location),
        Some(Route::HangBody) => {
            let first =
                stream::once(async { Ok::<_, std::io::Error>(Bytes::from_static(b"<rss")) });
            respond::with_body(
                "application/rss+xml",
                Body::from_stream(first.chain(stream::pending())),
            )
        }
        Some(Route::Stall) => std::future::pending().await,
        Some(Route::Huge {
            bytes,
            declare_length,
        }) => {
            let counter = lock(&shared.sent).entry(path.clone()).or_default().clone();
            respond::huge(bytes, declare_length, counter)
        }
    };
    if response.status() == StatusCode::NOT_MODIFIED
        && let Some(stats) = lock(&shared.stats).get_mut(&path)
    {
        stats.not_modified += 1;
    }
    response
}
