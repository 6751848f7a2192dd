//! Excerpt/body → a short, clean summary (pure; used by every notifier).

use crate::post::Post;

/// How summaries are made.
#[derive(Debug, Clone)]
pub struct SummaryOptions {
    /// Budget in Unicode scalar values.
    pub max_chars: usize,
    pub style: crate::config::SummaryStyle,
}

/// The summary of a post: plain text within `opts.max_chars`.
pub fn summarize(post: &Post, opts: &SummaryOptions) -> String {
    let text = post.excerpt.clone().unwrap_or_default();
    text.chars().take(opts.max_chars).collect()
}
