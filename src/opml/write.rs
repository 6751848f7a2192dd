//! Writing: feeds as an OPML 2.0 document, and as `[[feeds]]` entries for config.toml.

use std::fmt::Write;

use crate::config::{FeedConfig, FeedSource};

/// An OPML 2.0 document with one outline per http(s) feed, in config order: `text` and `title`
/// are the feed's name, `type="rss"`, `xmlUrl` its URL, and `category` its categories joined
/// with commas (a category that itself holds a comma reads back as two). Folder sources have no
/// feed URL; a comment says how many were left out.
pub fn export(feeds: &[FeedConfig]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <opml version=\"2.0\">\n  <head>\n    <title>sokbo feeds</title>\n  </head>\n  <body>\n",
    );
    let mut folders = 0usize;
    for feed in feeds {
        let FeedSource::Http(url) = &feed.source else {
            folders += 1;
            continue;
        };
        let name = escape_attribute(&feed.name);
        let _ = write!(
            out,
            "    <outline type=\"rss\" text=\"{name}\" title=\"{name}\" xmlUrl=\"{}\"",
            escape_attribute(url)
        );
        if !feed.categories.is_empty() {
            let joined = feed.categories.join(",");
            let _ = write!(out, " category=\"{}\"", escape_attribute(&joined));
        }
        out.push_str("/>\n");
    }
    if folders > 0 {
        let sources = if folders == 1 { "source" } else { "sources" };
        let _ = writeln!(
            out,
            "    <!-- {folders} folder {sources} left out: OPML lists only http(s) feeds -->"
        );
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

/// `text` as an XML attribute value in double quotes: markup characters as entities, tab and
/// line breaks as character references (so they survive attribute normalization), and the
/// characters XML 1.0 cannot hold at all dropped.
fn escape_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// `[[feeds]]` entries for `feeds`, ready to append to config.toml: `name`, `url` or `path`,
/// `site_url` and `permalink` when set, `interval`, and `categories` and `breaking` when they
/// differ from the defaults. A path that is not UTF-8 is written lossily.
pub fn to_toml(feeds: &[FeedConfig]) -> String {
    let mut out = String::new();
    for feed in feeds {
        let defaults = FeedConfig::new(feed.name.as_str(), feed.source.clone());
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str("[[feeds]]\n");
        let _ = writeln!(out, "name = {}", toml_string(&feed.name));
        match &feed.source {
            FeedSource::Http(url) => {
                let _ = writeln!(out, "url = {}", toml_string(url));
            }
            FeedSource::Folder(path) => {
                let _ = writeln!(out, "path = {}", toml_string(&path.to_string_lossy()));
            }
        }
        if let Some(site_url) = &feed.site_url {
            let _ = writeln!(out, "site_url = {}", toml_string(site_url));
        }
        if let Some(permalink) = &feed.permalink {
            let _ = writeln!(out, "permalink = {}", toml_string(permalink));
        }
        let interval = humantime::format_duration(feed.interval).to_string();
        let _ = writeln!(out, "interval = {}", toml_string(&interval));
        if feed.categories != defaults.categories {
            let items: Vec<String> = feed.categories.iter().map(|c| toml_string(c)).collect();
            let _ = writeln!(out, "categories = [{}]", items.join(", "));
        }
        if feed.breaking != defaults.breaking {
            let _ = writeln!(out, "breaking = {}", feed.breaking);
        }
    }
    out
}

/// `text` as a TOML basic string: `"` and `\` escaped, control characters as escapes.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(toml_string("plain 경제"), "\"plain 경제\"");
        assert_eq!(
            toml_string("a\"b\\c\nd\te\u{7f}f\u{1}"),
            "\"a\\\"b\\\\c\\nd\\te\\u007Ff\\u0001\""
        );
    }

    #[test]
    fn attributes_escape_markup_and_keep_line_breaks() {
        assert_eq!(
            escape_attribute("A&B <\"x\">\n\t\r\u{1}\u{ffff}z"),
            "A&amp;B &lt;&quot;x&quot;&gt;&#10;&#9;&#13;z"
        );
    }
}
