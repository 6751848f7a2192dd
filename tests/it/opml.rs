//! OPML export and import: fixtures from other readers, hostile input, config round trips.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sokbo::config::{Config, FeedConfig, FeedSource};
use sokbo::opml::{self, Imported, OpmlError, Skipped};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/opml")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn feed(name: &str, url: &str, categories: &[&str]) -> FeedConfig {
    FeedConfig {
        categories: categories.iter().map(|c| (*c).to_owned()).collect(),
        ..FeedConfig::new(name, FeedSource::Http(url.into()))
    }
}

#[test]
fn feedly_folders_become_categories() {
    let feeds = opml::import(&fixture("feedly.opml")).expect("feedly export");
    assert_eq!(
        feeds,
        [
            feed(
                "한국경제 - 증권",
                "https://www.hankyung.com/feed/finance",
                &["경제"]
            ),
            feed(
                "Where Is Post",
                "https://whereispost.example/feed.xml",
                &["경제", "Tech & Science"]
            ),
            feed(
                "Ars Technica",
                "https://feeds.arstechnica.com/arstechnica/index",
                &["Tech & Science"]
            ),
            feed(
                "blog.example.org",
                "http://blog.example.org/atom.xml?lang=ko&full=1",
                &["Tech & Science", "Blogs"]
            ),
            feed(
                "Ars Technica (2)",
                "https://arstechnica.example/feed/",
                &["Tech & Science", "Blogs"]
            ),
            feed("Podcast (no folder)", "https://podcast.example/rss", &[]),
        ]
    );
}

#[test]
fn plain_lists_keep_only_http_feeds() {
    let imported = opml::import_report(&fixture("plain.opml")).expect("plain list");
    let expected = Imported {
        feeds: vec![
            feed(
                "Daring Fireball",
                "https://daringfireball.net/feeds/main",
                &[],
            ),
            feed("Spaced Out Name", "https://spaced.example/feed", &[]),
            feed(
                "속보 — 연합뉴스",
                "https://www.yna.co.kr/rss/news.xml",
                &["뉴스/속보", "Korea"],
            ),
        ],
        skipped: ["Mail list", "Local file", "Scripted"]
            .into_iter()
            .map(|name| Skipped {
                name: name.into(),
                reason: "its xmlUrl is not an http(s) URL".into(),
            })
            .collect(),
    };
    assert_eq!(imported, expected);
}

#[test]
fn hostile_and_broken_files_are_errors() {
    let results: Vec<(&str, Result<Vec<FeedConfig>, OpmlError>)> = [
        "doctype.opml",
        "truncated.opml",
        "mismatched.opml",
        "unknown_entity.opml",
        "rss.xml",
    ]
    .into_iter()
    .map(|name| (name, opml::import(&fixture(name))))
    .collect();
    let errors: Vec<(&str, String)> = results
        .into_iter()
        .map(|(name, result)| (name, result.expect_err(name).to_string()))
        .collect();
    assert_eq!(
        errors,
        [
            (
                "doctype.opml",
                "line 2: DOCTYPE declarations are not accepted in OPML".to_owned()
            ),
            (
                "truncated.opml",
                "not well-formed XML (line 6): the document ends before </opml> (truncated file?)"
                    .to_owned()
            ),
            (
                "mismatched.opml",
                "not well-formed XML (line 6): ill-formed document: expected `</outline>`, but `</folder>` was found".to_owned()
            ),
            (
                "unknown_entity.opml",
                "not well-formed XML (line 4): at 4..10: unrecognized entity `eacute`".to_owned()
            ),
            (
                "rss.xml",
                "not an OPML document: the root element is <rss>, expected <opml>".to_owned()
            ),
        ]
    );
}

#[test]
fn deep_nesting_many_feeds_and_size_are_bounded() {
    let depth = opml::MAX_DEPTH + 10;
    let deep = format!(
        "<opml><body>{}{}</body></opml>",
        "<outline text=\"f\">".repeat(depth),
        "</outline>".repeat(depth)
    );
    assert_eq!(
        opml::import(&deep),
        Err(OpmlError::TooDeep {
            line: 1,
            max: opml::MAX_DEPTH
        })
    );

    let many: String = (0..=opml::MAX_FEEDS)
        .map(|i| format!("<outline text=\"f\" xmlUrl=\"https://e.example/{i}\"/>"))
        .collect();
    let many = format!("<opml><body>{many}</body></opml>");
    assert_eq!(
        opml::import(&many),
        Err(OpmlError::TooMany {
            max: opml::MAX_FEEDS
        })
    );

    let large = " ".repeat(opml::MAX_BYTES + 1);
    assert_eq!(
        opml::import(&large),
        Err(OpmlError::TooLarge {
            bytes: opml::MAX_BYTES + 1,
            max: opml::MAX_BYTES
        })
    );
}

#[test]
fn odd_but_harmless_documents() {
    assert_eq!(opml::import(""), Err(OpmlError::Empty));
    assert_eq!(
        opml::import("<opml version=\"2.0\"><head/></opml>"),
        Err(OpmlError::NoBody)
    );
    assert_eq!(opml::import("<opml><body/></opml>"), Ok(vec![]));
    // Binary junk and stray markup: an error, never a panic.
    for junk in [
        "\u{0}\u{1}<<>>",
        "<opml><body><outline xmlUrl=\"a\" xmlUrl=\"b\"/></body></opml>",
        "<opml><body><outline text=\"x></body></opml>",
        "<opml></opml><opml/>",
    ] {
        assert!(opml::import(junk).is_err(), "{junk:?}");
    }
}

#[test]
fn export_then_import_gives_the_feeds_back() {
    let mut weird = feed(
        "Q&A <\"quoted\"> 'single' 경제",
        "https://example.com/feed?a=1&b=<2>",
        &["경제", "IT/과학"],
    );
    weird.interval = Duration::from_secs(60);
    let folder = FeedConfig::new(
        "local posts",
        FeedSource::Folder(PathBuf::from("/srv/site/_posts")),
    );
    let feeds = vec![
        feed("plain", "http://plain.example/rss", &[]),
        folder,
        weird.clone(),
    ];
    let text = opml::export(&feeds);
    assert_eq!(
        text,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <opml version=\"2.0\">\n  <head>\n    <title>sokbo feeds</title>\n  </head>\n  <body>\n    \
         <outline type=\"rss\" text=\"plain\" title=\"plain\" xmlUrl=\"http://plain.example/rss\"/>\n    \
         <outline type=\"rss\" text=\"Q&amp;A &lt;&quot;quoted&quot;&gt; 'single' 경제\" \
         title=\"Q&amp;A &lt;&quot;quoted&quot;&gt; 'single' 경제\" \
         xmlUrl=\"https://example.com/feed?a=1&amp;b=&lt;2&gt;\" category=\"경제,IT/과학\"/>\n    \
         <!-- 1 folder source left out: OPML lists only http(s) feeds -->\n  </body>\n</opml>\n"
    );
    let back = opml::import(&text).expect("own export");
    assert_eq!(back, vec![feeds[0].clone(), weird]);
}

#[test]
fn toml_entries_load_back_through_the_config_loader() {
    let mut imported = opml::import(&fixture("feedly.opml")).expect("feedly export");
    imported[0].breaking = true;
    imported[1].interval = Duration::from_secs(5400);
    imported.push(FeedConfig {
        site_url: Some("https://site.example".into()),
        permalink: Some("/:categories/:title/".into()),
        ..FeedConfig::new(
            "back\\slash \"quote\"\nnewline\ttab",
            FeedSource::Folder(PathBuf::from("/srv/site/_posts")),
        )
    });
    let text = opml::to_toml(&imported);
    let config = Config::from_toml(&text, "imported", Path::new("/")).expect("valid config");
    assert_eq!(config.feeds, imported);

    let first = text.split("\n\n").next().unwrap_or_default();
    assert_eq!(
        first,
        "[[feeds]]\n\
         name = \"한국경제 - 증권\"\n\
         url = \"https://www.hankyung.com/feed/finance\"\n\
         interval = \"1m\"\n\
         categories = [\"경제\"]\n\
         breaking = true"
    );
}

#[test]
fn appended_entries_skip_known_urls_and_rename_taken_names() {
    let existing = vec![
        feed(
            "Ars Technica",
            "https://feeds.arstechnica.com/arstechnica/index",
            &[],
        ),
        feed("Podcast (no folder)", "https://other.example/rss", &[]),
    ];
    let imported = opml::import(&fixture("feedly.opml")).expect("feedly export");
    let added = opml::new_feeds(&existing, imported);
    let names: Vec<&str> = added.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "한국경제 - 증권",
            "Where Is Post",
            "blog.example.org",
            "Ars Technica (2)",
            "Podcast (no folder) (2)"
        ]
    );
    let mut config_text = String::from("[bot]\nlanguage = \"en\"\n\n");
    config_text.push_str(&opml::to_toml(&existing));
    config_text.push('\n');
    config_text.push_str(&opml::to_toml(&added));
    let config = Config::from_toml(&config_text, "merged", Path::new("/")).expect("no clashes");
    assert_eq!(config.feeds.len(), 7);
}
