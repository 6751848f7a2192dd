//! Optional abstractive summaries from an OpenAI-compatible chat-completions endpoint
//! (`[summary] llm_url`). Any error, timeout, over-long or unfinished answer falls back to the
//! extractive summary; no call waits longer than the configured timeout; the API key is never
//! logged.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize};

use super::SummaryOptions;
use super::prompt::{self, Message};
use crate::model::Post;

pub use super::prompt::AnswerError;

/// `[summary]` in config.toml.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SummaryConfig {
    /// Chat-completions URL (".../v1/chat/completions"; a base ending in "/v1" gets
    /// "/chat/completions" appended). Empty: abstractive mode off.
    pub llm_url: String,
    /// Model name sent with each request (omitted when empty).
    pub model: String,
    /// Name of the environment variable holding the API key (sent as a bearer token when set).
    pub api_key_env: String,
    /// Longest wait for an answer, overall.
    #[serde(deserialize_with = "de_duration")]
    pub timeout: Duration,
}

impl Default for SummaryConfig {
    fn default() -> Self {
        SummaryConfig {
            llm_url: String::new(),
            model: String::new(),
            api_key_env: "SOKBO_LLM_API_KEY".into(),
            timeout: Duration::from_secs(3),
        }
    }
}

fn de_duration<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let s = String::deserialize(d)?;
    humantime::parse_duration(&s).map_err(|e| {
        serde::de::Error::custom(format!(
            "invalid duration {s:?}: {e} (try \"3s\", \"500ms\")"
        ))
    })
}

/// Why the abstractive summary was not used.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("abstractive summaries are off (no llm_url)")]
    Off,
    #[error("invalid llm_url {url:?}: {reason}")]
    Url { url: String, reason: String },
    #[error("building the HTTP client: {0}")]
    Client(reqwest::Error),
    #[error("request failed: {0}")]
    Request(reqwest::Error),
    #[error("the endpoint answered HTTP {0}")]
    Status(u16),
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("the endpoint's reply is not a chat completion: {0}")]
    Reply(serde_json::Error),
    #[error(transparent)]
    Answer(#[from] AnswerError),
}

/// Summarizes through the LLM endpoint, falling back to [`super::summarize`].
#[derive(Clone)]
pub struct LlmSummarizer {
    client: reqwest::Client,
    endpoint: Option<url::Url>,
    model: String,
    api_key: Option<String>,
    timeout: Duration,
}

impl fmt::Debug for LlmSummarizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LlmSummarizer")
            .field("endpoint", &self.endpoint.as_ref().map(url::Url::as_str))
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .finish()
    }
}

#[derive(Serialize)]
struct Request<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    model: &'a str,
    messages: Vec<Message>,
    temperature: f32,
    max_tokens: usize,
    stream: bool,
}

#[derive(Deserialize)]
struct Completion {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: ChoiceMessage,
}

#[derive(Deserialize)]
struct ChoiceMessage {
    content: Option<String>,
}

impl LlmSummarizer {
    /// A summarizer with its own HTTP client; the API key is read from `config.api_key_env`.
    pub fn new(config: &SummaryConfig) -> Result<LlmSummarizer, LlmError> {
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .build()
            .map_err(LlmError::Client)?;
        let key = std::env::var(&config.api_key_env).ok();
        LlmSummarizer::from_parts(config, client, key)
    }

    /// A summarizer on a given client and key (an empty key sends no Authorization header).
    pub fn from_parts(
        config: &SummaryConfig,
        client: reqwest::Client,
        api_key: Option<String>,
    ) -> Result<LlmSummarizer, LlmError> {
        Ok(LlmSummarizer {
            client,
            endpoint: endpoint(&config.llm_url)?,
            model: config.model.clone(),
            api_key: api_key.filter(|k| !k.trim().is_empty()),
            timeout: config.timeout,
        })
    }

    /// Whether an endpoint is configured.
    pub fn enabled(&self) -> bool {
        self.endpoint.is_some()
    }

    /// The LLM's summary when it is usable, else the extractive one; returns within the timeout.
    pub async fn summarize(&self, post: &Post, opts: &SummaryOptions) -> String {
        if !self.enabled() {
            return super::summarize(post, opts);
        }
        match self.try_summarize(post, opts).await {
            Ok(summary) => summary,
            Err(error) => {
                tracing::warn!(%error, "LLM summary not used; falling back to the extractive summary");
                super::summarize(post, opts)
            }
        }
    }

    /// The LLM's summary, cleaned and checked, or why there is none.
    pub async fn try_summarize(
        &self,
        post: &Post,
        opts: &SummaryOptions,
    ) -> Result<String, LlmError> {
        let endpoint = self.endpoint.clone().ok_or(LlmError::Off)?;
        let body = Request {
            model: &self.model,
            messages: prompt::messages(post, opts),
            temperature: 0.2,
            max_tokens: (opts.max_chars * 3).clamp(64, 2048),
            stream: false,
        };
        let mut request = self.client.post(endpoint).json(&body);
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(key);
        }
        let exchange = async {
            let response = request.send().await.map_err(request_error)?;
            let status = response.status();
            if !status.is_success() {
                return Err(LlmError::Status(status.as_u16()));
            }
            response.bytes().await.map_err(request_error)
        };
        let bytes = tokio::time::timeout(self.timeout, exchange)
            .await
            .map_err(|_| LlmError::Timeout(self.timeout))??;
        let completion: Completion = serde_json::from_slice(&bytes).map_err(LlmError::Reply)?;
        let answer = completion
            .choices
            .into_iter()
            .find_map(|c| c.message.content)
            .unwrap_or_default();
        Ok(prompt::accept(&answer, opts)?)
    }
}

/// A transport error without its URL (which may carry credentials in its query).
fn request_error(e: reqwest::Error) -> LlmError {
    LlmError::Request(e.without_url())
}

/// The chat-completions URL for `llm_url`; `None` when it is empty.
fn endpoint(llm_url: &str) -> Result<Option<url::Url>, LlmError> {
    let raw = llm_url.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let bad = |reason: String| LlmError::Url {
        url: raw.to_owned(),
        reason,
    };
    let mut url = url::Url::parse(raw).map_err(|e| bad(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("not http(s)".into()));
    }
    if !url
        .path()
        .trim_end_matches('/')
        .ends_with("/chat/completions")
    {
        let path = format!("{}/chat/completions", url.path().trim_end_matches('/'));
        url.set_path(&path);
    }
    Ok(Some(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_forms() {
        let e = |s: &str| endpoint(s).map(|u| u.map(|u| u.to_string()));
        assert_eq!(e("").ok(), Some(None));
        assert_eq!(
            e("http://127.0.0.1:8080/v1").ok(),
            Some(Some("http://127.0.0.1:8080/v1/chat/completions".into()))
        );
        assert_eq!(
            e("https://api.example.com/v1/chat/completions").ok(),
            Some(Some("https://api.example.com/v1/chat/completions".into()))
        );
        assert!(matches!(e("ftp://x/v1"), Err(LlmError::Url { .. })));
        assert!(matches!(e("not a url"), Err(LlmError::Url { .. })));
    }

    #[test]
    fn config_defaults_and_durations() {
        let c: SummaryConfig =
            toml::from_str("llm_url = \"http://x/v1\"\ntimeout = \"500ms\"").unwrap();
        assert_eq!(
            c,
            SummaryConfig {
                llm_url: "http://x/v1".into(),
                timeout: Duration::from_millis(500),
                ..SummaryConfig::default()
            }
        );
        assert!(toml::from_str::<SummaryConfig>("timeout = \"soon\"").is_err());
        assert!(toml::from_str::<SummaryConfig>("url = \"x\"").is_err());
    }

    #[test]
    fn debug_hides_the_key() {
        let s = LlmSummarizer::from_parts(
            &SummaryConfig::default(),
            reqwest::Client::new(),
            Some("sk-secret".into()),
        )
        .unwrap();
        let shown = format!("{s:?}");
        assert!(!shown.contains("sk-secret") && shown.contains("<redacted>"));
        assert!(!s.enabled());
    }
}
