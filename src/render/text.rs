//! Plain-text shaping shared by the renderers: one-line fields, cleaned blocks, and shortening to a
//! UTF-16 budget at a sentence or word boundary with "…".

use super::Labels;
use super::telegram::html::utf16_len;
use crate::model::Alert;

const ELLIPSIS: char = '…';

/// `s` with every run of whitespace and control characters turned into one space, trimmed.
pub(crate) fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `s` with `\r\n`/`\r` as `\n`, control characters other than `\n` and `\t` dropped, trailing
/// spaces cut from each line, at most one blank line in a row, and no leading/trailing blank lines.
pub(crate) fn clean_block(s: &str) -> String {
    let unified = s.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<String> = Vec::new();
    for line in unified.split('\n') {
        let line: String = line
            .chars()
            .filter(|&c| c == '\t' || !c.is_control())
            .collect();
        let line = line.trim_end().to_owned();
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// The longest prefix of `s` within `max` UTF-16 units, cut between chars.
pub(crate) fn clip(s: &str, max: usize) -> &str {
    let mut units = 0;
    for (idx, c) in s.char_indices() {
        units += c.len_utf16();
        if units > max {
            return &s[..idx];
        }
    }
    s
}

/// `s` unchanged when it fits in `max` UTF-16 units; else a prefix ending at a sentence end (or a
/// line end) when that keeps at least half the room, else at a word end on the same condition,
/// else at a char boundary, followed by "…", all within `max`.
pub(crate) fn shorten(s: &str, max: usize) -> String {
    if utf16_len(s) <= max {
        return s.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    let room = max - 1;
    let hard = clip(s, room);
    let mut sentence = None;
    let mut word = None;
    let mut units = 0;
    let mut prev: Option<char> = None;
    for (idx, c) in hard.char_indices() {
        if c.is_whitespace() {
            word = Some((idx, units));
            if c == '\n' || prev.is_some_and(ends_sentence) {
                sentence = Some((idx, units));
            }
        }
        units += c.len_utf16();
        prev = Some(c);
    }
    let next = s[hard.len()..].chars().next();
    if next.is_some_and(char::is_whitespace) {
        word = Some((hard.len(), units));
        if next == Some('\n') || prev.is_some_and(ends_sentence) {
            sentence = Some((hard.len(), units));
        }
    }
    let half = room.div_ceil(2);
    let cut = [sentence, word]
        .into_iter()
        .flatten()
        .find(|&(_, kept)| kept >= half)
        .map_or(hard.len(), |(idx, _)| idx);
    let kept = s[..cut].trim_end_matches(|c: char| c.is_whitespace() || ",;:·-–—".contains(c));
    let kept = if kept.is_empty() {
        hard.trim_end()
    } else {
        kept
    };
    format!("{kept}{ELLIPSIS}")
}

/// `raw` as a normalized absolute http(s) URL.
pub(crate) fn http_url(raw: &str) -> Option<String> {
    let url = url::Url::parse(raw.trim()).ok()?;
    let web =
        matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty());
    web.then(|| url.to_string())
}

/// `#tag`: letters, ASCII digits and `_` kept, other runs turned into one `_`, ends trimmed.
pub(crate) fn hashtag(category: &str, max: usize) -> Option<String> {
    let mut tag = String::new();
    for c in category.chars() {
        if c.is_alphabetic() || c.is_ascii_digit() {
            tag.push(c);
        } else if !tag.is_empty() && !tag.ends_with('_') {
            tag.push('_');
        }
    }
    let tag = clip(&tag, max).trim_end_matches('_');
    (!tag.is_empty()).then(|| format!("#{tag}"))
}

/// A source link's text on one line, or the host of its URL when it has none.
pub(crate) fn source_text(text: &str, url: Option<&str>) -> String {
    let text = one_line(text);
    if !text.is_empty() {
        return text;
    }
    url.and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default()
}

/// "Read" → post, "Source" → original article: valid http(s) URLs of at most `max_url` bytes,
/// the source left out when it is the post itself.
pub(crate) fn link_buttons(
    alert: &Alert,
    labels: &Labels,
    max_url: usize,
) -> Vec<(String, String)> {
    let fits = |u: &String| u.len() <= max_url;
    let post = alert.link.as_deref().and_then(http_url).filter(fits);
    let source = alert
        .original_source()
        .and_then(|s| http_url(&s.url))
        .filter(fits)
        .filter(|u| Some(u) != post.as_ref());
    [(labels.read, post), (labels.source, source)]
        .into_iter()
        .filter_map(|(label, url)| url.map(|u| (label.to_owned(), u)))
        .collect()
}

fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '。' | '！' | '？' | '…')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_unchanged() {
        assert_eq!(shorten("짧은 글", 4), "짧은 글");
        assert_eq!(shorten("abc", 0), "");
    }

    #[test]
    fn prefers_a_sentence_end_then_a_word_end() {
        let s = "첫 문장입니다. 둘째 문장은 조금 더 깁니다. 셋째";
        assert_eq!(shorten(s, 20), "첫 문장입니다. 둘째 문장은 조금…");
        assert_eq!(shorten(s, 14), "첫 문장입니다.…");
        assert_eq!(
            shorten(s, 27),
            "첫 문장입니다. 둘째 문장은 조금 더 깁니다.…"
        );
        assert_eq!(shorten("one two three four", 12), "one two…");
        assert_eq!(shorten("3.5% rise in rates today", 10), "3.5% rise…");
        assert_eq!(shorten("3.5% rise in rates today", 9), "3.5%…");
    }

    #[test]
    fn a_line_end_is_a_sentence_end() {
        let s = "• 첫째 항목 내용\n• 둘째 항목 내용이 길어요";
        assert_eq!(shorten(s, 16), "• 첫째 항목 내용…");
    }

    #[test]
    fn no_boundary_in_the_second_half_cuts_between_chars() {
        assert_eq!(shorten("가나다라마바사아자차카타파하", 6), "가나다라마…");
        assert_eq!(shorten("a 🔴🔴🔴🔴🔴", 7), "a 🔴🔴…");
        assert_eq!(shorten("🔴🔴", 2), "…");
    }

    #[test]
    fn trailing_separators_are_dropped_before_the_ellipsis() {
        assert_eq!(shorten("하나, 둘, 셋, 넷, 다섯", 10), "하나, 둘, 셋…");
    }

    #[test]
    fn always_within_budget() {
        let mut rng = fastrand::Rng::with_seed(3);
        let alphabet: Vec<char> = "가a .!\n🔴,\t".chars().collect();
        for _ in 0..3000 {
            let s: String = (0..rng.usize(0..60))
                .map(|_| alphabet[rng.usize(0..alphabet.len())])
                .collect();
            let max = rng.usize(0..70);
            let out = shorten(&s, max);
            assert!(utf16_len(&out) <= max, "{s:?} {max} -> {out:?}");
            if utf16_len(&s) <= max {
                assert_eq!(out, s);
            } else if max > 0 {
                assert!(out.ends_with(ELLIPSIS));
            }
        }
    }

    #[test]
    fn lines_and_blocks() {
        assert_eq!(one_line("  a\n\tb \u{7}c  "), "a b c");
        assert_eq!(clean_block("\n\na  \r\nb\r\n\n\n\u{1b}c\n\n"), "a\nb\n\nc");
        assert_eq!(clip("가🔴나", 2), "가");
        assert_eq!(clip("가🔴나", 3), "가🔴");
    }
}
