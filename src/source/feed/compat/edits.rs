//! The edits the compatibility pass collects (replace, insert, drop a byte range), and the
//! document with them applied.

use std::borrow::Cow;
use std::ops::Range;

/// Replace `range` of the document with `with`.
#[derive(Debug, PartialEq)]
struct Edit {
    range: Range<usize>,
    with: String,
}

#[derive(Debug, Default)]
pub(super) struct Edits(Vec<Edit>);

impl Edits {
    pub fn replace(&mut self, range: Range<usize>, with: String) {
        self.0.push(Edit { range, with });
    }

    pub fn insert(&mut self, at: usize, with: String) {
        self.replace(at..at, with);
    }

    /// Drops `range`, and with it every edit inside.
    pub fn drop(&mut self, range: Range<usize>) {
        self.0
            .retain(|e| e.range.end <= range.start || e.range.start >= range.end);
        self.replace(range, String::new());
    }

    /// `text` with the edits applied in document order (borrowed when there are none); an edit
    /// overlapping an earlier one, or outside `text`, is skipped.
    pub fn apply(self, text: &str) -> Cow<'_, str> {
        let mut edits = self.0;
        if edits.is_empty() {
            return Cow::Borrowed(text);
        }
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        let added: usize = edits.iter().map(|e| e.with.len()).sum();
        let mut out = String::with_capacity(text.len() + added);
        let mut last = 0;
        for edit in edits {
            let (Some(before), Some(_)) = (
                text.get(last..edit.range.start),
                text.get(edit.range.clone()),
            ) else {
                continue;
            };
            out.push_str(before);
            out.push_str(&edit.with);
            last = edit.range.end;
        }
        out.push_str(text.get(last..).unwrap_or(""));
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_in_order_and_skips_overlaps() {
        let mut edits = Edits::default();
        edits.insert(9, "!".into());
        edits.replace(0..1, "<".into());
        edits.replace(4..6, "XY".into());
        edits.drop(3..7);
        edits.replace(5..8, "overlaps the drop, pushed after it".into());
        edits.replace(8..99, "past the end".into());
        assert_eq!(edits.apply("abcdefghij"), "<bchi!j");
        assert_eq!(Edits::default().apply("x"), Cow::Borrowed("x"));
    }
}
