//! Files in slash commands: `/import`'s OPML attachment (checked by its resolved size and name,
//! then downloaded through the REST client) and the file a reply carries (`/export`).

use serenity::builder::{CreateAttachment, CreateInteractionResponseMessage};
use serenity::model::application::CommandInteraction;

use super::Discord;
use super::slash::FILE;
use crate::commands::{Context, MAX_OPML_BYTES, ReplyFile};
use crate::config::ChatFeedsAllow;
use crate::i18n::FeedText;

/// Why `/import` got no file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum NoFile {
    /// No attachment came with the command: say how to import.
    Missing,
    /// The attachment cannot be used (too large, not OPML, not downloadable): the reason.
    Failed(String),
}

impl NoFile {
    pub fn text(self) -> FeedText {
        match self {
            NoFile::Missing => FeedText::ImportHow,
            NoFile::Failed(why) => FeedText::ImportFailed(why),
        }
    }
}

impl Discord {
    /// Whether the sender may import feeds here, so that nothing is downloaded for a sender
    /// the command layer would refuse anyway (it says why when given no file).
    pub(super) fn may_import(&self, ctx: &Context) -> bool {
        match self.front.feeds().map(|f| f.config().allow) {
            None | Some(ChatFeedsAllow::Off) => false,
            Some(ChatFeedsAllow::Everyone) => ctx.may_read(),
            Some(ChatFeedsAllow::Admins) => ctx.may_change(),
        }
    }

    /// The bytes of `/import`'s attachment: at most [`MAX_OPML_BYTES`], named `.opml` or `.xml`.
    pub(super) async fn import_file(&self, cmd: &CommandInteraction) -> Result<Vec<u8>, NoFile> {
        let id = cmd
            .data
            .options
            .iter()
            .find(|o| o.name == FILE)
            .and_then(|o| o.value.as_attachment_id())
            .ok_or(NoFile::Missing)?;
        let file = cmd
            .data
            .resolved
            .attachments
            .get(&id)
            .ok_or(NoFile::Missing)?;
        if file.size as usize > MAX_OPML_BYTES {
            return Err(NoFile::Failed(format!(
                "larger than {} KiB",
                MAX_OPML_BYTES / 1024
            )));
        }
        if !is_opml_name(&file.filename) {
            return Err(NoFile::Failed(format!(
                "{:?} is not an .opml or .xml file",
                file.filename.chars().take(64).collect::<String>()
            )));
        }
        self.rest
            .download(&file.url, MAX_OPML_BYTES)
            .await
            .map_err(|e| {
                tracing::warn!(command = %cmd.data.name, "Discord attachment download: {e}");
                NoFile::Failed(e)
            })
    }
}

/// Whether a file name says OPML (`.opml`, or `.xml` as some readers export it).
fn is_opml_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.ends_with(".opml") || lower.ends_with(".xml")
}

/// `message` carrying `file`, when there is one.
pub(super) fn with_file(
    message: CreateInteractionResponseMessage,
    file: Option<ReplyFile>,
) -> CreateInteractionResponseMessage {
    match file {
        Some(file) => message.add_file(CreateAttachment::bytes(file.bytes, file.name)),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opml_names() {
        assert!(is_opml_name("sokbo-feeds.opml"));
        assert!(is_opml_name("Feeds.XML"));
        assert!(!is_opml_name("feeds.opml.exe"));
        assert!(!is_opml_name("opml"));
    }

    #[test]
    fn no_file_texts() {
        assert_eq!(NoFile::Missing.text(), FeedText::ImportHow);
        assert_eq!(
            NoFile::Failed("gone".into()).text(),
            FeedText::ImportFailed("gone".into())
        );
    }
}
