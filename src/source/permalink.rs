//! Jekyll permalinks: built-in styles, `:placeholder` expansion, slugify and URL path escaping.

use chrono::DateTime;
use chrono_tz::Tz;

/// What a post contributes to its URL.
#[derive(Debug, Clone)]
pub struct UrlParts<'a> {
    /// Categories as the post has them (`:categories` lower-cases and deduplicates them).
    pub categories: &'a [String],
    /// Front matter `slug`, else the file name after the date, else the file stem.
    pub slug: &'a str,
    /// The file name without its extension.
    pub basename: &'a str,
    /// The path relative to the post directory, without extension, '/'-separated.
    pub path: &'a str,
    /// The post date in the site's time zone; date placeholders are empty without it.
    pub date: Option<DateTime<Tz>>,
    /// ".html" for rendered posts.
    pub output_ext: &'a str,
}

/// A permalink template names a placeholder Jekyll does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown placeholder `:{0}` in permalink {1:?}")]
pub struct UnknownPlaceholder(pub String, pub String);

/// The template of a site-wide permalink setting: a built-in style name or a custom pattern.
pub fn style_template(style: &str) -> &str {
    match style.trim() {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        custom => custom,
    }
}

/// Expands `template` into a site-relative, percent-encoded URL path, as Jekyll's `URL#to_s`.
pub fn expand(template: &str, parts: &UrlParts) -> Result<String, UnknownPlaceholder> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(colon) = rest.find(':') {
        out.push_str(&rest[..colon]);
        let after = &rest[colon + 1..];
        let name_len = after
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
            .count();
        if name_len == 0 {
            out.push(':');
            rest = after;
            continue;
        }
        let name = &after[..name_len];
        // Jekyll reads "/:month_:day" as `:month` followed by "_".
        let (value, tail) = match placeholder(name, parts) {
            Some(v) => (v, ""),
            None => match name.strip_suffix('_').and_then(|n| placeholder(n, parts)) {
                Some(v) => (v, "_"),
                None => {
                    return Err(UnknownPlaceholder(name.to_owned(), template.to_owned()));
                }
            },
        };
        out.push_str(&escape_path(&value));
        out.push_str(tail);
        rest = &after[name_len..];
    }
    out.push_str(rest);
    Ok(sanitize(&escape_path(&out)))
}

fn placeholder(name: &str, p: &UrlParts) -> Option<String> {
    let date = |format: &str| {
        p.date
            .map(|d| d.format(format).to_string())
            .unwrap_or_default()
    };
    Some(match name {
        "year" => date("%Y"),
        "month" => date("%m"),
        "day" => date("%d"),
        "hour" => date("%H"),
        "minute" => date("%M"),
        "second" => date("%S"),
        "i_day" => date("%-d"),
        "i_month" => date("%-m"),
        "short_month" => date("%b").to_uppercase(),
        "long_month" => date("%B"),
        "short_year" => date("%y"),
        "w_year" => date("%G"),
        "week" => date("%V"),
        "w_day" => date("%u"),
        "short_day" => date("%a").to_uppercase(),
        "long_day" => date("%A"),
        "y_day" => date("%j"),
        "title" => slugify(p.slug, Mode::Pretty, true),
        "slug" => slugify(p.slug, Mode::Default, false),
        "name" => slugify(p.basename, Mode::Default, false),
        "categories" => join_unique(p.categories.iter().map(|c| c.to_lowercase())),
        "slugified_categories" => join_unique(
            p.categories
                .iter()
                .map(|c| slugify(c, Mode::Default, false)),
        ),
        "output_ext" => p.output_ext.to_owned(),
        "collection" => "posts".to_owned(),
        "path" => format!("/{}", p.path),
        _ => return None,
    })
}

fn join_unique(items: impl Iterator<Item = String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for item in items {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen.join("/")
}

/// Jekyll's slugify modes used by permalinks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Letters and digits kept, everything else becomes '-'.
    Default,
    /// Also keeps `._~!$&'()+,;=@`.
    Pretty,
}

/// Jekyll's `Utils.slugify`: runs of other characters become one '-', a leading and a trailing
/// '-' are dropped, and the result is lower-cased unless `cased`.
pub fn slugify(text: &str, mode: Mode, cased: bool) -> String {
    let keep =
        |c: char| c.is_alphanumeric() || (mode == Mode::Pretty && "._~!$&'()+,;=@".contains(c));
    let mut slug = String::with_capacity(text.len());
    let mut in_run = false;
    for c in text.chars() {
        if keep(c) {
            slug.push(c);
            in_run = false;
        } else if !in_run {
            slug.push('-');
            in_run = true;
        }
    }
    let slug = slug.strip_prefix('-').unwrap_or(&slug);
    let slug = slug.strip_suffix('-').unwrap_or(slug);
    if cased {
        slug.to_owned()
    } else {
        slug.to_lowercase()
    }
}

/// Percent-encodes what may not stand in a URL path (non-ASCII, spaces, `?`, `#`, …); keeps
/// RFC 3986 `pchar`s, '/' and existing `%XX` escapes.
pub fn escape_path(path: &str) -> String {
    const KEEP: &[u8] = b"-._~!$&'()*+,;=:@/";
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    for (i, &b) in bytes.iter().enumerate() {
        let escaped_already = b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if b.is_ascii_alphanumeric() || KEEP.contains(&b) || escaped_already {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Jekyll's `URL#sanitize_url`: leading '/', no "..", no "./", no repeated '/'.
fn sanitize(url: &str) -> String {
    let url = format!("/{url}").replace("..", "/").replace("./", "");
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests;
