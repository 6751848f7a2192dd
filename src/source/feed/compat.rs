//! Compatibility pass before feed-rs: what liberal feed readers read, made readable to it.
//! Legacy namespaces (RSS 0.90, UserLand RSS 2.0, Atom 0.3) become the ones feed-rs knows, an
//! `<rss>` without a version gets 2.0, Atom 0.3's `issued`/`modified` become
//! `published`/`updated`, a text field feed-rs would fail the whole feed over is mapped to a
//! type it reads or dropped alone (see `text`), and entries get fallbacks (see `entry`).
//!
//! One quick-xml pass collects small edits; the document is copied only when there is one. A
//! document quick-xml cannot read to its end keeps the edits found before the fault (feed-rs
//! reports the fault).

mod edits;
mod entry;
mod tags;
mod text;

use std::borrow::Cow;
use std::ops::Range;

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};

use edits::Edits;
use entry::{EntryState, Field};
use tags::{Ns, TagChange};
use text::TextRule;

/// Longest text kept from a field the pass copies (guid, dc:title, …); longer ones are unused.
const CAPTURE_LIMIT: usize = 16 * 1024;

/// `text` with the compatibility edits applied (borrowed when there are none).
pub(super) fn normalize(text: &str) -> Cow<'_, str> {
    let mut pass = Pass::default();
    let mut reader = NsReader::from_str(text);
    loop {
        let at = pos(reader.buffer_position());
        let Ok((resolved, event)) = reader.read_resolved_event() else {
            break;
        };
        let ns = Ns::of(&resolved);
        let span = at..pos(reader.buffer_position());
        let go_on = match event {
            Event::Start(tag) => pass.start(ns, &tag, span, false),
            Event::Empty(tag) => pass.start(ns, &tag, span, true),
            Event::End(_) => pass.end(span),
            Event::Text(t) => pass.text(&t),
            Event::CData(t) => pass.text(&t),
            Event::GeneralRef(r) => pass.text(&resolve_ref(&r)),
            Event::Eof => false,
            _ => true,
        };
        if !go_on {
            break;
        }
    }
    pass.edits.apply(text)
}

fn pos(at: u64) -> usize {
    usize::try_from(at).unwrap_or(usize::MAX)
}

/// A character or predefined entity reference as text; others stay as written (as feed-rs
/// keeps them).
fn resolve_ref(name: &str) -> Cow<'_, str> {
    let r = quick_xml::events::BytesRef::new(name);
    match r.resolve_char_ref() {
        Ok(Some(c)) => Cow::Owned(c.to_string()),
        _ => match quick_xml::escape::resolve_predefined_entity(name) {
            Some(s) => Cow::Borrowed(s),
            None => Cow::Owned(format!("&{name};")),
        },
    }
}

/// One open element.
#[derive(Debug, Default)]
struct Frame {
    start: usize,
    /// Qualified name, kept when the end tag must be renamed too.
    renamed: Option<(String, &'static str)>,
    rule: Option<TextRule>,
    field: Option<Field>,
    /// Any non-blank text or child element inside.
    content: bool,
    /// Non-blank text came before any child element.
    leading_text: bool,
    text: Option<String>,
}

#[derive(Debug, Default)]
struct Pass {
    edits: Edits,
    stack: Vec<Frame>,
    /// Namespace of unprefixed elements, as feed-rs defaults it: RSS or Atom, by the root.
    default_ns: Option<Ns>,
    /// Atom 0.3: its date elements are renamed.
    atom03: bool,
    /// The open entry and its depth in `stack`.
    entry: Option<(usize, EntryState)>,
}

impl Pass {
    /// A start tag (`empty` for `<x/>`); false stops the pass.
    fn start(&mut self, ns: Ns, tag: &BytesStart<'_>, span: Range<usize>, empty: bool) -> bool {
        let qname = tag.name();
        let qname: &str = qname.as_ref();
        let local = tag.local_name();
        let local: &str = local.as_ref();
        let mut change = TagChange::default();
        let Some(default_ns) = self.default_ns else {
            return self.root(ns, local, tag, span, empty);
        };
        let ns = ns.effective(default_ns);
        if let Some(parent) = self.stack.last_mut() {
            parent.content = true;
        }

        let rule = text::rule(ns, local, tag);
        if let Some(rule) = &rule {
            change = rule.change();
        }
        let rename = match (ns, local) {
            (Ns::Atom, "issued") if self.atom03 => Some("published"),
            (Ns::Atom, "modified") if self.atom03 => Some("updated"),
            _ => None,
        };
        change.rename = rename;
        let field = match &self.entry {
            Some((depth, entry)) if *depth + 1 == self.stack.len() => {
                let permalink = || tags::attr(tag, "isPermaLink").map(Cow::into_owned);
                Field::of(entry.is_atom(), ns, local, permalink)
            }
            _ => None,
        };
        if let Some(with) = tags::rebuild(tag, empty, &change) {
            self.edits.replace(span.clone(), with);
        }
        if empty {
            if rule.is_some_and(|r| r.drop || r.drop_if_empty) {
                self.edits.drop(span);
            }
            return true;
        }
        let is_entry = matches!((ns, local), (Ns::Rss, "item") | (Ns::Atom, "entry"));
        if is_entry && self.entry.is_none() {
            let state = EntryState::new(ns == Ns::Atom, tags::prefix_of(qname));
            self.entry = Some((self.stack.len(), state));
        }
        self.stack.push(Frame {
            start: span.start,
            renamed: rename.map(|r| (qname.to_owned(), r)),
            rule,
            text: field.filter(|f| f.captures()).map(|_| String::new()),
            field,
            ..Frame::default()
        });
        true
    }

    /// The root element: sets the document's kind; false (stop) when it is not a feed root.
    fn root(
        &mut self,
        ns: Ns,
        local: &str,
        tag: &BytesStart<'_>,
        span: Range<usize>,
        empty: bool,
    ) -> bool {
        let mut change = TagChange::default();
        self.default_ns = match local {
            "rss" => {
                if tags::attr(tag, "version").is_none() {
                    change.set.push(("version", "2.0"));
                }
                Some(Ns::Rss)
            }
            "RDF" => Some(Ns::Rss),
            "feed" => {
                let v03 = || tags::attr(tag, "version").is_some_and(|v| v.trim() == "0.3");
                self.atom03 = ns == Ns::Atom03 || (ns == Ns::Default && v03());
                Some(Ns::Atom)
            }
            _ => None,
        };
        if self.default_ns.is_none() {
            return false;
        }
        if let Some(with) = tags::rebuild(tag, empty, &change) {
            self.edits.replace(span.clone(), with);
        }
        self.stack.push(Frame {
            start: span.start,
            ..Frame::default()
        });
        !empty
    }

    fn text(&mut self, text: &str) -> bool {
        let Some(frame) = self.stack.last_mut() else {
            return true;
        };
        if !text.trim().is_empty() {
            frame.leading_text |= !frame.content;
            frame.content = true;
        }
        if let Some(captured) = &mut frame.text {
            if captured.len() + text.len() > CAPTURE_LIMIT {
                frame.text = None;
            } else {
                captured.push_str(text);
            }
        }
        true
    }

    fn end(&mut self, span: Range<usize>) -> bool {
        let Some(frame) = self.stack.pop() else {
            return false;
        };
        let whole = frame.start..span.end;
        let dropped = frame.rule.as_ref().is_some_and(|r| {
            r.drop
                || (r.drop_if_empty && !frame.content)
                || (r.needs_leading_text && !frame.leading_text)
        });
        if dropped {
            self.edits.drop(whole);
            return true;
        }
        if let Some((qname, rename)) = &frame.renamed {
            let with = tags::end_tag(qname, rename);
            self.edits.replace(span.clone(), with);
        }
        let depth = self.stack.len();
        match &mut self.entry {
            Some((at, entry)) if *at + 1 == depth => {
                if let Some(field) = frame.field {
                    entry.child(field, frame.text, whole, frame.content);
                }
            }
            Some((at, _)) if *at == depth => {
                if let Some((_, entry)) = self.entry.take() {
                    self.finish_entry(entry, span.start);
                }
            }
            _ => {}
        }
        true
    }

    fn finish_entry(&mut self, entry: EntryState, end_tag: usize) {
        let (insert, shadowed) = entry.finish();
        if let Some(range) = shadowed {
            self.edits.drop(range);
        }
        if !insert.is_empty() {
            self.edits.insert(end_tag, insert);
        }
    }
}

#[cfg(test)]
mod tests;
