//! New-post detection: parsed posts (summarized from their article pages when full text
//! applies) → seen marks, alerts and outbox deliveries in one sled transaction, then handed to the
//! delivery engine.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::config::{Config, FeedConfig, RouteConfig};
use crate::delivery::Queue;
use crate::metrics::Metrics;
use crate::model::{FeedState, Platform, Post, SeenRecord, Target, is_chat_feed_name};
use crate::storage::SubscriptionStore;
use crate::storage::{IngestBatch, IngestPost, Store, StoreError};
use crate::summary::SummaryOptions;
use crate::summary::llm::LlmSummarizer;

mod alerts;
mod full_text;
mod notice;
mod rules;

pub use full_text::{Page, PageSource, wanted as full_text_wanted, with_page};
pub use notice::Notice;
pub use rules::{build_alert, choose_alerts, fingerprint, route_matches};

/// What one ingest did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestReport {
    /// Posts not seen before.
    pub new_posts: usize,
    /// Alerts queued (new posts minus the quiet part of a first sight).
    pub alerts: usize,
    /// Deliveries written to the outbox (alerts and edits).
    pub deliveries: usize,
    /// Alerted posts whose title or summary changed: their sent messages are edited.
    pub corrections: usize,
}

/// Everything ingest needs besides the store; shared by all sources.
pub struct Pipeline {
    store: Store,
    summary: SummaryOptions,
    llm: Option<LlmSummarizer>,
    breaking_keywords: Vec<String>,
    backlog: usize,
    retention: chrono::Duration,
    routes: Vec<(RouteConfig, Target)>,
    console: bool,
    /// Chat subscriptions, with the platforms whose notifier runs.
    subs: Option<(SubscriptionStore, Vec<Platform>)>,
    metrics: Metrics,
    /// Tells the delivery engine of new deliveries.
    queue: Queue,
    /// Article pages for full-text summaries, when on.
    pages: Option<Arc<dyn PageSource>>,
    full_text_timeout: std::time::Duration,
}

impl Pipeline {
    /// `routes` are the configured routes whose platform is running; `console` sends every alert
    /// to the console too.
    pub fn new(
        store: Store,
        config: &Config,
        routes: Vec<(RouteConfig, Target)>,
        console: bool,
        queue: Queue,
    ) -> Pipeline {
        Pipeline {
            store,
            summary: SummaryOptions {
                max_chars: config.alerts.summary_max_chars,
                style: config.alerts.summary_style,
            },
            llm: alerts::llm_summarizer(config),
            breaking_keywords: config.alerts.breaking_keywords.clone(),
            backlog: config.alerts.backlog,
            retention: chrono::Duration::from_std(config.alerts.seen_retention)
                .unwrap_or(chrono::Duration::MAX),
            routes,
            console,
            subs: None,
            metrics: Metrics::default(),
            queue,
            pages: None,
            full_text_timeout: config.alerts.full_text_timeout,
        }
    }

    /// Counts posts seen and summary time in `metrics`.
    pub fn with_metrics(mut self, metrics: Metrics) -> Pipeline {
        self.metrics = metrics;
        self
    }

    /// Also alerts the chats subscribed on `platforms` (those whose notifier runs).
    pub fn with_subscriptions(
        mut self,
        subs: SubscriptionStore,
        platforms: Vec<Platform>,
    ) -> Pipeline {
        self.subs = Some((subs, platforms));
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Records `posts` of `feed`: new ones are marked seen and alerted (on first sight of the
    /// feed, only the `backlog` newest; none of a chat-added feed, whose newest post the
    /// chat saw in the reply), atomically with `state` when given.
    pub async fn ingest(
        &self,
        feed: &FeedConfig,
        posts: Vec<Post>,
        state: Option<FeedState>,
        now: DateTime<Utc>,
    ) -> Result<IngestReport, StoreError> {
        self.record(feed, posts, state, now, true).await
    }

    /// Marks `posts` of `feed` seen without alerting any (a chat-added feed resumed after a
    /// pause: what it missed is old news), and the feed read.
    pub async fn mark_read(
        &self,
        feed: &FeedConfig,
        posts: Vec<Post>,
        now: DateTime<Utc>,
    ) -> Result<IngestReport, StoreError> {
        self.record(feed, posts, None, now, false).await
    }

    async fn record(
        &self,
        feed: &FeedConfig,
        posts: Vec<Post>,
        state: Option<FeedState>,
        now: DateTime<Utc>,
        alerts: bool,
    ) -> Result<IngestReport, StoreError> {
        let stored = self.store.feed_state(&feed.name).await?;
        let first_sight = !stored.initialized;
        let chat_feed = is_chat_feed_name(&feed.name);
        let mut keys = HashSet::new();
        let posts: Vec<Post> = posts
            .into_iter()
            .filter(|p| keys.insert(p.key.clone()))
            .collect();
        let keys: Vec<_> = posts.iter().map(|p| p.key.clone()).collect();
        // One read for the whole document; the transaction decides again.
        let seen = self.store.seen_many(&feed.name, &keys).await?;
        let mut fresh = Vec::new();
        let mut changed = Vec::new();
        for (post, seen) in posts.into_iter().zip(seen) {
            match seen {
                None => fresh.push(post),
                Some(rec) if rec.fingerprint != fingerprint(&post) => changed.push((post, rec)),
                Some(_) => {}
            }
        }
        let cutoff = now - self.retention;
        let backlog = if chat_feed { 0 } else { self.backlog };
        let mut alerted = choose_alerts(&mut fresh, first_sight, backlog, cutoff);
        if !alerts {
            alerted.iter_mut().for_each(|a| *a = false);
        }
        // The chats' subscriptions (and a chat feed's followers), read once for every alert of
        // this ingest.
        let (subs, followers) = self.audience(feed, alerted.iter().any(|a| *a)).await?;
        let mut batch = IngestBatch::default();
        let mut pages = self.new_pages(feed, &fresh, &alerted, first_sight).await;
        for (i, post) in fresh.iter().enumerate() {
            let seen = SeenRecord {
                first_seen: now.timestamp(),
                fingerprint: fingerprint(post),
            };
            let mut entry = IngestPost::new(post.key.clone(), seen);
            if alerted[i] {
                let from_page = pages[i].take().map(|page| with_page(post, page));
                let post = from_page.as_ref().unwrap_or(post);
                let summary = self.summarize(post).await;
                let mut alert = build_alert(feed, post, summary, &self.breaking_keywords);
                let chats = followers.as_ref().map(|f| f.followers.as_slice());
                if let Some(followed) = followers.as_ref().filter(|f| !f.title.is_empty()) {
                    alert.feed_title = Some(followed.title.clone());
                }
                for target in self.targets_for(&alert, &subs, chats) {
                    entry
                        .deliveries
                        .push(self.delivery(&alert, target, false, now));
                }
                entry.alert = Some(alert);
            }
            batch.posts.push(entry);
        }
        let mut corrections = Vec::new();
        for (post, rec) in changed {
            let seen = SeenRecord {
                fingerprint: fingerprint(&post),
                ..rec.clone()
            };
            let mut entry = IngestPost {
                replaces: Some(rec.fingerprint),
                ..IngestPost::new(post.key.clone(), seen)
            };
            let corrected = self.correct(feed, &post, &mut entry, now).await?;
            corrections.push(corrected);
            batch.posts.push(entry);
        }
        // Without a poll result the state is written only to mark the feed read: writing back
        // what was read above could undo a poll result written meanwhile (by another node).
        batch.feed_state = match state {
            Some(next) => Some(FeedState {
                initialized: true,
                last_post_at: if fresh.is_empty() {
                    next.last_post_at
                } else {
                    Some(now.timestamp())
                },
                ..next
            }),
            None if first_sight => Some(FeedState {
                initialized: true,
                ..stored
            }),
            None => None,
        };
        // "New?" is decided again inside the transaction: a post another writer took
        // meanwhile is skipped there, with its alert and deliveries.
        let written = self.store.ingest(&feed.name, &batch).await?;
        // The deliveries are stored: the engine learns of them whatever happens next.
        self.queue.push(&written.deliveries);
        let (new_taken, fixed_taken) = written.taken.split_at(fresh.len());
        let report = IngestReport {
            new_posts: new_taken.iter().filter(|t| **t).count(),
            alerts: (0..fresh.len())
                .filter(|i| new_taken[*i] && alerted[*i])
                .count(),
            deliveries: written.deliveries.len(),
            corrections: fixed_taken
                .iter()
                .zip(&corrections)
                .filter(|(t, c)| **t && **c)
                .count(),
        };
        self.metrics.posts_seen(&feed.name, report.new_posts);
        let mut categories: Vec<String> = fresh
            .iter()
            .zip(new_taken)
            .filter(|(_, t)| **t)
            .flat_map(|(p, _)| p.categories.iter().cloned())
            .chain(feed.categories.iter().cloned())
            .collect();
        categories.sort();
        categories.dedup();
        self.store.note_categories(&categories).await?;
        Ok(report)
    }

    /// Queues edits of the messages an alerted post got, when what they show changed.
    async fn correct(
        &self,
        feed: &FeedConfig,
        post: &Post,
        entry: &mut IngestPost,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let Some(previous) = self.store.alert(&feed.name, &post.key).await? else {
            return Ok(false);
        };
        let summary = self.summarize(post).await;
        let mut alert = build_alert(feed, post, summary, &self.breaking_keywords);
        // A correction keeps the alert's place in time and its breaking mark.
        alert.published = previous.published.or(alert.published);
        alert.breaking = previous.breaking;
        alert.feed_title = previous.feed_title.clone();
        if self.summarized_from_page(feed, post) {
            alert.summary = previous.summary.clone();
            alert.image = alert.image.or_else(|| previous.image.clone());
        }
        if alert == previous {
            return Ok(false);
        }
        for sent in self.store.sent_for(&feed.name, &post.key).await? {
            entry
                .deliveries
                .push(self.delivery(&alert, sent.target, true, now));
        }
        entry.alert = Some(alert);
        Ok(true)
    }
}
