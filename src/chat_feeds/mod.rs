//! Feeds that chats add themselves: finding a feed from a URL a chat gave (through the SSRF
//! guard, with autodiscovery), following and unfollowing it, listing a chat's feeds, and OPML
//! in and out of the chat. One record per URL however many chats follow it; polling (see
//! [`polling`]) and health notices (see [`health`]) read the same records.

mod find;
pub mod health;
mod opml;
pub mod polling;

use std::sync::Arc;

use chrono::Utc;
use tokio::sync::Notify;

use crate::config::{ChatFeedsConfig, FeedConfig, HttpConfig};
use crate::model::{ChatFeed, ChatId, FeedState, Post, chat_feed_name};
use crate::pipeline::Pipeline;
use crate::source::guard::{Refusal, UrlPolicy};
use crate::source::http::GuardedFetcher;
use crate::storage::{ClusterStore, Store, StoreError};

pub use find::normalize;
pub use opml::ImportReport;

/// Longest time `/subscribe <url>` spends finding the feed.
pub const FIND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// Why a feed was not added.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    #[error("{0:?} is not a web address")]
    BadUrl(String),
    #[error("{0}")]
    Refused(#[from] Refusal),
    #[error("cannot fetch it: {0}")]
    Fetch(String),
    #[error("no feed there: {0}")]
    NotAFeed(String),
    #[error("this chat follows {0} feeds already")]
    Limit(usize),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A feed a chat now follows.
#[derive(Debug, Clone, PartialEq)]
pub struct Added {
    pub feed: ChatFeed,
    /// The feed's newest post, for the reply.
    pub newest: Option<Post>,
    /// The chat followed it already.
    pub already: bool,
    /// It was paused (failing too long) and polls again.
    pub resumed: bool,
}

/// The chat feeds service the commands use; cheap to share.
pub struct ChatFeeds {
    store: Store,
    pipeline: Arc<Pipeline>,
    /// Requests through the guard: public addresses only (unless allowed), every redirect checked.
    fetcher: Arc<GuardedFetcher>,
    config: ChatFeedsConfig,
    /// Told when a feed starts or stops being followed or paused: polling reads the records again.
    changed: Arc<Notify>,
    cluster: Option<ClusterStore>,
    /// The zone `/feeds` shows times in.
    timezone: chrono_tz::Tz,
}

impl ChatFeeds {
    pub fn new(
        store: Store,
        pipeline: Arc<Pipeline>,
        config: &ChatFeedsConfig,
        http: &HttpConfig,
        timezone: chrono_tz::Tz,
    ) -> ChatFeeds {
        ChatFeeds {
            cluster: store.cluster(),
            store,
            pipeline,
            fetcher: Arc::new(GuardedFetcher::new(http, url_policy(config))),
            config: config.clone(),
            changed: Arc::new(Notify::new()),
            timezone,
        }
    }

    pub fn timezone(&self) -> chrono_tz::Tz {
        self.timezone
    }

    pub fn config(&self) -> &ChatFeedsConfig {
        &self.config
    }

    /// The guarded fetcher, for polling chat feeds.
    pub fn fetcher(&self) -> Arc<GuardedFetcher> {
        self.fetcher.clone()
    }

    /// Told whenever the set of polled chat feeds may have changed.
    pub fn changes(&self) -> Arc<Notify> {
        self.changed.clone()
    }

    /// How a chat feed is polled and alerted.
    pub fn feed_config(&self, feed: &ChatFeed) -> FeedConfig {
        self.config.feed_config(feed)
    }

    /// Adds the feed at `raw` (a feed URL, or a page that links one) for `chat`, or resumes it
    /// when it was paused; the reply shows its title and newest post.
    pub async fn add(&self, chat: &ChatId, raw: &str) -> Result<Added, AddError> {
        // A chat waits for the answer (and, on Telegram, the commands after it): bounded as a
        // whole, however many candidates autodiscovery tries.
        let found = tokio::time::timeout(FIND_TIMEOUT, self.find(raw))
            .await
            .map_err(|_| {
                let after = humantime::format_duration(FIND_TIMEOUT);
                AddError::Fetch(format!("no answer within {after}"))
            })??;
        self.follow(chat, &found.url, &found.title, Some(found.posts))
            .await
    }

    /// Adds the feed at `raw` titled `title` without fetching it (an OPML import): only what
    /// the address itself shows is checked; its first poll reads it (alerting nothing, as
    /// for any new chat feed) and its health notices tell if it does not work.
    pub async fn add_unread(
        &self,
        chat: &ChatId,
        raw: &str,
        title: &str,
    ) -> Result<Added, AddError> {
        let url = normalize(raw)?;
        let parsed = url::Url::parse(&url).map_err(|_| AddError::BadUrl(url.clone()))?;
        self.fetcher.policy().check(&parsed)?;
        self.follow(chat, &url, title, None).await
    }

    /// `chat` follows the feed at `url` (created titled `title` when new), within its limit;
    /// `posts` (when it was read just now) are marked seen on first sight or resumption.
    async fn follow(
        &self,
        chat: &ChatId,
        url: &str,
        title: &str,
        posts: Option<Vec<Post>>,
    ) -> Result<Added, AddError> {
        let name = chat_feed_name(url);
        let mine = self.of_chat(chat).await?;
        let already = mine.iter().any(|(f, _)| f.name == name);
        if !already && mine.len() >= self.config.max_per_chat {
            return Err(AddError::Limit(self.config.max_per_chat));
        }
        let now = Utc::now().timestamp();
        let mut resumed = false;
        let record = self
            .store
            .update_chat_feed(url, |current| {
                let mut feed =
                    current.unwrap_or_else(|| ChatFeed::new(url, title, chat.clone(), now));
                feed.follow(chat);
                resumed = feed.paused;
                feed.paused = false;
                if feed.title.is_empty() {
                    feed.title = title.to_owned();
                }
                Some(feed)
            })
            .await?
            .ok_or_else(|| StoreError::Corrupt {
                tree: "chat_feeds",
                message: "a feed vanished while it was added".into(),
            })?;
        let config = self.feed_config(&record);
        let state = self.store.feed_state(&record.name).await?;
        if let Some(posts) = posts.as_ref().filter(|_| !state.initialized || resumed) {
            // What the feed holds now is not news to this chat: marked seen without alerts.
            self.pipeline
                .mark_read(&config, posts.clone(), Utc::now())
                .await?;
        }
        if resumed {
            let fresh = FeedState {
                failing_since: None,
                told: crate::model::Told::Working,
                failures: 0,
                last_error: None,
                ..self.store.feed_state(&record.name).await?
            };
            self.store.put_feed_state(&record.name, &fresh).await?;
        }
        self.register(&config).await?;
        self.changed.notify_one();
        Ok(Added {
            feed: record,
            newest: posts.and_then(newest),
            already,
            resumed,
        })
    }

    /// Stops `chat` following the feed `which` names (its URL, name or title); returns it.
    pub async fn remove(&self, chat: &ChatId, which: &str) -> Result<Option<ChatFeed>, StoreError> {
        let Some((feed, _)) = self.find_followed(chat, which).await? else {
            return Ok(None);
        };
        self.store
            .update_chat_feed(&feed.url, |current| {
                let mut feed = current?;
                feed.unfollow(chat).then_some(feed)
            })
            .await?;
        self.changed.notify_one();
        Ok(Some(feed))
    }

    /// The feed among `chat`'s that `which` names: its URL (as given or normalized), its
    /// stored name, or its title (ignoring case).
    pub async fn find_followed(
        &self,
        chat: &ChatId,
        which: &str,
    ) -> Result<Option<(ChatFeed, FeedState)>, StoreError> {
        let which = which.trim();
        let url = normalize(which).ok();
        Ok(self.of_chat(chat).await?.into_iter().find(|(f, _)| {
            f.url == which
                || url.as_deref() == Some(f.url.as_str())
                || f.name == which
                || f.title.to_lowercase() == which.to_lowercase()
        }))
    }

    /// The feeds `chat` follows, with their poll state, in the order they were added.
    pub async fn of_chat(&self, chat: &ChatId) -> Result<Vec<(ChatFeed, FeedState)>, StoreError> {
        let mut out = Vec::new();
        for feed in self.store.chat_feeds().await? {
            if feed.followed_by(chat) {
                let state = self.store.feed_state(&feed.name).await?;
                out.push((feed, state));
            }
        }
        out.sort_by(|a, b| (a.0.added_at, &a.0.url).cmp(&(b.0.added_at, &b.0.url)));
        Ok(out)
    }

    /// Makes the feed known to the cluster's polling (PostgreSQL); due after one interval, as
    /// it was just read. Nothing to do on sled, where polling follows the records.
    async fn register(&self, config: &FeedConfig) -> Result<(), StoreError> {
        let Some(cluster) = &self.cluster else {
            return Ok(());
        };
        let host = config
            .source
            .url()
            .map(crate::source::poll::host_of)
            .unwrap_or_default();
        cluster
            .register_chat_feed(&config.name, &host, config.interval)
            .await
    }
}

/// Where chat-given URLs may lead, by `[chat_feeds]`.
fn url_policy(config: &ChatFeedsConfig) -> Arc<UrlPolicy> {
    Arc::new(UrlPolicy {
        allow_private_addresses: config.allow_private_addresses,
        extra_ports: config.allow_ports.clone(),
        allow_hosts: config.allow_hosts.clone(),
        deny_hosts: config.deny_hosts.clone(),
    })
}

/// The newest of `posts`: the latest dated one, else the first listed.
fn newest(posts: Vec<Post>) -> Option<Post> {
    let dated = posts
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((p.published?, i)))
        .max()
        .map(|(_, i)| i);
    let at = dated.unwrap_or(0);
    posts.into_iter().nth(at)
}
