//! Notices about a feed's health (it fails, works again, was paused), queued like alerts: a
//! seen mark whose key names the state change and the failure run, so however many polls,
//! restarts or nodes decide the same notice, the store takes it once.

use chrono::{DateTime, Utc};

use super::Pipeline;
use crate::config::FeedConfig;
use crate::model::{Alert, ChatId, PostKey, SeenRecord, Target};
use crate::storage::{IngestBatch, IngestPost, StoreError};

/// One notice: what to show, and the key that makes it once-only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Names the change and the failure run it belongs to (`notice:failing:<since>`).
    pub key: String,
    pub title: String,
    pub text: String,
}

impl Pipeline {
    /// Queues `notice` about `feed` to `chats` (those on running platforms whose subscription
    /// is neither paused nor inactive). Returns false when this notice was queued before.
    pub async fn notice(
        &self,
        feed: &FeedConfig,
        notice: &Notice,
        chats: &[ChatId],
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let targets = self.notice_targets(chats).await?;
        let key = PostKey(notice.key.clone());
        let alert = Alert {
            feed: feed.name.clone(),
            key: key.clone(),
            title: notice.title.clone(),
            link: feed.source.url().map(str::to_owned),
            summary: notice.text.clone(),
            notice: true,
            ..Alert::default()
        };
        let seen = SeenRecord {
            first_seen: now.timestamp(),
            fingerprint: notice.key.clone(),
        };
        let mut entry = IngestPost::new(key, seen);
        for target in targets {
            entry
                .deliveries
                .push(self.delivery(&alert, target, false, now));
        }
        entry.alert = Some(alert);
        let batch = IngestBatch {
            posts: vec![entry],
            feed_state: None,
        };
        let written = self.store.ingest(&feed.name, &batch).await?;
        self.queue.push(&written.deliveries);
        Ok(written.taken.first().copied().unwrap_or(false))
    }

    async fn notice_targets(&self, chats: &[ChatId]) -> Result<Vec<Target>, StoreError> {
        let mut targets = Vec::new();
        if self.console {
            targets.push(Target::Console);
        }
        let Some((subs, platforms)) = &self.subs else {
            return Ok(targets);
        };
        for chat in chats {
            if !platforms.contains(&chat.platform()) {
                continue;
            }
            let quiet = subs
                .get(chat)
                .await?
                .is_some_and(|s| s.paused || s.inactive.is_some());
            if !quiet {
                targets.push(chat.target());
            }
        }
        Ok(targets)
    }
}
