//! Feed autodiscovery: the feeds a web page names in `<link rel="alternate">`, so a chat may
//! give a site's address instead of its feed's. Pure: the page is fetched by the caller.

use scraper::{Html, Selector};
use url::Url;

/// Media types of feeds, best first.
const FEED_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
];

/// One feed a page links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedLink {
    /// Absolute http(s) URL.
    pub url: String,
    /// The link's `title`, when it has one.
    pub title: Option<String>,
}

/// The feeds `html` names (resolved against `base`), in order of preference: the media type's
/// rank, then the page's order. Comment feeds (`/comments/` in the URL, or a title saying
/// comments) come last.
pub fn feed_links(html: &str, base: &Url) -> Vec<FeedLink> {
    let Ok(selector) = Selector::parse("link[rel][href]") else {
        return Vec::new();
    };
    let doc = Html::parse_document(html);
    let mut found: Vec<(usize, bool, usize, FeedLink)> = Vec::new();
    for (order, link) in doc.select(&selector).enumerate() {
        let el = link.value();
        let rel = el.attr("rel").unwrap_or_default().to_ascii_lowercase();
        if !rel
            .split_ascii_whitespace()
            .any(|r| r == "alternate" || r == "feed")
        {
            continue;
        }
        let kind = el.attr("type").map(|t| {
            t.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
        let rank = match kind.as_deref() {
            Some(t) => match FEED_TYPES.iter().position(|f| *f == t) {
                Some(rank) => rank,
                None => continue,
            },
            // `rel="feed"` without a type still names a feed.
            None if rel.split_ascii_whitespace().any(|r| r == "feed") => FEED_TYPES.len(),
            None => continue,
        };
        let Some(url) = el.attr("href").and_then(|h| base.join(h.trim()).ok()) else {
            continue;
        };
        if !matches!(url.scheme(), "http" | "https") {
            continue;
        }
        let title = el
            .attr("title")
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty());
        let comments = url.path().contains("/comments/")
            || title.as_deref().is_some_and(|t| {
                let t = t.to_lowercase();
                t.contains("comment") || t.contains("댓글")
            });
        let link = FeedLink {
            url: url.to_string(),
            title,
        };
        if !found.iter().any(|(_, _, _, f)| f.url == link.url) {
            found.push((rank, comments, order, link));
        }
    }
    found.sort_by_key(|(rank, comments, order, _)| (*comments, *rank, *order));
    found.into_iter().map(|(_, _, _, link)| link).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://news.example.com/2026/12/post.html").unwrap()
    }

    fn link(url: &str, title: Option<&str>) -> FeedLink {
        FeedLink {
            url: url.into(),
            title: title.map(str::to_owned),
        }
    }

    #[test]
    fn finds_feeds_best_first_with_absolute_urls() {
        let html = r#"<html><head>
            <link rel="stylesheet" href="/style.css">
            <link rel="alternate" type="application/atom+xml" title="Atom" href="/atom.xml">
            <link rel="alternate" type="application/rss+xml; charset=utf-8" title="속보 RSS" href="feed.xml">
            <link rel="alternate" type="application/rss+xml" title="댓글" href="/comments/feed/">
            <link rel="alternate" hreflang="en" type="text/html" href="/en/">
            <link rel="alternate" type="application/rss+xml" href="https://news.example.com/2026/12/feed.xml">
            <link rel="feed" href="//cdn.example.net/all">
            <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
            </head><body></body></html>"#;
        assert_eq!(
            feed_links(html, &base()),
            vec![
                link(
                    "https://news.example.com/2026/12/feed.xml",
                    Some("속보 RSS")
                ),
                link("https://news.example.com/atom.xml", Some("Atom")),
                link("https://cdn.example.net/all", None),
                link("https://news.example.com/comments/feed/", Some("댓글")),
            ]
        );
    }

    #[test]
    fn a_page_without_feeds_or_not_html_gives_none() {
        assert_eq!(feed_links("<html><head></head></html>", &base()), vec![]);
        assert_eq!(feed_links("not html at all \u{0} <<<", &base()), vec![]);
        assert_eq!(feed_links("", &base()), vec![]);
    }
}
