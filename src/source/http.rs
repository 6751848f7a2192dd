//! reqwest fetch of one feed (conditional GET) or article page: timeouts, streamed size cap,
//! redirects.

mod guarded;
mod headers;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT, CONTENT_TYPE, COOKIE, ETAG, HeaderMap, HeaderName, HeaderValue, IF_MODIFIED_SINCE,
    IF_NONE_MATCH, LAST_MODIFIED,
};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::config::{HttpConfig, RequestSettings, redact_proxy};

pub use guarded::GuardedFetcher;

/// Redirects followed before a fetch fails with `TooManyRedirects`.
pub const MAX_REDIRECTS: usize = 5;

const ACCEPT_FEEDS: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
     application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, \
     application/json;q=0.8, */*;q=0.5";

const ACCEPT_PAGES: &str = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1";

/// Cache validators of a feed's last 200 response, sent back on the next request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// What a successful fetch brought.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchOutcome {
    /// 304: the feed is unchanged since `validators` were stored. Carries the validators to keep
    /// (the response's, else the ones sent) and the response's freshness hint.
    NotModified {
        validators: Validators,
        cache_hint: Option<Duration>,
    },
    /// 2xx with a body.
    Fetched(Fetched),
}

/// A 2xx response, its body read within the size cap.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched {
    pub body: Bytes,
    /// The Content-Type header as sent (its charset matters to the feed parser).
    pub content_type: Option<String>,
    pub validators: Validators,
    /// The URL after redirects: the base for relative links.
    pub final_url: String,
    /// Freshness from Cache-Control max-age, else Expires.
    pub cache_hint: Option<Duration>,
}

/// Why a fetch failed; callers branch on the kind (e.g. back off, honour `retry_after`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("invalid URL: {0}")]
    InvalidUrl(String),
    #[error("timed out")]
    Timeout,
    #[error("cannot connect: {0}")]
    Connect(String),
    #[error("network error: {0}")]
    Network(String),
    #[error("response larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    #[error("HTTP {}{}", status_text(.status), retry_text(.retry_after))]
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    #[error("HTTP client setup failed: {0}")]
    Client(String),
    /// The address (or a redirect's) is not one a chat-added feed may reach.
    #[error("{0}")]
    Refused(crate::source::guard::Refusal),
}

fn status_text(status: &u16) -> String {
    let reason = StatusCode::from_u16(*status)
        .ok()
        .and_then(|s| s.canonical_reason());
    match reason {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

fn retry_text(retry_after: &Option<Duration>) -> String {
    retry_after.map_or_else(String::new, |d| {
        format!(", retry after {}", humantime::format_duration(d))
    })
}

/// One HTTP client for all feeds (rustls, gzip/brotli/deflate, at most 5 redirects), and one
/// more per proxy that a feed names.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    max_body_bytes: u64,
    config: HttpConfig,
    /// Clients of feeds with their own proxy, by proxy URL.
    proxied: Arc<Mutex<HashMap<String, reqwest::Client>>>,
    /// Where requests may lead (chat-added feeds); `None`: anywhere (the operator's feeds).
    guard: Option<Arc<crate::source::guard::UrlPolicy>>,
}

impl Fetcher {
    pub fn new(config: &HttpConfig) -> Result<Fetcher, FetchError> {
        let proxy = (!config.proxy.is_empty()).then_some(config.proxy.as_str());
        Ok(Fetcher {
            client: build_client(config, proxy, None)?,
            max_body_bytes: config.max_body_bytes,
            config: config.clone(),
            proxied: Arc::default(),
            guard: None,
        })
    }

    /// The client for requests through `proxy` (`None`: the default one).
    fn client_for(&self, proxy: Option<&str>) -> Result<reqwest::Client, FetchError> {
        let Some(proxy) = proxy else {
            return Ok(self.client.clone());
        };
        let mut clients = self.proxied.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(client) = clients.get(proxy) {
            return Ok(client.clone());
        }
        let client = build_client(&self.config, Some(proxy), self.guard.as_ref())?;
        clients.insert(proxy.to_owned(), client.clone());
        Ok(client)
    }

    /// The underlying client (for other requests to feed hosts, e.g. WebSub subscriptions).
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Conditional GET of `url` with the stored `validators`.
    pub async fn fetch(
        &self,
        url: &str,
        validators: &Validators,
    ) -> Result<FetchOutcome, FetchError> {
        self.get(url, validators, None, &RequestSettings::default())
            .await
    }

    /// `fetch` with a feed's own headers, cookies, basic auth and proxy.
    pub async fn fetch_with(
        &self,
        url: &str,
        validators: &Validators,
        settings: &RequestSettings,
    ) -> Result<FetchOutcome, FetchError> {
        self.get(url, validators, None, settings).await
    }

    /// GET of a web page (an article): the same client, limits and size cap as feeds, asking
    /// for HTML. No validators: a page is fetched once, when its post is new.
    pub async fn fetch_page(&self, url: &str) -> Result<Fetched, FetchError> {
        let plain = RequestSettings::default();
        match self
            .get(url, &Validators::default(), Some(ACCEPT_PAGES), &plain)
            .await?
        {
            FetchOutcome::Fetched(fetched) => Ok(fetched),
            FetchOutcome::NotModified { .. } => Err(FetchError::Status {
                status: 304,
                retry_after: None,
            }),
        }
    }

    async fn get(
        &self,
        url: &str,
        validators: &Validators,
        accept: Option<&'static str>,
        settings: &RequestSettings,
    ) -> Result<FetchOutcome, FetchError> {
        let parsed =
            Url::parse(url.trim()).map_err(|e| FetchError::InvalidUrl(format!("{url}: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(FetchError::InvalidUrl(format!("{url}: not http(s)")));
        }
        if let Some(guard) = &self.guard {
            guard.check(&parsed).map_err(FetchError::Refused)?;
        }
        let client = self.client_for(settings.proxy.as_deref())?;
        let mut request = with_settings(client.get(parsed), settings);
        if let Some(accept) = accept {
            request = request.header(ACCEPT, HeaderValue::from_static(accept));
        }
        let conditions = [
            (IF_NONE_MATCH, &validators.etag),
            (IF_MODIFIED_SINCE, &validators.last_modified),
        ];
        for (name, value) in conditions {
            if let Some(value) = value.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
                request = request.header(name, value);
            }
        }
        let mut response = request.send().await.map_err(classify)?;

        let now = SystemTime::now();
        let status = response.status();
        let headers = response.headers();
        let cache_hint = headers::cache_hint(headers, now);
        if status == StatusCode::NOT_MODIFIED {
            let fresh = response_validators(headers);
            return Ok(FetchOutcome::NotModified {
                validators: Validators {
                    etag: fresh.etag.or_else(|| validators.etag.clone()),
                    last_modified: fresh
                        .last_modified
                        .or_else(|| validators.last_modified.clone()),
                },
                cache_hint,
            });
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                status: status.as_u16(),
                retry_after: headers::retry_after(headers, now),
            });
        }
        let limit = self.max_body_bytes;
        if response.content_length().is_some_and(|len| len > limit) {
            return Err(FetchError::TooLarge { limit });
        }
        let content_type = header_string(headers, CONTENT_TYPE);
        let new_validators = response_validators(headers);
        let final_url = response.url().to_string();

        let capacity = response.content_length().unwrap_or(0).min(limit);
        let mut body = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if (body.len() as u64).saturating_add(chunk.len() as u64) > limit {
                return Err(FetchError::TooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(FetchOutcome::Fetched(Fetched {
            body: Bytes::from(body),
            content_type,
            validators: new_validators,
            final_url,
            cache_hint,
        }))
    }
}

/// The default client, or one whose requests go through `proxy` (hosts in `NO_PROXY` excepted).
/// Without a proxy, the environment's `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` apply.
/// With a `guard`, every redirect is checked against it and, unless it allows private
/// addresses, names resolve to public addresses only.
fn build_client(
    config: &HttpConfig,
    proxy: Option<&str>,
    guard: Option<&Arc<crate::source::guard::UrlPolicy>>,
) -> Result<reqwest::Client, FetchError> {
    let mut default_headers = HeaderMap::new();
    default_headers.insert(ACCEPT, HeaderValue::from_static(ACCEPT_FEEDS));
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .user_agent(config.user_agent.as_str())
        .default_headers(default_headers)
        .connect_timeout(config.connect_timeout)
        .timeout(config.timeout)
        .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
        .gzip(true)
        .brotli(true)
        .deflate(true)
        .pool_max_idle_per_host(config.per_host.max(1));
    if let Some(guard) = guard {
        builder = guarded::restrict(builder, guard);
    }
    if let Some(proxy) = proxy {
        let proxy = reqwest::Proxy::all(proxy)
            .map_err(|e| FetchError::Client(format!("proxy {}: {e}", redact_proxy(proxy))))?
            .no_proxy(reqwest::NoProxy::from_env());
        builder = builder.proxy(proxy);
    }
    builder
        .build()
        .map_err(|e| FetchError::Client(innermost(&e)))
}

/// A feed's extra headers, cookies and basic auth on `request`. The settings were validated
/// with the config; a header that still does not fit is left out.
fn with_settings(
    mut request: reqwest::RequestBuilder,
    settings: &RequestSettings,
) -> reqwest::RequestBuilder {
    for (name, value) in &settings.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            request = request.header(name, value);
        }
    }
    if let Some(cookies) = settings.cookie_header()
        && let Ok(value) = HeaderValue::from_str(&cookies)
    {
        request = request.header(COOKIE, value);
    }
    if let Some(auth) = &settings.basic_auth {
        request = request.basic_auth(&auth.user, Some(&auth.password));
    }
    request
}

fn header_string(headers: &HeaderMap, name: HeaderName) -> Option<String> {
    let value = headers.get(name)?.to_str().ok()?.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

fn response_validators(headers: &HeaderMap) -> Validators {
    Validators {
        etag: header_string(headers, ETAG),
        last_modified: header_string(headers, LAST_MODIFIED),
    }
}

fn classify(e: reqwest::Error) -> FetchError {
    if let Some(refusal) = guarded::refusal_in(&e) {
        FetchError::Refused(refusal)
    } else if e.is_timeout() {
        FetchError::Timeout
    } else if e.is_redirect() {
        FetchError::TooManyRedirects
    } else if e.is_connect() {
        FetchError::Connect(innermost(&e))
    } else if e.is_builder() {
        FetchError::InvalidUrl(innermost(&e))
    } else {
        FetchError::Network(innermost(&e))
    }
}

/// The deepest cause's message: short and specific ("Connection refused (os error 111)").
pub(crate) fn innermost(e: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_texts_are_short() {
        let status = FetchError::Status {
            status: 503,
            retry_after: Some(Duration::from_secs(120)),
        };
        assert_eq!(
            status.to_string(),
            "HTTP 503 Service Unavailable, retry after 2m"
        );
        let status = FetchError::Status {
            status: 599,
            retry_after: None,
        };
        assert_eq!(status.to_string(), "HTTP 599");
        assert_eq!(
            FetchError::TooManyRedirects.to_string(),
            "more than 5 redirects"
        );
        assert_eq!(
            FetchError::TooLarge { limit: 1024 }.to_string(),
            "response larger than 1024 bytes"
        );
    }
}
