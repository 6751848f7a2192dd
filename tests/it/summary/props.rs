//! Property tests: arbitrary text and HTML never panic, never exceed the budget, never end in a
//! cut word and never leave markup.

use proptest::prelude::*;
use sokbo::config::SummaryStyle;
use sokbo::model::Post;
use sokbo::summary::{SummaryOptions, plain_text, summarize};

/// Pieces that news HTML, markdown and feeds are made of, including broken ones.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[가-힣]{1,6}(은|는|이|가|을|를|의|에서)?".prop_map(|s| s),
        3 => "[A-Za-z]{1,9}".prop_map(|s| s),
        2 => Just(" ".to_owned()),
        1 => Just("\n".to_owned()),
        1 => Just("\n\n".to_owned()),
        2 => prop::sample::select(vec![
            ".", ". ", "다. ", "니다. ", "했다.\" ", "밝혔다.’ ", "? ", "! ", "…", "...", ",", "“", "”",
            "‘", "’", "\"", "'", "(", ")", "[", "]", "3.5%", "2024.11.24", "2024. 11. 24.", "U.S.",
            "Dr.", "No. 1", "a.m.", "Inc.",
        ])
        .prop_map(str::to_owned),
        2 => prop::sample::select(vec![
            "<p>", "</p>", "<b>", "</b>", "<br>", "<h2>", "</h2>", "<img alt=\"사진\" src=x>",
            "<a href=\"http://x.kr/a?b=1&c=2\">", "</a>", "<script>", "</script>", "<!--", "-->",
            "<span style=\"color:#fff\">", "</span>", "<td>", "<", ">", "</", "<![CDATA[", "]]>",
            "<div class='x>'>", "&nbsp;", "&amp;", "&lt;", "&gt;", "&lt;b&gt;", "&amp;lt;i&amp;gt;",
            "&#8220;", "&#x27;", "&hellip;", "&quot;", "&bogus;", "&#0;", "&", ";",
        ])
        .prop_map(str::to_owned),
        2 => prop::sample::select(vec![
            "**", "*", "__", "_", "~~", "`", "```", "# ", "## ", "> ", "- ", "1. ", "| a | b |",
            "|---|", "[", "](", "![", "[링크](http://x.kr)", "![alt](a.png)", "{% raw %}", "{{ x }}",
            "---", "===", "\\*",
        ])
        .prop_map(str::to_owned),
        1 => prop::sample::select(vec![
            "출처: 뉴스다오", "whereispost 실시간 뉴스 속보입니다.", "원하는 뉴스 찾아보기 👉",
            "(사진=연합뉴스)", "[서울=뉴시스] 홍길동 기자 = ", "문의 042-481-7976", "ⓒ 무단전재",
            "https://x.kr", "[속보]", "▲ 사진",
        ])
        .prop_map(str::to_owned),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::collection::vec(piece(), 0..60).prop_map(|v| v.concat()),
        1 => any::<String>(),
    ]
}

fn post() -> impl Strategy<Value = Post> {
    (
        text(),
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(text()),
    )
        .prop_map(|(title, excerpt, feature_text, body_html)| Post {
            title,
            excerpt,
            feature_text,
            body_html,
            ..Post::default()
        })
}

fn style() -> impl Strategy<Value = SummaryStyle> {
    prop_oneof![Just(SummaryStyle::Sentences), Just(SummaryStyle::Lines)]
}

/// The markup `s` still holds, if any.
fn markup(s: &str) -> Option<String> {
    for m in ["**", "__", "~~", "`", "](", "![", "##"] {
        if s.contains(m) {
            return Some(m.to_owned());
        }
    }
    let b = s.as_bytes();
    for (i, _) in s.match_indices('<') {
        let opens = match (b.get(i + 1), b.get(i + 2)) {
            (Some(c), _) if c.is_ascii_alphabetic() || *c == b'!' || *c == b'?' => true,
            (Some(b'/'), Some(c)) => c.is_ascii_alphabetic(),
            _ => false,
        };
        let closed = s[i + 1..]
            .find(['<', '>'])
            .is_some_and(|j| b[i + 1 + j] == b'>');
        if opens && closed {
            return Some(s[i..].chars().take(20).collect());
        }
    }
    for (i, _) in s.match_indices('&') {
        let rest = &s[i + 1..];
        let (body, ok): (&str, fn(&u8) -> bool) = if let Some(hex) = rest.strip_prefix("#x") {
            (hex, u8::is_ascii_hexdigit)
        } else if let Some(dec) = rest.strip_prefix('#') {
            (dec, u8::is_ascii_digit)
        } else if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            (rest, u8::is_ascii_alphanumeric)
        } else {
            continue;
        };
        let n = body.bytes().take_while(ok).count();
        if n > 0 && body[n..].starts_with(';') {
            return Some(s[i..].chars().take(12).collect());
        }
    }
    None
}

/// Whether `word` occurs in `text` ending where a word ends.
fn ends_a_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        text[i + word.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn plain_text_leaves_no_markup(input in text()) {
        let out = plain_text(&input);
        prop_assert_eq!(markup(&out), None, "{:?} → {:?}", input, out);
        prop_assert_eq!(out.trim(), out.as_str());
        prop_assert!(!out.contains("  ") && !out.contains('\n'));
    }

    #[test]
    fn summaries_fit_end_on_whole_words_and_leave_no_markup(
        post in post(),
        max_chars in 0usize..260,
        style in style(),
    ) {
        let out = summarize(&post, &SummaryOptions { max_chars, style });
        prop_assert!(out.chars().count() <= max_chars, "{} > {}: {:?}", out.chars().count(), max_chars, out);
        prop_assert_eq!(markup(&out), None, "{:?}", out);
        if style == SummaryStyle::Lines && !out.is_empty() {
            prop_assert!(out.lines().count() <= 3);
            prop_assert!(out.lines().all(|l| l.starts_with("• ")), "{:?}", out);
        }
        let source = [&post.excerpt, &post.feature_text, &post.body_html]
            .iter()
            .filter_map(|t| t.as_deref().map(plain_text))
            .collect::<Vec<_>>()
            .join("\n");
        // The output's last run of letters and digits must end where a word of the source ends.
        let end = out.trim_end_matches(|c: char| !c.is_alphanumeric());
        let last = end.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        if !last.is_empty() {
            prop_assert!(ends_a_word(&source, last), "{:?} cut in {:?}", last, out);
        }
    }
}
