//! `[chat_feeds]`: whether chats may add feeds themselves (`/subscribe <url>`), how often those
//! are polled, where their URLs may lead, and when their followers hear that one fails.

use std::time::Duration;

use serde::Deserialize;

use super::{FeedConfig, FeedSource, de_duration};
use crate::model::{ChatFeed, ChatId};

/// Who may add feeds from a chat.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChatFeedsAllow {
    /// Nobody: only the operator's config has feeds.
    Off,
    /// Administrators of groups and channels, and anyone in a private chat with the bot.
    #[default]
    Admins,
    /// Every member of a chat.
    Everyone,
}

/// Feeds added from chats.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChatFeedsConfig {
    pub allow: ChatFeedsAllow,
    /// How often each chat-added feed is polled (a feed's own caching hints may lengthen it).
    #[serde(deserialize_with = "de_duration")]
    pub interval: Duration,
    /// Most feeds one chat may add.
    pub max_per_chat: usize,
    /// When not empty, chats may add feeds of these hosts (and their subdomains) only.
    pub allow_hosts: Vec<String>,
    /// Hosts (and their subdomains) chats may never add.
    pub deny_hosts: Vec<String>,
    /// Lets chat-added URLs reach loopback, private and other non-public addresses. Off: a
    /// chat cannot make the bot probe the network it runs in.
    pub allow_private_addresses: bool,
    /// Ports allowed besides 80 and 443.
    pub allow_ports: Vec<u16>,
    /// A feed failing this long gets one notice to the chats that follow it.
    #[serde(deserialize_with = "de_duration")]
    pub notify_after: Duration,
    /// A chat-added feed failing this long is paused, with a notice; `/subscribe <url>` again
    /// resumes it.
    #[serde(deserialize_with = "de_duration")]
    pub disable_after: Duration,
    /// Where the same notices go for the operator's own feeds: `telegram:<id>`,
    /// `telegram:@channel` or `discord:<channel id>`. Empty: nowhere.
    pub operator_chat: String,
}

impl Default for ChatFeedsConfig {
    fn default() -> Self {
        ChatFeedsConfig {
            allow: ChatFeedsAllow::Admins,
            interval: Duration::from_secs(5 * 60),
            max_per_chat: 50,
            allow_hosts: Vec::new(),
            deny_hosts: Vec::new(),
            allow_private_addresses: false,
            allow_ports: Vec::new(),
            notify_after: Duration::from_secs(6 * 3600),
            disable_after: Duration::from_secs(7 * 24 * 3600),
            operator_chat: String::new(),
        }
    }
}

impl ChatFeedsConfig {
    /// How the chat feed `feed` is polled and alerted: this section's interval, every other
    /// key at its default.
    pub fn feed_config(&self, feed: &ChatFeed) -> FeedConfig {
        FeedConfig {
            interval: self.interval,
            ..FeedConfig::new(feed.name.clone(), FeedSource::Http(feed.url.clone()))
        }
    }

    /// The operator chat, when set (validated with the config).
    pub fn operator_chat(&self) -> Option<ChatId> {
        self.operator_chat.trim().parse().ok()
    }
}
