//! The chat feeds service of a run, when `[chat_feeds] allow` is not "off".

use std::sync::Arc;

use crate::chat_feeds::ChatFeeds;
use crate::chat_feeds::health::Health;
use crate::config::{ChatFeedsAllow, Config};
use crate::pipeline::Pipeline;
use crate::source::poll::AfterPoll;
use crate::storage::Store;

/// The service the chat commands and the pollers share; `None` when chat feeds are off (then
/// no chat feed is added or polled).
pub fn start(config: &Config, store: &Store, pipeline: &Arc<Pipeline>) -> Option<Arc<ChatFeeds>> {
    if config.chat_feeds.allow == ChatFeedsAllow::Off {
        return None;
    }
    let feeds = ChatFeeds::new(
        store.clone(),
        pipeline.clone(),
        &config.chat_feeds,
        &config.http,
        config.bot.timezone,
    );
    Some(Arc::new(feeds))
}

/// The health notices after each poll: to a chat feed's followers, and for the operator's
/// feeds to `[chat_feeds] operator_chat`.
pub fn health(
    config: &Config,
    store: &Store,
    pipeline: &Arc<Pipeline>,
    feeds: Option<&Arc<ChatFeeds>>,
) -> Arc<dyn AfterPoll> {
    Arc::new(Health {
        store: store.clone(),
        pipeline: pipeline.clone(),
        config: config.chat_feeds.clone(),
        language: config.bot.language,
        timezone: config.bot.timezone,
        changes: feeds.map(|f| f.changes()).unwrap_or_default(),
    })
}
