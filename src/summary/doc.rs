//! A post's text as candidate sentences: clean blocks (headings left out), boilerplate lines and
//! sentences removed, inline credits stripped, repetitions of the title dropped; and the lead
//! (excerpt, else feature_text) with the sentence its source cut off ("…양국 간 교…") set apart.

use super::tokens::{is_word_char, push_lower};
use super::{boiler, clean, credits, cut, residue, sentences};
use crate::model::Post;

/// Marks a source puts where it cut the text (longest first where one ends another).
const CUT_MARKS: &[&str] = &[
    "[…]",
    "[...]",
    "(…)",
    "(...)",
    "…",
    "...",
    "..",
    "···",
    "··",
    "⋯",
    "‥",
    "・・・",
    "ㆍㆍㆍ",
];

/// One candidate sentence.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sentence {
    pub text: String,
    /// Lower-cased letters and digits only: for matching text worded with other spacing.
    pub key: String,
    pub terminated: bool,
    pub chars: usize,
    /// Unfinished and followed by more text in its block: a deck headline run into the lede.
    pub deck: bool,
}

impl Sentence {
    pub(crate) fn new(text: &str) -> Sentence {
        Sentence {
            key: key(text),
            terminated: sentences::is_terminated(text),
            chars: text.chars().count(),
            text: text.to_owned(),
            deck: false,
        }
    }
}

/// The lead of a post: its whole sentences, and the last one when it is unfinished.
#[derive(Debug, Default)]
pub(crate) struct Lead {
    pub complete: Vec<Sentence>,
    pub tail: Option<Tail>,
}

/// An unterminated last lead sentence; `cut` when the source cut it off (its last word, possibly
/// partial, is then already removed).
#[derive(Debug)]
pub(crate) struct Tail {
    pub sentence: Sentence,
    pub cut: bool,
}

/// Lower-cased letters and digits of `s`.
pub(crate) fn key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|&c| is_word_char(c)) {
        push_lower(c, &mut out);
    }
    out
}

/// The candidate sentences of `input` (HTML and/or markdown), in order.
pub(crate) fn sentences(input: &str, title_key: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    for block in clean::blocks(input) {
        if block.heading {
            continue;
        }
        let mut text = String::new();
        for line in block.lines.iter().filter(|l| !boilerplate_line(l)) {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(line);
        }
        let text = credits::strip_credits(&residue::strip(&text));
        let pieces = sentences::split(&text);
        let last = pieces.len().saturating_sub(1);
        for (n, s) in pieces.into_iter().enumerate() {
            if boiler::is_boilerplate(s) || residue::is_byline(s) || residue::is_notice(s) {
                continue;
            }
            if let Some(rest) = without_title(s, title_key) {
                let mut sentence = Sentence::new(rest);
                sentence.deck = n < last && !sentence.terminated;
                out.push(sentence);
            }
        }
    }
    out
}

/// A line that is boilerplate as a whole; lines holding several sentences are judged per sentence.
fn boilerplate_line(line: &str) -> bool {
    let several = [". ", "? ", "! ", ".” ", ".\" "]
        .iter()
        .any(|m| line.contains(m));
    !several && boiler::is_boilerplate(line)
}

/// `s` without a leading copy of the title; `None` when it is nothing but the title.
fn without_title<'a>(s: &'a str, title_key: &str) -> Option<&'a str> {
    let wanted = title_key.chars().count();
    if wanted < 4 {
        return Some(s);
    }
    let mut matched = 0;
    let mut title = title_key.chars();
    for (byte, c) in s.char_indices() {
        if matched == wanted {
            if c.is_alphanumeric() {
                // The title ends inside a word: not a copy of it.
                return Some(s);
            }
            let rest = s[byte..]
                .trim_start_matches(|c: char| !c.is_alphanumeric() && !"“‘\"'([「『".contains(c));
            return rest.chars().any(char::is_alphanumeric).then_some(rest);
        }
        if !is_word_char(c) {
            continue;
        }
        let mut lower = String::new();
        push_lower(c, &mut lower);
        let same = lower.chars().all(|l| title.next() == Some(l));
        if !same {
            return Some(s);
        }
        matched += 1;
    }
    (matched != wanted).then_some(s)
}

/// The lead: the excerpt's sentences, else feature_text's.
pub(crate) fn lead(post: &Post, title_key: &str) -> Lead {
    let sources = [post.excerpt.as_deref(), post.feature_text.as_deref()];
    for src in sources.into_iter().flatten() {
        let lead = lead_of(src, title_key);
        if !lead.complete.is_empty() || lead.tail.is_some() {
            return lead;
        }
    }
    Lead::default()
}

fn lead_of(src: &str, title_key: &str) -> Lead {
    let src = cut::mark_broken_end(src);
    let mut complete = sentences(&src, title_key);
    let tail = match complete.last() {
        Some(last) if !last.terminated => complete.pop().and_then(|s| tail_of(&s.text)),
        _ => None,
    };
    complete.retain(|s| !s.deck);
    Lead { complete, tail }
}

/// Whether `text` ends with a mark its source put where it cut the text.
pub(crate) fn ends_cut(text: &str) -> bool {
    CUT_MARKS.iter().any(|m| text.ends_with(m))
}

fn tail_of(text: &str) -> Option<Tail> {
    let marked = CUT_MARKS
        .iter()
        .find_map(|m| text.strip_suffix(m).map(|rest| (rest, m)));
    let Some((rest, _)) = marked else {
        return Some(Tail {
            sentence: Sentence::new(text),
            cut: false,
        });
    };
    let whole = cut::whole_words(rest);
    whole.chars().any(char::is_alphanumeric).then(|| Tail {
        sentence: Sentence::new(whole),
        cut: true,
    })
}
