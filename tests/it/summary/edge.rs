//! Edge cases: cut excerpts with no body, nothing left to say, every fixture in every budget,
//! and plain_text.

use sokbo::config::SummaryStyle::{Lines, Sentences};
use sokbo::model::Post;
use sokbo::summary::{SummaryOptions, plain_text, summarize};

use super::SEED;
use super::fixture;

#[test]
fn cut_excerpt_without_a_body_keeps_its_whole_words() {
    let post = Post {
        title: "관세청 회의 재개".into(),
        excerpt: Some("한-일 관세청장 회의가 7년 만에 재개돼 양국 간 교…".into()),
        ..Post::default()
    };
    let opts = SummaryOptions {
        max_chars: 200,
        style: Sentences,
    };
    assert_eq!(
        summarize(&post, &opts),
        "한-일 관세청장 회의가 7년 만에 재개돼 양국 간…"
    );
}

#[test]
fn nothing_to_say_gives_an_empty_summary() {
    let post = Post {
        title: "제목".into(),
        excerpt: Some("<p>&nbsp;</p> ![사진](a.jpg)".into()),
        body_html: Some("<p>출처: 뉴스다오</p>".into()),
        ..Post::default()
    };
    for (max_chars, style) in [(200, Sentences), (200, Lines), (0, Sentences)] {
        assert_eq!(summarize(&post, &SummaryOptions { max_chars, style }), "");
    }
    let seed = fixture::load(SEED);
    assert_eq!(
        summarize(
            &seed,
            &SummaryOptions {
                max_chars: 0,
                style: Lines
            }
        ),
        ""
    );
}

#[test]
fn plain_text_of_html_markdown_and_entities() {
    assert_eq!(
        plain_text(
            "<h1>제목</h1><p>본문 &amp; <b>강조</b>&nbsp;끝.</p><script>x()</script><img alt=\"사진\">"
        ),
        "제목 본문 & 강조 끝."
    );
    assert_eq!(
        plain_text(
            "# 제목\n\n- **굵게** [링크](http://x.kr)\n- `코드` &lt;b&gt;태그&lt;/b&gt;\n\n> 인용 ![alt](a.png)"
        ),
        "제목 굵게 링크 코드 태그 인용"
    );
    assert_eq!(
        plain_text("  AT&amp;amp;T\u{200B} \t 3 &lt; 5  "),
        "AT&T 3 < 5"
    );
    assert_eq!(plain_text("Apple &#8217;s | 사과"), "Apple ’s | 사과");
}

#[test]
fn every_fixture_fits_every_budget() {
    let files = fixture::all();
    assert_eq!(files.len(), 19);
    for path in files {
        let post = fixture::load_path(&path);
        for max_chars in [30, 60, 100, 200, 500] {
            for style in [Sentences, Lines] {
                let s = summarize(&post, &SummaryOptions { max_chars, style });
                assert!(s.chars().count() <= max_chars, "{path:?} {max_chars}: {s}");
                assert!(
                    !s.is_empty() || max_chars < 60,
                    "{path:?} {max_chars} {style:?}"
                );
                assert!(s.lines().count() <= 3);
            }
        }
    }
}

#[test]
fn list_items_without_terminators_are_kept_apart() {
    let post = Post {
        title: "도심 집회".into(),
        excerpt: Some(
            "<ul><li>서울 도심 집회로 교통 통제</li><li>지하철 무정차 통과</li></ul>".into(),
        ),
        ..Post::default()
    };
    let o = |style| SummaryOptions {
        max_chars: 200,
        style,
    };
    assert_eq!(
        summarize(&post, &o(Sentences)),
        "서울 도심 집회로 교통 통제 · 지하철 무정차 통과"
    );
    assert_eq!(
        summarize(&post, &o(Lines)),
        "• 서울 도심 집회로 교통 통제\n• 지하철 무정차 통과"
    );
}
