//! Feed bytes → posts via feed-rs (RSS 0.9x/1.0/2.0, Atom, JSON Feed), charsets included.

use std::time::Duration;

use crate::post::Post;

/// A parsed feed: its posts and what it says about itself.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedFeed {
    pub title: Option<String>,
    /// RSS `<ttl>`.
    pub ttl: Option<Duration>,
    /// WebSub hub advertised by `<link rel="hub">`.
    pub hub: Option<String>,
    /// `<link rel="self">`.
    pub self_url: Option<String>,
    pub posts: Vec<Post>,
}

#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("not a feed: {0}")]
    Malformed(String),
}

/// Parses feed bytes. `content_type` is the HTTP Content-Type (its charset wins over the XML
/// prolog); `base_url` resolves relative links and images.
pub fn parse_feed(
    bytes: &[u8],
    content_type: Option<&str>,
    base_url: &str,
) -> Result<ParsedFeed, FeedError> {
    let _ = (bytes, content_type, base_url);
    Err(FeedError::Malformed("not implemented yet".into()))
}
