//! Alerts out to Telegram through sokbo's own Bot API client (`api.rs`): send, edit on
//! correction, and Bot API errors mapped to outbox outcomes.

use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use serde::de::IgnoredAny;
use teloxide::RequestError;
use teloxide::payloads::{
    EditMessageCaption, EditMessageCaptionSetters, EditMessageText, EditMessageTextSetters,
    SendMessage, SendMessageSetters, SendPhoto, SendPhotoSetters,
};
use teloxide::types::{
    InlineKeyboardButton, InlineKeyboardMarkup, InputFile, LinkPreviewOptions, MessageId,
    ParseMode, Recipient,
};
use teloxide::{ApiError, types::ChatId as TgChatId};

use super::Telegram;
use super::api::Sent;
use crate::model::{Alert, Target};
use crate::platform::{DeliveryError, Notifier, Pace};
use crate::render::telegram::{TelegramMessage, render};

/// Where a Telegram target points: a numeric chat id or a public @username.
pub fn recipient(chat: &str) -> Option<Recipient> {
    if let Ok(id) = chat.parse::<i64>() {
        return Some(Recipient::Id(TgChatId(id)));
    }
    chat.starts_with('@')
        .then(|| Recipient::ChannelUsername(chat.to_owned()))
}

fn keyboard(message: &TelegramMessage) -> Option<InlineKeyboardMarkup> {
    let rows: Vec<Vec<InlineKeyboardButton>> = message
        .buttons
        .iter()
        .map(|row| {
            row.iter()
                .filter_map(|(label, url)| {
                    Some(InlineKeyboardButton::url(label.clone(), url.parse().ok()?))
                })
                .collect::<Vec<_>>()
        })
        .filter(|row| !row.is_empty())
        .collect();
    (!rows.is_empty()).then(|| InlineKeyboardMarkup::new(rows))
}

fn preview(message: &TelegramMessage) -> LinkPreviewOptions {
    LinkPreviewOptions {
        is_disabled: message.link_preview_url.is_none(),
        url: message.link_preview_url.clone(),
        prefer_small_media: false,
        prefer_large_media: true,
        show_above_text: false,
    }
}

/// What a failed Bot API call means for the outbox.
pub fn delivery_error(err: RequestError, target: &Target) -> DeliveryError {
    match err {
        RequestError::RetryAfter(secs) => DeliveryError::Retry {
            after: Some(secs.duration() + Duration::from_millis(100)),
            reason: "Telegram rate limit".into(),
        },
        RequestError::MigrateToChatId(id) => DeliveryError::Moved {
            to: Target::TelegramChat {
                chat: id.0.to_string(),
            },
        },
        RequestError::Api(api) => match api {
            ApiError::BotBlocked
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::BotKickedFromChannel
            | ApiError::UserDeactivated
            | ApiError::ChatNotFound
            | ApiError::GroupDeactivated
            | ApiError::NotEnoughRightsToPostMessages => DeliveryError::Gone {
                reason: api.to_string(),
            },
            ApiError::Unknown(text) if is_gone(&text) => DeliveryError::Gone { reason: text },
            // Server-side trouble ("Internal Server Error", "Bad Gateway", …) passes; a request
            // Telegram calls bad or forbidden will not.
            ApiError::Unknown(text) if !is_refusal(&text) => DeliveryError::Retry {
                after: None,
                reason: text,
            },
            other => DeliveryError::Rejected {
                reason: format!("{other} (to {})", target.id()),
            },
        },
        RequestError::Network(e) => DeliveryError::Retry {
            after: None,
            reason: if e.is_timeout() {
                "network: timed out".into()
            } else {
                format!("network: {e}")
            },
        },
        RequestError::Io(e) => DeliveryError::Retry {
            after: None,
            reason: format!("io: {e}"),
        },
        RequestError::InvalidJson { source, .. } => DeliveryError::Retry {
            after: None,
            reason: format!("bad answer: {source}"),
        },
    }
}

/// Bot API texts that refuse the request itself (it would fail the same way again).
fn is_refusal(text: &str) -> bool {
    [
        "Bad Request",
        "Forbidden",
        "Unauthorized",
        "Not Found",
        "Conflict",
    ]
    .iter()
    .any(|p| text.starts_with(p))
}

/// Bot API texts that mean the bot can no longer post in a chat, beyond teloxide's variants.
fn is_gone(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    t.contains("bot was kicked")
        || t.contains("bot is not a member")
        || t.contains("chat not found")
        || t.contains("have no rights to send")
        || t.contains("chat_write_forbidden")
}

impl Telegram {
    async fn send(
        &self,
        alert: &Alert,
        target: &Target,
        previous: Option<&str>,
    ) -> Result<Option<String>, DeliveryError> {
        let Target::TelegramChat { chat } = target else {
            return Err(DeliveryError::Rejected {
                reason: format!("not a Telegram target: {}", target.id()),
            });
        };
        let Some(to) = recipient(chat) else {
            return Err(DeliveryError::Rejected {
                reason: format!("invalid Telegram chat {chat:?}"),
            });
        };
        let message = render(alert, &self.render);
        let silent = self.front.is_quiet(target).await;
        let markup = keyboard(&message);
        let err = |e| delivery_error(e, target);
        if let Some(previous) = previous {
            let id = MessageId(previous.parse().map_err(|_| DeliveryError::Rejected {
                reason: "bad message id".into(),
            })?);
            return match self.edit(to, id, &message, markup).await {
                Ok(()) | Err(RequestError::Api(ApiError::MessageNotModified)) => {
                    Ok(Some(previous.to_owned()))
                }
                Err(RequestError::Api(
                    ApiError::MessageToEditNotFound | ApiError::MessageCantBeEdited,
                )) => Err(DeliveryError::Rejected {
                    reason: "the alert to correct is gone".into(),
                }),
                Err(e) => Err(err(e)),
            };
        }
        let sent: Result<Sent, RequestError> = if let Some(photo) = &message.photo {
            let url = photo.parse().map_err(|_| DeliveryError::Rejected {
                reason: "bad photo URL".into(),
            })?;
            let mut req = SendPhoto::new(to, InputFile::url(url))
                .caption(message.text.clone())
                .parse_mode(ParseMode::Html)
                .disable_notification(silent);
            if let Some(m) = markup {
                req = req.reply_markup(m);
            }
            self.api.call(&req).await
        } else {
            let mut req = SendMessage::new(to, message.text.clone())
                .parse_mode(ParseMode::Html)
                .link_preview_options(preview(&message))
                .disable_notification(silent);
            if let Some(m) = markup {
                req = req.reply_markup(m);
            }
            self.api.call(&req).await
        };
        sent.map(|m| Some(m.message_id.to_string())).map_err(err)
    }

    /// Replaces the text (or the photo's caption) of message `id` with `message`.
    async fn edit(
        &self,
        to: Recipient,
        id: MessageId,
        message: &TelegramMessage,
        markup: Option<InlineKeyboardMarkup>,
    ) -> Result<(), RequestError> {
        // The answer is the edited Message (or `true` for inline messages): only success counts.
        if message.photo.is_some() {
            let mut req = EditMessageCaption::new(to, id)
                .caption(message.text.clone())
                .parse_mode(ParseMode::Html);
            if let Some(m) = markup {
                req = req.reply_markup(m);
            }
            self.api.call::<_, IgnoredAny>(&req).await.map(drop)
        } else {
            let mut req = EditMessageText::new(to, id, message.text.clone())
                .parse_mode(ParseMode::Html)
                .link_preview_options(preview(message));
            if let Some(m) = markup {
                req = req.reply_markup(m);
            }
            self.api.call::<_, IgnoredAny>(&req).await.map(drop)
        }
    }
}

impl Notifier for Telegram {
    fn serves(&self, target: &Target) -> bool {
        matches!(target, Target::TelegramChat { .. })
    }

    fn reserve(&self, target: &Target, _edit: bool, now: Instant) -> Result<(), Pace> {
        match target {
            Target::TelegramChat { chat } => self.reserve_slot(chat, now),
            _ => Ok(()),
        }
    }

    fn deliver<'a>(
        &'a self,
        alert: &'a Alert,
        target: &'a Target,
        previous: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Option<String>, DeliveryError>> {
        Box::pin(self.send(alert, target, previous))
    }
}

#[cfg(test)]
mod tests;
