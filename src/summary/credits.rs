//! Credits, datelines and news markers that news text carries inline: "(사진=연합뉴스)",
//! "[서울=뉴시스] 홍길동 기자 =", "WASHINGTON (Reuters) -", "[속보]", "Breaking:".

/// `s` without inline credits and datelines.
pub(crate) fn strip_credits(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find(['(', '[', '【']) {
        let (close, width) = match rest[open..].chars().next() {
            Some('(') => (')', 1),
            Some('[') => (']', 1),
            _ => ('】', '【'.len_utf8()),
        };
        let inner_start = open + width;
        let Some(len) = rest[inner_start..].find(close) else {
            break;
        };
        let inner = &rest[inner_start..inner_start + len];
        out.push_str(&rest[..open]);
        let after = inner_start + len + close.len_utf8();
        if !(inner.contains('=') && inner.chars().count() <= 40) {
            out.push_str(&rest[open..after]);
        } else if !out.is_empty()
            && !out.ends_with(char::is_whitespace)
            && rest[after..].starts_with(char::is_alphanumeric)
        {
            out.push(' ');
        }
        rest = &rest[after..];
    }
    out.push_str(rest);
    if super::clean::has_residue(&out) {
        // Removing a credit joined markup-like pieces: keep the text as it was.
        return s.to_owned();
    }
    let trimmed = strip_marker(out.trim_start());
    let body = strip_byline(trimmed).or_else(|| strip_wire_dateline(trimmed));
    match body {
        Some(body) => body.trim_start().to_owned(),
        None if trimmed.len() != out.len() => trimmed.to_owned(),
        None => out,
    }
}

/// "[속보] 본문", "(종합) 본문", "속보 본문", "Breaking: text" → the text after the news marker.
fn strip_marker(s: &str) -> &str {
    if let Some(inner) = s.strip_prefix('[').or_else(|| s.strip_prefix('('))
        && let Some(close) = inner.find([']', ')'])
    {
        let tag = &inner[..close];
        let short = tag.chars().count() <= 8 && tag.chars().any(char::is_alphabetic);
        let rest = inner[close + 1..].trim_start();
        if short && rest.chars().any(char::is_alphanumeric) {
            return rest;
        }
    }
    for marker in ["속보", "단독", "종합", "포토", "breaking", "update"] {
        let Some(head) = s.get(..marker.len()) else {
            continue;
        };
        if !head.eq_ignore_ascii_case(marker) {
            continue;
        }
        let rest = &s[marker.len()..];
        let korean_word_ends = !marker.is_ascii() && rest.starts_with(' ');
        if let Some(after) = rest.strip_prefix(':').or(korean_word_ends.then_some(rest)) {
            return after.trim_start();
        }
    }
    s
}

/// "홍길동 기자 = 본문", "2025.06.19 14:00 홍길동 김철수 기자 = 본문" → "본문".
fn strip_byline(s: &str) -> Option<&str> {
    let eq = s.find('=')?;
    let head = s[..eq].trim_end();
    (head.chars().count() <= 40 && !head.contains(". ") && super::residue::is_byline(head))
        .then(|| &s[eq + 1..])
}

/// "SEOUL (Reuters) - Text", "SEOUL, Dec 1 (Reuters) - Text", "WASHINGTON, Dec. 1, 2025 (AP) —
/// Text" → "Text".
fn strip_wire_dateline(s: &str) -> Option<&str> {
    let open = s.find(" (")?;
    let head = &s[..open];
    let (city, date) = head.split_once(',').unwrap_or((head, ""));
    let city_ok = !city.is_empty()
        && city
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == ' ' || c == '.');
    let date_ok = date.is_empty()
        || (date.chars().any(|c| c.is_ascii_digit())
            && date
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || " ,.:".contains(c)));
    if open > 60 || !city_ok || !date_ok {
        return None;
    }
    let close = open + s[open..].find(')')?;
    let after = s[close + 1..].trim_start();
    ["- ", "-- ", "— ", "– "]
        .iter()
        .find_map(|dash| after.strip_prefix(dash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_inline_credits() {
        assert_eq!(
            strip_credits(
                "[서울=뉴시스] 홍길동 기자 = 관세청은 24일(현지시간) 회의를 열었다(사진=관세청)."
            ),
            "관세청은 24일(현지시간) 회의를 열었다."
        );
        assert_eq!(
            strip_credits("WASHINGTON (Reuters) - The Fed held rates."),
            "The Fed held rates."
        );
        assert_eq!(
            strip_credits("SEOUL, Dec 1 (Reuters) - The Fed held rates."),
            "The Fed held rates."
        );
        assert_eq!(
            strip_credits("WASHINGTON, Dec. 1, 2025 (AP) — The Fed held rates."),
            "The Fed held rates."
        );
        assert_eq!(
            strip_credits("[서울=뉴시스] 2025.06.19 14:00 홍길동 김철수 기자 = 코스피가 올랐다."),
            "코스피가 올랐다."
        );
        assert_eq!(
            strip_credits(
                "(워싱턴=연합뉴스) 홍길동 특파원 = 미국 연준이 19일(현지시간) 금리를 동결했다."
            ),
            "미국 연준이 19일(현지시간) 금리를 동결했다."
        );
        assert_eq!(
            strip_credits("Seoul, Dec 1 (Reuters) - text"),
            "Seoul, Dec 1 (Reuters) - text"
        );
        assert_eq!(strip_credits("a (b) [c"), "a (b) [c");
        assert_eq!(strip_credits("[속보] 서울 폭설"), "서울 폭설");
        assert_eq!(strip_credits("속보 서울 폭설"), "서울 폭설");
        assert_eq!(strip_credits("속보가 이어졌다."), "속보가 이어졌다.");
        assert_eq!(strip_credits("Breaking: Storm hits"), "Storm hits");
        assert_eq!(
            strip_credits("Updated rules apply."),
            "Updated rules apply."
        );
        assert_eq!(
            strip_credits("(2025년 예산안 국회 제출 관련 종합 정리) 본문"),
            "(2025년 예산안 국회 제출 관련 종합 정리) 본문"
        );
    }
}
