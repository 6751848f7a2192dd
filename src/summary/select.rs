//! Which sentences make the summary: the lead's whole sentences; its unfinished sentence taken
//! whole from the body; a lead too short continued with the body sentences after it, or, when the
//! lead is not in the body, with the body's most central sentences in their original order.

use super::doc::{self, Lead, Sentence};
use super::fit::{self, Budget};
use super::{SummaryOptions, credits, cut, rank};
use crate::model::Post;

/// Body sentences considered at most (news puts what matters first).
const MAX_BODY: usize = 120;
/// Body sentences ranked at most.
const MAX_RANKED: usize = 60;
/// Characters of a lead sentence's key looked for in the body.
const OPENING: usize = 24;
/// Shortest key that identifies a sentence in the body.
const MIN_OPENING: usize = 8;
/// Sentences scoring below this share of the best one are not picked to fill the budget.
const MIN_RELATIVE_SCORE: f32 = 0.4;
/// Body sentences shorter than this are not picked by rank.
const MIN_PICK_CHARS: usize = 12;

/// The summary text of `post`.
pub(crate) fn summarize(post: &Post, opts: &SummaryOptions) -> String {
    let title_key = doc::key(&credits::strip_credits(&super::plain_text(&post.title)));
    let lead = doc::lead(post, &title_key);
    let mut body: Option<Vec<Sentence>> = None;
    let load = || {
        let mut b = post
            .body_html
            .as_deref()
            .map(|html| doc::sentences(&cut::mark_broken_end(html), &title_key))
            .unwrap_or_default();
        // A sentence its source cut off is no candidate: only its completion in the body is.
        b.retain(|s| s.terminated || !doc::ends_cut(&s.text));
        b.truncate(MAX_BODY);
        b
    };
    let mut pick = Picker::new(opts);

    for s in &lead.complete {
        if !pick.add(s) {
            return pick.finish();
        }
    }
    let mut anchor = None;
    if let Some(tail) = &lead.tail {
        let b = body.get_or_insert_with(load);
        // A body sentence that is itself unfinished is the same cut fragment (an RSS body is
        // the teaser again): it completes nothing.
        match find(b, &tail.sentence.key).filter(|&i| b[i].terminated || !tail.cut) {
            Some(i) => {
                anchor = Some(i);
                if !pick.add(&b[i]) {
                    return pick.finish();
                }
            }
            None if !tail.cut && !pick.add(&tail.sentence) => return pick.finish(),
            None => {}
        }
    }
    if pick.budget.enough() {
        return pick.finish();
    }
    let b = body.get_or_insert_with(load);
    if anchor.is_none() {
        anchor = lead.complete.last().and_then(|s| find(b, &s.key));
    }
    match anchor {
        Some(a) => continue_after(&mut pick, &b[a + 1..]),
        None => add_central(&mut pick, b, &focus(post, &lead)),
    }
    if pick.pieces.is_empty()
        && let Some(tail) = lead.tail.as_ref().filter(|t| t.cut)
    {
        // Only a fragment cut by its source is left: its whole words, marked as cut.
        let room = pick.budget.room();
        let marked = format!("{}…", tail.sentence.text);
        if let Some(text) = fit::cut(&marked, room) {
            pick.budget.take(text.chars().count(), false);
            pick.pieces.push(text);
        }
    }
    pick.finish()
}

/// Index of the body sentence holding the opening of the sentence keyed `key`.
fn find(body: &[Sentence], key: &str) -> Option<usize> {
    let end = key
        .char_indices()
        .nth(OPENING)
        .map_or(key.len(), |(b, _)| b);
    let opening = &key[..end];
    if opening.chars().count() < MIN_OPENING {
        return None;
    }
    body.iter().position(|s| s.key.contains(opening))
}

fn continue_after(pick: &mut Picker, rest: &[Sentence]) {
    for s in rest.iter().filter(|s| s.terminated) {
        if pick.budget.enough() || pick.is_dup(s) {
            continue;
        }
        if !pick.add(s) {
            break;
        }
    }
}

/// Adds the body's most central sentences that fit, in their original order.
fn add_central(pick: &mut Picker, body: &[Sentence], focus: &str) {
    let ranked = &body[..body.len().min(MAX_RANKED)];
    let texts: Vec<&str> = ranked.iter().map(|s| s.text.as_str()).collect();
    let scores = rank::scores(&texts, focus);
    let mut order: Vec<usize> = (0..ranked.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let any_terminated = ranked.iter().any(|s| s.terminated);
    let usable = |s: &Sentence| s.terminated || !any_terminated;
    let floor = order
        .first()
        .map_or(0.0, |&i| scores[i] * MIN_RELATIVE_SCORE);
    let mut budget = pick.budget.clone();
    let mut chosen: Vec<usize> = Vec::new();
    for &i in &order {
        let s = &ranked[i];
        if budget.enough() {
            break;
        }
        let dup = pick.is_dup(s) || chosen.iter().any(|&c| same(&ranked[c], s));
        if scores[i] < floor {
            break;
        }
        if usable(s) && s.chars >= MIN_PICK_CHARS && !dup && budget.fits(s.chars) {
            budget.take(s.chars, s.terminated);
            chosen.push(i);
        }
    }
    if chosen.is_empty() && pick.pieces.is_empty() {
        // Nothing fits whole: the most central sentence, cut.
        if let Some(&best) = order.iter().find(|&&i| usable(&ranked[i])) {
            pick.add(&ranked[best]);
        }
        return;
    }
    chosen.sort_unstable();
    for i in chosen {
        pick.add(&ranked[i]);
    }
}

fn focus(post: &Post, lead: &Lead) -> String {
    let mut f = super::plain_text(&post.title);
    for s in lead
        .complete
        .iter()
        .chain(lead.tail.as_ref().map(|t| &t.sentence))
    {
        f.push(' ');
        f.push_str(&s.text);
    }
    f
}

fn same(a: &Sentence, b: &Sentence) -> bool {
    a.key.contains(&b.key) || b.key.contains(&a.key)
}

/// The pieces chosen so far and what they spent.
struct Picker {
    budget: Budget,
    pieces: Vec<String>,
    keys: Vec<String>,
    style: crate::config::SummaryStyle,
}

impl Picker {
    fn new(opts: &SummaryOptions) -> Picker {
        Picker {
            budget: Budget::new(opts.max_chars, opts.style),
            pieces: Vec::new(),
            keys: Vec::new(),
            style: opts.style,
        }
    }

    fn is_dup(&self, s: &Sentence) -> bool {
        self.keys
            .iter()
            .any(|k| k.contains(&s.key) || s.key.contains(k.as_str()))
    }

    /// Adds `s` when it fits; the first piece is cut to fit when it alone is too long.
    /// Returns whether `s` went in whole.
    fn add(&mut self, s: &Sentence) -> bool {
        if self.budget.fits(s.chars) {
            self.budget.take(s.chars, s.terminated);
            self.pieces.push(s.text.clone());
            self.keys.push(s.key.clone());
            return true;
        }
        if self.pieces.is_empty()
            && let Some(text) = fit::cut(&s.text, self.budget.room())
        {
            self.budget.take(text.chars().count(), false);
            self.pieces.push(text);
            self.keys.push(s.key.clone());
        }
        false
    }

    fn finish(self) -> String {
        debug_assert!(self.budget.count() == self.pieces.len());
        fit::render(&self.pieces, self.style)
    }
}
