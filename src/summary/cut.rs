//! Where a source cut its teaser: a cut inside a tag or an entity made visible as a cut mark, and
//! the whole words left before a cut, without a broken last word, a dangling quote or bracket.

use std::borrow::Cow;

/// Longest tag or entity text looked at when deciding whether the source cut one off.
const MAX_BROKEN: usize = 2048;

/// Entities news feeds use, any prefix of which at the very end is an entity cut off.
#[rustfmt::skip]
const ENTITIES: &[&str] = &[
    "amp;", "lt;", "gt;", "quot;", "apos;", "nbsp;", "middot;", "hellip;", "ldquo;", "rdquo;",
    "lsquo;", "rsquo;",
];

/// Characters that may end a cut fragment but never a summary: separators and cut marks.
const TRAILING: &str = ",;:·-–—/|….‥⋯・ㆍ";

/// `src` with a tag or entity cut off at its end (`<span style="co`, `&am`) replaced by "…".
pub(crate) fn mark_broken_end(src: &str) -> Cow<'_, str> {
    let t = src.trim_end();
    match broken_end(t) {
        Some(at) => Cow::Owned(format!("{}…", t[..at].trim_end())),
        None => Cow::Borrowed(src),
    }
}

/// Byte index where an unfinished tag or entity starts at the end of `t`.
fn broken_end(t: &str) -> Option<usize> {
    let window = t.len().saturating_sub(MAX_BROKEN);
    let lt = t.rfind('<').filter(|&i| i >= window);
    if let Some(lt) = lt {
        let after = &t[lt + 1..];
        // A tag opens with a letter or "!"; a closing one with "/" and a letter (or the cut).
        // A tag the end cut off lies on the last line: text on a line after it goes on.
        let mut chars = after.chars();
        let opens = match chars.next() {
            Some('/') => chars.next().is_none_or(|c| c.is_ascii_alphabetic()),
            Some(c) => c.is_ascii_alphabetic() || c == '!',
            None => false,
        };
        if opens && !after.contains(['>', '\n']) {
            return Some(lt);
        }
    }
    let amp = t.rfind('&').filter(|&i| t.len() - i <= 12)?;
    let name = &t[amp + 1..];
    let entity_like = name.strip_prefix('#').map_or_else(
        || ENTITIES.iter().any(|e| e.starts_with(name)),
        |digits| digits.bytes().all(|b| b.is_ascii_hexdigit() || b == b'x'),
    );
    entity_like.then_some(amp)
}

/// The whole words of `rest`, the text before a cut mark: its last word dropped unless a space
/// shows it is whole, and nothing that cannot end a summary left at the end (separators, marks,
/// an opening quote or bracket that the cut left unclosed).
pub(crate) fn whole_words(rest: &str) -> &str {
    let rest = rest.trim_end_matches(|c: char| TRAILING.contains(c));
    let whole = if rest.ends_with(char::is_whitespace) {
        rest
    } else {
        rest.rfind(char::is_whitespace).map_or("", |i| &rest[..i])
    };
    let mut whole = trim_end(whole);
    while let Some(open) = unclosed_opener(whole) {
        let before = trim_end(&whole[..open]);
        if !before.chars().any(char::is_alphanumeric) {
            // Nothing before the quote: keep the words inside it, without the quote.
            let inside = &whole[open..];
            let skip = inside.chars().next().map_or(0, char::len_utf8);
            return trim_end(&inside[skip..]);
        }
        whole = before;
    }
    whole
}

fn trim_end(s: &str) -> &str {
    s.trim_end_matches(|c: char| c.is_whitespace() || TRAILING.contains(c) || is_opener(c))
}

fn is_opener(c: char) -> bool {
    matches!(
        c,
        '(' | '[' | '{' | '「' | '『' | '《' | '〈' | '【' | '“' | '‘'
    )
}

fn closer_of(c: char) -> char {
    match c {
        '(' => ')',
        '[' => ']',
        '{' => '}',
        '「' => '」',
        '『' => '』',
        '《' => '》',
        '〈' => '〉',
        '【' => '】',
        '“' => '”',
        _ => '’',
    }
}

/// Byte index of the last opening quote or bracket of `s` that nothing closes, or of an odd
/// straight double quote.
fn unclosed_opener(s: &str) -> Option<usize> {
    let mut stack: Vec<(usize, char)> = Vec::new();
    let mut straight: Option<usize> = None;
    for (i, c) in s.char_indices() {
        if is_opener(c) {
            stack.push((i, closer_of(c)));
        } else if c == '"' {
            straight = if straight.is_some() { None } else { Some(i) };
        } else if let Some(pos) = stack.iter().rposition(|&(_, close)| close == c) {
            stack.truncate(pos);
        }
    }
    let bracket = stack.last().map(|&(i, _)| i);
    match (bracket, straight) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_tags_and_entities_become_a_cut_mark() {
        assert_eq!(mark_broken_end("양국 간의 <span style=\"co"), "양국 간의…");
        assert_eq!(mark_broken_end("양국 간의 교역 &am"), "양국 간의 교역…");
        assert_eq!(mark_broken_end("양국 간의 교역 &#4"), "양국 간의 교역…");
        assert_eq!(mark_broken_end("a < b 이다."), "a < b 이다.");
        assert_eq!(mark_broken_end("양국 간의 </sp"), "양국 간의…");
        assert_eq!(mark_broken_end("양국 간의 </"), "양국 간의…");
        // "</" before a line break opens no tag, and a "<" on an earlier line is no cut tag.
        assert_eq!(mark_broken_end("다. .</\n```"), "다. .</\n```");
        assert_eq!(mark_broken_end("다. <![CDATA[\n```"), "다. <![CDATA[\n```");
        assert_eq!(mark_broken_end("AT&T 실적"), "AT&T 실적");
        assert_eq!(mark_broken_end("R&D"), "R&D");
        assert_eq!(mark_broken_end("한&amp;일 &quo"), "한&amp;일…");
        assert_eq!(mark_broken_end("<b>완결</b>"), "<b>완결</b>");
    }

    #[test]
    fn whole_words_drop_broken_words_and_dangling_openers() {
        assert_eq!(whole_words("양국 간 교"), "양국 간");
        assert_eq!(whole_words("양국 간 "), "양국 간");
        assert_eq!(whole_words("그는 “협력이 중요하"), "그는");
        assert_eq!(whole_words("“협력이 중요하"), "협력이");
        assert_eq!(whole_words("회의(RCEP 활용 방"), "회의");
        assert_eq!(whole_words("회의(RCEP) 활용, 방"), "회의(RCEP) 활용");
        assert_eq!(whole_words("그는 \"좋다\" 고 말"), "그는 \"좋다\" 고");
        assert_eq!(whole_words("단어"), "");
    }
}
