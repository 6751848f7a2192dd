//! A feed that chats added themselves (`/subscribe <url>`), as stored: its address, who follows
//! it, and whether it is paused. One record per URL, however many chats follow it, so it is
//! polled once; its poll state and health are the feed's `FeedState`, like any feed's.

use serde::{Deserialize, Serialize};

use super::ChatId;

/// One chat-added feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatFeed {
    /// The feed's name in seen marks, alerts and the outbox: `chat-` and a digest of the URL.
    pub name: String,
    pub url: String,
    /// The feed's own title, as first read.
    pub title: String,
    /// Unix seconds when the first chat added it.
    pub added_at: i64,
    /// Chats that follow it, sorted.
    pub followers: Vec<ChatId>,
    /// Polling stopped after it failed for `disable_after`; `/subscribe` resumes it.
    #[serde(default)]
    pub paused: bool,
}

impl ChatFeed {
    /// A record for `url`, titled `title`, followed by `chat`.
    pub fn new(url: &str, title: &str, chat: ChatId, now: i64) -> ChatFeed {
        ChatFeed {
            name: chat_feed_name(url),
            url: url.to_owned(),
            title: title.to_owned(),
            added_at: now,
            followers: vec![chat],
            paused: false,
        }
    }

    /// Adds `chat` to the followers; false when it followed already.
    pub fn follow(&mut self, chat: &ChatId) -> bool {
        match self.followers.binary_search(chat) {
            Ok(_) => false,
            Err(at) => {
                self.followers.insert(at, chat.clone());
                true
            }
        }
    }

    /// Removes `chat` from the followers; false when it did not follow.
    pub fn unfollow(&mut self, chat: &ChatId) -> bool {
        match self.followers.binary_search(chat) {
            Ok(at) => {
                self.followers.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    /// Whether it is polled: someone follows it and it is not paused.
    pub fn is_polled(&self) -> bool {
        !self.paused && !self.followers.is_empty()
    }

    pub fn followed_by(&self, chat: &ChatId) -> bool {
        self.followers.binary_search(chat).is_ok()
    }
}

/// Whether `name` is the stored name of a chat-added feed (config feeds may not use the prefix).
pub fn is_chat_feed_name(name: &str) -> bool {
    name.starts_with("chat-")
}

/// The stored name of the chat feed at `url`: stable, short, and never a config feed's name
/// (those cannot contain the reserved prefix's form of a digest of a URL).
pub fn chat_feed_name(url: &str) -> String {
    // FNV-1a, 64 bits: stable across builds and platforms, which `DefaultHasher` is not.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in url.trim().as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("chat-{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn followers_stay_sorted_and_unique() {
        let (a, b) = (ChatId::telegram(5), ChatId::telegram(-100));
        let mut feed = ChatFeed::new("https://news.example/rss", "뉴스", a.clone(), 1_700_000_000);
        assert_eq!(feed.name, chat_feed_name("https://news.example/rss"));
        assert!(feed.name.starts_with("chat-") && feed.name.len() == 21);
        assert!(!feed.follow(&a));
        assert!(feed.follow(&b));
        assert!(feed.followed_by(&b));
        let mut sorted = vec![a.clone(), b.clone()];
        sorted.sort();
        assert_eq!(feed.followers, sorted);
        assert!(feed.unfollow(&a));
        assert!(!feed.unfollow(&a));
        assert_eq!(feed.followers, vec![b]);
    }

    #[test]
    fn names_are_stable_per_url() {
        assert_eq!(
            chat_feed_name("https://news.example/rss"),
            chat_feed_name(" https://news.example/rss ")
        );
        assert_ne!(
            chat_feed_name("https://news.example/rss"),
            chat_feed_name("https://news.example/atom")
        );
        // FNV-1a of the URL, as any other implementation computes it.
        assert_eq!(
            chat_feed_name("https://news.example/rss"),
            "chat-d589fb45e95e495e"
        );
    }
}
