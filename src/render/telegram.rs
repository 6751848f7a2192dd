//! Alert → Telegram message in HTML parse mode, within Telegram's limits: a bold title (with the
//! breaking marker), hashtags, feed and time, the summary, text links to the post and its
//! sources, URL buttons, and the image as a link preview or a photo.
//!
//! Limits are counted in UTF-16 units of the visible text (see [`html`]): 4096 for a text, 1024
//! for a photo caption. Over the limit, only the summary is shortened (at a sentence or word
//! boundary, with "…", before escaping, so no tag or entity is ever cut); the other fields have
//! caps that keep them well inside the limit together. Links are http(s) only; a URL that cannot
//! be a button (not http(s), or over [`MAX_BUTTON_URL_BYTES`]) stays a text link only.

use super::text as fit;
pub mod html;
mod layout;
#[cfg(test)]
mod tests;

use chrono_tz::Tz;

use super::Labels;
use crate::model::{Alert, Lang};

pub use html::{
    HtmlError, ParsedHtml, escape_attr, escape_text, parse_html, utf16_len, validate_html,
};

/// Most UTF-16 units of visible text in a message.
pub const MAX_TEXT_UNITS: usize = 4096;
/// Most UTF-16 units of visible text in a media caption.
pub const MAX_CAPTION_UNITS: usize = 1024;
/// Longest URL put on a button. The Bot API documents no limit; longer URLs stay text links.
pub const MAX_BUTTON_URL_BYTES: usize = 1024;

/// How alerts are rendered for one chat.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderOptions {
    /// Zone for the time shown.
    pub timezone: Tz,
    pub language: Lang,
    /// Send the image as a photo with a caption instead of a link preview.
    pub photo: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            timezone: chrono_tz::Asia::Seoul,
            language: Lang::Ko,
            photo: false,
        }
    }
}

/// One message ready for the Bot API (parse_mode HTML).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TelegramMessage {
    /// The text, or the caption when `photo` is set.
    pub text: String,
    /// Inline keyboard rows of (label, http(s) URL) buttons; empty for no keyboard.
    pub buttons: Vec<Vec<(String, String)>>,
    /// The image to show as the link preview; None: disable the preview.
    pub link_preview_url: Option<String>,
    /// The image URL to send as a photo, `text` being its caption.
    pub photo: Option<String>,
}

/// Renders one alert; the result always passes [`validate_html`] within its length limit.
pub fn render(alert: &Alert, opts: &RenderOptions) -> TelegramMessage {
    if alert.notice {
        return notice(alert);
    }
    let labels = Labels::for_language(opts.language);
    let image = alert.image.as_deref().and_then(fit::http_url);
    let photo = if opts.photo { image.clone() } else { None };
    let (limit, caps) = if photo.is_some() {
        (MAX_CAPTION_UNITS, &layout::CAPTION_CAPS)
    } else {
        (MAX_TEXT_UNITS, &layout::TEXT_CAPS)
    };
    let parts = layout::Parts::new(alert, opts.timezone, labels, caps);
    TelegramMessage {
        text: parts.fit(limit),
        buttons: layout::buttons(alert, labels),
        link_preview_url: if photo.is_some() { None } else { image },
        photo,
    }
}

/// A notice about a feed: its bold first line and the plain text after it, no buttons or preview.
fn notice(alert: &Alert) -> TelegramMessage {
    let title = fit::shorten(&fit::one_line(&alert.title), 256);
    let body = fit::shorten(&fit::clean_block(&alert.summary), 3000);
    TelegramMessage {
        text: format!("<b>{}</b>\n{}", escape_text(&title), escape_text(&body)),
        ..TelegramMessage::default()
    }
}
