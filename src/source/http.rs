//! reqwest fetch of one feed: conditional GET, timeouts, streamed size cap, redirects.
//! (interim: replaced by the full fetcher)
use std::time::Duration;
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use crate::config::HttpConfig;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Validators { pub etag: Option<String>, pub last_modified: Option<String> }
pub enum FetchOutcome {
    NotModified { cache_hint: Option<Duration> },
    Fetched { body: Bytes, content_type: Option<String>, validators: Validators, cache_hint: Option<Duration>, final_url: String },
}
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("http {status}")]
    Status { status: u16, retry_after: Option<Duration> },
    #[error("{0}")]
    Network(String),
}
pub struct Fetcher { client: reqwest::Client }
impl Fetcher {
    pub fn new(_c: &HttpConfig) -> Result<Fetcher, FetchError> { Ok(Fetcher { client: reqwest::Client::new() }) }
    pub async fn fetch(&self, url: &str, _v: &Validators) -> Result<FetchOutcome, FetchError> {
        let r = self.client.get(url).send().await.map_err(|e| FetchError::Network(e.to_string()))?;
        let body = r.bytes().await.map_err(|e| FetchError::Network(e.to_string()))?;
        Ok(FetchOutcome::Fetched { body, content_type: None, validators: Validators::default(), cache_hint: None, final_url: url.into() })
    }
}
