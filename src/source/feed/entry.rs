//! One feed-rs entry → `Post`: key, plain title, author, link, categories, excerpt, body, image,
//! dates.

use feed_rs::model::{Content, Entry, FeedType, Link, Person, Text};
use url::Url;

use super::text::{absolute_http, collapse_whitespace, first_image, html_to_text};
use crate::model::{Post, PostKey};

/// What every entry of one feed shares.
pub(super) struct FeedContext<'a> {
    pub feed_type: FeedType,
    /// The URL the feed was fetched from (or its own link), for relative URLs.
    pub base: Option<&'a Url>,
    /// The feed's own authors: an entry without one inherits them (as Atom specifies).
    pub authors: &'a [Person],
}

impl FeedContext<'_> {
    fn is_rss(&self) -> bool {
        matches!(
            self.feed_type,
            FeedType::RSS0 | FeedType::RSS1 | FeedType::RSS2
        )
    }

    /// Plain text of a title: RSS titles and HTML-typed titles are HTML (tags stripped,
    /// entities decoded); text-typed Atom and JSON Feed titles only get whitespace collapsed.
    pub fn title_text(&self, title: &Text) -> String {
        let mime: &str = title.content_type.as_ref();
        if self.is_rss() || mime.contains("html") {
            html_to_text(&title.content)
        } else {
            collapse_whitespace(&title.content)
        }
    }
}

/// Maps one entry. `extra_image` is an image feed-rs does not model (JSON Feed `image`).
pub(super) fn to_post(mut entry: Entry, ctx: &FeedContext<'_>, extra_image: Option<&str>) -> Post {
    let title = entry
        .title
        .as_ref()
        .map(|t| ctx.title_text(t))
        .unwrap_or_default();
    let link = pick_link(&entry.links).and_then(|l| absolute_http(&l.href, ctx.base));
    // feed-rs ids are left empty when the entry has none (see the id_generator in `parse_feed`).
    let id = Some(entry.id.as_str()).filter(|id| !id.trim().is_empty());
    let key = PostKey::derive(id, link.as_deref(), &title);

    let excerpt = entry
        .summary
        .take()
        .map(|s| s.content)
        .filter(|s| !s.trim().is_empty());
    let body_html = entry
        .content
        .take()
        .and_then(content_html)
        .or_else(|| if ctx.is_rss() { excerpt.clone() } else { None });

    // Relative URLs inside the body are relative to the content's xml:base, else the post.
    let content_base = entry
        .base
        .as_deref()
        .and_then(|b| absolute_http(b, ctx.base))
        .or_else(|| link.clone())
        .and_then(|b| Url::parse(&b).ok());
    let content_base = content_base.as_ref().or(ctx.base);

    let image = media_image(&entry, ctx.base)
        .or_else(|| extra_image.and_then(|src| absolute_http(src, ctx.base)))
        .or_else(|| {
            body_html
                .as_deref()
                .and_then(|html| first_image(html, content_base))
        });

    let source_links = body_html
        .as_deref()
        .or(excerpt.as_deref())
        .map(|html| crate::links::extract_source_links(html, content_base.map(Url::as_str)))
        .unwrap_or_default();

    Post {
        key,
        title,
        author: author(&entry.authors).or_else(|| author(ctx.authors)),
        link,
        categories: categories(&entry),
        tags: Vec::new(),
        excerpt,
        feature_text: None,
        body_html,
        image,
        published: entry.published,
        updated: entry.updated,
        source_links,
    }
}

/// The first author's name (RSS `<author>`, Atom or JSON Feed author), else the first
/// `dc:creator`'s; an e-mail address when that is all there is.
fn author(people: &[Person]) -> Option<String> {
    let text = |p: &Person| {
        let name = p.name.as_deref().or(p.email.as_deref())?.trim();
        // RSS's `mail@example.com (Name)` leaves the name in its parentheses.
        let name = name
            .strip_prefix('(')
            .and_then(|n| n.strip_suffix(')'))
            .unwrap_or(name);
        Some(collapse_whitespace(name)).filter(|n| !n.is_empty())
    };
    let creator = |p: &&Person| p.role.as_deref() == Some("creator");
    let first = |creators: bool| {
        people
            .iter()
            .filter(|p| creator(p) == creators)
            .find_map(text)
    };
    first(false).or_else(|| first(true))
}

/// The alternate link (Atom's default rel), else the first link that is not a comments link.
fn pick_link(links: &[Link]) -> Option<&Link> {
    links
        .iter()
        .find(|l| l.target.is_none() && matches!(l.rel.as_deref(), None | Some("alternate")))
        .or_else(|| links.iter().find(|l| l.target.is_none()))
}

/// Category terms (labels when a term is empty), trimmed, deduplicated, in source order.
fn categories(entry: &Entry) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for category in &entry.categories {
        let name = match category.term.trim() {
            "" => category.label.as_deref().unwrap_or("").trim(),
            term => term,
        };
        if !name.is_empty() && !out.iter().any(|c| c == name) {
            out.push(name.to_owned());
        }
    }
    out
}

/// An entry's content as HTML: HTML/XHTML as given, plain text escaped.
fn content_html(content: Content) -> Option<String> {
    let body = content.body.filter(|b| !b.trim().is_empty())?;
    let mime = AsRef::<str>::as_ref(&content.content_type).to_ascii_lowercase();
    if mime.contains("html") {
        Some(body)
    } else if mime.starts_with("text/") {
        Some(html_escape::encode_text(&body).into_owned())
    } else {
        None
    }
}

/// media:thumbnail, else an image media:content or enclosure.
fn media_image(entry: &Entry, base: Option<&Url>) -> Option<String> {
    let thumbnail = entry
        .media
        .iter()
        .flat_map(|m| &m.thumbnails)
        .find_map(|t| absolute_http(&t.image.uri, base));
    thumbnail.or_else(|| {
        entry
            .media
            .iter()
            .flat_map(|m| &m.content)
            .filter(|c| {
                let url = c.url.as_ref().map(Url::path).unwrap_or("");
                match &c.content_type {
                    Some(mime) => AsRef::<str>::as_ref(mime)
                        .to_ascii_lowercase()
                        .starts_with("image/"),
                    None => looks_like_image(url),
                }
            })
            .find_map(|c| absolute_http(c.url.as_ref()?.as_str(), base))
    })
}

fn looks_like_image(path: &str) -> bool {
    let ext = path.rsplit_once('.').map_or("", |(_, ext)| ext);
    ["jpg", "jpeg", "png", "gif", "webp", "avif", "svg"]
        .iter()
        .any(|e| e.eq_ignore_ascii_case(ext))
}
