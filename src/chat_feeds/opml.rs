//! OPML in and out of a chat, through the same reader and writer as `sokbo feeds import` /
//! `export`. An import adds each feed under the same rules as `/subscribe <url>` (policy,
//! limit) without fetching it first, so a large file is answered at once; each feed's first
//! poll reads it, and the health notices tell the chat about any that does not work.

use super::{AddError, ChatFeeds};
use crate::model::ChatId;
use crate::opml::{OpmlError, export, import_report};
use crate::storage::StoreError;

/// Most feeds one import tries to add, whatever the file holds.
const MAX_IMPORT: usize = 100;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub added: usize,
    /// Already followed, not http(s), or past the import's size.
    pub skipped: usize,
    /// Feeds not added, with why (the policy, the limit, not a feed, unreachable).
    pub refused: Vec<(String, String)>,
}

impl ChatFeeds {
    /// This chat's feeds as an OPML document.
    pub async fn export(&self, chat: &ChatId) -> Result<(usize, String), StoreError> {
        let configs: Vec<_> = self
            .of_chat(chat)
            .await?
            .into_iter()
            .map(|(feed, _)| {
                let mut config = self.feed_config(&feed);
                config.name = feed.title.clone();
                config
            })
            .collect();
        Ok((configs.len(), export(&configs)))
    }

    /// Adds the feeds of an OPML document for `chat`, one after the other; stops at the
    /// chat's limit (the rest are refused with it) or when the store fails.
    pub async fn import(&self, chat: &ChatId, text: &str) -> Result<ImportReport, OpmlError> {
        let imported = import_report(text)?;
        let mut report = ImportReport {
            skipped: imported.skipped.len(),
            ..ImportReport::default()
        };
        for (i, feed) in imported.feeds.into_iter().enumerate() {
            let Some(url) = feed.source.url().map(str::to_owned) else {
                report.skipped += 1;
                continue;
            };
            if i >= MAX_IMPORT {
                report.skipped += 1;
                continue;
            }
            match self.add_unread(chat, &url, &feed.name).await {
                Ok(added) if added.already => report.skipped += 1,
                Ok(_) => report.added += 1,
                Err(AddError::Store(e)) => {
                    tracing::error!("OPML import stopped: {e}");
                    report.refused.push((url, e.to_string()));
                    break;
                }
                Err(e) => report.refused.push((url, e.to_string())),
            }
        }
        Ok(report)
    }
}
