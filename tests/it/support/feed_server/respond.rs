//! Responses of the fake feed server: feeds with conditional GET and gzip, statuses,
//! redirects, huge streamed bodies and trickled ones.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use futures_util::stream;

use super::Resource;

/// Header value from a string known to be valid (test inputs).
fn value(s: &str) -> HeaderValue {
    HeaderValue::from_str(s).expect("valid header value")
}

pub fn with_body(content_type: &str, body: Body) -> Response {
    let mut response = Response::new(body);
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, value(content_type));
    response
}

pub fn status(status: StatusCode, retry_after: Option<&str>) -> Response {
    let mut response = with_body("text/plain", Body::from(status.to_string()));
    *response.status_mut() = status;
    if let Some(retry_after) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, value(retry_after));
    }
    response
}

pub fn redirect(location: &str) -> Response {
    let mut response = status(StatusCode::FOUND, None);
    response
        .headers_mut()
        .insert(header::LOCATION, value(location));
    response
}

/// 304 when the request's validators match (If-None-Match first, else If-Modified-Since),
/// else 200 with the body (gzipped when asked and accepted).
pub fn feed(resource: &Resource, request: &HeaderMap) -> Response {
    let text = |name| {
        request
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let missing = resource.required.iter().any(|(name, value)| {
        request.get(name.as_str()).and_then(|v| v.to_str().ok()) != Some(value.as_str())
    });
    if missing {
        return status(StatusCode::UNAUTHORIZED, None);
    }
    let unchanged = match (text(header::IF_NONE_MATCH), &resource.etag) {
        (Some(sent), Some(etag)) => sent.split(',').any(|candidate| {
            let candidate = candidate.trim();
            candidate == "*" || weak(candidate) == weak(etag)
        }),
        (Some(_), None) => false,
        (None, _) => match (text(header::IF_MODIFIED_SINCE), &resource.last_modified) {
            (Some(since), Some(modified)) => {
                match (
                    httpdate::parse_http_date(since),
                    httpdate::parse_http_date(modified),
                ) {
                    (Ok(since), Ok(modified)) => modified <= since,
                    _ => false,
                }
            }
            _ => false,
        },
    };
    let mut response = if unchanged {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        response
    } else {
        let accepts_gzip = text(header::ACCEPT_ENCODING).is_some_and(|v| v.contains("gzip"));
        if resource.gzip && accepts_gzip {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(&resource.body).expect("gzip into memory");
            let gzipped = encoder.finish().expect("gzip into memory");
            let mut response = with_body(&resource.content_type, Body::from(gzipped));
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, value("gzip"));
            response
        } else {
            with_body(&resource.content_type, Body::from(resource.body.clone()))
        }
    };
    let headers = response.headers_mut();
    let validators = [
        (header::ETAG, &resource.etag),
        (header::LAST_MODIFIED, &resource.last_modified),
        (header::CACHE_CONTROL, &resource.cache_control),
    ];
    for (name, field) in validators {
        if let Some(field) = field {
            headers.insert(name, value(field));
        }
    }
    response
}

/// Counts a request under its User-Agent ("" without one).
pub fn count_agent(agents: &Mutex<HashMap<String, usize>>, request: &HeaderMap) {
    let agent = request
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let mut agents = agents.lock().unwrap_or_else(|e| e.into_inner());
    *agents
        .entry(agent.unwrap_or_default().to_owned())
        .or_default() += 1;
}

fn weak(etag: &str) -> &str {
    etag.strip_prefix("W/").unwrap_or(etag)
}

pub fn huge(bytes: u64, declare_length: bool, sent: Arc<AtomicU64>) -> Response {
    const CHUNK: usize = 64 * 1024;
    let filler = Bytes::from(vec![b'x'; CHUNK]);
    let chunks = stream::unfold(bytes, move |left| {
        let filler = filler.clone();
        let sent = sent.clone();
        async move {
            if left == 0 {
                return None;
            }
            let n = left.min(CHUNK as u64);
            sent.fetch_add(n, Ordering::SeqCst);
            let chunk = filler.slice(..n as usize);
            Some((Ok::<_, std::io::Error>(chunk), left - n))
        }
    });
    let mut response = with_body("application/rss+xml", Body::from_stream(chunks));
    if declare_length {
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, value(&bytes.to_string()));
    }
    response
}

/// `body` in pieces of `chunk` bytes, the first at once, each next one `every` later.
pub fn trickle(body: Bytes, chunk: usize, every: std::time::Duration) -> Response {
    let pieces = stream::unfold((body, true), move |(left, first)| async move {
        if left.is_empty() {
            return None;
        }
        if !first {
            tokio::time::sleep(every).await;
        }
        let n = left.len().min(chunk);
        let piece = left.slice(..n);
        Some((Ok::<_, std::io::Error>(piece), (left.slice(n..), false)))
    });
    with_body("application/rss+xml", Body::from_stream(pieces))
}
