//! The character budget: what a sentence costs in each style (separators and "• " bullets
//! counted), rendering, and cutting one over-long sentence at a clause or word boundary with "…".

use super::sentences;
use crate::config::SummaryStyle;

/// Korean connective endings after which a clause may end ("…하며", "…했고", "…위해").
const CONNECTIVES: &[char] = &['며', '고', '서', '면', '데', '만', '나', '여', '해'];

/// Lines of a `Lines` summary at most.
const MAX_LINES: usize = 3;

/// Characters spent so far against `max`, counted in Unicode scalar values.
#[derive(Debug, Clone)]
pub(crate) struct Budget {
    max: usize,
    used: usize,
    count: usize,
    style: SummaryStyle,
    /// Whether the last piece ends in a sentence terminator (else " · " separates the next).
    last_terminated: bool,
}

impl Budget {
    pub(crate) fn new(max: usize, style: SummaryStyle) -> Budget {
        Budget {
            max,
            used: 0,
            count: 0,
            style,
            last_terminated: true,
        }
    }

    /// Characters the next piece costs beyond its own text.
    fn overhead(&self) -> usize {
        match (self.style, self.count) {
            (SummaryStyle::Sentences, 0) => 0,
            (SummaryStyle::Sentences, _) if self.last_terminated => 1,
            (SummaryStyle::Sentences, _) => 3,
            (SummaryStyle::Lines, 0) => 2,
            (SummaryStyle::Lines, _) => 3,
        }
    }

    /// Longest text the next piece may have.
    pub(crate) fn room(&self) -> usize {
        self.max.saturating_sub(self.used + self.overhead())
    }

    pub(crate) fn fits(&self, chars: usize) -> bool {
        let full = self.style == SummaryStyle::Lines && self.count >= MAX_LINES;
        !full && chars <= self.room()
    }

    /// Spends a piece of `chars` characters that is (or is not) a terminated sentence.
    pub(crate) fn take(&mut self, chars: usize, terminated: bool) {
        self.used += self.overhead() + chars;
        self.count += 1;
        self.last_terminated = terminated;
    }

    pub(crate) fn count(&self) -> usize {
        self.count
    }

    /// Whether the summary says enough: a third of the budget, or three lines.
    pub(crate) fn enough(&self) -> bool {
        match self.style {
            SummaryStyle::Sentences => self.used * 3 >= self.max,
            SummaryStyle::Lines => self.count >= MAX_LINES,
        }
    }
}

/// The pieces laid out in `style`: sentences joined by spaces (" · " after a piece that is not a
/// terminated sentence, such as a list item), or lines starting "• ".
pub(crate) fn render<S: AsRef<str>>(pieces: &[S], style: SummaryStyle) -> String {
    let mut out = String::new();
    for (i, p) in pieces.iter().enumerate() {
        match style {
            SummaryStyle::Sentences if i > 0 && !sentences::is_terminated(&out) => {
                out.push_str(" · ")
            }
            SummaryStyle::Sentences if i > 0 => out.push(' '),
            SummaryStyle::Sentences => {}
            SummaryStyle::Lines if i > 0 => out.push_str("\n• "),
            SummaryStyle::Lines => out.push_str("• "),
        }
        out.push_str(p.as_ref());
    }
    out
}

/// `text` shortened to at most `limit` characters ending in "…", cut at a clause boundary in the
/// second half of the room, else at the last word boundary; `None` when no whole word fits.
pub(crate) fn cut(text: &str, limit: usize) -> Option<String> {
    if text.chars().count() <= limit {
        return Some(text.to_owned());
    }
    let keep = limit.checked_sub(1)?;
    let mut clause: Option<(usize, usize)> = None;
    let mut word: Option<usize> = None;
    let mut prev: Option<char> = None;
    for (k, (byte, c)) in text.char_indices().enumerate() {
        if k > keep {
            break;
        }
        if c.is_whitespace() && prev.is_some_and(|p| !p.is_whitespace()) {
            word = Some(byte);
            let ends_clause = prev.is_some_and(|p| {
                matches!(p, ',' | ';' | ':' | '，' | '、') || CONNECTIVES.contains(&p)
            });
            if ends_clause {
                clause = Some((byte, k));
            }
        }
        prev = Some(c);
    }
    let end = match clause {
        Some((byte, k)) if k * 2 >= keep => byte,
        _ => word?,
    };
    let kept = text[..end]
        .trim_end_matches(|c: char| c.is_whitespace() || ",;:·-–—(“‘\"'[，、".contains(c));
    if !kept.chars().any(char::is_alphanumeric) {
        return None;
    }
    Some(format!("{kept}…"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_counts_separators_and_bullets() {
        let mut b = Budget::new(20, SummaryStyle::Lines);
        assert_eq!(b.room(), 18);
        b.take(5, true);
        assert_eq!(b.room(), 10);
        assert!(!b.enough());
        b.take(1, true);
        b.take(1, false);
        assert!(b.enough());
        assert!(!b.fits(1));
        let mut s = Budget::new(30, SummaryStyle::Sentences);
        s.take(9, true);
        assert!(!s.enough());
        assert_eq!(s.room(), 20);
        s.take(1, false);
        assert!(s.enough());
        assert_eq!(s.room(), 30 - 11 - 3);
        assert_eq!(render(&["가.", "나."], SummaryStyle::Lines), "• 가.\n• 나.");
        assert_eq!(render(&["가.", "나."], SummaryStyle::Sentences), "가. 나.");
        assert_eq!(
            render(&["가", "나", "다."], SummaryStyle::Sentences),
            "가 · 나 · 다."
        );
    }

    #[test]
    fn cuts_at_clause_then_word() {
        let s = "이번 회의는 7년 만에 진행되었으며, 양국 간의 교역 활성화가 주된 목표다.";
        assert_eq!(
            cut(s, 30).as_deref(),
            Some("이번 회의는 7년 만에 진행되었으며…")
        );
        assert_eq!(cut(s, 14).as_deref(), Some("이번 회의는 7년 만에…"));
        assert_eq!(
            cut("The quick brown fox jumps.", 12).as_deref(),
            Some("The quick…")
        );
        assert_eq!(cut("Supercalifragilistic words", 10), None);
        assert_eq!(cut("짧다.", 10).as_deref(), Some("짧다."));
        assert_eq!(cut("a b", 0), None);
    }
}
