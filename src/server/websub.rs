//! The WebSub callback routes `GET|POST /websub/{id}`: HTTP in and out; what a request means
//! for a subscription is the [`WebSubHandler`]'s business.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::future::BoxFuture;

use super::ServerState;

/// A verification-of-intent request from a hub (`GET /websub/{id}?hub.mode=…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    Subscribe {
        topic: String,
        challenge: String,
        lease_seconds: Option<u64>,
    },
    Unsubscribe {
        topic: String,
        challenge: String,
    },
    /// The hub refused the subscription.
    Denied {
        topic: String,
        reason: Option<String>,
    },
}

/// What the subscriber makes of an [`Intent`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntentOutcome {
    /// Confirmed: the challenge is echoed with 200.
    Confirmed,
    /// Noted (a denial): 200 with an empty body.
    Noted,
    /// Unknown callback id, another topic, or a request the subscriber never made: 404.
    Refused,
}

/// What the subscriber makes of a content distribution request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushOutcome {
    /// Signature good; the body is being ingested: 202.
    Accepted,
    /// No subscription has this callback id: 404.
    Unknown,
    /// Signature missing or wrong: 403, and nothing changes.
    Rejected,
}

/// The subscriber behind the callback routes.
pub trait WebSubHandler: Send + Sync {
    /// Answers a hub's verification of intent (or denial) for callback `id`.
    fn intent<'a>(&'a self, id: &'a str, intent: Intent) -> BoxFuture<'a, IntentOutcome>;
    /// Takes a notification for callback `id`: `headers` carry the signature and Content-Type.
    fn push<'a>(
        &'a self,
        id: &'a str,
        headers: &'a HeaderMap,
        body: Bytes,
    ) -> BoxFuture<'a, PushOutcome>;
}

/// The callback side the server hands requests to, and the body size it accepts.
#[derive(Clone)]
pub struct WebSubRoutes {
    pub handler: Arc<dyn WebSubHandler>,
    /// Largest notification body accepted (`http.max_body_bytes`); larger ones get 413.
    pub max_body_bytes: u64,
}

type Shared = State<Arc<ServerState>>;

pub(super) async fn intent(
    State(state): Shared,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(websub) = &state.websub else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(intent) = parse_intent(query.as_deref().unwrap_or("")) else {
        return (
            StatusCode::BAD_REQUEST,
            "not a WebSub verification request\n",
        )
            .into_response();
    };
    let challenge = match &intent {
        Intent::Subscribe { challenge, .. } | Intent::Unsubscribe { challenge, .. } => {
            Some(challenge.clone())
        }
        Intent::Denied { .. } => None,
    };
    match websub.handler.intent(&id, intent).await {
        IntentOutcome::Confirmed => {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            (StatusCode::OK, headers, challenge.unwrap_or_default()).into_response()
        }
        IntentOutcome::Noted => StatusCode::OK.into_response(),
        IntentOutcome::Refused => (StatusCode::NOT_FOUND, "unknown subscription\n").into_response(),
    }
}

pub(super) async fn push(
    State(state): Shared,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(websub) = &state.websub else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match websub.handler.push(&id, &headers, body).await {
        PushOutcome::Accepted => StatusCode::ACCEPTED.into_response(),
        PushOutcome::Unknown => (StatusCode::NOT_FOUND, "unknown subscription\n").into_response(),
        PushOutcome::Rejected => (StatusCode::FORBIDDEN, "bad signature\n").into_response(),
    }
}

/// The `hub.*` parameters of a verification request; `None` when mode, topic or (for
/// subscribe/unsubscribe) challenge is missing, or the mode is unknown.
pub fn parse_intent(query: &str) -> Option<Intent> {
    let mut mode = None;
    let mut topic = None;
    let mut challenge = None;
    let mut lease = None;
    let mut reason = None;
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        let slot = match key.as_ref() {
            "hub.mode" => &mut mode,
            "hub.topic" => &mut topic,
            "hub.challenge" => &mut challenge,
            "hub.lease_seconds" => &mut lease,
            "hub.reason" => &mut reason,
            _ => continue,
        };
        slot.get_or_insert(value.into_owned());
    }
    let topic = topic?;
    match mode?.as_str() {
        "subscribe" => Some(Intent::Subscribe {
            topic,
            challenge: challenge.filter(|c| !c.is_empty())?,
            lease_seconds: lease.and_then(|l| l.trim().parse().ok()),
        }),
        "unsubscribe" => Some(Intent::Unsubscribe {
            topic,
            challenge: challenge.filter(|c| !c.is_empty())?,
        }),
        "denied" => Some(Intent::Denied { topic, reason }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verification_queries_parse() {
        let parsed: Vec<Option<Intent>> = [
            "hub.mode=subscribe&hub.topic=https%3A%2F%2Fa.example%2Ffeed&hub.challenge=c%201&hub.lease_seconds=86400",
            "hub.mode=subscribe&hub.topic=t&hub.challenge=c&hub.lease_seconds=soon",
            "hub.mode=unsubscribe&hub.topic=t&hub.challenge=c",
            "hub.mode=denied&hub.topic=t&hub.reason=no+thanks",
            "hub.mode=denied&hub.topic=t",
            "hub.mode=subscribe&hub.topic=t",
            "hub.mode=subscribe&hub.topic=t&hub.challenge=",
            "hub.mode=publish&hub.topic=t&hub.challenge=c",
            "hub.topic=t&hub.challenge=c",
            "",
        ]
        .iter()
        .map(|q| parse_intent(q))
        .collect();
        assert_eq!(
            parsed,
            [
                Some(Intent::Subscribe {
                    topic: "https://a.example/feed".into(),
                    challenge: "c 1".into(),
                    lease_seconds: Some(86400),
                }),
                Some(Intent::Subscribe {
                    topic: "t".into(),
                    challenge: "c".into(),
                    lease_seconds: None,
                }),
                Some(Intent::Unsubscribe {
                    topic: "t".into(),
                    challenge: "c".into(),
                }),
                Some(Intent::Denied {
                    topic: "t".into(),
                    reason: Some("no thanks".into()),
                }),
                Some(Intent::Denied {
                    topic: "t".into(),
                    reason: None,
                }),
                None,
                None,
                None,
                None,
                None,
            ]
        );
    }
}
