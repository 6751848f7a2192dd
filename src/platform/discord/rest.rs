//! Discord REST for alerts: create and edit channel and webhook messages against
//! `discord.api_url` with reqwest, paced by [`super::pace`], answers mapped to outbox outcomes;
//! and attachment downloads with the same client.
//!
//! serenity's own HTTP client keeps the 429 body and the bucket headers to itself when its rate
//! limiter is off (which an API-URL override needs), so alerts take this path instead.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use reqwest::{Method, StatusCode, header::HeaderMap};
use serde_json::Value;

use super::pace::{Announced, Pacer, Wait};
use crate::model::DiscordWebhook;
use crate::platform::{DeliveryError, Pace};

/// Where a message goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dest {
    Channel(u64),
    /// A webhook: its id and token (the token never appears in logs).
    Webhook {
        id: u64,
        token: String,
    },
}

impl Dest {
    /// The webhook of a URL like `https://discord.com/api/webhooks/<id>/<token>` (see
    /// [`DiscordWebhook::parse`]).
    pub fn webhook(url: &str) -> Option<Dest> {
        DiscordWebhook::parse(url).map(|w| Dest::Webhook {
            id: w.id,
            token: w.token,
        })
    }

    fn bucket(&self, method: &Method) -> String {
        match self {
            Dest::Channel(id) => format!("{method} channel:{id}"),
            Dest::Webhook { id, .. } => format!("{method} webhook:{id}"),
        }
    }
}

/// The alert side of the Discord API.
pub struct Rest {
    client: reqwest::Client,
    base: String,
    auth: String,
    pacer: Mutex<Pacer>,
}

impl Rest {
    pub fn new(api_url: &str, token: &str, timeout: Duration) -> anyhow::Result<Rest> {
        let client = reqwest::Client::builder()
            .use_rustls_tls()
            .timeout(timeout)
            .user_agent(concat!(
                "DiscordBot (sokbo, ",
                env!("CARGO_PKG_VERSION"),
                ")"
            ))
            .build()
            .context("building the Discord HTTP client")?;
        Ok(Rest {
            client,
            base: format!("{}/api/v10", api_url.trim_end_matches('/')),
            auth: format!("Bot {token}"),
            pacer: Mutex::new(Pacer::default()),
        })
    }

    /// Posts a message; Ok carries its id.
    pub async fn post(&self, dest: &Dest, body: &Value) -> Result<String, DeliveryError> {
        let url = match dest {
            Dest::Channel(id) => format!("{}/channels/{id}/messages", self.base),
            Dest::Webhook { id, token } => format!(
                "{}/webhooks/{id}/{token}?wait=true&with_components=true",
                self.base
            ),
        };
        self.call(Method::POST, dest, url, body, false).await
    }

    /// Edits message `message`; a message that no longer exists is `Rejected`.
    pub async fn edit(
        &self,
        dest: &Dest,
        message: &str,
        body: &Value,
    ) -> Result<String, DeliveryError> {
        let url = match dest {
            Dest::Channel(id) => format!("{}/channels/{id}/messages/{message}", self.base),
            Dest::Webhook { id, token } => format!(
                "{}/webhooks/{id}/{token}/messages/{message}?with_components=true",
                self.base
            ),
        };
        self.call(Method::PATCH, dest, url, body, true).await
    }

    async fn call(
        &self,
        method: Method,
        dest: &Dest,
        url: String,
        body: &Value,
        edit: bool,
    ) -> Result<String, DeliveryError> {
        let bucket = dest.bucket(&method);
        let mut req = self.client.request(method, url).json(body);
        if matches!(dest, Dest::Channel(_)) {
            req = req.header(reqwest::header::AUTHORIZATION, &self.auth);
        }
        let response = req.send().await.map_err(|e| DeliveryError::Retry {
            after: None,
            // Without the URL: a webhook's carries its token.
            reason: format!("Discord unreachable: {}", e.without_url()),
        })?;
        let status = response.status();
        let headers = response.headers().clone();
        self.pacer()
            .announced(&bucket, announced(&headers), Instant::now());
        let bytes = response.bytes().await.unwrap_or_default();
        if status.is_success() {
            let id = serde_json::from_slice::<Value>(&bytes)
                .ok()
                .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_owned));
            return id.ok_or_else(|| DeliveryError::Retry {
                after: None,
                reason: format!("Discord answered {status} without a message id"),
            });
        }
        let failure = failure(status, &headers, &bytes, edit);
        if let DeliveryError::Retry {
            after: Some(after), ..
        } = &failure
        {
            let global = is_global(&headers, &bytes);
            self.pacer()
                .limited(&bucket, *after, global, Instant::now());
        }
        Err(failure)
    }

    /// Downloads an attachment (Discord's CDN, no token sent): at most `max` bytes, or a short
    /// reason it could not.
    pub async fn download(&self, url: &str, max: usize) -> Result<Vec<u8>, String> {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err("the file has no web address".into());
        }
        let mut response = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| format!("download failed: {}", e.without_url()))?;
        if !response.status().is_success() {
            return Err(format!(
                "download failed: HTTP {}",
                response.status().as_u16()
            ));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| format!("download failed: {}", e.without_url()))?
        {
            if bytes.len() + chunk.len() > max {
                return Err(format!("larger than {} KiB", max / 1024));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }

    /// Takes a slot for a request to `dest` at `now` (an edit when `edit`), or says how long
    /// to wait: everything (the global limit) or this bucket only.
    pub fn reserve(&self, dest: &Dest, edit: bool, now: Instant) -> Result<(), Pace> {
        let method = if edit { Method::PATCH } else { Method::POST };
        self.pacer()
            .reserve(&dest.bucket(&method), now)
            .map_err(|wait| match wait {
                Wait::Global(d) => Pace::Platform(d),
                Wait::Bucket(d) => Pace::Target(d),
            })
    }

    fn pacer(&self) -> std::sync::MutexGuard<'_, Pacer> {
        self.pacer.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn header_f64(headers: &HeaderMap, name: &str) -> Option<f64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

fn secs(s: f64) -> Option<Duration> {
    (s.is_finite() && s >= 0.0).then(|| Duration::from_secs_f64(s.min(3600.0)))
}

fn announced(headers: &HeaderMap) -> Announced {
    Announced {
        remaining: header_f64(headers, "x-ratelimit-remaining").map(|r| r.max(0.0) as u64),
        reset_after: header_f64(headers, "x-ratelimit-reset-after").and_then(secs),
    }
}

fn is_global(headers: &HeaderMap, body: &[u8]) -> bool {
    let scope = headers
        .get("x-ratelimit-scope")
        .and_then(|v| v.to_str().ok());
    headers.contains_key("x-ratelimit-global")
        || scope == Some("global")
        || serde_json::from_slice::<Value>(body)
            .ok()
            .and_then(|v| v.get("global").and_then(Value::as_bool))
            .unwrap_or(false)
}

/// What a non-2xx answer means for the outbox.
pub fn failure(status: StatusCode, headers: &HeaderMap, body: &[u8], edit: bool) -> DeliveryError {
    let json = serde_json::from_slice::<Value>(body).unwrap_or(Value::Null);
    let code = json.get("code").and_then(Value::as_i64).unwrap_or(0);
    let message = json
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("error"));
    let reason = format!("Discord {}: {message} (code {code})", status.as_u16());
    match status.as_u16() {
        429 => {
            let after = json
                .get("retry_after")
                .and_then(Value::as_f64)
                .or_else(|| header_f64(headers, "retry-after"))
                .and_then(secs)
                .unwrap_or(Duration::from_secs(1));
            DeliveryError::Retry {
                after: Some(after),
                reason,
            }
        }
        // Unknown Message: the alert to correct was deleted.
        404 if edit && code == 10008 => DeliveryError::Rejected { reason },
        // Missing Access / Missing Permissions / Unknown Channel / Unknown Webhook and the like.
        403 | 404 => DeliveryError::Gone { reason },
        401 | 408 | 500..=599 => DeliveryError::Retry {
            after: None,
            reason,
        },
        _ => DeliveryError::Rejected { reason },
    }
}

#[cfg(test)]
mod tests;
