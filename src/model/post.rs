//! Post, PostKey, source links and Alert: the values that flow from sources to notifiers.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a source yields: one post, as parsed, before any state or summary.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Post {
    /// Stable identity within its feed: guid/id, else link, else a hash of title+link.
    pub key: PostKey,
    /// Plain text title (entities decoded, no markup).
    pub title: String,
    /// The byline as the source gives it (a feed's author, else `dc:creator`), plain text.
    #[serde(default)]
    pub author: Option<String>,
    /// Absolute link to the post.
    pub link: Option<String>,
    /// Categories in source order, deduplicated, trimmed.
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    /// The excerpt as the source gives it (front matter `excerpt`, feed summary/description);
    /// may still hold HTML, markdown or entities.
    pub excerpt: Option<String>,
    /// Front matter `feature_text` (markdown), when present.
    pub feature_text: Option<String>,
    /// The body as HTML (markdown bodies are rendered to HTML by the source).
    pub body_html: Option<String>,
    /// Absolute image URL.
    pub image: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    /// Original article and data sources credited in the body.
    pub source_links: Vec<SourceLink>,
}

/// Identity of a post within one feed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PostKey(pub String);

impl PostKey {
    /// guid/id, else link, else a hash of title+link (never empty).
    pub fn derive(id: Option<&str>, link: Option<&str>, title: &str) -> PostKey {
        let pick = |s: Option<&str>| {
            s.map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        if let Some(id) = pick(id) {
            return PostKey(id);
        }
        if let Some(link) = pick(link) {
            return PostKey(link);
        }
        let mut hasher = blake3::Hasher::new();
        hasher.update(title.as_bytes());
        hasher.update(b"\0");
        hasher.update(link.unwrap_or("").as_bytes());
        PostKey(format!("hash:{}", &hasher.finalize().to_hex()[..32]))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A link credited in a post body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLink {
    pub url: String,
    pub text: String,
    pub kind: SourceKind,
}

/// Which kind of credit a source link is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// The original article ("출처:", "Source:", "via").
    Original,
    /// Where the data came from ("자료출처", "Data:").
    Data,
}

/// What a notifier delivers: a post made ready to show, with its summary.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Alert {
    pub feed: String,
    pub key: PostKey,
    pub title: String,
    pub link: Option<String>,
    pub source_links: Vec<SourceLink>,
    pub categories: Vec<String>,
    pub summary: String,
    pub image: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub breaking: bool,
    /// A notice about the feed itself (it fails, works again, was paused), not a post: shown
    /// as a short plain message.
    #[serde(default)]
    pub notice: bool,
    /// The feed's title to show instead of its name (chat-added feeds, named by a digest).
    #[serde(default)]
    pub feed_title: Option<String>,
}

impl Alert {
    /// What the alert shows as its feed: its title when it has one, else its name.
    pub fn feed_label(&self) -> &str {
        self.feed_title.as_deref().unwrap_or(&self.feed)
    }

    /// The original article credited by the post, if any.
    pub fn original_source(&self) -> Option<&SourceLink> {
        self.source_links
            .iter()
            .find(|s| s.kind == SourceKind::Original)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_prefers_id_then_link_then_hash() {
        assert_eq!(
            PostKey::derive(Some(" g1 "), Some("l"), "t"),
            PostKey("g1".into())
        );
        assert_eq!(
            PostKey::derive(Some(""), Some("https://x/1"), "t"),
            PostKey("https://x/1".into())
        );
        let a = PostKey::derive(None, None, "제목");
        assert!(a.as_str().starts_with("hash:"));
        assert_eq!(a, PostKey::derive(None, None, "제목"));
        assert_ne!(a, PostKey::derive(None, None, "다른 제목"));
    }
}
