//! The routes and their handlers; statuses are documented on [`router`].

use std::sync::Arc;

use axum::Json;
use axum::extract::{DefaultBodyLimit, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::auth::Access;
use super::{Health, MAX_BODY_BYTES, NodeRole, PingOutcome, ServerState, websub};
use crate::metrics::CONTENT_TYPE;

/// The endpoints:
/// - `GET /healthz`: 200 when the store and every configured platform are up, else 503; a JSON
///   body `{"status": "ok"|"degraded"|"down", "store": "ok"|"down", "platforms": {name:
///   "ok"|"down"}, "feeds_failing": [names], "outbox_depth": n, "outbox_oldest_seconds": s|null,
///   "websub": {feed: state}}`
///   ("degraded": up, but some feeds fail).
/// - `GET /metrics`: Prometheus text format 0.0.4; the outbox and failing-feed gauges are set from
///   [`Health`] first.
/// - `POST /ping?feed=NAME` with `Authorization: Bearer <server.ping_token>`: 202 when a poll was
///   started or one is in flight already (`"status": "started"|"already running"`), 401 with
///   `WWW-Authenticate` when the token is missing or wrong, 403 when no token is configured
///   (pinging off), 400 without `feed`, 404 for an unknown feed.
/// - `GET /websub/{id}` (when a WebSub handler is set): a hub's verification of intent; 200 with
///   the `hub.challenge` echoed as text/plain when confirmed, 200 empty for `hub.mode=denied`,
///   404 for an unknown id, another topic or a request never made, 400 without the `hub.*`
///   parameters.
/// - `POST /websub/{id}`: a hub's notification; 202 when the signature is good (the body is then
///   ingested like a polled feed), 403 when it is missing or wrong (nothing changes), 404 for an
///   unknown id, 413 over the handler's body limit (`http.max_body_bytes`).
///
/// Other methods on these paths get 405, other paths 404, bodies over [`MAX_BODY_BYTES`] 413.
pub fn router(state: ServerState) -> axum::Router {
    let small = axum::Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/ping", post(ping))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES as usize))
        .layer(middleware::from_fn_with_state(MAX_BODY_BYTES, limit_body));
    let app = match &state.websub {
        Some(routes) => {
            let limit = routes.max_body_bytes;
            let callback = axum::Router::new()
                .route("/websub/{id}", get(websub::intent).post(websub::push))
                .layer(DefaultBodyLimit::max(
                    usize::try_from(limit).unwrap_or(usize::MAX),
                ))
                .layer(middleware::from_fn_with_state(limit, limit_body));
            small.merge(callback)
        }
        None => small,
    };
    app.with_state(Arc::new(state))
}

type Shared = State<Arc<ServerState>>;

async fn healthz(State(state): Shared) -> Response {
    let health = (state.health)().await;
    let status = if health.is_up() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, no_store(), Json(health_json(&health))).into_response()
}

/// The `/healthz` body.
pub fn health_json(health: &Health) -> Value {
    let up = |ok: bool| if ok { "ok" } else { "down" };
    let status = match (health.is_up(), health.feeds_failing.is_empty()) {
        (false, _) => "down",
        (true, false) => "degraded",
        (true, true) => "ok",
    };
    let platforms: serde_json::Map<String, Value> = health
        .platforms
        .iter()
        .map(|(platform, ok)| (platform.as_str().to_owned(), up(*ok).into()))
        .collect();
    let websub: serde_json::Map<String, Value> = health
        .websub
        .iter()
        .map(|(feed, state)| (feed.clone(), state.clone().into()))
        .collect();
    let mut body = json!({
        "status": status,
        "store": up(health.store_ok),
        "platforms": platforms,
        "feeds_failing": health.feeds_failing,
        "outbox_depth": health.outbox_depth,
        "outbox_oldest_seconds": health.outbox_oldest.map(|age| age.as_secs_f64()),
        "websub": websub,
    });
    if let Some(node) = &health.node {
        body["node"] = node_json(node);
    }
    body
}

/// A cluster node's role: `{"id", "leases": {name: {"held", "seconds_left"}}, "claimed_feeds",
/// "poll_lag_seconds"}`.
fn node_json(node: &NodeRole) -> Value {
    let leases: serde_json::Map<String, Value> = node
        .leases
        .iter()
        .map(|(name, left)| {
            let lease = json!({
                "held": left.is_some(),
                "seconds_left": left.map(|l| (l.as_secs_f64() * 10.0).round() / 10.0),
            });
            (name.clone(), lease)
        })
        .collect();
    json!({
        "id": node.id,
        "leases": leases,
        "claimed_feeds": node.claimed_feeds,
        "poll_lag_seconds": node.poll_lag.as_secs_f64(),
    })
}

/// Prometheus lines for a cluster node's leases and polling.
fn node_metrics(node: &NodeRole) -> String {
    let mut out = String::from(
        "# HELP sokbo_lease_held Whether this node holds the lease (1) or waits for it (0).\n\
         # TYPE sokbo_lease_held gauge\n",
    );
    for (name, left) in &node.leases {
        let held = u8::from(left.is_some());
        out.push_str(&format!("sokbo_lease_held{{lease=\"{name}\"}} {held}\n"));
    }
    out.push_str(&format!(
        "# HELP sokbo_claimed_feeds Feeds this node has claimed for polling now.\n\
         # TYPE sokbo_claimed_feeds gauge\nsokbo_claimed_feeds {}\n\
         # HELP sokbo_poll_lag_seconds Worst lateness of a poll in the last minute.\n\
         # TYPE sokbo_poll_lag_seconds gauge\nsokbo_poll_lag_seconds {}\n",
        node.claimed_feeds,
        node.poll_lag.as_secs_f64()
    ));
    out
}

async fn metrics(State(state): Shared) -> Response {
    let health = (state.health)().await;
    state
        .metrics
        .set_outbox(health.outbox_depth, health.outbox_oldest);
    state.metrics.set_feeds_failing(health.feeds_failing.len());
    let mut headers = no_store();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    let mut body = state.metrics.encode();
    if let Some(node) = &health.node {
        body.push_str(&node_metrics(node));
    }
    (headers, body).into_response()
}

async fn ping(State(state): Shared, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    match state.ping_auth.check(headers.get(header::AUTHORIZATION)) {
        Access::Granted => {}
        Access::Disabled => {
            let error = "pinging is off: set server.ping_token to turn it on";
            return (StatusCode::FORBIDDEN, Json(json!({ "error": error }))).into_response();
        }
        Access::Missing => return unauthorized("Bearer realm=\"sokbo\""),
        Access::Invalid => {
            tracing::warn!("ping refused: wrong bearer token");
            return unauthorized("Bearer realm=\"sokbo\", error=\"invalid_token\"");
        }
    }
    let feed = query.as_deref().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(key, _)| key == "feed")
            .map(|(_, value)| value.into_owned())
    });
    let Some(feed) = feed.filter(|name| !name.is_empty()) else {
        let error = "missing feed: POST /ping?feed=NAME";
        return (StatusCode::BAD_REQUEST, Json(json!({ "error": error }))).into_response();
    };
    let (status, text) = match (state.ping)(&feed) {
        PingOutcome::Started => ("started", "poll started"),
        PingOutcome::AlreadyRunning => ("already running", "poll already in flight"),
        PingOutcome::UnknownFeed => {
            let body = json!({ "error": "unknown feed" });
            return (StatusCode::NOT_FOUND, Json(body)).into_response();
        }
    };
    tracing::info!(feed = %feed, "ping: {text}");
    let body = json!({ "feed": feed, "status": status });
    (StatusCode::ACCEPTED, Json(body)).into_response()
}

fn unauthorized(challenge: &'static str) -> Response {
    let body = json!({ "error": "a valid Authorization: Bearer token is required" });
    let mut response = (StatusCode::UNAUTHORIZED, Json(body)).into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(challenge),
    );
    response
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

fn no_store() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers
}

/// Turns away requests that announce a body larger than `limit`.
async fn limit_body(State(limit): State<u64>, request: Request, next: Next) -> Response {
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|len| len > limit) {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large\n").into_response();
    }
    next.run(request).await
}
