//! Feeds liberal readers accept: permalink guids, Dublin Core fallbacks, RSS 0.90, UserLand's
//! RSS 2.0 namespace, `<rss>` without a version, Atom 0.3, and entries whose content feed-rs
//! cannot read (fixtures in tests/fixtures/feeds/compat/).

use sokbo::model::{Post, PostKey};
use sokbo::source::feed::{ParsedFeed, parse_feed};

use super::{at, fixture};

fn parse(name: &str, base: &str) -> ParsedFeed {
    let bytes = fixture(&format!("compat/{name}"));
    parse_feed(&bytes, None, base).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn s(text: &str) -> Option<String> {
    Some(text.to_owned())
}

/// A post with a key, title and link, the rest empty.
fn post(key: &str, title: &str, link: Option<&str>) -> Post {
    Post {
        key: PostKey(key.into()),
        title: title.into(),
        link: link.map(str::to_owned),
        ..Post::default()
    }
}

#[test]
fn permalink_guid_is_the_link_when_there_is_none() {
    let feed = parse("guid_permalink.xml", "https://guid.example.kr/rss.xml");
    let first = "https://guid.example.kr/news/1?from=rss&v=2";
    let expected = vec![
        Post {
            published: at("2023-11-14T00:00:00Z"),
            updated: at("2023-11-14T00:00:00Z"),
            ..post(first, "기본값 permalink guid", Some(first))
        },
        post(
            "/news/2",
            "상대 주소 permalink",
            Some("https://guid.example.kr/news/2"),
        ),
        post(
            "https://guid.example.kr/news/3",
            "permalink가 아닌 guid",
            None,
        ),
        post("tag:guid.example.kr,2023:4", "URL이 아닌 guid", None),
        post(
            "https://guid.example.kr/?p=5",
            "link가 이긴다",
            Some("https://guid.example.kr/news/5.html"),
        ),
    ];
    assert_eq!(feed.title.as_deref(), Some("guid 링크"));
    assert_eq!(feed.posts, expected);
}

#[test]
fn dublin_core_title_date_and_creator_fill_gaps_only() {
    let feed = parse("dublin_core.xml", "https://dc.example.kr/rss");
    let expected = vec![
        Post {
            author: s("김기자"),
            excerpt: s("첫 기사"),
            body_html: s("첫 기사"),
            published: at("2023-11-14T00:30:00Z"),
            updated: at("2023-11-14T00:30:00Z"),
            ..post(
                "https://dc.example.kr/1",
                "dc:title 만 있는 기사 & 속보",
                Some("https://dc.example.kr/1"),
            )
        },
        Post {
            author: s("이편집"),
            published: at("2023-11-14T23:00:00Z"),
            updated: at("2023-11-14T23:00:00Z"),
            ..post(
                "https://dc.example.kr/2",
                "제목이 이긴다",
                Some("https://dc.example.kr/2"),
            )
        },
    ];
    assert_eq!(feed.posts, expected);
}

#[test]
fn rss_090() {
    let feed = parse("rss090.rdf", "http://www.mozilla.org/news.rdf");
    let status = "http://www.mozilla.org/status/";
    let bugs = "http://www.mozilla.org/bugs/";
    let expected = ParsedFeed {
        title: s("Mozilla Dot Org"),
        posts: vec![
            post(status, "New Status Updates", Some(status)),
            post(bugs, "Bugzilla Reorganized", Some(bugs)),
        ],
        ..ParsedFeed::default()
    };
    assert_eq!(feed, expected);
}

#[test]
fn rss2_in_the_userland_namespace() {
    let feed = parse("userland_rss2.xml", "http://www.scripting.com/rss.xml");
    let link = "http://www.scripting.com/2002/09/30.html#a1";
    let description = "Items in the <b>rss2</b> namespace.";
    let expected = ParsedFeed {
        title: s("Scripting News"),
        posts: vec![Post {
            author: s("Dave"),
            categories: vec!["Syndication".into()],
            excerpt: s(description),
            body_html: s(description),
            published: at("2002-09-30T11:00:00Z"),
            updated: at("2002-09-30T11:00:00Z"),
            ..post(link, "UserLand namespace", Some(link))
        }],
        ..ParsedFeed::default()
    };
    assert_eq!(feed, expected);
}

#[test]
fn rss_without_a_version() {
    let feed = parse("rss_no_version.xml", "https://noversion.example.kr/rss");
    let link = "https://noversion.example.kr/a/1";
    let expected = ParsedFeed {
        title: s("버전 없는 RSS"),
        posts: vec![Post {
            excerpt: s("본문 요약"),
            body_html: s("본문 요약"),
            published: at("2023-11-15T22:00:00Z"),
            updated: at("2023-11-15T22:00:00Z"),
            ..post(link, "버전 속성이 없어도 읽힌다", Some(link))
        }],
        ..ParsedFeed::default()
    };
    assert_eq!(feed, expected);
}

#[test]
fn atom_03() {
    let feed = parse("atom03.xml", "http://diveintomark.example.org/atom.xml");
    let site = "http://diveintomark.example.org";
    let expected = ParsedFeed {
        title: s("dive into <mark>"),
        posts: vec![
            Post {
                author: s("Mark"),
                excerpt: s("The snapshot is out."),
                body_html: s("<p>The <a href=\"/spec\">spec</a> is out.</p>"),
                published: at("2003-12-13T12:29:29Z"),
                updated: at("2003-12-13T18:30:02Z"),
                ..post(
                    "tag:diveintomark.example.org,2003:3.2397",
                    "Atom 0.3 snapshot",
                    Some(&format!("{site}/2003/12/13/atom03")),
                )
            },
            Post {
                // The base64 content is dropped; the XHTML one after it is the body. No
                // author of its own: the feed's.
                author: s("Mark Pilgrim"),
                body_html: s("<p>inline <b>xhtml</b></p>"),
                published: at("2003-12-14T10:00:00Z"),
                ..post(
                    "tag:diveintomark.example.org,2003:3.2398",
                    "A base64 entry",
                    Some(&format!("{site}/2003/12/14/b64")),
                )
            },
        ],
        ..ParsedFeed::default()
    };
    assert_eq!(feed, expected);
}

#[test]
fn unreadable_content_costs_only_that_field() {
    let feed = parse("atom_bad_content.xml", "https://bad.example.kr/atom.xml");
    let link = |i: u32| format!("https://bad.example.kr/{i}");
    let expected = vec![
        Post {
            excerpt: s("요약은 남는다"),
            updated: at("2023-11-16T01:00:00Z"),
            ..post("urn:bad:1", "XML 본문", Some(&link(1)))
        },
        Post {
            published: at("2023-11-16T02:00:00Z"),
            ..post("urn:bad:2", "알 수 없는 타입", Some(&link(2)))
        },
        post("urn:bad:3", "base64 이미지", Some(&link(3))),
        Post {
            body_html: s("<p>정상 <b>본문</b></p>"),
            ..post("urn:bad:4", "정상 기사", Some(&link(4)))
        },
    ];
    assert_eq!(feed.posts, expected);
}
