//! Boilerplate that is not the post's news: credit and label lines (출처:, 기사작성:, Source:),
//! contact details, calls to action, copyright notices, site taglines, photo captions, URLs.

use super::tokens::is_letter;

/// Labels that start a credit, contact or navigation line when followed by `:`, `=`, `|`, … or
/// standing alone.
#[rustfmt::skip]
const LABELS: &[&str] = &[
    "출처", "자료출처", "자료 출처", "사진출처", "사진 출처", "이미지출처", "이미지 출처", "사진",
    "이미지", "그래픽", "영상", "기사작성", "기사 작성", "작성자", "기사링크", "기사 링크",
    "기사원문", "기사 원문", "원문", "원문보기", "원문 보기", "문의", "문의처", "연락처", "담당자",
    "담당", "전화", "제보", "기자", "편집", "글", "저작권자", "관련기사", "관련 기사", "태그",
    "키워드", "source", "sources", "via", "photo", "photos", "image", "images", "credit",
    "credits", "contact", "tel", "phone", "email", "e-mail", "tags", "related", "copyright",
    "read more", "written by",
];

/// Phrases that mark a line or sentence as boilerplate wherever they occur.
#[rustfmt::skip]
const PHRASES: &[&str] = &[
    "무단전재", "무단 전재", "재배포 금지", "재배포금지", "©", "ⓒ", "뉴스 찾아보기", "👉", "☞",
    "구독하기", "구독 부탁", "좋아요와 구독", "클릭하세요", "바로가기", "더보기", "자세히 보기",
];

/// Phrases (lowercase ASCII) that mark a line or sentence as boilerplate, in any letter case.
#[rustfmt::skip]
const ASCII_PHRASES: &[&str] = &[
    "all rights reserved", "appeared first on", "continue reading", "read more", "click here",
    "subscribe to our", "subscribe now", "share this", "http://", "https://", "www.",
];

/// Words that make a short "…입니다." sentence a site tagline.
const TAGLINE_WORDS: &[&str] = &["뉴스", "속보", "블로그", "소식", "채널"];

/// True when the line or sentence `s` is boilerplate rather than news.
pub(crate) fn is_boilerplate(s: &str) -> bool {
    if !s.chars().any(is_letter) || s.starts_with(['▲', '△']) || labelled(s) {
        return true;
    }
    let ascii_phrase = || {
        let lower = s.to_ascii_lowercase();
        ASCII_PHRASES.iter().any(|p| lower.contains(p)) || lower.starts_with("welcome to ")
    };
    has_phrase(s)
        || (s.bytes().any(|b| b.is_ascii_alphabetic()) && ascii_phrase())
        || is_tagline(s)
        || has_phone(s)
        || has_email(s)
}

/// Whether `s` holds one of [`PHRASES`] (looked for only where a phrase's first character is).
fn has_phrase(s: &str) -> bool {
    s.char_indices().any(|(i, c)| {
        matches!(
            c,
            '무' | '재'
                | '©'
                | 'ⓒ'
                | '뉴'
                | '👉'
                | '☞'
                | '구'
                | '좋'
                | '클'
                | '바'
                | '더'
                | '자'
        ) && PHRASES.iter().any(|p| s[i..].starts_with(p))
    })
}

fn labelled(s: &str) -> bool {
    let t = s.trim_start_matches(|c: char| !c.is_alphanumeric());
    LABELS.iter().any(|label| {
        let Some(head) = t.get(..label.len()) else {
            return false;
        };
        head.eq_ignore_ascii_case(label)
            && matches!(
                t[label.len()..].trim_start().chars().next(),
                None | Some(':' | '：' | '=' | ']' | ')' | '|' | '-' | '/' | '·')
            )
    })
}

fn is_tagline(s: &str) -> bool {
    let t = s.trim_end_matches(['.', '!', ' ']);
    t.ends_with("입니다") && s.chars().count() <= 40 && TAGLINE_WORDS.iter().any(|w| t.contains(w))
}

/// A phone number: 02-123-4567, 042-481-7976, 010-1234-5678, 1588-1234.
fn has_phone(s: &str) -> bool {
    if !s.contains('-') {
        return false;
    }
    s.split(|c: char| !(c.is_ascii_digit() || c == '-'))
        .filter(|run| run.len() >= 9 && run.contains('-'))
        .any(|run| {
            let mut lens = [0usize; 3];
            let mut n = 0;
            for group in run.split('-') {
                if n == lens.len() {
                    return false;
                }
                lens[n] = group.len();
                n += 1;
            }
            match n {
                3 => {
                    run.starts_with('0')
                        && (2..=3).contains(&lens[0])
                        && (3..=4).contains(&lens[1])
                        && lens[2] == 4
                }
                2 => run.starts_with('1') && lens[0] == 4 && lens[1] == 4,
                _ => false,
            }
        })
}

/// An e-mail address: word characters, `@`, a domain with a dot.
fn has_email(s: &str) -> bool {
    s.match_indices('@').any(|(i, _)| {
        let user_ok = s[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
        let domain: &str = s[i + 1..]
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
            .next()
            .unwrap_or("");
        user_ok && domain.trim_end_matches('.').contains('.')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_boilerplate() {
        for s in [
            "whereispost 실시간 뉴스 속보입니다.",
            "출처: 한-일 관세청장 회의 7년 만에 재개 | 뉴스다오",
            "자료출처: 정책브리핑 https://www.korea.kr",
            "기사작성: 관리자",
            "문의",
            "관세청 국제관세협력국 해외통관지원팀(042-481-7976)",
            "원하는 뉴스 찾아보기 👉 newsdao.kr",
            "(사진=연합뉴스)",
            "▲ 회의에 참석한 양국 대표단",
            "Source: Reuters",
            "The post Rates hold appeared first on Daily Brief.",
            "홍길동 기자 hong@example.com",
            "ⓒ 뉴스다오, 무단전재 및 재배포 금지",
            "***",
        ] {
            assert!(is_boilerplate(s), "{s}");
        }
    }

    #[test]
    fn phrase_first_characters_are_listed() {
        for p in PHRASES {
            assert!(has_phrase(&format!("앞 {p} 뒤")), "{p}");
        }
    }

    #[test]
    fn keeps_news() {
        for s in [
            "이런 사례는 찾아보기 어렵다.",
            "문의가 잇따르자 관세청은 2024-11-24 설명회를 열었다.",
            "사진은 회의 모습이다.",
            "Sources said the deal was close.",
            "관세청 회의 결과를 정리한 기사입니다만 내용이 깁니다.",
        ] {
            assert!(!is_boilerplate(s), "{s}");
        }
    }
}
