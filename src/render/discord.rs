//! Alert → Discord message: one embed (title linked to the post, the summary, red when breaking,
//! the feed as author, categories in the footer, the publish time as timestamp, the image, the
//! sources as fields) and link buttons, within Discord's limits.
//!
//! Lengths are counted in UTF-16 units, which is never less than the characters Discord counts.
//! Text that Discord renders as markdown (title, description, field values) is escaped. Over the
//! 6,000 total, only the description is shortened, at a sentence or word end with "…".

#[cfg(test)]
mod tests;

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::Labels;
use super::telegram::utf16_len;
use super::text::{clean_block, hashtag, http_url, link_buttons, one_line, shorten, source_text};
use crate::model::{Alert, Lang};

pub const MAX_TITLE: usize = 256;
pub const MAX_DESCRIPTION: usize = 4096;
pub const MAX_FIELD_NAME: usize = 256;
pub const MAX_FIELD_VALUE: usize = 1024;
pub const MAX_FOOTER: usize = 2048;
pub const MAX_AUTHOR: usize = 256;
/// All text of one embed together.
pub const MAX_EMBED_TOTAL: usize = 6000;
pub const MAX_FIELDS: usize = 25;
pub const MAX_BUTTON_LABEL: usize = 80;
pub const MAX_BUTTON_URL: usize = 512;
/// Link URLs in the embed (title link, image); longer ones are left out.
pub const MAX_URL: usize = 2048;

/// Embed colour of breaking news.
pub const BREAKING_COLOR: u32 = 0xE5_39_35;
/// Embed colour of other alerts.
pub const NEWS_COLOR: u32 = 0x34_6D_DB;
/// Embed color of a notice about a feed (amber).
pub const NOTICE_COLOR: u32 = 0xF5_A6_23;

/// Source links shown as fields.
const MAX_SOURCES: usize = 4;
/// Categories shown in the footer.
const MAX_TAGS: usize = 10;
/// Room given to one source link's text.
const MAX_LINK_TEXT: usize = 200;
/// A description shorter than this is left out rather than cut to a stub.
const MIN_DESCRIPTION: usize = 16;

/// One embed field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

/// One embed, as Discord's API takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    pub title: String,
    pub url: Option<String>,
    pub description: String,
    pub color: u32,
    pub author: String,
    pub footer: String,
    pub timestamp: Option<DateTime<Utc>>,
    pub image: Option<String>,
    pub fields: Vec<Field>,
}

impl Embed {
    /// The length Discord holds against the 6,000 total.
    pub fn total_len(&self) -> usize {
        let fields: usize = self
            .fields
            .iter()
            .map(|f| utf16_len(&f.name) + utf16_len(&f.value))
            .sum();
        utf16_len(&self.title)
            + utf16_len(&self.description)
            + utf16_len(&self.author)
            + utf16_len(&self.footer)
            + fields
    }
}

/// One alert message: the embed and a row of (label, URL) link buttons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscordMessage {
    pub embed: Embed,
    pub buttons: Vec<(String, String)>,
}

/// How alerts are rendered (Discord shows the timestamp in each reader's own zone).
#[derive(Debug, Clone, PartialEq)]
pub struct RenderOptions {
    pub language: Lang,
}

/// Renders one alert within every Discord limit.
pub fn render(alert: &Alert, opts: &RenderOptions) -> DiscordMessage {
    if alert.notice {
        return notice(alert);
    }
    let labels = Labels::for_language(opts.language);
    let post = alert
        .link
        .as_deref()
        .and_then(http_url)
        .filter(|u| u.len() <= MAX_URL);
    let mut embed = Embed {
        title: title(alert, labels),
        url: post.clone(),
        description: String::new(),
        color: if alert.breaking {
            BREAKING_COLOR
        } else {
            NEWS_COLOR
        },
        author: shorten(&one_line(alert.feed_label()), MAX_AUTHOR),
        footer: footer(alert),
        timestamp: alert.published,
        image: alert
            .image
            .as_deref()
            .and_then(http_url)
            .filter(|u| u.len() <= MAX_URL),
        fields: fields(alert, labels, post.as_deref()),
    };
    let room = MAX_EMBED_TOTAL
        .saturating_sub(embed.total_len())
        .min(MAX_DESCRIPTION);
    embed.description = description(&alert.summary, room);
    let buttons = link_buttons(alert, labels, MAX_BUTTON_URL)
        .into_iter()
        .map(|(label, url)| (shorten(&label, MAX_BUTTON_LABEL), url))
        .collect();
    DiscordMessage { embed, buttons }
}

/// A notice about a feed: a plain embed with its title (linking to the feed) and text, no
/// fields or buttons.
fn notice(alert: &Alert) -> DiscordMessage {
    let embed = Embed {
        title: shorten(&one_line(&alert.title), MAX_TITLE),
        // The title links to the feed (an escaped address in the text is not a link).
        url: alert
            .link
            .as_deref()
            .and_then(http_url)
            .filter(|u| u.len() <= MAX_URL),
        description: description(&alert.summary, MAX_DESCRIPTION),
        color: NOTICE_COLOR,
        author: String::new(),
        footer: String::new(),
        timestamp: None,
        image: None,
        fields: Vec::new(),
    };
    DiscordMessage {
        embed,
        buttons: Vec::new(),
    }
}

/// `s` with the characters Discord's markdown gives meaning escaped by a backslash.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*'
                | '_'
                | '~'
                | '`'
                | '|'
                | '>'
                | '#'
                | '-'
                | '['
                | ']'
                | '('
                | ')'
                | '<'
                | ':'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Plain `text` shortened and escaped so that the escaped form fits in `max` UTF-16 units.
fn escaped_within(text: &str, max: usize) -> String {
    let mut budget = max;
    loop {
        let escaped = escape_markdown(&shorten(text, budget));
        let len = utf16_len(&escaped);
        if len <= max || budget == 0 {
            return escaped;
        }
        // Escaping at most doubles a text: shrink in proportion, by one unit at least.
        budget = (budget.saturating_mul(max) / len).min(budget - 1);
    }
}

fn title(alert: &Alert, labels: &Labels) -> String {
    let title = one_line(&alert.title);
    let title = if title.is_empty() {
        labels.untitled.to_owned()
    } else {
        title
    };
    if alert.breaking {
        let marker = format!("{} ┃ ", labels.breaking);
        let room = MAX_TITLE - utf16_len(&marker);
        format!("{marker}{}", escaped_within(&title, room))
    } else {
        escaped_within(&title, MAX_TITLE)
    }
}

/// `#경제 #정치`: the categories as hashtags (not markdown in a footer, so not escaped).
fn footer(alert: &Alert) -> String {
    let mut seen = HashSet::new();
    let tags: Vec<String> = alert
        .categories
        .iter()
        .filter_map(|c| hashtag(c, 64))
        .filter(|t| seen.insert(t.clone()))
        .take(MAX_TAGS)
        .collect();
    shorten(&tags.join(" "), MAX_FOOTER)
}

/// The summary as the description; left out when less than a stub fits.
fn description(summary: &str, room: usize) -> String {
    let summary = clean_block(summary);
    if room < MIN_DESCRIPTION {
        return String::new();
    }
    escaped_within(&summary, room)
}

/// One inline field per source link: "출처" → "[text](url)", unique URLs, at most four.
fn fields(alert: &Alert, labels: &Labels, post: Option<&str>) -> Vec<Field> {
    let mut seen: HashSet<String> = post.map(str::to_owned).into_iter().collect();
    let mut out = Vec::new();
    for source in &alert.source_links {
        if out.len() == MAX_SOURCES.min(MAX_FIELDS) {
            break;
        }
        let name = labels.of(source.kind);
        let url = http_url(&source.url).filter(|u| u.len() <= MAX_FIELD_VALUE / 2);
        let text = source_text(&source.text, url.as_deref());
        let text = escaped_within(&text, MAX_LINK_TEXT);
        let value = match url {
            Some(url) if seen.insert(url.clone()) => format!("[{text}]({})", link_target(&url)),
            Some(_) => continue,
            None if !text.is_empty() => text,
            None => continue,
        };
        out.push(Field {
            name: name.to_owned(),
            value,
            inline: true,
        });
    }
    out
}

/// A URL safe inside a markdown link's parentheses.
fn link_target(url: &str) -> String {
    url.replace('(', "%28")
        .replace(')', "%29")
        .replace(' ', "%20")
}
