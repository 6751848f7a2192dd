//! Feed bytes → posts via feed-rs (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed), charsets and
//! legacy variants included.

pub(crate) mod charset;
mod compat;
mod depth;
mod entry;
mod json;
mod text;

use std::borrow::Cow;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use feed_rs::model::{Feed, FeedType};
use url::Url;

use crate::model::Post;
use entry::FeedContext;

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

/// Why bytes are not a feed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    #[error("empty document")]
    Empty,
    #[error("not a feed: no RSS, Atom or JSON Feed root element")]
    NotAFeed,
    #[error("elements nested deeper than {limit}")]
    TooDeep { limit: usize },
    #[error("malformed feed: {0}")]
    Malformed(String),
    /// The feed parser panicked on this input (caught; the input is treated as malformed).
    #[error("the feed parser failed on this input")]
    ParserFailed,
}

/// Parses feed bytes. `content_type` is the HTTP Content-Type (its charset wins over the XML
/// prolog); `base_url` resolves relative links and images.
pub fn parse_feed(
    bytes: &[u8],
    content_type: Option<&str>,
    base_url: &str,
) -> Result<ParsedFeed, FeedError> {
    let base = Url::parse(base_url.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"));
    let (feed, extras) = read(bytes, content_type, base.as_ref())?;
    Ok(to_parsed(feed, base.as_ref(), extras))
}

/// Bytes → feed-rs's model. The decoded and pre-passed copies of the document are dropped on
/// return, before the model is turned into posts.
fn read(
    bytes: &[u8],
    content_type: Option<&str>,
    base: Option<&Url>,
) -> Result<(Feed, json::JsonExtras), FeedError> {
    let text = charset::to_utf8(bytes, content_type, base);
    let first = text.find(['<', '{']).and_then(|i| text.as_bytes().get(i));
    let is_json = match first {
        Some(b'{') => true,
        Some(_) => false,
        None if text.trim().is_empty() => return Err(FeedError::Empty),
        None => return Err(FeedError::NotAFeed),
    };

    let (extras, document) = if is_json {
        let (extras, coerced) = json::prepare(&text)?;
        (extras, coerced.map_or(Cow::Borrowed(&*text), Cow::Owned))
    } else {
        depth::check(&text)?;
        (json::JsonExtras::default(), compat::normalize(&text))
    };

    let parser = feed_rs::parser::Builder::new()
        .base_uri(base.map(Url::as_str))
        // Missing ids stay empty: the key falls back to PostKey::derive's link/hash rule.
        .id_generator(|_links, _title, _base| String::new())
        .sanitize_content(false)
        .build();
    // feed-rs is third-party code fed untrusted input: a panic inside it is a parse failure.
    let parsed = catch_unwind(AssertUnwindSafe(|| parser.parse(document.as_bytes())))
        .map_err(|_| FeedError::ParserFailed)?;
    Ok((parsed.map_err(from_feed_rs)?, extras))
}

fn from_feed_rs(e: feed_rs::parser::ParseFeedError) -> FeedError {
    use feed_rs::parser::{ParseErrorKind, ParseFeedError};
    match e {
        ParseFeedError::ParseError(ParseErrorKind::NoFeedRoot) => FeedError::NotAFeed,
        other => FeedError::Malformed(other.to_string()),
    }
}

fn to_parsed(mut feed: Feed, fetched_from: Option<&Url>, extras: json::JsonExtras) -> ParsedFeed {
    let rel = |rel: &str| {
        feed.links
            .iter()
            .find(|l| l.rel.as_deref() == Some(rel))
            .and_then(|l| text::absolute_http(&l.href, fetched_from))
    };
    let (hub, self_url) = if feed.feed_type == FeedType::JSON {
        let abs = |u: Option<String>| u.and_then(|u| text::absolute_http(&u, fetched_from));
        (abs(extras.hub), abs(extras.self_url))
    } else {
        (rel("hub"), rel("self"))
    };

    // Without a usable fetch URL, the feed's own site link is the base for relative URLs.
    let own_link = feed
        .links
        .iter()
        .filter(|l| matches!(l.rel.as_deref(), None | Some("alternate")))
        .find_map(|l| Url::parse(&l.href).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"));
    let ctx = FeedContext {
        feed_type: feed.feed_type.clone(),
        base: fetched_from.or(own_link.as_ref()),
        authors: &feed.authors,
    };

    // Entries are consumed one by one: their text moves into the posts.
    let posts = std::mem::take(&mut feed.entries)
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let image = extras.images.get(i).and_then(Option::as_deref);
            entry::to_post(e, &ctx, image)
        })
        .collect();

    ParsedFeed {
        title: feed
            .title
            .as_ref()
            .map(|t| ctx.title_text(t))
            .filter(|t| !t.is_empty()),
        ttl: feed
            .ttl
            .filter(|&minutes| minutes > 0)
            .map(|minutes| Duration::from_secs(u64::from(minutes) * 60)),
        hub,
        self_url,
        posts,
    }
}
