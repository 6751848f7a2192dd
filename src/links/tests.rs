//! Unit tests of credit extraction on small HTML snippets.

use super::*;
use crate::model::SourceKind;
use crate::model::SourceKind::{Data, Original};

fn link(kind: SourceKind, url: &str, text: &str) -> SourceLink {
    SourceLink {
        url: url.into(),
        text: text.into(),
        kind,
    }
}

fn extract(html: &str) -> Vec<SourceLink> {
    extract_source_links(html, None)
}

#[test]
fn seed_credit_lines() {
    let html = "<p>출처: <a href=\"https://newsdao.kr/1870\" rel=\"dofollow\">한-일 관세청장 회의 7년 만에 재개…세관협력 강화 합의 - 관세청</a> | 뉴스다오</p>\n\
        <hr />\n<p data-ke-size=\"size16\">&nbsp;</p>\n\
        <b><span style=\"color: #ee2323;\">자료출처</span></b>: 정책브리핑 https://www.korea.kr  \n\
        <b><span style=\"color: #1a5490;\">기사작성</span></b>: 관리자  \n\
        <b><span>기사 링크</span></b>: <a href=\"https://newsdao.kr/1870\" target=\"_blank\">뉴스다오</a>\n\
        <p>원하는 뉴스 찾아보기 👉 <a href=\"https://newsdao.kr\" rel=\"dofollow\">newsdao.kr</a></p>";
    assert_eq!(
        extract(html),
        vec![
            link(
                Original,
                "https://newsdao.kr/1870",
                "한-일 관세청장 회의 7년 만에 재개…세관협력 강화 합의 - 관세청"
            ),
            link(Data, "https://www.korea.kr", "정책브리핑"),
        ]
    );
}

#[test]
fn not_credits() {
    for html in [
        "<b>기사 링크</b>: <a href=\"https://newsdao.kr/1870\">뉴스다오</a>",
        "원하는 뉴스 찾아보기 👉 <a href=\"https://newsdao.kr\">newsdao.kr</a>",
        "<nav>출처: <a href=\"https://a.example/\">메뉴</a></nav>",
        "<p>출처: <a href=\"https://a.example/\"><img src=\"/x.png\"></a></p>",
        "<p>사진 출처: <a href=\"https://a.example/\">연합</a></p>",
        "<p>사진출처: https://a.example/photo</p>",
        "<p>Photo via <a href=\"https://unsplash.example/\">Unsplash</a></p>",
        "<p>이 보고서의 출처를 밝히지 않은 <a href=\"https://a.example/\">기사</a></p>",
        "<p>an open source <a href=\"https://a.example/\">project</a></p>",
        "<p>The data <a href=\"https://a.example/\">shows</a> growth</p>",
        "<p>출처: 연합뉴스\n기사작성: 관리자 <a href=\"https://a.example/\">홈</a></p>",
        "<p>출처: <a href=\"mailto:desk@a.example\">메일</a> <a href=\"javascript:void(0)\">x</a></p>",
        "<p>출처: ftp://a.example/file</p>",
        "<p>출처: 관세청 보도자료</p>",
        "<p>이 글에서 밝힌 출처</p><p><a href=\"https://a.example/\">다음 글</a></p>",
    ] {
        assert_eq!(extract(html), vec![], "{html}");
    }
}

#[test]
fn english_labels_from_feeds() {
    assert_eq!(
        extract("<p>Source: <a href=\"https://www.reuters.example/world/1\">Reuters</a></p>"),
        vec![link(
            Original,
            "https://www.reuters.example/world/1",
            "Reuters"
        )]
    );
    assert_eq!(
        extract("<p>Big news (via <a href=\"https://verge.example/a\">The Verge</a>)</p>"),
        vec![link(Original, "https://verge.example/a", "The Verge")]
    );
    assert_eq!(
        extract("<p><small>SOURCE https://ap.example/x.</small></p>"),
        vec![link(Original, "https://ap.example/x", "ap.example")]
    );
    assert_eq!(
        extract("<p>Data: <a href=\"https://kosis.example/t/1\">KOSIS</a></p>"),
        vec![link(Data, "https://kosis.example/t/1", "KOSIS")]
    );
}

#[test]
fn korean_labels_and_separators() {
    assert_eq!(
        extract("<p>출처 : 연합뉴스 https://www.yna.example/view/AKR2026</p>"),
        vec![link(
            Original,
            "https://www.yna.example/view/AKR2026",
            "연합뉴스"
        )]
    );
    assert_eq!(
        extract("<p><em>출처：<a href=\"https://a.example/1\">기사 제목</a></em></p>"),
        vec![link(Original, "https://a.example/1", "기사 제목")]
    );
    assert_eq!(
        extract("<p><strong>원문</strong> <a href=\"https://a.example/2\">원문 기사</a></p>"),
        vec![link(Original, "https://a.example/2", "원문 기사")]
    );
    assert_eq!(
        extract(
            "<p>데이터 출처: <a href=\"https://d.example/1\">통계청</a></p>\
             <p>자료 출처 <a href=\"https://d.example/2\">한국은행</a></p>"
        ),
        vec![
            link(Data, "https://d.example/1", "통계청"),
            link(Data, "https://d.example/2", "한국은행"),
        ]
    );
    assert_eq!(
        extract("<p>(출처: https://www.korea.example/briefing)</p>"),
        vec![link(
            Original,
            "https://www.korea.example/briefing",
            "www.korea.example"
        )]
    );
}

#[test]
fn url_shaped_link_text_takes_the_name_before_it() {
    assert_eq!(
        extract(
            "<p>출처: 연합뉴스 <a href=\"https://yna.example/1\">https://yna.example/1</a></p>"
        ),
        vec![link(Original, "https://yna.example/1", "연합뉴스")]
    );
}

#[test]
fn lists_of_links() {
    assert_eq!(
        extract(
            "<p>Sources: <a href=\"https://a.example/\">A</a>, <a href=\"https://b.example/\">B</a> \
             | <a href=\"https://c.example/\">홈</a></p>"
        ),
        vec![
            link(Original, "https://a.example/", "A"),
            link(Original, "https://b.example/", "B"),
        ]
    );
    assert_eq!(
        extract(
            "<h3>출처</h3><ul><li><a href=\"https://a.example/\">A</a></li>\
             <li><a href=\"https://b.example/\">B</a> 보도</li></ul>\
             <p>본문 <a href=\"https://c.example/\">C</a></p>"
        ),
        vec![
            link(Original, "https://a.example/", "A"),
            link(Original, "https://b.example/", "B"),
        ]
    );
}

#[test]
fn relative_urls_resolve_against_base() {
    let html = "<p>출처: <a href=\"/2026/01/02/a.html\">앞 기사</a></p>\
                <p>자료출처: <a href=\"data/표 1.csv\">표</a></p>";
    assert_eq!(
        extract_source_links(html, Some("https://news.example.com/2026/01/03/b.html")),
        vec![
            link(
                Original,
                "https://news.example.com/2026/01/02/a.html",
                "앞 기사"
            ),
            link(
                Data,
                "https://news.example.com/2026/01/03/data/%ED%91%9C%201.csv",
                "표"
            ),
        ]
    );
    assert_eq!(extract(html), vec![]);
}

#[test]
fn entities_decoded_text_trimmed_and_urls_deduplicated() {
    let html = "<p>출처: <a href=\"https://x.example/a?b=1&amp;c=2\">\n A &amp; B&nbsp;뉴스 </a></p>\
                <p>자료출처: <a href=\"https://x.example/a?b=1&c=2\">같은 주소</a></p>";
    assert_eq!(
        extract(html),
        vec![link(Original, "https://x.example/a?b=1&c=2", "A & B 뉴스")]
    );
}

#[test]
fn markdown_rendered_credit() {
    assert_eq!(
        extract("<p><strong>출처</strong>: <a href=\"https://a.example/3\">제목</a></p>\n"),
        vec![link(Original, "https://a.example/3", "제목")]
    );
}
