//! Names derived from a post file: its key path, its fallback title, its absolute image URL.

use std::path::{Component, Path};

/// Jekyll's `titleize_slug`: "hello-world" → "Hello World".
pub fn titleize(slug: &str) -> String {
    let words: Vec<String> = slug
        .split('-')
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect();
    words.join(" ")
}

/// The relative path without the extension, '/'-separated.
pub fn key_path(rel_path: &Path, stem: &str) -> String {
    let mut parts: Vec<String> = rel_path
        .parent()
        .map(|p| {
            p.components()
                .filter_map(|c| match c {
                    Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    parts.push(stem.to_owned());
    parts.join("/")
}

/// An image path made absolute against the site URL; absolute URLs are kept.
pub fn absolute(site_url: Option<&str>, image: &str) -> String {
    let lower = image.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return image.to_owned();
    }
    let joined = match (image.strip_prefix("//"), site_url) {
        (Some(_), Some(base)) => {
            let scheme = base.split_once("://").map_or("https", |(s, _)| s);
            format!("{scheme}:{image}")
        }
        (Some(_), None) => format!("https:{image}"),
        (None, Some(base)) => format!("{base}/{}", image.trim_start_matches('/')),
        (None, None) => return image.to_owned(),
    };
    url::Url::parse(&joined).map_or(joined, String::from)
}
