//! Alert delivery's own Bot API client on reqwest: `POST {api_url}/bot{token}/{Method}` with
//! teloxide's payloads as JSON bodies, answered at once on any status (teloxide-core sleeps 10 s
//! inside a request on HTTP 5xx), and Telegram's answers read into teloxide's `RequestError` so
//! `send::delivery_error` maps them. Long polling, replies and commands stay on teloxide.
//!
//! No error carries the request URL (it holds the token): reqwest errors are stripped of it.

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use teloxide::requests::Payload;
use teloxide::types::{ChatId, Seconds};
use teloxide::{ApiError, RequestError};

/// At most this much of an unreadable answer is kept in `RequestError::InvalidJson`.
const RAW_KEPT: usize = 512;

/// A Bot API client for sending alerts.
#[derive(Clone)]
pub struct BotApi {
    client: reqwest::Client,
    base: reqwest::Url,
    token: Arc<str>,
}

/// What a sendMessage or sendPhoto answer carries that delivery needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Sent {
    pub message_id: i32,
}

impl BotApi {
    /// A client for the Bot API at `api_url` (e.g. `https://api.telegram.org`) that gives up on
    /// a request after `timeout` in all, and on connecting after `connect_timeout`.
    pub fn new(
        api_url: &str,
        token: &str,
        timeout: Duration,
        connect_timeout: Duration,
    ) -> anyhow::Result<BotApi> {
        let base: reqwest::Url = api_url
            .parse()
            .map_err(|e| anyhow::anyhow!("telegram.api_url is not a URL: {e}"))?;
        if base.cannot_be_a_base() {
            anyhow::bail!("telegram.api_url is not an http(s) URL");
        }
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(connect_timeout.min(timeout))
            .tcp_nodelay(true)
            .build()
            .map_err(|e| anyhow::anyhow!("cannot build the Telegram HTTP client: {e}"))?;
        Ok(BotApi {
            client,
            base,
            token: token.into(),
        })
    }

    /// Calls `P::NAME` with `payload` as its JSON body; `R` is read from the answer's `result`.
    pub async fn call<P, R>(&self, payload: &P) -> Result<R, RequestError>
    where
        P: Payload + serde::Serialize,
        R: DeserializeOwned,
    {
        let body = serde_json::to_vec(payload).map_err(|e| invalid(e, ""))?;
        let response = self
            .client
            .post(self.url(P::NAME))
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(body)
            .send()
            .await
            .map_err(network)?;
        let status = response.status();
        let text = response.text().await.map_err(network)?;
        answer(status, &text)
    }

    fn url(&self, method: &str) -> reqwest::Url {
        let mut url = self.base.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty();
            segments.push(&format!("bot{}", self.token));
            segments.push(method);
        }
        url
    }
}

/// A transport error without the URL (and so without the token).
fn network(e: reqwest::Error) -> RequestError {
    RequestError::Network(Arc::new(e.without_url()))
}

fn invalid(source: serde_json::Error, raw: &str) -> RequestError {
    let mut end = raw.len().min(RAW_KEPT);
    while !raw.is_char_boundary(end) {
        end -= 1;
    }
    RequestError::InvalidJson {
        source: Arc::new(source),
        raw: raw[..end].into(),
    }
}

/// Telegram's answer envelope: `{"ok":true,"result":…}` or `{"ok":false,"error_code":…,
/// "description":…,"parameters":{…}}`.
#[derive(Deserialize)]
struct Envelope {
    ok: bool,
    #[serde(default)]
    result: serde_json::Value,
    description: Option<String>,
    #[serde(default)]
    parameters: Parameters,
}

#[derive(Default, Deserialize)]
struct Parameters {
    retry_after: Option<u32>,
    migrate_to_chat_id: Option<i64>,
}

/// Reads an answer of HTTP status `status` with body `body`.
///
/// `retry_after` and `migrate_to_chat_id` win over the description, as in teloxide; otherwise
/// the description becomes teloxide's `ApiError`. A 5xx is server trouble: its description
/// stays `ApiError::Unknown` (never one of teloxide's refusal variants), or is the status line
/// ("502 Bad Gateway") when the body is not Telegram's, and `delivery_error` retries it.
pub fn answer<R: DeserializeOwned>(status: StatusCode, body: &str) -> Result<R, RequestError> {
    let envelope: Envelope = match serde_json::from_str(body) {
        Ok(envelope) => envelope,
        Err(_) if status.is_server_error() => {
            return Err(RequestError::Api(ApiError::Unknown(status.to_string())));
        }
        Err(e) => return Err(invalid(e, body)),
    };
    if envelope.ok {
        return serde_json::from_value(envelope.result).map_err(|e| invalid(e, body));
    }
    let Parameters {
        retry_after,
        migrate_to_chat_id,
    } = envelope.parameters;
    if let Some(secs) = retry_after {
        return Err(RequestError::RetryAfter(Seconds::from_seconds(secs)));
    }
    if let Some(id) = migrate_to_chat_id {
        return Err(RequestError::MigrateToChatId(ChatId(id)));
    }
    let description = envelope.description.unwrap_or_else(|| status.to_string());
    if status.is_server_error() {
        return Err(RequestError::Api(ApiError::Unknown(description)));
    }
    let api = serde_json::from_value(serde_json::Value::String(description.clone()))
        .unwrap_or(ApiError::Unknown(description));
    Err(RequestError::Api(api))
}

#[cfg(test)]
mod tests;
