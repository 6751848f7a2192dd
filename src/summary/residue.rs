//! Residue that Korean feeds leave in a teaser or body and that is never news: notices
//! ("[본 기사는 … 보도된 기사입니다]"), photo labels and captions ("[사진]", "…모습. /사진=뉴스1"),
//! bylines ("홍길동 기자(hong@example.com)", "OSEN(   )") and "▲" link lists after the text.

/// Labels that open a bracketed photo or graphic mark ("[사진]", "[포토=뉴스1]", "<그래픽>").
const PHOTO_LABELS: &[&str] = &["사진", "포토", "그래픽", "영상", "이미지", "일러스트"];

/// Openings of a notice about the article itself.
const NOTICE_OPENINGS: &[&str] = &["본 기사", "이 기사", "본 콘텐츠", "이 콘텐츠", "본 자료"];

/// Last words of a byline.
#[rustfmt::skip]
const BYLINE_WORDS: &[&str] = &[
    "기자", "특파원", "통신원", "객원기자", "인턴기자", "선임기자", "전문기자", "논설위원",
    "기자단", "편집위원",
];

/// Longest bracketed label, notice or byline removed, in characters.
const MAX_BRACKETED: usize = 120;

/// `text` (one block) without notices, photo labels and captions, bracketed bylines, empty
/// brackets, a leading byline and a trailing "▲" list.
pub(crate) fn strip(text: &str) -> String {
    let text = strip_brackets(text);
    let text = strip_captions(&text);
    let text = strip_link_list(&text);
    strip_leading_byline(text.trim()).to_owned()
}

/// True when `s` is only a byline: "홍길동 기자", "홍길동 기자 hong@example.com",
/// "OSEN(   )", "홍길동·김철수 기자".
pub(crate) fn is_byline(s: &str) -> bool {
    let bare = strip_brackets(s);
    let words: Vec<&str> = bare
        .split_whitespace()
        .filter(|w| !w.contains('@'))
        .collect();
    match words.last() {
        None => s.chars().any(|c| !c.is_whitespace()),
        Some(last) => words.len() <= 5 && BYLINE_WORDS.contains(&last.trim_end_matches('.')),
    }
}

fn bracket_pair(open: char) -> Option<char> {
    Some(match open {
        '[' => ']',
        '(' => ')',
        '【' => '】',
        '<' => '>',
        '〈' => '〉',
        _ => return None,
    })
}

/// Removes bracketed notices, photo labels, bylines and brackets holding only spaces.
fn strip_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((open, c)) = rest
        .char_indices()
        .find(|&(_, c)| bracket_pair(c).is_some())
    {
        let close = bracket_pair(c).unwrap_or(']');
        let inner_start = open + c.len_utf8();
        out.push_str(&rest[..open]);
        let Some(len) = rest[inner_start..].find(close) else {
            let inner = &rest[inner_start..];
            if !is_notice(inner) {
                out.push_str(&rest[open..]);
            }
            return out;
        };
        let inner = &rest[inner_start..inner_start + len];
        let after = inner_start + len + close.len_utf8();
        if inner.trim().is_empty() {
            // An e-mail blanked out of a byline: "OSEN(   )" loses its outlet name too.
            let word = out.len()
                - out
                    .trim_end_matches(|c: char| c.is_ascii_alphanumeric())
                    .len();
            if word > 0 && (out.len() == word || out[..out.len() - word].ends_with(' ')) {
                out.truncate(out.len() - word);
            }
        } else if !(inner.chars().count() <= MAX_BRACKETED
            && (is_notice(inner) || is_photo_label(inner) || is_byline(inner)))
        {
            out.push_str(&rest[open..after]);
            rest = &rest[after..];
            continue;
        }
        if out.ends_with(char::is_alphanumeric) && rest[after..].starts_with(char::is_alphanumeric)
        {
            // Keep the words on both sides apart.
            out.push(' ');
        }
        rest = &rest[after..];
    }
    out.push_str(rest);
    out
}

/// A notice about the article itself ("본 기사는 … 보도된 기사입니다").
pub(crate) fn is_notice(inner: &str) -> bool {
    let t = inner.trim();
    NOTICE_OPENINGS.iter().any(|o| t.starts_with(o))
        || t.trim_end_matches('.').ends_with("기사입니다")
        || ["재판매 및 DB", "재판매 및 DB금지", "DB 금지", "DB금지"]
            .iter()
            .any(|m| t.contains(m))
}

fn is_photo_label(inner: &str) -> bool {
    let t = inner.trim();
    PHOTO_LABELS.iter().any(|l| {
        t.strip_prefix(l).is_some_and(|after| {
            after.is_empty() || after.starts_with(['=', ' ', '·', '/', ':', '|', '제'])
        })
    }) && !t.contains(". ")
}

/// Removes "… /사진=뉴스1" captions: the credit and the sentence it ends.
fn strip_captions(text: &str) -> String {
    let mut out = text.to_owned();
    while let Some(at) = ["/사진=", "/ 사진=", "/사진제공=", "/사진 제공="]
        .iter()
        .find_map(|m| out.find(m))
    {
        let credit_end = {
            let from = out[at..].find('=').map_or(at, |i| at + i + 1);
            let mut end = out[from..]
                .find(char::is_whitespace)
                .map_or(out.len(), |i| from + i);
            let next = out[end..].trim_start();
            for word in ["기자", "제공"] {
                if next.starts_with(word) {
                    end = out.len() - next.len() + word.len();
                }
            }
            end
        };
        let start = caption_start(&out[..at]);
        out.replace_range(start..credit_end, "");
    }
    while let Some((at, end)) = dated_credit(&out) {
        let start = caption_start(&out[..at]);
        out.replace_range(start..end, "");
    }
    out
}

/// A wire photo's date and credit after its caption ("…두드리고 있다. 2026.11.27 [사진공동취재단]",
/// "… 2026.9.4 abc@yna.co.kr"): the byte range of the date and credit.
fn dated_credit(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    for (at, _) in text.match_indices(". ") {
        let date_start = at + 2;
        let Some(date_len) = text[date_start..]
            .find(' ')
            .filter(|&n| (8..=11).contains(&n))
        else {
            continue;
        };
        let date = &text[date_start..date_start + date_len];
        let parts: Vec<&str> = date.trim_end_matches('.').split('.').collect();
        let is_date = parts.len() == 3
            && parts[0].len() == 4
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if !is_date {
            continue;
        }
        let credit_start = date_start + date_len + 1;
        let credit = &text[credit_start..];
        let end = if credit.starts_with('[') {
            credit.find(']').map(|i| credit_start + i + 1)
        } else {
            let word = credit.split_whitespace().next().unwrap_or("");
            word.contains('@').then(|| credit_start + word.len())
        };
        if let Some(end) = end.filter(|&e| e <= bytes.len()) {
            return Some((date_start, end));
        }
    }
    None
}

/// Where the caption ending at the end of `before` starts: after the last sentence end.
fn caption_start(before: &str) -> usize {
    let t = before.trim_end();
    let body = t.trim_end_matches(['.', ' ']);
    body.rfind(['.', '?', '!'])
        .map_or(0, |i| i + 1)
        .min(before.len())
}

/// Removes a "▲" link list that follows the text ("…밝혔다. ▲관련기사 ▲다른 기사").
fn strip_link_list(text: &str) -> String {
    let mut from = 0;
    while let Some(i) = text[from..].find('▲') {
        let at = from + i;
        let before = text[..at].trim_end();
        if before.is_empty() {
            return String::new();
        }
        if super::sentences::is_terminated(before) {
            return before.to_owned();
        }
        from = at + '▲'.len_utf8();
    }
    text.to_owned()
}

/// "홍길동 기자(hong@example.com) 본문", "OSEN(   ) 본문" → "본문".
fn strip_leading_byline(s: &str) -> &str {
    let mut end = 0;
    for (n, word) in s.split_inclusive(char::is_whitespace).enumerate() {
        end += word.len();
        let w = word.trim();
        let head = w.split('(').next().unwrap_or(w);
        if BYLINE_WORDS.contains(&head) || w.contains('@') {
            let rest = s[end..].trim_start();
            let email_follows = rest
                .split_whitespace()
                .next()
                .is_some_and(|w| w.contains('@'));
            let rest = if email_follows {
                rest.split_once(char::is_whitespace).map_or("", |(_, r)| r)
            } else {
                rest
            };
            // "홍길동 기자 = 본문": the wire form, its "=" goes with the byline.
            let rest = rest.strip_prefix('=').unwrap_or(rest).trim_start();
            return if rest.chars().any(char::is_alphanumeric) {
                rest
            } else {
                s
            };
        }
        if n >= 4 {
            break;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_labels_and_bylines_in_brackets() {
        assert_eq!(
            strip("[본 기사는 06월 19일(15:23) 동아경제에 보도 된 기사입니다] 코스피가 올랐다."),
            "코스피가 올랐다."
        );
        assert_eq!(strip("[사진] 코스피가 올랐다."), "코스피가 올랐다.");
        assert_eq!(
            strip("CU가 위스키를 출시했다. [CU제공. 재판매 및 DB금지]"),
            "CU가 위스키를 출시했다."
        );
        assert_eq!(strip("코스피가 올랐다 [홍길동 기자]"), "코스피가 올랐다");
        assert_eq!(strip("OSEN(   ) 류현진이 이겼다."), "류현진이 이겼다.");
        // Empty brackets between two words leave the words apart.
        assert_eq!(strip("가()2024. 11. 24."), "가 2024. 11. 24.");
        assert_eq!(strip("가가가[]가"), "가가가 가");
        assert_eq!(strip("류현진이 이겼다. OSEN(   )"), "류현진이 이겼다.");
        assert_eq!(
            strip("코스피가 올랐다. [이 기사는 06월"),
            "코스피가 올랐다."
        );
        assert_eq!(
            strip("회의(RCEP)는 [경제] 분야다."),
            "회의(RCEP)는 [경제] 분야다."
        );
    }

    #[test]
    fn captions_link_lists_and_leading_bylines() {
        assert_eq!(
            strip("회의에 참석한 대표단. /사진=연합뉴스 관세청은 회의를 열었다."),
            "관세청은 회의를 열었다."
        );
        assert_eq!(
            strip("관세청은 회의를 열었다. 대표단 모습 /사진=홍길동 기자"),
            "관세청은 회의를 열었다."
        );
        assert_eq!(
            strip("관세청은 회의를 열었다. ▲관련기사 ▲다른 기사"),
            "관세청은 회의를 열었다."
        );
        assert_eq!(strip("△경제 △사회 분야다."), "△경제 △사회 분야다.");
        assert_eq!(
            strip(
                "금리가 동결됐다. 총재가 의사봉을 두드리고 있다. 2026.11.27 [사진공동취재단] 한은이 밝혔다."
            ),
            "금리가 동결됐다. 한은이 밝혔다."
        );
        assert_eq!(strip("시민들이 걷고 있다. 2026.9.4 abc@yna.co.kr"), "");
        assert_eq!(
            strip("발표는 2026.11.27 오전이다. 회의는 2026.11.28 열린다."),
            "발표는 2026.11.27 오전이다. 회의는 2026.11.28 열린다."
        );
        assert_eq!(
            strip("홍길동 기자(hong@example.com) 관세청은 회의를 열었다."),
            "관세청은 회의를 열었다."
        );
        assert_eq!(
            strip("홍길동 기자 hong@example.com 관세청은 회의를 열었다."),
            "관세청은 회의를 열었다."
        );
        assert_eq!(strip("기자들이 모였다."), "기자들이 모였다.");
    }

    #[test]
    fn bylines() {
        for s in [
            "홍길동 기자",
            "홍길동 기자 hong@example.com",
            "홍길동·김철수 기자",
            "홍길동 기자(hong@example.com)",
            "(   )",
        ] {
            assert!(is_byline(s), "{s}");
        }
        for s in ["기자회견이 열렸다.", "관세청은 기자들에게 설명했다."] {
            assert!(!is_byline(s), "{s}");
        }
    }
}
