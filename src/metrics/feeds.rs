//! The counters labelled by feed alone, kept in one map with one entry per feed.
//!
//! With thousands of feeds, a map per counter family would store every feed name four times,
//! each as its own label vector and string; here a feed costs one name and one small record.
//! The exposition is the same as four [`CounterFamily`](super::family::CounterFamily)s with the
//! label `feed`: one family after the other, samples sorted by feed name.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

use super::family::{escape_label_value, header, lock};

/// The `feed` label that chat-added feeds count under, together.
pub const CHAT_FEEDS: &str = "(chat feeds)";

/// Which per-feed counter: an index into [`FeedCounters::FAMILIES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FeedCounter {
    Polls = 0,
    NotModified = 1,
    FetchErrors = 2,
    PostsSeen = 3,
}

const COUNT: usize = 4;

/// One feed's counts, and which of them have a sample yet (a feed shows in a family only once
/// something was counted there, or it was registered).
#[derive(Default)]
struct Counts {
    values: [u64; COUNT],
    present: [bool; COUNT],
}

/// The per-feed counter families.
pub(super) struct FeedCounters {
    values: Mutex<BTreeMap<Box<str>, Counts>>,
}

impl FeedCounters {
    /// Name and help of each family, in [`FeedCounter`] order (also the exposition order).
    pub(super) const FAMILIES: [(&'static str, &'static str); COUNT] = [
        ("sokbo_polls_total", "Feed fetches made."),
        (
            "sokbo_not_modified_total",
            "Feed fetches answered 304 Not Modified.",
        ),
        (
            "sokbo_fetch_errors_total",
            "Feed fetches or parses that failed.",
        ),
        ("sokbo_posts_seen_total", "Posts seen for the first time."),
    ];

    pub(super) fn new() -> FeedCounters {
        FeedCounters {
            values: Mutex::new(BTreeMap::new()),
        }
    }

    /// Shows `feed` in every family, at 0 where nothing was counted yet.
    pub(super) fn register(&self, feed: &str) {
        self.with(feed, |counts| counts.present = [true; COUNT]);
    }

    /// Adds `n` to `counter` of `feed`.
    pub(super) fn add(&self, counter: FeedCounter, feed: &str, n: u64) {
        let i = counter as usize;
        // Chat-added feeds count together: a label per feed would grow with every chat.
        let feed = if crate::model::is_chat_feed_name(feed) {
            CHAT_FEEDS
        } else {
            feed
        };
        self.with(feed, |counts| {
            counts.values[i] = counts.values[i].saturating_add(n);
            counts.present[i] = true;
        });
    }

    /// Runs `f` on the record of `feed`, made on first use (no allocation once it exists).
    fn with(&self, feed: &str, f: impl FnOnce(&mut Counts)) {
        let mut map = lock(&self.values);
        if let Some(counts) = map.get_mut(feed) {
            f(counts);
        } else {
            f(map.entry(feed.into()).or_default());
        }
    }

    /// Writes every family, each with its `# HELP` and `# TYPE` lines.
    pub(super) fn encode(&self, out: &mut String) {
        let map = lock(&self.values);
        for (i, (name, help)) in Self::FAMILIES.iter().enumerate() {
            header(out, name, help, "counter");
            for (feed, counts) in map.iter().filter(|(_, c)| c.present[i]) {
                let feed = escape_label_value(feed);
                let _ = writeln!(out, "{name}{{feed=\"{feed}\"}} {}", counts.values[i]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_show_only_counted_or_registered_feeds() {
        let counters = FeedCounters::new();
        counters.add(FeedCounter::FetchErrors, "b\"", 1);
        counters.register("a");
        counters.add(FeedCounter::Polls, "a", 2);
        counters.add(FeedCounter::Polls, "a", 1);
        let mut out = String::new();
        counters.encode(&mut out);
        assert_eq!(
            out,
            "# HELP sokbo_polls_total Feed fetches made.\n\
             # TYPE sokbo_polls_total counter\n\
             sokbo_polls_total{feed=\"a\"} 3\n\
             # HELP sokbo_not_modified_total Feed fetches answered 304 Not Modified.\n\
             # TYPE sokbo_not_modified_total counter\n\
             sokbo_not_modified_total{feed=\"a\"} 0\n\
             # HELP sokbo_fetch_errors_total Feed fetches or parses that failed.\n\
             # TYPE sokbo_fetch_errors_total counter\n\
             sokbo_fetch_errors_total{feed=\"a\"} 0\n\
             sokbo_fetch_errors_total{feed=\"b\\\"\"} 1\n\
             # HELP sokbo_posts_seen_total Posts seen for the first time.\n\
             # TYPE sokbo_posts_seen_total counter\n\
             sokbo_posts_seen_total{feed=\"a\"} 0\n"
        );
    }

    #[test]
    fn chat_added_feeds_count_under_one_label() {
        let metrics = crate::metrics::Metrics::new();
        metrics.poll("chat-0123456789abcdef");
        metrics.poll("chat-fedcba9876543210");
        metrics.poll("news");
        let out = metrics.encode();
        assert!(
            out.contains("sokbo_polls_total{feed=\"(chat feeds)\"} 2\n"),
            "{out}"
        );
        assert!(
            out.contains("sokbo_polls_total{feed=\"news\"} 1\n"),
            "{out}"
        );
        assert!(!out.contains("chat-0123"), "{out}");
    }
}
