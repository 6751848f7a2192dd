//! Full-text summaries in the pipeline: which new posts are summarized from their article page
//! (`[[feeds]] full_text`, never backlog on first sight), their pages fetched together within
//! `alerts.full_text_timeout`, and the post as summarized from its page.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use super::Pipeline;
use crate::config::{FeedConfig, FullText};
use crate::model::Post;

/// What an article page gives a summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The main text as HTML (paragraphs kept, navigation, ads and lists around it removed).
    pub html: String,
    /// The page's `og:image`, absolute http(s).
    pub image: Option<String>,
}

/// Where article pages come from (the HTTP fetcher in the bot, fakes in tests).
pub trait PageSource: Send + Sync {
    /// The page of `url`, or `None` when there is none within `timeout` (never retried).
    fn page<'a>(
        &'a self,
        url: &'a str,
        timeout: Duration,
    ) -> Pin<Box<dyn Future<Output = Option<Page>> + Send + 'a>>;
}

/// Whether `post` of a feed set to `mode` is summarized from its page.
pub fn wanted(mode: FullText, post: &Post) -> bool {
    let linked = post
        .link
        .as_deref()
        .is_some_and(|l| l.starts_with("http://") || l.starts_with("https://"));
    linked
        && match mode {
            FullText::Never => false,
            FullText::Always => true,
            FullText::Auto => crate::summary::is_teaser(post),
        }
}

/// `post` with its page's text as the body, and the page's image when the feed gave none.
pub fn with_page(post: &Post, page: Page) -> Post {
    Post {
        body_html: Some(page.html),
        image: post.image.clone().or(page.image),
        ..post.clone()
    }
}

/// The pages of `posts` where `fetch[i]` and full text applies, fetched at once, each within
/// `timeout`; `None` where not fetched or not usable.
async fn pages(
    source: &dyn PageSource,
    feed: &FeedConfig,
    posts: &[Post],
    fetch: impl Fn(usize) -> bool,
    timeout: Duration,
) -> Vec<Option<Page>> {
    let wanted = posts.iter().enumerate().map(|(i, p)| {
        (fetch(i) && wanted(feed.full_text, p))
            .then_some(p.link.as_deref())
            .flatten()
    });
    let futures = wanted.map(|link| async move {
        match link {
            Some(url) => source.page(url, timeout).await,
            None => None,
        }
    });
    futures_util::future::join_all(futures).await
}

impl Pipeline {
    /// Summarizes new posts from their article pages, fetched through `source`.
    pub fn with_full_text(mut self, source: Arc<dyn PageSource>) -> Pipeline {
        self.pages = Some(source);
        self
    }

    /// The pages of the new posts that alert (none on a feed's first sight: that is backlog).
    pub(super) async fn new_pages(
        &self,
        feed: &FeedConfig,
        fresh: &[Post],
        alerted: &[bool],
        first_sight: bool,
    ) -> Vec<Option<Page>> {
        match &self.pages {
            Some(source) if !first_sight => {
                let fetch = |i: usize| alerted[i];
                pages(source.as_ref(), feed, fresh, fetch, self.full_text_timeout).await
            }
            _ => vec![None; fresh.len()],
        }
    }

    /// Whether alerts of `post` carry a summary of its page (a correction keeps that summary:
    /// the page is not fetched again).
    pub(super) fn summarized_from_page(&self, feed: &FeedConfig, post: &Post) -> bool {
        self.pages.is_some() && wanted(feed.full_text, post)
    }
}
