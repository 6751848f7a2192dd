//! Health notices: after each poll, whether the feed's followers (or, for the operator's feeds,
//! the operator chat) must hear that it fails, works again, or was paused. The decision is pure
//! ([`review`]); [`Health`] queues the notice through the pipeline before the poll's state is
//! written, and pauses a chat feed that failed for `disable_after`.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use futures_util::future::BoxFuture;
use tokio::sync::Notify;

use crate::config::{ChatFeedsConfig, FeedConfig};
use crate::i18n::Text;
use crate::i18n::{FeedText, Lang, text};
use crate::model::{ChatId, FeedState, Told, is_chat_feed_name};
use crate::pipeline::{Notice, Pipeline};
use crate::source::poll::AfterPoll;
use crate::storage::{Store, StoreError};

/// A change of health to tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Failing,
    Recovered,
    Paused,
}

impl Change {
    fn word(self) -> &'static str {
        match self {
            Change::Failing => "failing",
            Change::Recovered => "recovered",
            Change::Paused => "paused",
        }
    }
}

/// The change `state` (just polled) calls for, with the start of its failure run; `state` is
/// updated as if it were told (its `told`, and `failing_since` cleared once it works). `pausable`:
/// a chat feed, which `disable_after` pauses; the operator's feeds are never paused.
pub fn review(
    state: &mut FeedState,
    now: i64,
    config: &ChatFeedsConfig,
    pausable: bool,
) -> Option<(Change, i64)> {
    let since = state.failing_since?;
    if state.failures == 0 {
        state.failing_since = None;
        let was = std::mem::replace(&mut state.told, Told::Working);
        return (was != Told::Working).then_some((Change::Recovered, since));
    }
    let failing_for = u64::try_from(now - since).unwrap_or(0);
    if pausable && failing_for >= config.disable_after.as_secs() && state.told != Told::Paused {
        state.told = Told::Paused;
        return Some((Change::Paused, since));
    }
    if failing_for >= config.notify_after.as_secs() && state.told == Told::Working {
        state.told = Told::Failing;
        return Some((Change::Failing, since));
    }
    None
}

/// Queues health notices after polls.
pub struct Health {
    pub store: Store,
    pub pipeline: Arc<Pipeline>,
    pub config: ChatFeedsConfig,
    pub language: Lang,
    pub timezone: chrono_tz::Tz,
    /// Told when a chat feed is paused, so polling stops.
    pub changes: Arc<Notify>,
}

impl AfterPoll for Health {
    fn after_poll<'a>(
        &'a self,
        feed: &'a FeedConfig,
        state: &'a mut FeedState,
    ) -> BoxFuture<'a, ()> {
        Box::pin(self.review_poll(feed, state))
    }
}

impl Health {
    /// Reviews `state` after a poll of `feed` and queues the notice it calls for. When that
    /// cannot be stored, `state` is put back as it was, so the next poll decides again.
    async fn review_poll(&self, feed: &FeedConfig, state: &mut FeedState) {
        let before = state.clone();
        let now = Utc::now().timestamp();
        let chat_feed = is_chat_feed_name(&feed.name);
        let Some((change, since)) = review(state, now, &self.config, chat_feed) else {
            return;
        };
        if let Err(e) = self.tell(feed, &before, change, since).await {
            tracing::error!(feed = %feed.name, "cannot queue the feed's health notice (tried again after the next poll): {e}");
            *state = before;
        }
    }

    async fn tell(
        &self,
        feed: &FeedConfig,
        state: &FeedState,
        change: Change,
        since: i64,
    ) -> Result<(), StoreError> {
        let url = feed.source.url().unwrap_or_default().to_owned();
        let (chats, title) = if is_chat_feed_name(&feed.name) {
            let record = self.store.chat_feed(&url).await?;
            let title = record.as_ref().map(|r| r.title.clone()).unwrap_or_default();
            (record.map(|r| r.followers).unwrap_or_default(), title)
        } else {
            let operator: Vec<ChatId> = self.config.operator_chat().into_iter().collect();
            (operator, feed.name.clone())
        };
        let title = if title.is_empty() {
            feed.name.clone()
        } else {
            title
        };
        let since_text = self.local_time(since);
        let error = state.last_error.clone().unwrap_or_default();
        let body = match change {
            Change::Failing => FeedText::NoticeFailing {
                title,
                url,
                since: since_text,
                error,
            },
            Change::Recovered => FeedText::NoticeRecovered { title, url },
            Change::Paused => FeedText::NoticePaused {
                title,
                url,
                since: since_text,
            },
        };
        let full = text(self.language, &Text::Feeds(body));
        let (head, rest) = full.split_once('\n').unwrap_or((full.as_str(), ""));
        let notice = Notice {
            key: format!("notice:{}:{since}", change.word()),
            title: head.to_owned(),
            text: rest.to_owned(),
        };
        if change == Change::Paused {
            self.store
                .update_chat_feed(feed.source.url().unwrap_or_default(), |current| {
                    let mut record = current?;
                    record.paused = true;
                    Some(record)
                })
                .await?;
            self.changes.notify_one();
        }
        if self
            .pipeline
            .notice(feed, &notice, &chats, Utc::now())
            .await?
        {
            tracing::info!(feed = %feed.name, change = change.word(), chats = chats.len(), "feed health notice queued");
        }
        Ok(())
    }

    /// `unix` seconds as a date and time in the bot's zone.
    fn local_time(&self, unix: i64) -> String {
        match self.timezone.timestamp_opt(unix, 0).single() {
            Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
            None => unix.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const HOUR: i64 = 3600;

    fn config() -> ChatFeedsConfig {
        ChatFeedsConfig {
            notify_after: Duration::from_secs(6 * 3600),
            disable_after: Duration::from_secs(7 * 24 * 3600),
            ..ChatFeedsConfig::default()
        }
    }

    fn failing(since: i64, told: Told) -> FeedState {
        FeedState {
            failures: 3,
            failing_since: Some(since),
            told,
            ..FeedState::default()
        }
    }

    #[test]
    fn a_failure_is_told_once_after_notify_after() {
        let mut state = failing(0, Told::Working);
        assert_eq!(review(&mut state, 5 * HOUR, &config(), true), None);
        assert_eq!(state.told, Told::Working);
        assert_eq!(
            review(&mut state, 6 * HOUR, &config(), true),
            Some((Change::Failing, 0))
        );
        assert_eq!(state.told, Told::Failing);
        assert_eq!(review(&mut state, 7 * HOUR, &config(), true), None);
    }

    #[test]
    fn a_chat_feed_is_paused_after_disable_after_and_an_operator_feed_is_not() {
        let mut state = failing(0, Told::Failing);
        assert_eq!(
            review(&mut state, 7 * 24 * HOUR, &config(), true),
            Some((Change::Paused, 0))
        );
        assert_eq!(state.told, Told::Paused);
        assert_eq!(review(&mut state, 8 * 24 * HOUR, &config(), true), None);
        let mut operator = failing(0, Told::Failing);
        assert_eq!(
            review(&mut operator, 30 * 24 * HOUR, &config(), false),
            None
        );
        // Never told it fails (down all along, e.g. while the bot was off): paused straight away.
        let mut silent = failing(0, Told::Working);
        assert_eq!(
            review(&mut silent, 8 * 24 * HOUR, &config(), true),
            Some((Change::Paused, 0))
        );
    }

    #[test]
    fn recovery_is_told_only_after_a_failure_was() {
        let mut told = FeedState {
            failures: 0,
            ..failing(100, Told::Failing)
        };
        assert_eq!(
            review(&mut told, 10 * HOUR, &config(), true),
            Some((Change::Recovered, 100))
        );
        assert_eq!((told.told, told.failing_since), (Told::Working, None));
        assert_eq!(review(&mut told, 11 * HOUR, &config(), true), None);
        let mut brief = FeedState {
            failures: 0,
            ..failing(100, Told::Working)
        };
        assert_eq!(review(&mut brief, HOUR, &config(), true), None);
        assert_eq!(brief.failing_since, None);
    }
}
