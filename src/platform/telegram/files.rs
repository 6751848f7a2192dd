//! Files over Telegram: an OPML document sent to a chat is read as `/import` (any `.opml` or
//! `.xml` file in a private chat; elsewhere only with `/import` as its caption), and a reply
//! carrying a file (`/export`) goes out with sendDocument, its text as the caption.

use futures_util::StreamExt;
use teloxide::net::Download;
use teloxide::payloads::SendDocumentSetters;
use teloxide::prelude::*;
use teloxide::types::{ChatId, Document, InlineKeyboardMarkup, InputFile};

use super::Telegram;
use crate::chat_feeds::ChatFeeds;
use crate::commands::{Command, Context, MAX_OPML_BYTES, Reply, ReplyFile, handle, parse};
use crate::config::ChatFeedsAllow;
use crate::i18n::{FeedText, Text};

/// Whether a document named `name` may be an OPML file.
fn is_opml_name(name: Option<&str>) -> bool {
    let name = name.unwrap_or("").to_ascii_lowercase();
    name.ends_with(".opml") || name.ends_with(".xml")
}

/// Whether the sender may import feeds into `ctx.chat`; when not, the file is not downloaded
/// (and `handle` gives the refusal).
fn may_import(ctx: &Context, feeds: Option<&ChatFeeds>) -> bool {
    match feeds.map(|f| f.config().allow) {
        None | Some(ChatFeedsAllow::Off) => false,
        Some(ChatFeedsAllow::Everyone) => ctx.may_read(),
        Some(ChatFeedsAllow::Admins) => ctx.may_change(),
    }
}

fn too_large() -> String {
    format!("larger than {} KiB", MAX_OPML_BYTES / 1024)
}

impl Telegram {
    /// A message with a document: imported when it is an OPML file meant for the bot.
    pub(super) async fn on_document(&self, m: &Message, doc: &Document) {
        if !is_opml_name(doc.file_name.as_deref()) {
            return;
        }
        if !m.chat.is_private() {
            // In a group or channel only a file captioned `/import` (for this bot) is read.
            let caption = m.caption().unwrap_or("");
            match parse(caption, self.me.username()) {
                Ok(Some(pc)) if matches!(pc.command, Command::Import(_)) && pc.target.is_none() => {
                }
                _ => return,
            }
        }
        let lang = self
            .front
            .lang_for(m.from.as_ref().and_then(|u| u.language_code.as_deref()));
        let ctx = self
            .local_context(&m.chat, m.from.as_ref(), m.sender_chat.as_ref(), lang)
            .await;
        let feeds = self.front.feeds();
        let bytes = if may_import(&ctx, feeds) {
            match self.download(doc).await {
                Ok(bytes) => bytes,
                Err(why) => {
                    let failed = Text::Feeds(FeedText::ImportFailed(why));
                    self.reply(m.chat.id, Reply::text(lang, &failed)).await;
                    return;
                }
            }
        } else {
            Vec::new()
        };
        let known = self.front.known_categories().await;
        let cmd = Command::Import(bytes);
        let reply = match handle(&cmd, &ctx, &self.front.subs, &known, feeds).await {
            Ok(reply) => reply,
            Err(e) => {
                tracing::error!("OPML import failed: {e}");
                Reply::text(lang, &Text::Failed)
            }
        };
        self.reply(m.chat.id, reply).await;
    }

    /// The document's bytes (getFile, then the download), at most [`MAX_OPML_BYTES`]; the
    /// reason in a few words otherwise (never a URL: it would carry the token).
    async fn download(&self, doc: &Document) -> Result<Vec<u8>, String> {
        // Telegram may leave file_size out; teloxide then reads u32::MAX ("unknown").
        let size = doc.file.size;
        if size != u32::MAX && size as usize > MAX_OPML_BYTES {
            return Err(too_large());
        }
        let file = match self.bot.get_file(doc.file.id.clone()).await {
            Ok(file) => file,
            Err(e) => {
                tracing::warn!("Telegram getFile failed: {e}");
                return Err("Telegram did not hand over the file".into());
            }
        };
        let mut stream = self.bot.download_file_stream(&file.path);
        let mut bytes = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(e) => {
                    tracing::warn!("Telegram file download failed: {}", e.without_url());
                    return Err("the download from Telegram failed".into());
                }
            };
            if bytes.len() + chunk.len() > MAX_OPML_BYTES {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }

    /// Sends `file` to `chat` with `caption` (and the reply's keyboard, if any).
    pub(super) async fn send_file(
        &self,
        chat: ChatId,
        file: ReplyFile,
        caption: String,
        markup: Option<InlineKeyboardMarkup>,
    ) {
        let document = InputFile::memory(file.bytes).file_name(file.name);
        let mut req = self.bot.send_document(chat, document);
        if !caption.is_empty() {
            req = req.caption(caption);
        }
        if let Some(markup) = markup {
            req = req.reply_markup(markup);
        }
        if let Err(e) = req.await {
            tracing::warn!(chat = chat.0, "file reply failed: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opml_names() {
        assert!(is_opml_name(Some("feeds.opml")));
        assert!(is_opml_name(Some("Feeds.OPML")));
        assert!(is_opml_name(Some("subscriptions.xml")));
        assert!(!is_opml_name(Some("feeds.opml.txt")));
        assert!(!is_opml_name(Some("photo.png")));
        assert!(!is_opml_name(None));
    }

    #[test]
    fn size_text_names_the_limit() {
        assert_eq!(too_large(), "larger than 1024 KiB");
    }
}
