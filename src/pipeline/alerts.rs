//! What an alert gets in the pipeline: its summary (the model's when `[summary] llm_url` is set
//! and answers in time, else the extractive one), the targets it goes to, and a delivery per
//! target with its priority.

use chrono::{DateTime, Utc};

use super::{Pipeline, route_matches};
use crate::config::Config;
use crate::model::{Alert, Delivery, Post, Subscription, Target};
use crate::summary::llm::LlmSummarizer;
use crate::summary::{SummaryOptions, summarize};

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

    /// The targets an alert goes to: the console (when on), every matching route and every
    /// matching chat subscription among `subs` (on the platforms that run).
    pub(super) fn targets_for(&self, alert: &Alert, subs: &[Subscription]) -> Vec<Target> {
        let mut targets = Vec::new();
        if self.console {
            targets.push(Target::Console);
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
