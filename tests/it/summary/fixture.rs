//! Loads summary fixtures: Jekyll-style posts (YAML front matter, then a markdown or HTML body)
//! into `Post`s the way a source would hand them over (markdown bodies rendered to HTML).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use sokbo::model::Post;

#[derive(Deserialize, Default)]
#[serde(default)]
struct FrontMatter {
    title: String,
    excerpt: Option<String>,
    feature_text: Option<String>,
}

/// Directory of the summary fixtures.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/summary")
}

/// Every fixture file, sorted by name.
pub fn all() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("fixture dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "html")))
        .collect();
    files.sort();
    files
}

/// The fixture `name` (a file in the fixture directory) as a `Post`.
pub fn load(name: &str) -> Post {
    load_path(&dir().join(name))
}

pub fn load_path(path: &Path) -> Post {
    let text = std::fs::read_to_string(path).expect("read fixture");
    let rest = text.strip_prefix("---\n").expect("front matter start");
    let end = rest.find("\n---\n").expect("front matter end");
    let fm: FrontMatter = serde_saphyr::from_str(&rest[..end]).expect("front matter yaml");
    let body = &rest[end + 5..];
    let body_html = if path.extension().and_then(|e| e.to_str()) == Some("md") {
        let opts = pulldown_cmark::Options::ENABLE_TABLES
            | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
            | pulldown_cmark::Options::ENABLE_FOOTNOTES;
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(body, opts));
        html
    } else {
        body.to_owned()
    };
    Post {
        title: fm.title,
        excerpt: fm.excerpt,
        feature_text: fm.feature_text,
        body_html: (!body.trim().is_empty()).then_some(body_html),
        ..Post::default()
    }
}
