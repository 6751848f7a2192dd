//! Pure rules of the pipeline: which new posts alert, what an alert holds, which routes take it.

use chrono::{DateTime, Utc};

use crate::config::{FeedConfig, RouteConfig};
use crate::model::{Alert, Post};

/// Orders `fresh` oldest first and says which of them to alert: on first sight the `backlog`
/// newest; later, all of them but posts published before `cutoff` (old posts a feed brings back
/// after their seen mark was forgotten).
pub fn choose_alerts(
    fresh: &mut [Post],
    first_sight: bool,
    backlog: usize,
    cutoff: DateTime<Utc>,
) -> Vec<bool> {
    // Feeds list newest first; a stable sort keeps that order among undated posts, reversed.
    fresh.reverse();
    fresh.sort_by_key(|p| p.published);
    let n = fresh.len();
    (0..n)
        .map(|i| {
            if first_sight {
                i + backlog >= n
            } else {
                fresh[i].published.is_none_or(|p| p >= cutoff)
            }
        })
        .collect()
}

/// The alert a post makes in `feed`, with its summary made beforehand.
pub fn build_alert(
    feed: &FeedConfig,
    post: &Post,
    summary: String,
    breaking_keywords: &[String],
) -> Alert {
    let mut categories: Vec<String> = Vec::new();
    for c in post.categories.iter().chain(&feed.categories) {
        if !categories.iter().any(|k| k.eq_ignore_ascii_case(c)) {
            categories.push(c.clone());
        }
    }
    let title_lower = post.title.to_lowercase();
    let breaking = feed.breaking
        || breaking_keywords
            .iter()
            .any(|k| !k.is_empty() && title_lower.contains(&k.to_lowercase()));
    Alert {
        feed: feed.name.clone(),
        key: post.key.clone(),
        title: post.title.clone(),
        link: post.link.clone(),
        source_links: post.source_links.clone(),
        categories,
        summary,
        image: post.image.clone(),
        published: post.published,
        breaking,
        notice: false,
        feed_title: None,
    }
}

/// Whether a route takes an alert: its feed and category filters (empty = all) both pass.
pub fn route_matches(route: &RouteConfig, alert: &Alert) -> bool {
    let feed_ok = route.feeds.is_empty() || route.feeds.iter().any(|f| f == &alert.feed);
    let cat_ok = route.categories.is_empty()
        || route
            .categories
            .iter()
            .any(|c| alert.categories.iter().any(|a| a.eq_ignore_ascii_case(c)));
    feed_ok && cat_ok
}

/// Hash of what a post says (its raw fields, not the summary, so a new summarizer does not
/// count as a correction), to notice corrections later.
pub fn fingerprint(post: &Post) -> String {
    let mut h = blake3::Hasher::new();
    for part in [
        Some(&post.title),
        post.excerpt.as_ref(),
        post.feature_text.as_ref(),
        post.body_html.as_ref(),
        post.link.as_ref(),
        post.image.as_ref(),
    ] {
        h.update(part.map_or("", |s| s.as_str()).as_bytes());
        h.update(b"\0");
    }
    h.finalize().to_hex()[..16].to_owned()
}
