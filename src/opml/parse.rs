//! Reading OPML with quick-xml: outlines flattened into feeds, with bounds on size and nesting.

use std::collections::HashMap;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::{Imported, Names, OpmlError, Skipped, url_key};
use crate::config::{FeedConfig, FeedSource};

/// Largest OPML text read, in bytes.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
/// Deepest element nesting read (folders in folders).
pub const MAX_DEPTH: usize = 64;
/// Most feeds read from one file.
pub const MAX_FEEDS: usize = 10_000;
/// Most categories kept per feed.
pub const MAX_CATEGORIES: usize = 32;
/// Longest feed name or category kept, in characters.
const MAX_NAME_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Element {
    Opml,
    Body,
    /// An outline: a folder when it carries a title and no feed URL.
    Outline {
        folder: bool,
    },
    Other,
}

/// The attributes of an outline that matter here.
#[derive(Default)]
struct Outline {
    text: Option<String>,
    title: Option<String>,
    xml_url: Option<String>,
    category: Option<String>,
}

#[derive(Default)]
struct Collector {
    imported: Imported,
    by_url: HashMap<String, usize>,
    names: Names,
    /// Titles of the folders around the current position, outermost first.
    folders: Vec<String>,
}

pub(super) fn parse(text: &str) -> Result<Imported, OpmlError> {
    if text.len() > MAX_BYTES {
        return Err(OpmlError::TooLarge {
            bytes: text.len(),
            max: MAX_BYTES,
        });
    }
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut stack: Vec<Element> = Vec::new();
    let mut seen_root = false;
    let mut seen_body = false;
    let mut out = Collector::default();
    let line = |pos: u64| line_at(text, pos);
    loop {
        let before = reader.buffer_position();
        let event = reader.read_event().map_err(|e| OpmlError::Xml {
            line: line(reader.error_position()),
            message: e.to_string(),
        })?;
        let here = skip_whitespace(text, before);
        let (start, opens) = match event {
            Event::DocType(_) => return Err(OpmlError::Doctype { line: line(here) }),
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(_) => {
                if let Some(Element::Outline { folder: true }) = stack.pop() {
                    out.folders.pop();
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        if stack.is_empty() {
            if seen_root {
                let message = "content after the root element".to_owned();
                return Err(OpmlError::Xml {
                    line: line(here),
                    message,
                });
            }
            if !local_is(&start, "opml") {
                let found = clean(start.local_name().into_inner());
                return Err(OpmlError::NotOpml { found });
            }
            seen_root = true;
        }
        if opens && stack.len() >= MAX_DEPTH {
            let line = line(here);
            return Err(OpmlError::TooDeep {
                line,
                max: MAX_DEPTH,
            });
        }
        let element = out.element(&start, stack.last().copied(), here, text)?;
        seen_body |= element == Element::Body;
        if opens {
            stack.push(element);
        } else if element == (Element::Outline { folder: true }) {
            out.folders.pop();
        }
    }
    if !seen_root {
        return Err(OpmlError::Empty);
    }
    if !stack.is_empty() {
        let message = "the document ends before </opml> (truncated file?)".to_owned();
        return Err(OpmlError::Xml {
            line: line(text.len() as u64),
            message,
        });
    }
    if !seen_body {
        return Err(OpmlError::NoBody);
    }
    Ok(out.imported)
}

impl Collector {
    /// Classifies an element opened under `parent`, taking in its feed when it is one.
    fn element(
        &mut self,
        e: &BytesStart<'_>,
        parent: Option<Element>,
        here: u64,
        text: &str,
    ) -> Result<Element, OpmlError> {
        Ok(match parent {
            None => Element::Opml,
            Some(Element::Opml) if local_is(e, "body") => Element::Body,
            Some(Element::Body | Element::Outline { .. }) if local_is(e, "outline") => {
                let outline = read_outline(e).map_err(|message| OpmlError::Xml {
                    line: line_at(text, here),
                    message,
                })?;
                match outline.xml_url {
                    Some(_) => {
                        self.feed(outline)?;
                        Element::Outline { folder: false }
                    }
                    None => {
                        let title = outline.text.or(outline.title).unwrap_or_default();
                        self.folders.push(clean(&title));
                        Element::Outline { folder: true }
                    }
                }
            }
            Some(_) => Element::Other,
        })
    }

    fn feed(&mut self, outline: Outline) -> Result<(), OpmlError> {
        let given = outline.text.or(outline.title).unwrap_or_default();
        let raw_url = outline.xml_url.unwrap_or_default();
        let url = raw_url.trim();
        let host = match url::Url::parse(url) {
            Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.has_host() => {
                parsed.host_str().unwrap_or_default().to_owned()
            }
            _ => {
                self.imported.skipped.push(Skipped {
                    name: clean(&given),
                    reason: "its xmlUrl is not an http(s) URL".into(),
                });
                return Ok(());
            }
        };
        let mut categories: Vec<String> = Vec::new();
        let from_attribute = outline.category.as_deref().unwrap_or_default();
        let items = from_attribute
            .split(',')
            .map(|item| clean(item.trim().trim_matches('/')));
        for category in self.folders.iter().cloned().chain(items) {
            add_category(&mut categories, category);
        }
        let key = url_key(url);
        if let Some(&i) = self.by_url.get(&key) {
            if let Some(existing) = self.imported.feeds.get_mut(i) {
                for category in categories {
                    add_category(&mut existing.categories, category);
                }
            }
            return Ok(());
        }
        if self.imported.feeds.len() >= MAX_FEEDS {
            return Err(OpmlError::TooMany { max: MAX_FEEDS });
        }
        let name = match clean(&given) {
            name if name.is_empty() => host,
            name => name,
        };
        let source = FeedSource::Http(url.to_owned());
        let mut feed = FeedConfig::new(self.names.claim(&name), source);
        feed.categories = categories;
        self.by_url.insert(key, self.imported.feeds.len());
        self.imported.feeds.push(feed);
        Ok(())
    }
}

/// Adds a non-empty category unless one equal but for case is there, up to [`MAX_CATEGORIES`].
fn add_category(categories: &mut Vec<String>, category: String) {
    if category.is_empty() || categories.len() >= MAX_CATEGORIES {
        return;
    }
    let lower = category.to_lowercase();
    if !categories.iter().any(|c| c.to_lowercase() == lower) {
        categories.push(category);
    }
}

/// The outline attributes, entities decoded; attribute names compared without case.
fn read_outline(e: &BytesStart<'_>) -> Result<Outline, String> {
    let mut outline = Outline::default();
    for attribute in e.attributes() {
        let attribute = attribute.map_err(|err| err.to_string())?;
        let key = attribute.key.local_name();
        let slot = match key.as_ref().to_ascii_lowercase().as_str() {
            "text" => &mut outline.text,
            "title" => &mut outline.title,
            "xmlurl" => &mut outline.xml_url,
            "category" => &mut outline.category,
            _ => continue,
        };
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| err.to_string())?;
        *slot = Some(value.into_owned());
    }
    Ok(outline)
}

fn local_is(e: &BytesStart<'_>, name: &str) -> bool {
    e.local_name().as_ref().eq_ignore_ascii_case(name)
}

/// Whitespace runs collapsed to one space, control characters dropped, at most
/// [`MAX_NAME_CHARS`] characters.
pub(super) fn clean(text: &str) -> String {
    let words = text
        .split_whitespace()
        .map(|word| word.chars().filter(|c| !c.is_control()).collect::<String>());
    let joined = words
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    joined
        .chars()
        .take(MAX_NAME_CHARS)
        .collect::<String>()
        .trim_end()
        .to_owned()
}

/// The offset of the first non-whitespace byte at or after `offset`: where an event starts.
fn skip_whitespace(text: &str, offset: u64) -> u64 {
    let start = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(text.len());
    let rest = text.as_bytes().get(start..).unwrap_or_default();
    let blanks = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
    offset + blanks as u64
}

/// The 1-based line of byte `offset` in `text`.
fn line_at(text: &str, offset: u64) -> usize {
    let end = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(text.len());
    let before = text.as_bytes().get(..end).unwrap_or_default();
    before.iter().filter(|b| **b == b'\n').count() + 1
}
