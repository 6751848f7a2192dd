//! Per-entry fallbacks: what an RSS item or Atom entry lacks, filled from what it has, as
//! elements inserted before its end tag (so feed-rs reads them as its own): a permalink guid
//! as the link, `dc:title` as the title, `dc:date` as the date, `dc:creator` as the author.

use std::ops::Range;

use super::tags::{Ns, escape};

/// The children of an entry the pass looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Title,
    Link,
    /// RSS `pubDate`, Atom `published` (or Atom 0.3 `issued`).
    Date,
    Author,
    Guid(Guid),
    DcTitle,
    DcDate,
    DcCreator,
}

/// What an RSS guid says about being the item's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Guid {
    /// `isPermaLink="true"`: the link, resolved against the feed if relative.
    Permalink,
    /// No `isPermaLink`: the spec's default is a permalink; taken when it is an http(s) URL.
    Implicit,
    /// `isPermaLink="false"`.
    NotALink,
}

impl Field {
    /// The field an entry's direct child is, by its effective namespace and local name.
    /// `is_permalink` is asked only for a guid.
    pub fn of(
        atom: bool,
        ns: Ns,
        local: &str,
        is_permalink: impl FnOnce() -> Option<String>,
    ) -> Option<Field> {
        let field = match (ns, local) {
            (Ns::Dc, "title") => Field::DcTitle,
            (Ns::Dc, "date") => Field::DcDate,
            (Ns::Dc, "creator") => Field::DcCreator,
            (Ns::Atom, "title") if atom => Field::Title,
            (Ns::Atom, "published" | "issued") if atom => Field::Date,
            (Ns::Atom, "author") if atom => Field::Author,
            (Ns::Rss, "title") if !atom => Field::Title,
            (Ns::Rss, "link") if !atom => Field::Link,
            (Ns::Rss, "pubDate") if !atom => Field::Date,
            (Ns::Rss, "guid") if !atom => {
                Field::Guid(match is_permalink().as_deref().map(str::trim) {
                    Some(v) if v.eq_ignore_ascii_case("true") => Guid::Permalink,
                    Some(v) if v.eq_ignore_ascii_case("false") => Guid::NotALink,
                    _ => Guid::Implicit,
                })
            }
            _ => return None,
        };
        Some(field)
    }

    /// Whether the pass needs the field's text (not only whether it has some).
    pub fn captures(self) -> bool {
        matches!(
            self,
            Field::Guid(_) | Field::DcTitle | Field::DcDate | Field::DcCreator
        )
    }
}

/// One open entry.
#[derive(Debug, Default)]
pub(super) struct EntryState {
    atom: bool,
    /// Prefix of the entry's qualified name (`"rss:"` or `""`), for inserted children.
    prefix: String,
    has_title: bool,
    has_link: bool,
    has_date: bool,
    has_author: bool,
    guid: Option<(Guid, String)>,
    dc_title: Option<String>,
    dc_date: Option<(String, Range<usize>)>,
    dc_creator: Option<String>,
}

impl EntryState {
    pub fn new(atom: bool, prefix: &str) -> EntryState {
        EntryState {
            atom,
            prefix: prefix.to_owned(),
            ..EntryState::default()
        }
    }

    pub fn is_atom(&self) -> bool {
        self.atom
    }

    /// A closed child: `text` is its captured text (for fields that capture), `span` the whole
    /// element, `has_content` whether it held any text or child element.
    pub fn child(
        &mut self,
        field: Field,
        text: Option<String>,
        span: Range<usize>,
        has_content: bool,
    ) {
        let text = text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        match field {
            Field::Title => self.has_title |= has_content,
            Field::Link => self.has_link |= has_content,
            Field::Date => self.has_date |= has_content,
            Field::Author => self.has_author |= has_content,
            Field::Guid(kind) => self.guid = text.map(|t| (kind, t)).or(self.guid.take()),
            Field::DcTitle => self.dc_title = self.dc_title.take().or(text),
            Field::DcDate => self.dc_date = self.dc_date.take().or(text.map(|t| (t, span))),
            Field::DcCreator => self.dc_creator = self.dc_creator.take().or(text),
        }
    }

    /// What to insert before the entry's end tag, and an element to drop (a `dc:date` that
    /// feed-rs would let override an RSS `pubDate`).
    pub fn finish(self) -> (String, Option<Range<usize>>) {
        let mut out = String::new();
        let mut element = |name: &str, text: &str| {
            let p = &self.prefix;
            out.push_str(&format!("<{p}{name}>{}</{p}{name}>", escape(text)));
        };
        if let (false, Some(title)) = (self.has_title, &self.dc_title) {
            element("title", title);
        }
        if self.atom {
            if let (false, Some((date, _))) = (self.has_date, &self.dc_date) {
                element("published", date);
            }
            if let (false, Some(name)) = (self.has_author, &self.dc_creator) {
                let p = &self.prefix;
                out.push_str(&format!(
                    "<{p}author><{p}name>{}</{p}name></{p}author>",
                    escape(name)
                ));
            }
            return (out, None);
        }
        if let (false, Some(link)) = (self.has_link, self.guid_link()) {
            element("link", link);
        }
        // feed-rs reads dc:creator and dc:date of RSS items itself; a dc:date after a pubDate
        // would replace it.
        let shadowed = self
            .has_date
            .then(|| self.dc_date.as_ref().map(|(_, span)| span.clone()));
        (out, shadowed.flatten())
    }

    fn guid_link(&self) -> Option<&str> {
        match &self.guid {
            Some((Guid::Permalink, guid)) => Some(guid),
            Some((Guid::Implicit, guid)) => url::Url::parse(guid)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .map(|_| guid.as_str()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(children: &[(Field, &str)]) -> EntryState {
        let mut entry = EntryState::default();
        for (i, (field, text)) in children.iter().enumerate() {
            let span = i * 10..i * 10 + 5;
            entry.child(
                *field,
                Some(text.to_string()),
                span,
                !text.trim().is_empty(),
            );
        }
        entry
    }

    #[test]
    fn guid_becomes_the_link_only_as_a_permalink() {
        let implicit = Field::Guid(Guid::Implicit);
        let url = "https://a.example/1?x=1&y=2";
        assert_eq!(
            item(&[(implicit, url)]).finish().0,
            "<link>https://a.example/1?x=1&amp;y=2</link>"
        );
        assert_eq!(item(&[(implicit, "post-1")]).finish().0, "");
        assert_eq!(
            item(&[(Field::Guid(Guid::Permalink), "/p/1")]).finish().0,
            "<link>/p/1</link>"
        );
        assert_eq!(item(&[(Field::Guid(Guid::NotALink), url)]).finish().0, "");
        assert_eq!(item(&[(Field::Link, "x"), (implicit, url)]).finish().0, "");
    }

    #[test]
    fn dublin_core_fills_gaps_only() {
        let rss = item(&[
            (Field::DcTitle, " 제목 <1> "),
            (Field::Date, "Tue, 14 Nov 2023 09:00:00 +0900"),
            (Field::DcDate, "2023-11-14"),
        ]);
        assert_eq!(
            rss.finish(),
            ("<title>제목 &lt;1&gt;</title>".into(), Some(20..25))
        );
        let atom_entry = item(&[
            (Field::Title, "t"),
            (Field::DcTitle, "ignored"),
            (Field::DcDate, "2023-11-14T09:00:00Z"),
            (Field::DcCreator, "홍길동"),
        ]);
        let atom = EntryState {
            atom: true,
            prefix: "a:".into(),
            ..atom_entry
        };
        assert_eq!(
            atom.finish(),
            (
                "<a:published>2023-11-14T09:00:00Z</a:published>\
                 <a:author><a:name>홍길동</a:name></a:author>"
                    .into(),
                None
            )
        );
    }
}
