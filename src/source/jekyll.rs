//! Markdown/HTML files with YAML front matter → Post (permalink, image, 출처 links).

use std::path::Path;

use crate::post::Post;

/// What a directory source knows about its site.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// Base for links and images, e.g. "https://news.example.com".
    pub site_url: Option<String>,
    /// Jekyll permalink pattern; "date" (Jekyll's default) when unset.
    pub permalink: Option<String>,
    pub timezone: chrono_tz::Tz,
}

#[derive(Debug, thiserror::Error)]
pub enum JekyllError {
    #[error("{path}: {message}")]
    FrontMatter { path: String, message: String },
}

/// True for the files a post directory holds: `*.md`, `*.markdown`, `*.html`.
pub fn is_post_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown" | "html")
    )
}

/// Parses one post file's text.
pub fn parse_post(path: &Path, text: &str, site: &SiteOptions, _t: Option<chrono::DateTime<chrono::Utc>>) -> Result<Option<Post>, JekyllError> {
    let _ = (text, site);
    Err(JekyllError::FrontMatter {
        path: path.display().to_string(),
        message: "not implemented yet".into(),
    })
}
