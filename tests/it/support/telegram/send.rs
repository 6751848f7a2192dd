//! sendMessage, sendPhoto, editMessageText and editMessageCaption: the checks Telegram makes
//! (HTML under sokbo's checker, empty and over-long texts, button URLs, send limits), recording,
//! and the Message objects answered.
//!
//! Lengths are counted in UTF-16 units of the visible text, like the renderer; Telegram counts
//! code points, never more, so the fake is never more lenient than Telegram.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use sokbo::render::telegram::parse_html;

use super::handler::{Answer, Failure, flag, int, string};
use super::state::{SentMessage, State};
use super::updates::{ChatKind, TgChat, TgUser};

const MAX_TEXT: usize = 4096;
const MAX_CAPTION: usize = 1024;

pub(super) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The visible text of `text` under `parse_mode`, or Telegram's refusal.
fn visible(text: &str, parse_mode: Option<&str>) -> Result<String, Failure> {
    match parse_mode {
        Some(mode) if mode.eq_ignore_ascii_case("html") => parse_html(text)
            .map(|p| p.text)
            .map_err(|e| Failure::bad_request(format!("can't parse entities: {e}"))),
        _ => Ok(text.to_owned()),
    }
}

fn units(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Button URLs must be http(s) or tg:// URLs; callback data 1–64 bytes.
fn check_markup(markup: Option<&Value>) -> Result<(), Failure> {
    let rows = markup
        .and_then(|m| m.get("inline_keyboard"))
        .and_then(Value::as_array);
    for button in rows
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
    {
        if let Some(url) = button.get("url") {
            let ok = url
                .as_str()
                .and_then(|u| url::Url::parse(u).ok())
                .is_some_and(|u| {
                    matches!(u.scheme(), "http" | "https" | "tg")
                        && (u.scheme() == "tg" || u.host_str().is_some())
                });
            if !ok {
                return Err(Failure::bad_request("BUTTON_URL_INVALID"));
            }
        } else if let Some(data) = button.get("callback_data") {
            let len = data.as_str().map_or(0, str::len);
            if !(1..=64).contains(&len) {
                return Err(Failure::bad_request("BUTTON_DATA_INVALID"));
            }
        } else {
            return Err(Failure::bad_request(
                "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
            ));
        }
    }
    Ok(())
}

fn message_json(state: &State, sent: &SentMessage, visible: &str) -> Value {
    let chat = state
        .chats
        .get(&sent.chat_id)
        .cloned()
        .unwrap_or_else(|| TgChat::assumed(sent.chat_id));
    let mut message = json!({
        "message_id": sent.message_id, "date": unix_now(), "chat": chat.json()
    });
    if chat.kind == ChatKind::Channel {
        message["sender_chat"] = chat.json();
    } else {
        message["from"] = TgUser::bot().json();
    }
    if let Some(photo) = &sent.photo {
        let unique = blake3::hash(photo.as_bytes()).to_hex()[..16].to_owned();
        message["photo"] = json!([{
            "file_id": format!("photo-{unique}"), "file_unique_id": unique,
            "width": 1280, "height": 720, "file_size": 65536
        }]);
        if !visible.is_empty() {
            message["caption"] = json!(visible);
        }
    } else {
        message["text"] = json!(visible);
    }
    if let Some(markup) = &sent.reply_markup {
        message["reply_markup"] = markup.clone();
    }
    message
}

fn record(method: &str, chat: i64, p: &Value, text: String, photo: Option<String>) -> SentMessage {
    SentMessage {
        method: method.to_owned(),
        chat_id: chat,
        message_id: int(p, "message_id").unwrap_or(0),
        text,
        parse_mode: string(p, "parse_mode"),
        photo,
        reply_markup: p.get("reply_markup").cloned(),
        link_preview_options: p.get("link_preview_options").cloned(),
        disable_notification: flag(p, "disable_notification"),
    }
}

fn deliver(state: &mut State, mut sent: SentMessage, visible: &str) -> Answer {
    let limits = state.limits;
    state
        .limiter
        .admit(&limits, sent.chat_id, Instant::now())
        .map_err(Failure::retry_after)?;
    sent.message_id = state.next_message_id(sent.chat_id);
    let answer = message_json(state, &sent, visible);
    state
        .stored
        .insert((sent.chat_id, sent.message_id), sent.clone());
    state.messages.push(sent);
    Ok(answer)
}

pub(super) fn send_message(state: &mut State, method: &str, chat: i64, p: &Value) -> Answer {
    let text = string(p, "text").unwrap_or_default();
    let sent = record(method, chat, p, text, None);
    let shown = visible(&sent.text, sent.parse_mode.as_deref())?;
    if shown.trim().is_empty() {
        return Err(Failure::bad_request("message text is empty"));
    }
    if units(&shown) > MAX_TEXT {
        return Err(Failure::bad_request("message is too long"));
    }
    check_markup(sent.reply_markup.as_ref())?;
    deliver(state, sent, &shown)
}

pub(super) fn send_photo(state: &mut State, method: &str, chat: i64, p: &Value) -> Answer {
    let photo = string(p, "photo").filter(|s| !s.is_empty());
    let Some(photo) = photo else {
        return Err(Failure::bad_request("there is no photo in the request"));
    };
    let caption = string(p, "caption").unwrap_or_default();
    let sent = record(method, chat, p, caption, Some(photo));
    let shown = visible(&sent.text, sent.parse_mode.as_deref())?;
    if units(&shown) > MAX_CAPTION {
        return Err(Failure::bad_request("message caption is too long"));
    }
    check_markup(sent.reply_markup.as_ref())?;
    deliver(state, sent, &shown)
}

/// editMessageText (`caption` false) or editMessageCaption (`caption` true) of a chat message.
pub(super) fn edit(state: &mut State, method: &str, chat: i64, p: &Value, caption: bool) -> Answer {
    let message_id = int(p, "message_id").unwrap_or(0);
    let Some(previous) = state.stored.get(&(chat, message_id)).cloned() else {
        return Err(Failure::bad_request("message to edit not found"));
    };
    match (caption, previous.photo.is_some()) {
        (false, true) => {
            return Err(Failure::bad_request(
                "there is no text in the message to edit",
            ));
        }
        (true, false) => {
            return Err(Failure::bad_request(
                "there is no caption in the message to edit",
            ));
        }
        _ => {}
    }
    let text = string(p, if caption { "caption" } else { "text" }).unwrap_or_default();
    let mut sent = record(method, chat, p, text, previous.photo.clone());
    sent.message_id = message_id;
    let shown = visible(&sent.text, sent.parse_mode.as_deref())?;
    if !caption && shown.trim().is_empty() {
        return Err(Failure::bad_request("message text is empty"));
    }
    if caption && units(&shown) > MAX_CAPTION {
        return Err(Failure::bad_request("message caption is too long"));
    }
    if !caption && units(&shown) > MAX_TEXT {
        return Err(Failure::bad_request("MESSAGE_TOO_LONG"));
    }
    check_markup(sent.reply_markup.as_ref())?;
    let before = visible(&previous.text, previous.parse_mode.as_deref()).unwrap_or_default();
    if before == shown && previous.reply_markup == sent.reply_markup {
        return Err(Failure::bad_request(
            "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
        ));
    }
    let answer = message_json(state, &sent, &shown);
    state.stored.insert((chat, message_id), sent.clone());
    state.edits.push(sent);
    Ok(answer)
}
