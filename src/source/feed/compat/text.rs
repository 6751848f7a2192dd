//! Text fields feed-rs would fail the whole feed over: Atom text constructs and content with
//! a type or mode it does not take (Atom 0.3's `text/plain`, base64, an unknown type, a `src`
//! with a body) and empty MediaRSS titles and descriptions. Each is kept as a type feed-rs
//! reads, or the one field is dropped.

use quick_xml::events::BytesStart;

use super::tags::{Ns, TagChange, attr};

/// What becomes of one text element.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct TextRule {
    /// The element is dropped whatever it holds.
    pub drop: bool,
    /// The element is dropped when it holds no text (feed-rs requires some).
    pub drop_if_empty: bool,
    /// Feed-rs also needs the text before any child element (MediaRSS text).
    pub needs_leading_text: bool,
    /// The `type` attribute to write instead of the one given.
    pub set_type: Option<&'static str>,
}

impl TextRule {
    pub fn change(&self) -> TagChange {
        TagChange {
            set: self.set_type.map(|t| ("type", t)).into_iter().collect(),
            ..TagChange::default()
        }
    }
}

const ATOM_TEXT: [&str; 7] = [
    "title",
    "subtitle",
    "summary",
    "rights",
    "tagline",
    "copyright",
    "info",
];

/// The rule for an element in namespace `ns` (already made effective) named `local`, or
/// `None` when it is not a text field the pass looks after.
pub(super) fn rule(ns: Ns, local: &str, tag: &BytesStart<'_>) -> Option<TextRule> {
    match (ns, local) {
        (Ns::Atom, "content") => Some(atom(tag, true)),
        (Ns::Atom, local) if ATOM_TEXT.contains(&local) => Some(atom(tag, false)),
        (Ns::Media, "title" | "description") => Some(TextRule {
            // feed-rs's MediaRSS reader takes exactly these two, case included.
            drop: !matches!(attr(tag, "type").as_deref(), None | Some("plain" | "html")),
            drop_if_empty: true,
            needs_leading_text: true,
            set_type: None,
        }),
        _ => None,
    }
}

fn atom(tag: &BytesStart<'_>, is_content: bool) -> TextRule {
    let raw = attr(tag, "type");
    let raw = raw.as_deref();
    let base64 = attr(tag, "mode").is_some_and(|m| m.trim().eq_ignore_ascii_case("base64"));
    let elsewhere = is_content && attr(tag, "src").is_some();
    let kind = raw.map(|t| t.trim().to_ascii_lowercase());
    // The spelling feed-rs matches (exactly), for the types it reads as text, HTML or XHTML.
    let canonical = match kind.as_deref() {
        Some("text" | "text/plain") => Some("text"),
        Some("html") => Some("html"),
        Some("text/html") => Some("text/html"),
        Some("xhtml" | "application/xhtml+xml") => Some("xhtml"),
        _ => None,
    };
    // Other text types feed-rs keeps as they are (the content reader escapes them); the XML
    // ones it reads through a path that fails.
    let keep = match kind.as_deref() {
        None => true,
        Some(other) => canonical.is_some() || (is_content && plain_text_type(other)),
    };
    TextRule {
        drop: base64 || elsewhere || !keep,
        drop_if_empty: true,
        needs_leading_text: false,
        set_type: canonical.filter(|c| raw != Some(*c)),
    }
}

/// `text/<subtype>` with a plain token subtype and no parameters, not an XML type.
fn plain_text_type(kind: &str) -> bool {
    kind.strip_prefix("text/").is_some_and(|sub| {
        !sub.is_empty()
            && !sub.ends_with("xml")
            && sub
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | '_'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(content: &str) -> BytesStart<'_> {
        let name_len = content.find(' ').unwrap_or(content.len());
        BytesStart::from_content(content, name_len)
    }

    fn atom_rule(content: &str) -> TextRule {
        let t = tag(content);
        let local = content.split(' ').next().unwrap_or("");
        rule(Ns::Atom, local, &t).expect("an Atom text element")
    }

    #[test]
    fn atom_types_are_kept_mapped_or_dropped() {
        let keep = TextRule {
            drop_if_empty: true,
            ..TextRule::default()
        };
        assert_eq!(atom_rule("title"), keep);
        assert_eq!(atom_rule(r#"summary type="html" mode="escaped""#), keep);
        assert_eq!(atom_rule(r#"content type="text/markdown""#), keep);
        let as_text = TextRule {
            set_type: Some("text"),
            ..keep
        };
        assert_eq!(atom_rule(r#"tagline type="TEXT/PLAIN""#), as_text);
        assert_eq!(
            atom_rule(r#"content type="application/xhtml+xml" mode="xml""#).set_type,
            Some("xhtml")
        );
        for dropped in [
            r#"content type="text/html" mode="base64""#,
            r#"content type="image/png""#,
            r#"content type="application/xml""#,
            r#"content type="text/plain; charset=utf-8""#,
            r#"content type="text/html" src="https://a.example/x""#,
            r#"title type="text/markdown""#,
            r#"summary type="??""#,
        ] {
            assert!(atom_rule(dropped).drop, "{dropped}");
        }
        assert_eq!(rule(Ns::Rss, "title", &tag("title")), None);
        assert_eq!(rule(Ns::Atom, "id", &tag("id")), None);
    }

    #[test]
    fn media_text_takes_plain_and_html_only() {
        let media = |content| rule(Ns::Media, "description", &tag(content)).unwrap();
        assert!(!media("description").drop);
        assert!(!media(r#"description type="html""#).drop);
        assert!(media(r#"description type="HTML""#).drop);
        assert!(media("description").needs_leading_text);
    }
}
