//! Article pages for full-text summaries: the fetch of a post's page through the feeds' client
//! and fetch limits, bounded by a deadline, and its main text extracted.

mod page;

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

pub use page::{PageError, extract};

use crate::metrics::Metrics;
use crate::pipeline::{Page, PageSource};
use crate::source::http::{FetchError, Fetcher};
use crate::source::poll::Limits;

/// Why a post's page gave no text (its teaser summary is used instead).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArticleError {
    #[error("no answer within {}", humantime::format_duration(*.0))]
    Timeout(Duration),
    #[error("fetch failed: {0}")]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    Page(#[from] PageError),
    #[error("the extraction task failed")]
    Task,
}

/// Fetches article pages with the feeds' client and fetch limits; counts them in the metrics.
#[derive(Clone)]
pub struct ArticleFetcher {
    fetcher: Fetcher,
    limits: Limits,
    metrics: Metrics,
}

impl ArticleFetcher {
    pub fn new(fetcher: Fetcher, limits: Limits, metrics: Metrics) -> ArticleFetcher {
        ArticleFetcher {
            fetcher,
            limits,
            metrics,
        }
    }

    /// The main text of the page at `url`, or why there is none, within `timeout` (waiting
    /// for a fetch slot included). Nothing is retried.
    pub async fn page(&self, url: &str, timeout: Duration) -> Result<Page, ArticleError> {
        let started = Instant::now();
        let result = tokio::time::timeout(timeout, self.fetch_and_extract(url))
            .await
            .unwrap_or(Err(ArticleError::Timeout(timeout)));
        self.metrics.article_time(started.elapsed());
        if let Err(e) = &result {
            let reason = match e {
                ArticleError::Timeout(_) => "timeout",
                ArticleError::Fetch(_) => "fetch",
                ArticleError::Page(_) | ArticleError::Task => "extract",
            };
            self.metrics.article_failure(reason);
            tracing::debug!(url, "article page not used: {e}");
        }
        result
    }

    async fn fetch_and_extract(&self, url: &str) -> Result<Page, ArticleError> {
        let fetched = {
            let _permits = self.limits.acquire(url).await;
            self.fetcher.fetch_page(url).await?
        };
        self.metrics.article_fetched();
        // Parsing a page of a few hundred KiB takes milliseconds: off the async threads.
        tokio::task::spawn_blocking(move || {
            extract(
                &fetched.body,
                fetched.content_type.as_deref(),
                &fetched.final_url,
            )
        })
        .await
        .map_err(|_| ArticleError::Task)?
        .map_err(ArticleError::from)
    }
}

impl PageSource for ArticleFetcher {
    fn page<'a>(
        &'a self,
        url: &'a str,
        timeout: Duration,
    ) -> Pin<Box<dyn Future<Output = Option<Page>> + Send + 'a>> {
        Box::pin(async move { ArticleFetcher::page(self, url, timeout).await.ok() })
    }
}
