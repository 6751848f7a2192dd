//! Names and start tags for the compatibility pass: which namespace an element is in (legacy
//! URIs counted as the ones feed-rs knows), and start tags rebuilt with a change.

use quick_xml::events::BytesStart;
use quick_xml::name::ResolveResult;

const RSS1: &str = "http://purl.org/rss/1.0/";
const ATOM: &str = "http://www.w3.org/2005/Atom";
const ATOM03: &str = "http://purl.org/atom/ns#";
const DC11: &str = "http://purl.org/dc/elements/1.1/";
const MEDIA: &str = "http://search.yahoo.com/mrss/";

/// A legacy namespace URI → the URI feed-rs reads the same elements under.
fn alias(uri: &str) -> Option<&'static str> {
    match uri.trim() {
        // RSS 0.90 and UserLand's RSS 2.0 namespace: the RSS elements feed-rs knows.
        "http://my.netscape.com/rdf/simple/0.9/"
        | "http://backend.userland.com/rss2"
        | "http://backend.userland.com/rss2/"
        | "http://backend.userland.com/rss/" => Some(RSS1),
        ATOM03 => Some(ATOM),
        "http://purl.org/dc/elements/1.0/" => Some(DC11),
        _ => None,
    }
}

/// The namespaces the pass tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ns {
    Rss,
    Atom,
    /// Atom 0.3 (`http://purl.org/atom/ns#`), read as Atom 1.0.
    Atom03,
    Dc,
    Media,
    Other,
    /// No namespace, or an undeclared prefix: feed-rs gives these the document's default.
    Default,
}

impl Ns {
    pub(super) fn of(resolved: &ResolveResult<'_>) -> Ns {
        let ResolveResult::Bound(ns) = resolved else {
            return Ns::Default;
        };
        let uri: &str = ns.as_ref();
        match alias(uri).unwrap_or(uri) {
            RSS1 => Ns::Rss,
            ATOM if uri.trim() == ATOM03 => Ns::Atom03,
            ATOM => Ns::Atom,
            DC11 => Ns::Dc,
            MEDIA => Ns::Media,
            _ => Ns::Other,
        }
    }

    /// Atom 0.3 counts as Atom; `Default` takes the document's namespace.
    pub(super) fn effective(self, default: Ns) -> Ns {
        match self {
            Ns::Default => default,
            Ns::Atom03 => Ns::Atom,
            other => other,
        }
    }
}

/// What to change in a start tag.
#[derive(Debug, Default)]
pub(super) struct TagChange {
    /// A new local name (the prefix is kept).
    pub rename: Option<&'static str>,
    /// Attributes set (replaced, or added when absent).
    pub set: Vec<(&'static str, &'static str)>,
    /// Attributes removed.
    pub remove: Vec<&'static str>,
}

/// `tag` rebuilt with `change` applied and legacy namespace URIs replaced (see [`alias`]);
/// `None` when nothing changes or an attribute cannot be read.
pub(super) fn rebuild(tag: &BytesStart<'_>, empty: bool, change: &TagChange) -> Option<String> {
    let unchanged = change.rename.is_none() && change.set.is_empty() && change.remove.is_empty();
    if unchanged && !tag.attributes_raw().contains("xmlns") {
        return None;
    }
    let mut changed = change.rename.is_some();
    let name = qualified(tag.name().as_ref(), change.rename);
    let mut out = format!("<{name}");
    let mut set = change.set.clone();
    for attr in tag.attributes().with_checks(false) {
        let attr = attr.ok()?;
        let key: &str = attr.key.as_ref();
        if change.remove.contains(&key) {
            changed = true;
            continue;
        }
        let is_xmlns = key == "xmlns" || key.starts_with("xmlns:");
        let value = if let Some(at) = set.iter().position(|(k, _)| *k == key) {
            changed = true;
            set.remove(at).1
        } else if let Some(uri) = alias(&attr.value).filter(|_| is_xmlns) {
            changed = true;
            uri
        } else {
            &attr.value
        };
        push_attr(&mut out, key, value);
    }
    for (key, value) in set {
        changed = true;
        push_attr(&mut out, key, value);
    }
    out.push_str(if empty { "/>" } else { ">" });
    changed.then_some(out)
}

/// An end tag for `qname` with its local name replaced by `rename`.
pub(super) fn end_tag(qname: &str, rename: &'static str) -> String {
    format!("</{}>", qualified(qname, Some(rename)))
}

/// The prefix of a qualified name with its colon (`"rss:"`), or `""`.
pub(super) fn prefix_of(qname: &str) -> &str {
    qname.rfind(':').map_or("", |i| &qname[..=i])
}

fn qualified(qname: &str, rename: Option<&str>) -> String {
    match rename {
        Some(local) => format!("{}{local}", prefix_of(qname)),
        None => qname.to_owned(),
    }
}

/// Appends ` key="value"`; `value` is raw attribute text, so only a bare `"` needs escaping.
fn push_attr(out: &mut String, key: &str, value: &str) {
    out.push(' ');
    out.push_str(key);
    out.push_str("=\"");
    out.push_str(&value.replace('"', "&quot;"));
    out.push('"');
}

/// An attribute's value as written (entities not expanded), by its qualified name.
pub(super) fn attr<'a>(tag: &'a BytesStart<'_>, key: &str) -> Option<std::borrow::Cow<'a, str>> {
    tag.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| AsRef::<str>::as_ref(&a.key) == key)
        .map(|a| a.value)
}

/// Escapes text for an element body.
pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(tag: &str) -> BytesStart<'_> {
        let inner = tag.trim_start_matches('<').trim_end_matches('>');
        let inner = inner.trim_end_matches('/');
        let name_len = inner.find(char::is_whitespace).unwrap_or(inner.len());
        BytesStart::from_content(inner, name_len)
    }

    #[test]
    fn rebuilds_only_when_something_changes() {
        let plain = start(r#"<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">"#);
        assert_eq!(rebuild(&plain, false, &TagChange::default()), None);
        let legacy = start(r#"<rss xmlns='http://backend.userland.com/rss2' a='say "hi"'>"#);
        let change = TagChange {
            set: vec![("version", "2.0")],
            ..TagChange::default()
        };
        assert_eq!(
            rebuild(&legacy, false, &change).as_deref(),
            Some(r#"<rss xmlns="http://purl.org/rss/1.0/" a="say &quot;hi&quot;" version="2.0">"#)
        );
        let renamed = TagChange {
            rename: Some("published"),
            set: vec![("type", "text")],
            remove: vec!["mode"],
        };
        assert_eq!(
            rebuild(&start(r#"<a:issued mode="xml" type="x">"#), true, &renamed).as_deref(),
            Some(r#"<a:published type="text"/>"#)
        );
        assert_eq!(end_tag("a:issued", "published"), "</a:published>");
    }
}
