//! parse_feed on fixture feeds: RSS 2.0, jekyll-feed Atom, JSON Feed 1.1, RSS 1.0, RSS 0.91,
//! charsets (tests/it/feeds/charsets.rs), legacy and lenient variants (tests/it/feeds/compat.rs)
//! and hostile input (tests/it/feeds/hostile.rs).

mod charsets;
mod compat;
mod hostile;

use std::time::Duration;

use chrono::{DateTime, Utc};
use sokbo::model::{Post, PostKey, SourceKind, SourceLink};
use sokbo::source::feed::{ParsedFeed, parse_feed};

pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/feeds/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn at(rfc3339: &str) -> Option<DateTime<Utc>> {
    Some(rfc3339.parse().expect("test timestamp"))
}

fn s(text: &str) -> Option<String> {
    Some(text.to_owned())
}

fn original(url: &str, text: &str) -> SourceLink {
    SourceLink {
        url: url.into(),
        text: text.into(),
        kind: SourceKind::Original,
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn rss2_korean_news() {
    let feed = parse_feed(
        &fixture("rss2_korean.xml"),
        Some("application/rss+xml; charset=UTF-8"),
        "https://newsdao.example.kr/rss.xml",
    )
    .expect("valid RSS 2.0");
    let body1 = "<p>출처: <a href=\"https://www.korea.kr/news/1870\">관세청</a></p>\n<p><img src=\"/assets/img/inline.jpg\" alt=\"회의\"> 한-일 관세청장 회의가 7년 만에 재개됐다.</p>";
    let desc2 = "<p><img src=\"/img/kospi.png\" width=\"600\"> 코스피가 외국인 매수세에 힘입어 반등했다.</p>";
    let expected = ParsedFeed {
        title: s("뉴스다오 & 속보"),
        ttl: Some(Duration::from_secs(15 * 60)),
        hub: s("https://pubsubhubbub.appspot.com/"),
        self_url: s("https://newsdao.example.kr/rss.xml"),
        posts: vec![
            Post {
                key: PostKey("newsdao-1870".into()),
                title: "[속보] 관세청 회의 재개 \"한일 협력\" 강화".into(),
                author: s("뉴스다오"),
                link: s("https://newsdao.example.kr/1870"),
                categories: strings(&["경제", "관세"]),
                excerpt: s("한-일 관세청장 회의가 7년 만에 재개돼 <b>교역 활성화</b>에 합의했다."),
                body_html: s(body1),
                image: s("https://newsdao.example.kr/assets/img/1870.jpg"),
                published: at("2023-11-14T00:00:00Z"),
                updated: at("2023-11-14T00:00:00Z"),
                source_links: vec![original("https://www.korea.kr/news/1870", "관세청")],
                ..Post::default()
            },
            Post {
                // No guid: the resolved link is the key (not feed-rs's generated hash).
                key: PostKey("https://newsdao.example.kr/market/2023/11/14/kospi.html".into()),
                title: "코스피 2,500선 회복… 외국인 순매수".into(),
                link: s("https://newsdao.example.kr/market/2023/11/14/kospi.html"),
                categories: strings(&["증권"]),
                excerpt: s(desc2),
                body_html: s(desc2),
                image: s("https://newsdao.example.kr/img/kospi.png"),
                published: at("2023-11-13T23:15:30Z"),
                updated: at("2023-11-13T23:15:30Z"),
                ..Post::default()
            },
            Post {
                key: PostKey::derive(None, None, "링크 없는 단신"),
                title: "링크 없는 단신".into(),
                excerpt: s("본문만 있는 짧은 소식."),
                body_html: s("본문만 있는 짧은 소식."),
                ..Post::default()
            },
        ],
    };
    assert_eq!(feed, expected);
    assert!(feed.posts[2].key.as_str().starts_with("hash:"));
}

#[test]
fn atom_in_jekyll_feed_shape() {
    let feed = parse_feed(
        &fixture("atom_jekyll.xml"),
        Some("application/atom+xml"),
        "https://whereispost.example.com/feed.xml",
    )
    .expect("valid Atom");
    let site = "https://whereispost.example.com";
    let body1 = "<p><img src=\"/assets/img/newsdao_breakingnews.jpg\" alt=\"뉴스다오 속보\" /></p>\n\n<p>출처: <a href=\"https://newsdao.kr/1870\" rel=\"dofollow\">한-일 관세청장 회의 7년 만에 재개…세관협력 강화 합의 - 관세청</a> | 뉴스다오</p>\n\n<h2 data-ke-size=\"size26\">한-일 관세청장 회의 재개 배경과 의의</h2>";
    let expected = ParsedFeed {
        title: s("whereispost | 실시간 뉴스 속보"),
        ttl: None,
        hub: None,
        self_url: s("https://whereispost.example.com/feed.xml"),
        posts: vec![
            Post {
                key: PostKey(format!("{site}/%EA%B2%BD%EC%A0%9C/2023/11/14/customs")),
                title: "관세청 회의 재개 한일 협력 강화 소식!".into(),
                author: s("whereispost"),
                link: Some(format!("{site}/%EA%B2%BD%EC%A0%9C/2023/11/14/customs.html")),
                categories: strings(&["경제", "관세청"]),
                excerpt: s(
                    "한-일 관세청장 회의가 7년 만에 재개돼 전자상거래무역 및 역내포괄적경제동반자협정 활성화를 통한 양국 간 교…",
                ),
                body_html: s(body1),
                image: Some(format!("{site}/assets/img/newsdao_breakingnews.jpg")),
                published: at("2023-11-14T00:00:00Z"),
                updated: at("2023-11-14T00:00:00Z"),
                source_links: vec![original(
                    "https://newsdao.kr/1870",
                    "한-일 관세청장 회의 7년 만에 재개…세관협력 강화 합의 - 관세청",
                )],
                ..Post::default()
            },
            Post {
                key: PostKey(format!("{site}/%EC%A0%95%EC%B9%98/2023/11/13/summit")),
                // jekyll-feed double-escapes (smartify, then xml_escape): `&amp;amp;` → `&`.
                title: "“속보” 한&일 정상회담 개최".into(),
                author: s("whereispost"),
                link: Some(format!("{site}/%EC%A0%95%EC%B9%98/2023/11/13/summit.html")),
                categories: strings(&["정치"]),
                excerpt: s("양국 정상이 만났다."),
                body_html: s(
                    "<p><img src=\"../../../../assets/img/summit.png\" alt=\"\" /> 양국 정상이 만났다.</p>",
                ),
                // No media:thumbnail: the first <img>, resolved against the content's xml:base.
                image: Some(format!("{site}/assets/img/summit.png")),
                published: at("2023-11-13T09:30:00Z"),
                updated: at("2023-11-13T11:00:00Z"),
                ..Post::default()
            },
        ],
    };
    assert_eq!(feed, expected);
}

#[test]
fn json_feed_1_1() {
    let feed = parse_feed(
        &fixture("json_feed.json"),
        Some("application/feed+json"),
        "https://brief.example.com/feed.json",
    )
    .expect("valid JSON Feed");
    let expected = ParsedFeed {
        title: s("속보 브리핑"),
        ttl: None,
        hub: s("https://websub.example.com/hub"),
        self_url: s("https://brief.example.com/feed.json"),
        posts: vec![
            Post {
                key: PostKey("https://brief.example.com/p/101".into()),
                title: "한국은행 기준금리 동결".into(),
                link: s("https://brief.example.com/p/101"),
                categories: strings(&["경제", "금리"]),
                excerpt: s("한국은행이 기준금리를 연 3.50%로 동결했다."),
                body_html: s(
                    "<p>출처: <a href=\"https://www.bok.or.kr/\">한국은행</a></p><p><img src=\"/inline/101.png\">금통위 결정.</p>",
                ),
                image: s("https://brief.example.com/images/101.jpg"),
                published: at("2023-11-30T01:20:00Z"),
                updated: at("2023-11-30T02:00:00Z"),
                source_links: vec![original("https://www.bok.or.kr/", "한국은행")],
                ..Post::default()
            },
            Post {
                key: PostKey("102".into()),
                title: "이미지 없는 텍스트 소식".into(),
                link: s("https://brief.example.com/p/102"),
                body_html: s("첫 줄 &lt;원문&gt;\n둘째 줄 &amp; 끝"),
                published: at("2023-11-30T09:00:00Z"),
                ..Post::default()
            },
        ],
    };
    assert_eq!(feed, expected);
}

#[test]
fn json_feed_numeric_ids_become_strings() {
    let doc = r#"{"version":"https://jsonfeed.org/version/1","title":"t",
        "items":[{"id":42,"title":"숫자 id","url":"https://x.example/42"}]}"#;
    let feed = parse_feed(doc.as_bytes(), None, "https://x.example/feed.json").unwrap();
    assert_eq!(feed.posts.len(), 1);
    assert_eq!(feed.posts[0].key, PostKey("42".into()));
}

#[test]
fn rss1_rdf() {
    let feed = parse_feed(&fixture("rss1.rdf"), None, "https://blog.example.jp/rss")
        .expect("valid RSS 1.0");
    let expected = ParsedFeed {
        title: s("RDF 뉴스"),
        ttl: None,
        hub: None,
        self_url: None,
        posts: vec![
            Post {
                // RSS 1.0 items carry no guid: the link is the key.
                key: PostKey("https://blog.example.jp/entry/1".into()),
                title: "첫 번째 <기사>".into(),
                link: s("https://blog.example.jp/entry/1"),
                excerpt: s("요약 & 설명"),
                body_html: s("<p>본문 <img src=\"img/1.gif\"></p>"),
                image: s("https://blog.example.jp/entry/img/1.gif"),
                published: at("2023-11-14T03:00:00Z"),
                ..Post::default()
            },
            Post {
                key: PostKey("https://blog.example.jp/entry/2".into()),
                title: "두 번째 기사".into(),
                link: s("https://blog.example.jp/entry/2"),
                excerpt: s("두 번째 요약"),
                body_html: s("두 번째 요약"),
                published: at("2023-11-14T04:00:00Z"),
                ..Post::default()
            },
        ],
    };
    assert_eq!(feed, expected);
}

#[test]
fn rss091_and_relative_links_without_a_fetch_url() {
    let doc = r#"<?xml version="1.0"?>
<rss version="0.91"><channel><title>Old &amp; Simple</title><link>https://old.example.org/</link>
<description>d</description>
<item><title>AT&amp;amp;T &lt;b&gt;news&lt;/b&gt;</title><link>/items/1</link><description>first</description></item>
</channel></rss>"#;
    // An unusable base: the channel's own link resolves relative item links.
    let feed = parse_feed(doc.as_bytes(), None, "not a url").expect("valid RSS 0.91");
    let expected = ParsedFeed {
        title: s("Old & Simple"),
        posts: vec![Post {
            key: PostKey("https://old.example.org/items/1".into()),
            // RSS titles are HTML: entity-encoded markup is stripped, double escapes decoded.
            title: "AT&T news".into(),
            link: s("https://old.example.org/items/1"),
            excerpt: s("first"),
            body_html: s("first"),
            ..Post::default()
        }],
        ..ParsedFeed::default()
    };
    assert_eq!(feed, expected);
}

#[test]
fn atom_keys_ignore_feed_rs_generated_ids() {
    let doc = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><title type="text">no id &lt;here&gt;</title><link href="https://a.example/x"/></entry>
<entry><title>neither id nor link</title></entry></feed>"#;
    let feed = parse_feed(doc.as_bytes(), None, "https://a.example/feed").unwrap();
    let keys: Vec<_> = feed.posts.iter().map(|p| p.key.clone()).collect();
    assert_eq!(
        keys,
        vec![
            PostKey("https://a.example/x".into()),
            PostKey::derive(None, None, "neither id nor link"),
        ]
    );
    // A text-typed Atom title is plain text: `<here>` is kept, not stripped as a tag.
    assert_eq!(feed.posts[0].title, "no id <here>");
}

#[test]
fn image_preference_thumbnail_then_media_then_enclosure_then_inline() {
    let doc = r#"<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>t</title>
<item><guid>a</guid><title>a</title>
  <description>&lt;img src="/inline-a.jpg"&gt;</description>
  <enclosure url="https://m.example/enc-a.jpg" type="image/jpeg" length="1"/>
  <media:content url="https://m.example/content-a.png" type="image/png"/>
  <media:thumbnail url="/thumb-a.jpg"/>
</item>
<item><guid>b</guid><title>b</title>
  <enclosure url="https://m.example/b.mp3" type="audio/mpeg" length="1"/>
  <media:content url="https://m.example/clip-b.mp4" type="video/mp4"/>
  <media:content url="https://m.example/content-b.webp"/>
</item>
<item><guid>c</guid><title>c</title>
  <description>&lt;p&gt;&lt;img src="https://px.example/1.gif" width="1" height="1"&gt;&lt;img src="c.png"&gt;&lt;/p&gt;</description>
  <enclosure url="https://m.example/c.mp3" type="audio/mpeg" length="1"/>
</item>
<item><guid>d</guid><title>d</title><link>https://m.example/d/</link>
  <description>&lt;img src="data:image/png;base64,AAAA"&gt;</description>
</item>
</channel></rss>"#;
    let feed = parse_feed(doc.as_bytes(), None, "https://m.example/feed/rss.xml").unwrap();
    let images: Vec<_> = feed.posts.iter().map(|p| p.image.as_deref()).collect();
    assert_eq!(
        images,
        vec![
            Some("https://m.example/thumb-a.jpg"),
            Some("https://m.example/content-b.webp"),
            Some("https://m.example/feed/c.png"),
            None,
        ]
    );
}
