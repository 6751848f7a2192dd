//! The parts of a Telegram alert (header, meta line, summary, link lines, buttons) as escaped
//! HTML, their caps, and fitting the whole into a length limit by shortening the summary.

use std::collections::HashSet;

use chrono_tz::Tz;

use super::fit::{clean_block, hashtag, http_url, link_buttons, one_line, shorten, source_text};
use super::html::{escape_attr, escape_text, parse_html};
use super::{Labels, MAX_BUTTON_URL_BYTES};
use crate::model::Alert;

/// Upper bounds (UTF-16 units, counts) on the fields other than the summary.
pub(super) struct Caps {
    title: usize,
    tags: usize,
    tag_len: usize,
    feed: usize,
    link_text: usize,
    sources: usize,
}

/// With these caps the fixed parts stay under ~1700 units, leaving the summary ≥ 2300.
pub(super) const TEXT_CAPS: Caps = Caps {
    title: 300,
    tags: 10,
    tag_len: 64,
    feed: 64,
    link_text: 120,
    sources: 4,
};

/// With these caps the fixed parts stay under ~600 units, leaving the summary ≥ 400.
pub(super) const CAPTION_CAPS: Caps = Caps {
    title: 200,
    tags: 5,
    tag_len: 32,
    feed: 32,
    link_text: 60,
    sources: 2,
};

/// A summary shorter than this is left out rather than cut to a stub.
const MIN_SUMMARY_UNITS: usize = 16;

/// The rendered parts: HTML except `summary`, which is plain until it is fitted.
pub(super) struct Parts {
    header: String,
    meta: String,
    summary: String,
    links: Vec<String>,
}

impl Parts {
    pub(super) fn new(alert: &Alert, tz: Tz, labels: &Labels, caps: &Caps) -> Parts {
        Parts {
            header: header(alert, labels, caps),
            meta: meta(alert, tz, caps),
            summary: clean_block(&alert.summary),
            links: links(alert, labels, caps),
        }
    }

    fn assemble(&self, summary_html: &str) -> String {
        let mut out = self.header.clone();
        if !self.meta.is_empty() {
            out.push('\n');
            out.push_str(&self.meta);
        }
        if !summary_html.is_empty() {
            out.push_str("\n\n");
            out.push_str(summary_html);
        }
        if !self.links.is_empty() {
            out.push_str("\n\n");
            out.push_str(&self.links.join("\n"));
        }
        out
    }

    /// The message text within `limit` visible UTF-16 units.
    pub(super) fn fit(&self, limit: usize) -> String {
        let visible = |html: &str| parse_html(html).map_or(usize::MAX, |p| p.utf16_len);
        let full = self.assemble(&escape_text(&self.summary));
        if visible(&full) <= limit {
            return full;
        }
        let base = visible(&self.assemble(""));
        let budget = limit.saturating_sub(base.saturating_add(2));
        let summary = if budget >= MIN_SUMMARY_UNITS {
            shorten(&self.summary, budget)
        } else {
            String::new()
        };
        let text = self.assemble(&escape_text(&summary));
        if visible(&text) <= limit {
            text
        } else {
            self.header.clone()
        }
    }
}

fn header(alert: &Alert, labels: &Labels, caps: &Caps) -> String {
    let title = one_line(&alert.title);
    let title = if title.is_empty() {
        labels.untitled.to_owned()
    } else {
        shorten(&title, caps.title)
    };
    let line = if alert.breaking {
        format!("{} ┃ {title}", labels.breaking)
    } else {
        title
    };
    format!("<b>{}</b>", escape_text(&line))
}

fn meta(alert: &Alert, tz: Tz, caps: &Caps) -> String {
    let mut seen = HashSet::new();
    let tags: Vec<String> = alert
        .categories
        .iter()
        .filter_map(|c| hashtag(c, caps.tag_len))
        .filter(|t| seen.insert(t.clone()))
        .take(caps.tags)
        .collect();
    let mut fields = Vec::new();
    if !tags.is_empty() {
        fields.push(tags.join(" "));
    }
    let feed = shorten(&one_line(alert.feed_label()), caps.feed);
    if !feed.is_empty() {
        fields.push(feed);
    }
    if let Some(published) = alert.published {
        let local = published.with_timezone(&tz);
        fields.push(local.format("%Y-%m-%d %H:%M %Z").to_string());
    }
    escape_text(&fields.join(" · "))
}

fn links(alert: &Alert, labels: &Labels, caps: &Caps) -> Vec<String> {
    let mut lines = Vec::new();
    let post = alert.link.as_deref().and_then(http_url);
    if let Some(url) = &post {
        lines.push(format!(
            "🔗 <a href=\"{}\">{}</a>",
            escape_attr(url),
            escape_text(labels.read)
        ));
    }
    let mut seen: HashSet<String> = post.into_iter().collect();
    let mut shown = 0;
    for source in &alert.source_links {
        if shown == caps.sources {
            break;
        }
        let label = labels.of(source.kind);
        let url = http_url(&source.url);
        let text = source_text(&source.text, url.as_deref());
        let text = escape_text(&shorten(&text, caps.link_text));
        let line = match url {
            Some(url) if seen.insert(url.clone()) => {
                format!("{label}: <a href=\"{}\">{text}</a>", escape_attr(&url))
            }
            Some(_) => continue,
            None if !text.is_empty() => format!("{label}: {text}"),
            None => continue,
        };
        lines.push(line);
        shown += 1;
    }
    lines
}

/// "Read" → post, "Source" → original article, as one row of URL buttons.
pub(super) fn buttons(alert: &Alert, labels: &Labels) -> Vec<Vec<(String, String)>> {
    let row = link_buttons(alert, labels, MAX_BUTTON_URL_BYTES);
    if row.is_empty() {
        Vec::new()
    } else {
        vec![row]
    }
}
