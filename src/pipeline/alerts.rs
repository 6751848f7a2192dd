//! What an alert gets in the pipeline: its summary (the model's when `[summary] llm_url` is set
//! and answers in time, else the extractive one), the targets it goes to, and a delivery per
//! target with its priority.

use chrono::{DateTime, Utc};

use super::{Pipeline, route_matches};
use crate::config::{Config, FeedConfig, FeedSource};
use crate::model::{Alert, ChatId, Delivery, Post, Subscription, Target, is_chat_feed_name};
use crate::storage::StoreError;
use crate::summary::llm::LlmSummarizer;
use crate::summary::{SummaryOptions, summarize};

/// A chat-added feed's followers and title, for its alerts.
#[derive(Debug, Default)]
pub(super) struct Followed {
    pub followers: Vec<ChatId>,
    pub title: String,
}

impl Pipeline {
    /// A delivery of `alert` to `target` (an edit of what it got before, when `edit`), with
    /// its priority: a correction never jumps ahead of the send it edits.
    pub(super) fn delivery(
        &self,
        alert: &Alert,
        target: Target,
        edit: bool,
        now: DateTime<Utc>,
    ) -> (bool, Delivery) {
        let delivery = Delivery {
            feed: alert.feed.clone(),
            key: alert.key.clone(),
            target,
            attempts: 0,
            not_before: 0,
            edit,
            enqueued_at: now.timestamp_millis(),
            failing_since: 0,
        };
        (alert.breaking && !edit, delivery)
    }

    /// The subscriptions an ingest's alerts are matched against (none when it alerts
    /// nothing), and for a chat-added feed its followers.
    pub(super) async fn audience(
        &self,
        feed: &FeedConfig,
        alerts: bool,
    ) -> Result<(Vec<Subscription>, Option<Followed>), StoreError> {
        let subs = match (&self.subs, alerts) {
            (Some((store, _)), true) => store.all().await?,
            _ => Vec::new(),
        };
        let followers = match (&feed.source, alerts && is_chat_feed_name(&feed.name)) {
            (FeedSource::Http(url), true) => Some(
                self.store
                    .chat_feed(url)
                    .await?
                    .map(|f| Followed {
                        followers: f.followers,
                        title: f.title,
                    })
                    .unwrap_or_default(),
            ),
            _ => None,
        };
        Ok((subs, followers))
    }

    /// The targets an alert goes to: the console (when on), then for a chat-added feed
    /// (`followers` given) its followers whose subscription lets it through; for any other
    /// feed every matching route and every matching chat subscription among `subs`. Chats
    /// only on the platforms that run.
    pub(super) fn targets_for(
        &self,
        alert: &Alert,
        subs: &[Subscription],
        followers: Option<&[ChatId]>,
    ) -> Vec<Target> {
        let mut targets = Vec::new();
        if self.console {
            targets.push(Target::Console);
        }
        if let Some(followers) = followers {
            let Some((_, platforms)) = &self.subs else {
                return targets;
            };
            for chat in followers {
                let sub = subs.iter().find(|s| &s.chat == chat);
                let wants = sub.is_none_or(|s| s.matches_followed(alert));
                if wants && platforms.contains(&chat.platform()) {
                    targets.push(chat.target());
                }
            }
            return targets;
        }
        for (route, target) in &self.routes {
            if route_matches(route, alert) && !targets.contains(target) {
                targets.push(target.clone());
            }
        }
        if let Some((_, platforms)) = &self.subs {
            for sub in subs.iter().filter(|s| s.matches(alert)) {
                let target = sub.chat.target();
                if platforms.contains(&sub.chat.platform()) && !targets.contains(&target) {
                    targets.push(target);
                }
            }
        }
        targets
    }

    /// The summary of a post: the model's when one is configured and answers in time, else
    /// the extractive one.
    pub async fn summarize(&self, post: &Post) -> String {
        let started = std::time::Instant::now();
        let summary = match &self.llm {
            Some(llm) => llm.summarize(post, &self.summary).await,
            None => summarize(post, &self.summary),
        };
        self.metrics.summary_time(started.elapsed());
        summary
    }

    pub fn summary_options(&self) -> &SummaryOptions {
        &self.summary
    }
}

/// The abstractive summarizer, when `[summary] llm_url` is set and usable.
pub(super) fn llm_summarizer(config: &Config) -> Option<LlmSummarizer> {
    if config.summary.llm_url.is_empty() {
        return None;
    }
    match LlmSummarizer::new(&config.summary) {
        Ok(llm) => Some(llm),
        Err(e) => {
            tracing::warn!("summary.llm_url: {e}; using extractive summaries");
            None
        }
    }
}
