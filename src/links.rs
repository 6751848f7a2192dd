//! Source links credited in a post body: the original article (출처/Source/via) and the data source.

mod credit;
mod flatten;

use std::collections::HashSet;

use url::Url;

use crate::model::SourceLink;

/// Finds the credited links in an HTML body: the link or bare URL after a credit label
/// ("출처", "원문", "Source", "via" → original article; "자료출처", "데이터 출처", "Data" → data
/// source), in document order, deduplicated by URL, http(s) only. Relative URLs are resolved
/// against `base` (dropped without it); link texts have entities decoded and are trimmed.
pub fn extract_source_links(html: &str, base: Option<&str>) -> Vec<SourceLink> {
    let base = base.and_then(|b| Url::parse(b.trim()).ok());
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for found in credit::find(&flatten::lines(html)) {
        let Some((url, key)) = resolve(&found.url, base.as_ref()) else {
            continue;
        };
        if seen.insert(key) {
            out.push(SourceLink {
                url,
                text: found.text,
                kind: found.kind,
            });
        }
    }
    out
}

/// The URL to report and the key it is deduplicated by. An absolute ASCII URL is reported as
/// written; others as the parser serializes them (percent-encoded).
fn resolve(href: &str, base: Option<&Url>) -> Option<(String, String)> {
    let href = href.trim();
    let (url, written) = match Url::parse(href) {
        Ok(url) => (url, true),
        Err(url::ParseError::RelativeUrlWithoutBase) => (base?.join(href).ok()?, false),
        Err(_) => return None,
    };
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    let key = url.to_string();
    let shown = if written && href.is_ascii() && !href.contains(|c: char| c.is_ascii_whitespace()) {
        href.to_owned()
    } else {
        key.clone()
    };
    Some((shown, key))
}

#[cfg(test)]
mod tests;
