//! From what a chat typed to a feed: the address normalized and checked against the policy,
//! fetched through the guard, read as a feed, or else searched for `<link rel="alternate">`
//! feeds, which are fetched and read in turn.

use url::Url;

use super::{AddError, ChatFeeds};
use crate::model::Post;
use crate::source::discover::feed_links;
use crate::source::feed::parse_feed;
use crate::source::http::{FetchOutcome, Fetched, Validators};

/// Candidate feeds of a page tried, best first.
const MAX_CANDIDATES: usize = 3;
/// Longest address a chat may give.
pub const MAX_URL_CHARS: usize = 2048;

/// A feed found and read.
pub(super) struct Found {
    /// Where it was read (after redirects): the URL polled from now on.
    pub url: String,
    pub title: String,
    pub posts: Vec<Post>,
}

/// The address a chat gave, as polled: `https://` added when no scheme was given, angle
/// brackets and surrounding spaces dropped, the fragment removed.
pub fn normalize(raw: &str) -> Result<String, AddError> {
    let bad = || AddError::BadUrl(raw.chars().take(80).collect());
    let trimmed = raw
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    if trimmed.is_empty() || trimmed.chars().count() > MAX_URL_CHARS {
        return Err(bad());
    }
    let with_scheme = if trimmed.contains("://") {
        trimmed.to_owned()
    } else {
        format!("https://{trimmed}")
    };
    let mut url = Url::parse(&with_scheme).map_err(|_| bad())?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad());
    }
    url.set_fragment(None);
    Ok(url.to_string())
}

impl ChatFeeds {
    /// The feed at `raw`, or the best feed the page at `raw` links to.
    pub(super) async fn find(&self, raw: &str) -> Result<Found, AddError> {
        let url = normalize(raw)?;
        let parsed = Url::parse(&url).map_err(|_| AddError::BadUrl(url.clone()))?;
        self.fetcher.policy().check(&parsed)?;
        let page = self.get(&url).await?;
        let read = self.read(&page);
        let read_error = match read {
            Ok(found) => return Ok(found),
            Err(e) => e,
        };
        let text = String::from_utf8_lossy(&page.body);
        let base = Url::parse(&page.final_url).unwrap_or(parsed);
        let links = feed_links(&text, &base);
        if links.is_empty() {
            return Err(AddError::NotAFeed(read_error));
        }
        let mut last = read_error;
        for link in links.into_iter().take(MAX_CANDIDATES) {
            let Ok(candidate) = Url::parse(&link.url) else {
                continue;
            };
            if let Err(refusal) = self.fetcher.policy().check(&candidate) {
                last = refusal.to_string();
                continue;
            }
            match self.get(&link.url).await {
                Ok(fetched) => match self.read(&fetched) {
                    Ok(found) => return Ok(found),
                    Err(e) => last = e,
                },
                Err(e) => last = e.to_string(),
            }
        }
        Err(AddError::NotAFeed(last))
    }

    /// One guarded GET, whatever the feed's validators (a chat asked now).
    async fn get(&self, url: &str) -> Result<Fetched, AddError> {
        let fetcher = self
            .fetcher
            .get()
            .map_err(|e| AddError::Fetch(e.to_string()))?;
        match fetcher.fetch(url, &Validators::default()).await {
            Ok(FetchOutcome::Fetched(fetched)) => Ok(fetched),
            Ok(FetchOutcome::NotModified { .. }) => Err(AddError::Fetch("HTTP 304".into())),
            Err(crate::source::http::FetchError::Refused(refusal)) => {
                Err(AddError::Refused(refusal))
            }
            Err(e) => Err(AddError::Fetch(e.to_string())),
        }
    }

    /// `fetched` read as a feed; the reason it is not one otherwise.
    fn read(&self, fetched: &Fetched) -> Result<Found, String> {
        let parsed = parse_feed(
            &fetched.body,
            fetched.content_type.as_deref(),
            &fetched.final_url,
        )
        .map_err(|e| e.to_string())?;
        let title = parsed
            .title
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| crate::source::poll::host_of(&fetched.final_url));
        Ok(Found {
            url: fetched.final_url.clone(),
            title: title.trim().to_owned(),
            posts: parsed.posts,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_normalized() {
        let ok = |raw: &str| normalize(raw).unwrap();
        assert_eq!(ok("news.example/rss"), "https://news.example/rss");
        assert_eq!(
            ok(" <https://news.example/feed.xml#top> "),
            "https://news.example/feed.xml"
        );
        assert_eq!(ok("http://news.example"), "http://news.example/");
        assert!(matches!(normalize(""), Err(AddError::BadUrl(_))));
        assert!(matches!(normalize("https://"), Err(AddError::BadUrl(_))));
        assert!(matches!(
            normalize(&"a".repeat(3000)),
            Err(AddError::BadUrl(_))
        ));
        // Other schemes with a host pass here; the policy refuses them.
        assert_eq!(ok("ftp://news.example/x"), "ftp://news.example/x");
        assert!(matches!(
            normalize("file:///etc/passwd"),
            Err(AddError::BadUrl(_))
        ));
    }
}
