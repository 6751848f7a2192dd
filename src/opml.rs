//! OPML for moving between readers: `sokbo feeds export` writes the http(s) feeds as OPML 2.0,
//! `sokbo feeds import FILE.opml` reads another reader's export into `[[feeds]]` entries.

mod parse;
#[cfg(test)]
mod tests;
mod write;

use std::collections::{HashMap, HashSet};

use crate::config::FeedConfig;

pub use parse::{MAX_BYTES, MAX_CATEGORIES, MAX_DEPTH, MAX_FEEDS};
pub use write::{export, to_toml};

/// Why an OPML text was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpmlError {
    #[error("the file is {bytes} bytes; OPML files up to {max} bytes are read")]
    TooLarge { bytes: usize, max: usize },
    #[error("not well-formed XML (line {line}): {message}")]
    Xml { line: usize, message: String },
    #[error("line {line}: DOCTYPE declarations are not accepted in OPML")]
    Doctype { line: usize },
    #[error("no XML element found (is the file empty?)")]
    Empty,
    #[error("not an OPML document: the root element is <{found}>, expected <opml>")]
    NotOpml { found: String },
    #[error("the OPML document has no <body>")]
    NoBody,
    #[error("line {line}: outlines nested deeper than {max} levels")]
    TooDeep { line: usize, max: usize },
    #[error("more than {max} feeds in one OPML file")]
    TooMany { max: usize },
}

/// An outline that was not taken, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The outline's text (or title), as given.
    pub name: String,
    pub reason: String,
}

/// The feeds an OPML text holds, and the outlines with a feed URL that were left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub feeds: Vec<FeedConfig>,
    pub skipped: Vec<Skipped>,
}

/// The http(s) feeds of an OPML text.
///
/// Outlines with an `xmlUrl` are feeds, wherever they are nested; every outline without one that
/// encloses them is a folder, and folder titles become the feed's categories (outermost first),
/// followed by the items of its `category` attribute (comma-separated, leading `/` dropped). A
/// URL listed twice gives one feed with the categories of both. Names come from `text` (else
/// `title`, else the URL's host), with whitespace collapsed, and are made unique by appending
/// " (2)", " (3)"…. Every feed gets the default interval.
pub fn import(text: &str) -> Result<Vec<FeedConfig>, OpmlError> {
    import_report(text).map(|imported| imported.feeds)
}

/// [`import`], also telling which outlines with an `xmlUrl` were skipped (not http(s)).
pub fn import_report(text: &str) -> Result<Imported, OpmlError> {
    parse::parse(text)
}

/// The imported feeds worth adding to `existing`: those whose URL is not there yet, renamed where
/// their name is taken (" (2)", " (3)"…).
pub fn new_feeds(existing: &[FeedConfig], imported: Vec<FeedConfig>) -> Vec<FeedConfig> {
    let mut urls: HashSet<String> = existing
        .iter()
        .filter_map(|feed| feed.source.url().map(url_key))
        .collect();
    let mut names = Names::default();
    for feed in existing {
        names.taken.insert(feed.name.clone());
    }
    let mut out = Vec::new();
    for mut feed in imported {
        let Some(url) = feed.source.url() else {
            continue;
        };
        if !urls.insert(url_key(url)) {
            continue;
        }
        feed.name = names.claim(&feed.name);
        out.push(feed);
    }
    out
}

/// Feed names in use; hands out free ones.
#[derive(Debug, Default)]
struct Names {
    taken: HashSet<String>,
    /// The next suffix to try for a name, so that many equal names cost linear time.
    next_suffix: HashMap<String, u64>,
}

impl Names {
    /// `name`, or `name (2)`, `name (3)`… — the first not taken, which is then taken.
    fn claim(&mut self, name: &str) -> String {
        let mut candidate = name.to_owned();
        if self.taken.contains(&candidate) {
            let mut n = self.next_suffix.get(name).copied().unwrap_or(2);
            loop {
                candidate = format!("{name} ({n})");
                n += 1;
                if !self.taken.contains(&candidate) {
                    break;
                }
            }
            self.next_suffix.insert(name.to_owned(), n);
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

/// A URL as compared for duplicates: parsed and re-serialized when it parses.
fn url_key(url: &str) -> String {
    match url::Url::parse(url.trim()) {
        Ok(parsed) => parsed.into(),
        Err(_) => url.trim().to_owned(),
    }
}
