//! Chat subscriptions: who gets which alerts (categories, keyword filters, pause, quiet hours).

use std::collections::BTreeSet;

use chrono::{DateTime, Timelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::chat_id::ChatId;
use super::post::Alert;

/// Most keywords a chat keeps in each of its include and exclude lists.
pub const MAX_KEYWORDS: usize = 20;

/// Hours of the day, in the bot's timezone, when alerts arrive without sound.
/// `start_hour..end_hour`, wrapping past midnight when `start_hour > end_hour` ("23-7").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    pub start_hour: u8,
    pub end_hour: u8,
}

impl QuietHours {
    /// Quiet hours from `start` to `end` (0–23 each; `end` 24 means midnight); `None` when out
    /// of range or empty (`start == end`).
    pub fn new(start: u8, end: u8) -> Option<QuietHours> {
        let end = if end == 24 { 0 } else { end };
        (start < 24 && end < 24 && start != end).then_some(QuietHours {
            start_hour: start,
            end_hour: end,
        })
    }

    /// Whether the hour of day `hour` (0–23) is quiet.
    pub fn contains(&self, hour: u32) -> bool {
        let (start, end) = (u32::from(self.start_hour), u32::from(self.end_hour));
        if start <= end {
            start <= hour && hour < end
        } else {
            hour >= start || hour < end
        }
    }
}

/// What one chat receives, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub chat: ChatId,
    /// Category names, as the posts spell them.
    #[serde(default)]
    pub categories: BTreeSet<String>,
    /// Every category, including ones not seen yet.
    #[serde(default)]
    pub all: bool,
    /// When any are set, an alert must mention at least one (title or summary).
    #[serde(default)]
    pub include: Vec<String>,
    /// An alert mentioning any of these (title or summary) is left out.
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub paused: bool,
    /// Why the chat cannot be reached (bot blocked or removed); kept until the chat comes back.
    #[serde(default)]
    pub inactive: Option<String>,
    #[serde(default)]
    pub quiet: Option<QuietHours>,
    /// Language code for this chat's texts.
    #[serde(default)]
    pub language: Option<String>,
    /// Chat title or @name, for logs and replies.
    #[serde(default)]
    pub title: Option<String>,
}

impl Subscription {
    /// A chat that receives nothing yet.
    pub fn new(chat: ChatId) -> Subscription {
        Subscription {
            chat,
            categories: BTreeSet::new(),
            all: false,
            include: Vec::new(),
            exclude: Vec::new(),
            paused: false,
            inactive: None,
            quiet: None,
            language: None,
            title: None,
        }
    }

    /// Whether the chat has subscribed to anything.
    pub fn subscribes(&self) -> bool {
        self.all || !self.categories.is_empty()
    }

    /// Whether `category` is among the subscribed ones (ignoring case), or `all` is on.
    pub fn has_category(&self, category: &str) -> bool {
        self.all || self.categories.iter().any(|c| same_word(c, category))
    }

    /// Whether this chat gets `alert`: active, not paused, a category matches (or `all`), an
    /// include keyword is present when any are set, and no exclude keyword is present.
    pub fn matches(&self, alert: &Alert) -> bool {
        let category_ok = self.all || alert.categories.iter().any(|c| self.has_category(c));
        category_ok && self.passes_filters(alert)
    }

    /// Whether this chat gets `alert` of a feed it added itself: active, not paused, keyword
    /// filters as for any alert, and its chosen categories only when it chose some and the
    /// post has categories (a chat that follows a feed wants its posts).
    pub fn matches_followed(&self, alert: &Alert) -> bool {
        let chose = !self.all && !self.categories.is_empty();
        let category_ok = !chose
            || alert.categories.is_empty()
            || alert.categories.iter().any(|c| self.has_category(c));
        category_ok && self.passes_filters(alert)
    }

    /// Active, not paused, an include keyword present when any are set, no exclude keyword.
    fn passes_filters(&self, alert: &Alert) -> bool {
        if self.paused || self.inactive.is_some() {
            return false;
        }
        if self.include.is_empty() && self.exclude.is_empty() {
            return true;
        }
        let text = format!("{}\n{}", alert.title, alert.summary).to_lowercase();
        let mentions = |k: &String| {
            let k = k.trim().to_lowercase();
            !k.is_empty() && text.contains(&k)
        };
        let include_ok = self.include.is_empty() || self.include.iter().any(mentions);
        include_ok && !self.exclude.iter().any(mentions)
    }

    /// Whether alerts at `at` arrive without sound (quiet hours in timezone `tz`).
    pub fn is_quiet(&self, at: DateTime<Utc>, tz: Tz) -> bool {
        self.quiet
            .is_some_and(|q| q.contains(at.with_timezone(&tz).hour()))
    }
}

/// Case-insensitive equality of two words.
pub fn same_word(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}
