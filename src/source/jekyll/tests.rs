//! Unit tests of post file selection, links, images and error cases.

use super::*;
use crate::model::{SourceKind, SourceLink};

fn site(url: Option<&str>, permalink: Option<&str>) -> SiteOptions {
    SiteOptions {
        site_url: url.map(str::to_owned),
        permalink: permalink.map(str::to_owned),
        ..SiteOptions::default()
    }
}

fn parse(name: &str, text: &str, site: &SiteOptions) -> Result<Option<Post>, JekyllError> {
    parse_post(Path::new(name), text, site, None)
}

fn link(name: &str, text: &str, site: &SiteOptions) -> Option<String> {
    parse(name, text, site).unwrap().unwrap().link
}

const POST: &str = "---\ntitle: 제목\ncategories: [경제]\n---\n본문\n";
const ECON: &str = "%EA%B2%BD%EC%A0%9C";

#[test]
fn post_files() {
    for name in [
        "2026-01-02-a.md",
        "a.markdown",
        "a.MD",
        "a.html",
        "a.htm",
        "000_fc95c76552527bf6.txt",
        "dir/a.mkd",
    ] {
        assert!(is_post_file(Path::new(name)), "{name}");
    }
    for name in [
        ".hidden.md",
        ".#a.md",
        "#a.md#",
        "a.md~",
        "a.md.swp",
        ".a.md.swp",
        "4913",
        "_draft.md",
        "~a.md",
        "a.yml",
        "a",
        "",
    ] {
        assert!(!is_post_file(Path::new(name)), "{name}");
    }
}

#[test]
fn site_permalink_styles() {
    let url = Some("https://news.example.com/");
    assert_eq!(
        link("2026-01-02-a-b.md", POST, &site(url, Some("pretty"))),
        Some(format!("https://news.example.com/{ECON}/2026/01/02/a-b/"))
    );
    assert_eq!(
        link("2026-01-02-a-b.md", POST, &site(url, Some("none"))),
        Some(format!("https://news.example.com/{ECON}/a-b.html"))
    );
    assert_eq!(
        link(
            "2026-01-02-a-b.md",
            POST,
            &site(url, Some("/news/:year/:slug"))
        ),
        Some("https://news.example.com/news/2026/a-b".into())
    );
}

#[test]
fn without_site_url_the_link_is_site_relative() {
    let text = "---\ntitle: t\nimage: /assets/img/a.jpg\n---\n<p>출처: <a href=\"/x.html\">상대</a> \
                <a href=\"https://a.example/1\">x</a></p>\n";
    let post = parse("2026-01-02-a.md", text, &site(None, None))
        .unwrap()
        .unwrap();
    assert_eq!(
        (post.link, post.image, post.source_links),
        (
            Some("/2026/01/02/a.html".into()),
            Some("/assets/img/a.jpg".into()),
            vec![SourceLink {
                url: "https://a.example/1".into(),
                text: "x".into(),
                kind: SourceKind::Original,
            }],
        )
    );
}

#[test]
fn site_url_with_a_base_path() {
    let text = "---\ntitle: t\nimage: assets/a.jpg\n---\n";
    let post = parse(
        "2026-01-02-a.md",
        text,
        &site(Some("https://x.example/blog/"), None),
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        (post.link.as_deref(), post.image.as_deref()),
        (
            Some("https://x.example/blog/2026/01/02/a.html"),
            Some("https://x.example/blog/assets/a.jpg")
        )
    );
}

#[test]
fn image_forms() {
    let base = Some("https://news.example.com");
    assert_eq!(
        absolute(base, "//cdn.example.org/a.jpg"),
        "https://cdn.example.org/a.jpg"
    );
    assert_eq!(
        absolute(base, "HTTP://cdn.example.org/a.jpg"),
        "HTTP://cdn.example.org/a.jpg"
    );
    assert_eq!(
        absolute(base, "/img/a.jpg?v=2"),
        "https://news.example.com/img/a.jpg?v=2"
    );
}

#[test]
fn front_matter_permalink_and_slug() {
    let url = Some("https://news.example.com");
    let text = "---\ntitle: t\nslug: Big News\npermalink: /속보/:slug/\n---\n";
    assert_eq!(
        link("2026-01-02-ignored.md", text, &site(url, None)),
        Some("https://news.example.com/%EC%86%8D%EB%B3%B4/big-news/".into())
    );
    let text = "---\ntitle: t\npermalink: /:year/:author/\n---\n";
    assert_eq!(
        parse("2026-01-02-a.md", text, &site(url, None)),
        Err(JekyllError::Permalink {
            path: "2026-01-02-a.md".into(),
            message: "unknown placeholder `:author` in permalink \"/:year/:author/\"".into(),
        })
    );
}

#[test]
fn invalid_dates_are_errors() {
    let text = "---\ntitle: t\ndate: 어제\n---\n";
    assert_eq!(
        parse("a.md", text, &site(None, None)),
        Err(JekyllError::Date {
            path: "a.md".into(),
            field: "`date`",
            value: "어제".into(),
        })
    );
    let err = parse("2026-13-40-a.md", POST, &site(None, None)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "2026-13-40-a.md: invalid date in file name: \"2026-13-40\""
    );
    // A front matter date makes the file name's date irrelevant, as in Jekyll.
    let text = "---\ndate: 2026-01-02\n---\n";
    assert!(parse("2026-13-40-a.md", text, &site(None, None)).is_ok());
}

#[test]
fn key_title_and_unclosed_front_matter() {
    let post = parse(
        "2026/01/2026-01-02-hello-world.md",
        "---\n---\n",
        &site(None, None),
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        (
            post.key.as_str(),
            post.title.as_str(),
            post.body_html.as_deref()
        ),
        (
            "file:2026/01/2026-01-02-hello-world",
            "Hello World",
            Some("")
        )
    );
    assert_eq!(
        parse("a.md", "---\ntitle: t\n", &site(None, None)),
        Err(JekyllError::FrontMatter {
            path: "a.md".into(),
            message: "the front matter opened by `---` on line 1 is never closed by `---`".into(),
            line: None,
            column: None,
        })
    );
}
