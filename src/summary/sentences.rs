//! Sentence splitting for Korean and English news text: ends at `. ? !` (and `。？！`) with their
//! closing quotes and brackets (`했다."`, `밝혔다.’`), never inside numbers (3.5%, 2024.11.24,
//! "2024. 11. 24."), after abbreviations and initials (U.S., Dr., No., J.), before a lower-case
//! word, or inside quotes and brackets. Seams where a feed glued pieces together without a space
//! also split: a sentence end right before Hangul ("따돌렸다.경기를") and a quote opening right
//! after a word (a deck headline run into the lede: "시장 공략“탁 트인…").

/// Abbreviations after which a period never ends a sentence.
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "no", "nos", "vol", "gen", "gov", "sen",
    "rep", "lt", "col", "capt", "sgt", "mt", "fig", "vs", "v", "cf", "approx", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ave", "rd", "dept", "univ",
    "est", "op", "pp", "ed", "eds",
];

/// Abbreviations that end a sentence only when a capitalised word follows.
const SUFFIXES: &[&str] = &["inc", "corp", "co", "ltd", "llc", "plc", "etc", "bros"];

const TERMINATORS: &[char] = &['.', '?', '!', '。', '？', '！'];

/// The sentences of one block of text, trimmed, in order.
pub(crate) fn split(text: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    split_with(text, &chars, true)
        .unwrap_or_else(|| split_with(text, &chars, false).unwrap_or_else(|| vec![text.trim()]))
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect()
}

/// True when `s` ends with a sentence terminator (closing quotes and brackets aside).
pub(crate) fn is_terminated(s: &str) -> bool {
    let t = s.trim_end().trim_end_matches(is_closer).trim_end();
    t.ends_with(TERMINATORS) && !t.ends_with("..")
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | ')' | ']' | '}' | '」' | '』' | '》' | '〉' | '】'
    )
}

/// Splits `text`; with `nest`, not inside quotes or brackets, and `None` when they do not balance.
fn split_with<'a>(text: &'a str, chars: &[(usize, char)], nest: bool) -> Option<Vec<&'a str>> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut straight_open = false;
    let mut start = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if depth == 0 && !straight_open && opens_after_word(chars, i) {
            let at = chars[i].0;
            out.push(text[start..at].trim());
            start = at;
        }
        if nest {
            track(c, &mut depth, &mut straight_open);
        }
        if !TERMINATORS.contains(&c) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && TERMINATORS.contains(&chars[j].1) {
            j += 1;
        }
        let run = &chars[i..j];
        let ellipsis = run.len() >= 3 && run.iter().all(|&(_, x)| x == '.');
        while j < chars.len() && is_closer(chars[j].1) {
            if nest {
                close(chars[j].1, &mut depth, &mut straight_open);
            }
            j += 1;
        }
        let cjk = matches!(chars[j - 1].1, '。' | '？' | '！');
        let spaced = j == chars.len() || chars[j].1.is_whitespace() || glued_hangul(chars, i, j);
        let boundary = !ellipsis
            && depth == 0
            && !straight_open
            && (spaced || cjk)
            && !(run.len() == 1 && c == '.' && period_continues(chars, i, j));
        if boundary {
            let end = chars.get(j).map_or(text.len(), |&(b, _)| b);
            out.push(text[start..end].trim());
            start = end;
        }
        i = j;
    }
    if nest && (depth != 0 || straight_open) {
        return None;
    }
    out.push(text[start..].trim());
    Some(out)
}

/// A curly quote opening right after a letter or digit: the seam of a deck headline run into
/// the text after it ("공략“탁").
fn opens_after_word(chars: &[(usize, char)], i: usize) -> bool {
    matches!(chars[i].1, '“' | '‘')
        && i > 0
        && super::tokens::is_word_char(chars[i - 1].1)
        && chars
            .get(i + 1)
            .is_some_and(|&(_, c)| super::tokens::is_word_char(c))
}

/// A single terminator between Hangul syllables with no space ("따돌렸다.경기를"): two sentences
/// glued together, never a number or an abbreviation.
fn glued_hangul(chars: &[(usize, char)], dot: usize, after: usize) -> bool {
    let hangul = |c: char| ('\u{AC00}'..='\u{D7A3}').contains(&c);
    after == dot + 1
        && dot > 0
        && hangul(chars[dot - 1].1)
        && chars.get(after).is_some_and(|&(_, c)| hangul(c))
}

fn track(c: char, depth: &mut usize, straight_open: &mut bool) {
    match c {
        '(' | '[' | '{' | '「' | '『' | '《' | '〈' | '【' | '“' | '‘' => *depth += 1,
        '"' => *straight_open = !*straight_open,
        c if is_closer(c) => close(c, depth, straight_open),
        _ => {}
    }
}

fn close(c: char, depth: &mut usize, straight_open: &mut bool) {
    match c {
        '"' => *straight_open = false,
        '\'' => {}
        _ => *depth = depth.saturating_sub(1),
    }
}

/// Whether the period at `dot` (followed by closers up to `after`) is inside a sentence.
fn period_continues(chars: &[(usize, char)], dot: usize, after: usize) -> bool {
    let next = chars[after..]
        .iter()
        .map(|&(_, c)| c)
        .find(|c| !c.is_whitespace());
    let Some(next) = next else {
        return false;
    };
    if next.is_ascii_lowercase() {
        return true;
    }
    let word_start = chars[..dot]
        .iter()
        .rposition(|&(_, c)| c.is_whitespace() || matches!(c, '(' | '[' | '"' | '“' | '‘'))
        .map_or(0, |p| p + 1);
    let word: String = chars[word_start..dot].iter().map(|&(_, c)| c).collect();
    if word.is_empty() {
        return false;
    }
    if word.chars().all(|c| c.is_ascii_digit()) {
        // "2024. 11. 24." — a date written with spaces.
        let prev_word_is_number = chars[..word_start]
            .iter()
            .rev()
            .skip_while(|(_, c)| c.is_whitespace())
            .take_while(|(_, c)| !c.is_whitespace())
            .all(|(_, c)| c.is_ascii_digit() || *c == '.');
        return next.is_ascii_digit() || (word_start > 0 && prev_word_is_number && word.len() <= 2);
    }
    let lower = word.to_ascii_lowercase();
    let acronym = word.contains('.') && word.chars().all(|c| c.is_alphabetic() || c == '.');
    if acronym || TITLES.contains(&lower.as_str()) {
        return true;
    }
    if word.chars().count() == 1 && word.chars().all(|c| c.is_ascii_uppercase()) {
        return true;
    }
    SUFFIXES.contains(&lower.as_str()) && !next.is_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_endings_and_quotes() {
        let text = "관세청은 회의를 열었다. 그는 “협력이 중요합니다.”라고 말했다. “양국은 합의했다.” 이어 ‘불법 거래를 막겠다.’고 밝혔다.’ 다음 문장이다?! 끝";
        assert_eq!(
            split(text),
            vec![
                "관세청은 회의를 열었다.",
                "그는 “협력이 중요합니다.”라고 말했다.",
                "“양국은 합의했다.”",
                "이어 ‘불법 거래를 막겠다.’고 밝혔다.’",
                "다음 문장이다?!",
                "끝",
            ]
        );
    }

    #[test]
    fn numbers_dates_and_abbreviations() {
        let text = "금리는 3.5%로 2024.11.24 발표됐다. 발표일은 2024. 11. 24. 오전이다. The U.S. economy grew 2.8%. Dr. Kim met No. 2 officials at 9 a.m. today. Apple Inc. said so. Apple Inc. The end.";
        assert_eq!(
            split(text),
            vec![
                "금리는 3.5%로 2024.11.24 발표됐다.",
                "발표일은 2024. 11. 24. 오전이다.",
                "The U.S. economy grew 2.8%.",
                "Dr. Kim met No. 2 officials at 9 a.m. today.",
                "Apple Inc. said so.",
                "Apple Inc.",
                "The end.",
            ]
        );
    }

    #[test]
    fn brackets_and_unbalanced_quotes() {
        assert_eq!(
            split("회의(예정. 변경 가능)는 열린다. 다음이다."),
            vec!["회의(예정. 변경 가능)는 열린다.", "다음이다."]
        );
        assert_eq!(
            split("그는 \"말했다. 끝났다. 정말이다."),
            vec!["그는 \"말했다.", "끝났다.", "정말이다."]
        );
        assert_eq!(
            split("Wait... what? 좋다… 그렇다"),
            vec!["Wait... what?", "좋다… 그렇다"]
        );
    }

    #[test]
    fn terminated() {
        assert!(is_terminated("밝혔다.’"));
        assert!(is_terminated("했다.\" "));
        assert!(!is_terminated("양국 간 교…"));
        assert!(!is_terminated("제목"));
        assert!(!is_terminated("양국 간 교..."));
        assert!(!is_terminated("양국 간 교[…]"));
    }
}
