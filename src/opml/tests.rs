use super::parse::clean;
use super::*;
use crate::config::FeedSource;

#[test]
fn names_get_the_first_free_suffix() {
    let mut names = Names::default();
    names.taken.insert("news (2)".into());
    let claimed: Vec<String> = ["news", "news", "news", "news (3)", "other", "news"]
        .into_iter()
        .map(|name| names.claim(name))
        .collect();
    assert_eq!(
        claimed,
        [
            "news",
            "news (3)",
            "news (4)",
            "news (3) (2)",
            "other",
            "news (5)"
        ]
    );
}

#[test]
fn names_and_categories_are_cleaned() {
    let cleaned: Vec<String> = ["  a\n\tb  c ", "\u{0}\u{7}", "x\u{1b}[31my", "", "경제"]
        .into_iter()
        .map(clean)
        .collect();
    assert_eq!(cleaned, ["a b c", "", "x[31my", "", "경제"]);
    let long = "가".repeat(500);
    assert_eq!(clean(&long).chars().count(), 200);
}

#[test]
fn categories_are_deduplicated_and_capped() {
    let items: Vec<String> = (0..100).map(|i| format!("c{i}")).collect();
    let text = format!(
        "<opml><body><outline text=\"Econ\"><outline text=\"x\" xmlUrl=\"https://x.example/\" \
         category=\"econ,ECON,/econ/,{}\"/></outline></body></opml>",
        items.join(",")
    );
    let feeds = import(&text).expect("valid");
    let mut expected = vec!["Econ".to_owned()];
    expected.extend(items.into_iter().take(MAX_CATEGORIES - 1));
    assert_eq!(feeds.len(), 1);
    assert_eq!(feeds[0].categories, expected);
}

#[test]
fn errors_name_the_line() {
    let text = "<opml>\n<body>\n\n  <outline text=\"a\" text=\"b\" xmlUrl=\"https://a.example/\"/>\n</body></opml>";
    assert_eq!(
        import(text),
        Err(OpmlError::Xml {
            line: 4,
            message: "position 17: duplicated attribute, previous declaration at position 8".into()
        })
    );
}

#[test]
fn new_feeds_compare_urls_after_parsing() {
    let existing = vec![FeedConfig::new(
        "a",
        FeedSource::Http("https://A.example".into()),
    )];
    let imported = import(
        "<opml><body><outline text=\"a\" xmlUrl=\"https://a.example/\"/>\
         <outline text=\"a\" xmlUrl=\"https://b.example/\"/></body></opml>",
    )
    .expect("valid");
    let added = new_feeds(&existing, imported);
    let summary: Vec<(&str, Option<&str>)> = added
        .iter()
        .map(|f| (f.name.as_str(), f.source.url()))
        .collect();
    assert_eq!(summary, [("a (2)", Some("https://b.example/"))]);
}
