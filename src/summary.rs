//! Excerpt/body → a short, clean summary (pure; used by every notifier): plain text within a
//! character budget, made of whole sentences, without markup, boilerplate or the title repeated.
//!
//! The lead (excerpt, else feature_text) is kept when it says enough; a sentence its source cut
//! off is completed from the body; a lead missing, too short or not found in the body is filled
//! with the body's most central sentences (TextRank over Korean-aware terms). [`llm`] adds an
//! optional abstractive mode that falls back to this.

mod boiler;
mod clean;
mod credits;
mod cut;
mod doc;
mod fit;
mod html;
pub mod llm;
mod markdown;
mod prompt;
mod rank;
mod residue;
mod select;
mod sentences;
mod tokens;

pub use clean::plain_text;

use crate::model::Post;

/// How summaries are made.
#[derive(Debug, Clone)]
pub struct SummaryOptions {
    /// Budget in Unicode scalar values.
    pub max_chars: usize,
    pub style: crate::config::SummaryStyle,
}

/// The summary of a post: plain text within `opts.max_chars`.
///
/// `Sentences` gives whole sentences separated by spaces; `Lines` up to three lines, each
/// starting "• ". A "…" appears only where one sentence alone is longer than the budget (cut at a
/// clause or word boundary), or where the only text is an excerpt its source cut off.
pub fn summarize(post: &Post, opts: &SummaryOptions) -> String {
    select::summarize(post, opts)
}

/// Longest excerpt, in characters, that counts as a teaser when its source did not mark a cut.
const TEASER_CHARS: usize = 600;

/// Whether the feed gave only a teaser of `post`: no body beyond its excerpt, and an excerpt
/// that is short or that its source cut off.
pub fn is_teaser(post: &Post) -> bool {
    let body_is_excerpt = match (&post.body_html, &post.excerpt) {
        (None, _) => true,
        (Some(body), Some(excerpt)) => body == excerpt,
        (Some(_), None) => false,
    };
    if !body_is_excerpt {
        return false;
    }
    let text = plain_text(post.excerpt.as_deref().unwrap_or_default());
    text.chars().count() < TEASER_CHARS || doc::ends_cut(&text)
}
