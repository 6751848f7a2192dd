//! One fixture per front matter form, each parsed to a whole Post.

use sokbo::model::{Post, PostKey, SourceKind};
use sokbo::source::jekyll::JekyllError;

use super::{ECON, SITE, fixture, parse, post, source, time};

#[test]
fn category_as_space_separated_string() {
    assert_eq!(
        post("2026-02-03-category-string.md", None),
        Post {
            key: PostKey("file:2026-02-03-category-string".into()),
            title: "반도체 수출 & 환율 동향".into(),
            author: None,
            link: Some(format!(
                "{SITE}/{ECON}/%EA%B5%AD%EC%A0%9C/%EC%82%B0%EC%97%85%20%EB%8F%99%ED%96%A5\
                 /2026/02/03/category-string.html"
            )),
            categories: vec!["경제".into(), "국제".into(), "산업 동향".into()],
            tags: vec!["반도체".into(), "수출".into(), "속보".into()],
            excerpt: Some("반도체 수출이 석 달 연속 늘었다.".into()),
            feature_text: None,
            body_html: Some(
                "<p>반도체 수출이 <strong>석 달 연속</strong> 늘었습니다.</p>\n\
                 <p>출처: <a href=\"https://news.example.kr/economy/20260203-chips\">반도체 수출 석 달 연속 증가</a></p>\n"
                    .into()
            ),
            image: None,
            published: Some(time("2026-02-03T08:00:00+09:00")),
            updated: None,
            source_links: vec![source(
                SourceKind::Original,
                "https://news.example.kr/economy/20260203-chips",
                "반도체 수출 석 달 연속 증가"
            )],
        }
    );
}

#[test]
fn image_as_map_with_path() {
    assert_eq!(
        post("2026-02-04-image-map.md", None),
        Post {
            key: PostKey("file:2026-02-04-image-map".into()),
            title: "반도체 공장 증설".into(),
            author: None,
            link: Some(format!("{SITE}/{ECON}/2026/02/04/image-map.html")),
            categories: vec!["경제".into()],
            tags: vec![],
            excerpt: None,
            feature_text: None,
            body_html: Some(
                "<p>출처: <a href=\"https://news.example.kr/economy/20260204-fab\">공장 증설 기사</a></p>\n"
                    .into()
            ),
            image: Some(format!(
                "{SITE}/assets/img/%EB%B0%98%EB%8F%84%EC%B2%B4%20%EA%B3%B5%EC%9E%A5.jpg"
            )),
            published: Some(time("2026-02-04T00:00:00+09:00")),
            updated: None,
            source_links: vec![source(
                SourceKind::Original,
                "https://news.example.kr/economy/20260204-fab",
                "공장 증설 기사"
            )],
        }
    );
}

#[test]
fn front_matter_date_with_offset_wins_over_the_file_name() {
    assert_eq!(
        post(
            "2026-01-15-date-offset.md",
            Some(time("2020-01-01T00:00:00Z"))
        ),
        Post {
            key: PostKey("file:2026-01-15-date-offset".into()),
            title: "시차 있는 날짜".into(),
            author: None,
            // 23:30 at -05:00 is 13:30 the next day in Seoul, the site's zone.
            link: Some(format!(
                "{SITE}/%EC%82%AC%ED%9A%8C/2026/01/16/date-offset.html"
            )),
            categories: vec!["사회".into()],
            tags: vec![],
            excerpt: None,
            feature_text: None,
            body_html: Some("<p>본문입니다.</p>\n".into()),
            image: Some("https://cdn.example.org/img/a.jpg".into()),
            published: Some(time("2026-01-16T04:30:00Z")),
            updated: Some(time("2026-01-16T06:00:00Z")),
            source_links: vec![],
        }
    );
}

#[test]
fn no_date_uses_the_file_time() {
    let file_time = time("2026-03-10T16:00:00Z");
    assert_eq!(
        post("no-date.md", Some(file_time)),
        Post {
            key: PostKey("file:no-date".into()),
            title: "날짜 없는 글".into(),
            author: None,
            link: Some(format!("{SITE}/%EC%A0%95%EC%B9%98/2026/03/11/no-date.html")),
            categories: vec!["정치".into()],
            tags: vec![],
            excerpt: None,
            feature_text: None,
            body_html: Some(
                "<p>Source: <a href=\"/politics/original.html\">원 기사</a></p>\n".into()
            ),
            image: None,
            published: Some(file_time),
            updated: None,
            source_links: vec![source(
                SourceKind::Original,
                "https://news.example.com/politics/original.html",
                "원 기사"
            )],
        }
    );
    let undated = post("no-date.md", None);
    assert_eq!(
        (undated.published, undated.link.as_deref()),
        (
            None,
            Some("https://news.example.com/%EC%A0%95%EC%B9%98/no-date.html")
        )
    );
}

#[test]
fn custom_permalink_in_front_matter() {
    assert_eq!(
        post("2026-02-05-custom-permalink.md", None),
        Post {
            key: PostKey("file:2026-02-05-custom-permalink".into()),
            title: "한파 특보 발효".into(),
            author: None,
            link: Some(format!(
                "{SITE}/breaking/2026/02/%ED%95%9C%ED%8C%8C-%ED%8A%B9%EB%B3%B4/"
            )),
            categories: vec!["사회".into()],
            tags: vec![],
            excerpt: None,
            feature_text: None,
            body_html: Some("<p>한파 특보가 내려졌습니다.</p>\n".into()),
            image: None,
            published: Some(time("2026-02-05T00:00:00+09:00")),
            updated: None,
            source_links: vec![],
        }
    );
}

#[test]
fn broken_yaml_names_path_and_position() {
    let err = parse("broken-yaml.md", None).unwrap_err();
    assert_eq!(
        err,
        JekyllError::FrontMatter {
            path: "broken-yaml.md".into(),
            message: "illegal placement of ':' indicator".into(),
            line: Some(4),
            column: Some(6),
        }
    );
    assert_eq!(
        err.to_string(),
        "broken-yaml.md: invalid front matter at line 4, column 6: illegal placement of ':' indicator"
    );
}

#[test]
fn no_front_matter_and_unpublished_are_not_posts() {
    assert_eq!(parse("no-front-matter.md", None), Ok(None));
    assert_eq!(parse("unpublished.md", None), Ok(None));
}

#[test]
fn crlf_and_bom() {
    let raw = fixture("crlf-bom.md");
    assert!(
        raw.starts_with('\u{feff}') && raw.contains("\r\n"),
        "fixture lost its BOM/CRLF"
    );
    let file_time = time("2026-03-10T16:00:00Z");
    assert_eq!(
        post("crlf-bom.md", Some(file_time)),
        Post {
            key: PostKey("file:crlf-bom".into()),
            title: "윈도우에서 쓴 글".into(),
            author: None,
            link: Some(format!("{SITE}/it/2026/03/11/crlf-bom.html")),
            categories: vec!["IT".into()],
            tags: vec![],
            excerpt: Some("줄 끝이 CRLF인 요약입니다.".into()),
            feature_text: None,
            body_html: Some(
                "<p>본문 첫 줄</p>\n<p>출처: <a href=\"https://news.example.kr/it/1\">원문</a></p>\n"
                    .into()
            ),
            image: None,
            published: Some(file_time),
            updated: None,
            source_links: vec![source(SourceKind::Original, "https://news.example.kr/it/1", "원문")],
        }
    );
}

#[test]
fn html_post_body_is_kept_as_is() {
    assert_eq!(
        post("2026-03-01-html-post.html", None),
        Post {
            key: PostKey("file:2026-03-01-html-post".into()),
            title: "HTML 글".into(),
            author: None,
            link: Some(format!("{SITE}/2026/03/01/html-post.html")),
            categories: vec![],
            tags: vec!["world".into(), "2026".into()],
            excerpt: None,
            feature_text: None,
            body_html: Some(
                "<p>Markets rose.</p>\n\
                 <p>Source: <a href=\"https://www.reuters.example/markets/1\">Reuters</a></p>\n"
                    .into()
            ),
            image: None,
            published: Some(time("2026-03-01T00:00:00+09:00")),
            updated: None,
            source_links: vec![source(
                SourceKind::Original,
                "https://www.reuters.example/markets/1",
                "Reuters"
            )],
        }
    );
}
