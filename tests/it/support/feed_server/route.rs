//! What a path of the fake feed server answers, and the handler that answers it.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use bytes::Bytes;
use futures_util::stream::{self, StreamExt};

use super::{Resource, Shared, lock, respond};

/// What a path answers.
#[derive(Debug, Clone)]
pub(super) enum Route {
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
    /// `body` sent `chunk` bytes at a time, one piece every `every`.
    Trickle {
        body: Bytes,
        chunk: usize,
        every: Duration,
    },
}

pub(super) async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
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

    let latency = shared.latency_ms.load(Ordering::SeqCst);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
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
        Some(Route::Trickle { body, chunk, every }) => respond::trickle(body, chunk, every),
    };
    if response.status() == StatusCode::NOT_MODIFIED
        && let Some(stats) = lock(&shared.stats).get_mut(&path)
    {
        stats.not_modified += 1;
    }
    response
}
