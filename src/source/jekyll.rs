//! Markdown/HTML files with YAML front matter → Post (permalink, image, 출처 links).

use std::borrow::Cow;
use std::path::Path;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

mod names;

use self::names::{absolute, key_path, titleize};
use super::front_matter::{self, FrontMatter, Published, Text, YamlError};
use super::permalink::{self, UrlParts};
use super::post_date::{parse_date, split_dated_stem};
use crate::links::extract_source_links;
use crate::model::{Post, PostKey};

/// What a directory source knows about its site.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// Base for links and images, e.g. "https://news.example.com" (Jekyll's url + baseurl).
    pub site_url: Option<String>,
    /// Jekyll permalink style (date, pretty, ordinal, weekdate, none) or pattern; "date" when unset.
    pub permalink: Option<String>,
    /// Zone of dates written without an offset, and of the dates in permalinks.
    pub timezone: Tz,
}

impl Default for SiteOptions {
    fn default() -> Self {
        SiteOptions {
            site_url: None,
            permalink: None,
            timezone: chrono_tz::Asia::Seoul,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JekyllError {
    /// The front matter is not valid YAML, not a mapping, or never closed.
    #[error("{path}: invalid front matter{}: {message}", at(*.line, *.column))]
    FrontMatter {
        path: String,
        message: String,
        /// 1-based line in the file, when known.
        line: Option<u64>,
        column: Option<u64>,
    },
    /// A date in the front matter or the file name that is not a date.
    #[error("{path}: invalid date in {field}: {value:?}")]
    Date {
        path: String,
        field: &'static str,
        value: String,
    },
    /// The permalink template names an unknown placeholder.
    #[error("{path}: {message}")]
    Permalink { path: String, message: String },
}

fn at(line: Option<u64>, column: Option<u64>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(" at line {l}, column {c}"),
        (Some(l), None) => format!(" at line {l}"),
        _ => String::new(),
    }
}

const MARKDOWN_EXTS: &[&str] = &["md", "markdown", "mkd", "mkdn", "mkdown", "txt"];
const HTML_EXTS: &[&str] = &["html", "htm"];

/// True for the files a post directory holds (`*.md`, `*.markdown`, `*.html`, `*.htm`, `*.txt`,
/// and Jekyll's other markdown extensions); false for hidden files, names Jekyll skips
/// (`_…`, `#…`, `~…`, `…~`) and editor temporaries (`.swp`, `.#…`, vim's `4913`).
pub fn is_post_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name.starts_with(['.', '_', '#', '~']) || name.ends_with('~') {
        return false;
    }
    let ext = extension(path);
    MARKDOWN_EXTS.contains(&ext.as_str()) || HTML_EXTS.contains(&ext.as_str())
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Parses one post file. `rel_path` is relative to the post directory (it gives the key, the
/// date and the slug); `file_time` (the file's mtime) is the date of last resort.
/// `Ok(None)` when the file has no front matter (Jekyll copies it as a static file) or says
/// `published: false`.
pub fn parse_post(
    rel_path: &Path,
    text: &str,
    site: &SiteOptions,
    file_time: Option<DateTime<Utc>>,
) -> Result<Option<Post>, JekyllError> {
    let shown = rel_path.to_string_lossy().into_owned();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text: Cow<str> = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    };
    let yaml_error = |e: YamlError| JekyllError::FrontMatter {
        path: shown.clone(),
        message: e.message,
        line: e.line,
        column: e.column,
    };
    let Some(split) = front_matter::split(&text).map_err(yaml_error)? else {
        return Ok(None);
    };
    let fm = front_matter::parse(split.yaml, 2).map_err(yaml_error)?;
    if fm.published == Some(Published(false)) {
        return Ok(None);
    }

    let stem = rel_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dated = split_dated_stem(&stem);
    let slug = non_empty(&fm.slug)
        .map(str::to_owned)
        .unwrap_or_else(|| dated.map_or(stem.as_str(), |(_, s)| s).to_owned());
    let slug = slug.trim_end_matches('.');

    let date_error = |field, value: &str| JekyllError::Date {
        path: shown.clone(),
        field,
        value: value.to_owned(),
    };
    let tz = site.timezone;
    let published = match (non_empty(&fm.date), dated) {
        (Some(d), _) => Some(parse_date(d, tz).ok_or_else(|| date_error("`date`", d))?),
        (None, Some((d, _))) => Some(parse_date(d, tz).ok_or_else(|| date_error("file name", d))?),
        (None, None) => file_time,
    };
    let updated = match non_empty(&fm.last_modified_at) {
        Some(d) => Some(parse_date(d, tz).ok_or_else(|| date_error("`last_modified_at`", d))?),
        None => None,
    };

    let FrontMatter {
        title,
        categories,
        category,
        tags,
        tag,
        excerpt,
        feature_text,
        image,
        permalink: fm_permalink,
        ..
    } = fm;
    let categories = clean_list(
        categories
            .map(|w| w.split())
            .into_iter()
            .chain(category.map(|w| w.whole()))
            .flatten(),
    );
    let tags = clean_list(
        tags.map(|w| w.split())
            .into_iter()
            .chain(tag.map(|w| w.whole()))
            .flatten(),
    );
    let title = match title.as_ref().map(|t| t.0.trim()).filter(|t| !t.is_empty()) {
        Some(t) => html_escape::decode_html_entities(t).into_owned(),
        None => titleize(slug),
    };

    let body_html = render_body(split.body, &extension(rel_path));
    let site_url = site
        .site_url
        .as_deref()
        .map(|u| u.trim().trim_end_matches('/'))
        .filter(|u| !u.is_empty());

    let key_path = key_path(rel_path, &stem);
    let template = match non_empty(&fm_permalink) {
        Some(p) => p,
        None => permalink::style_template(site.permalink.as_deref().unwrap_or("date")),
    };
    let parts = UrlParts {
        categories: &categories,
        slug,
        basename: &stem,
        path: &key_path,
        date: published.map(|d| d.with_timezone(&tz)),
        output_ext: ".html",
    };
    let url_path = permalink::expand(template, &parts).map_err(|e| JekyllError::Permalink {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    let link = format!("{}{url_path}", site_url.unwrap_or(""));
    let image = image
        .and_then(|i| i.0)
        .map(|i| i.trim().to_owned())
        .filter(|i| !i.is_empty())
        .map(|i| absolute(site_url, &i));
    let source_links = extract_source_links(
        &body_html,
        Some(link.as_str()).filter(|_| site_url.is_some()),
    );

    Ok(Some(Post {
        key: PostKey(format!("file:{key_path}")),
        title,
        author: None,
        link: Some(link),
        categories,
        tags,
        excerpt: trimmed(excerpt),
        feature_text: trimmed(feature_text),
        body_html: Some(body_html),
        image,
        published,
        updated,
        source_links,
    }))
}

fn non_empty(text: &Option<Text>) -> Option<&str> {
    text.as_ref().map(|t| t.0.trim()).filter(|t| !t.is_empty())
}

fn trimmed(text: Option<Text>) -> Option<String> {
    non_empty(&text).map(str::to_owned)
}

/// Trimmed, non-empty, first occurrence kept.
fn clean_list(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let item = item.trim();
        if !item.is_empty() && !out.iter().any(|o| o == item) {
            out.push(item.to_owned());
        }
    }
    out
}

/// Markdown bodies rendered to HTML (raw HTML passes through); HTML bodies kept as they are.
fn render_body(body: &str, ext: &str) -> String {
    if HTML_EXTS.contains(&ext) {
        return body.to_owned();
    }
    use pulldown_cmark::{Options, Parser, html};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut out = String::with_capacity(body.len() + body.len() / 4);
    html::push_html(&mut out, Parser::new_ext(body, options));
    out
}

#[cfg(test)]
mod tests;
