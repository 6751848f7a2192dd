//! Malformed and hostile input: always an error or a harmless parse, never a panic.

use sokbo::source::feed::{FeedError, parse_feed};

use super::fixture;

const BASE: &str = "https://h.example/feed";

#[test]
fn empty_and_blank_documents() {
    assert_eq!(parse_feed(b"", None, BASE), Err(FeedError::Empty));
    assert_eq!(parse_feed(b" \r\n\t ", None, BASE), Err(FeedError::Empty));
    assert_eq!(
        parse_feed(b"\xEF\xBB\xBF", None, BASE),
        Err(FeedError::Empty)
    );
}

#[test]
fn things_that_are_not_feeds() {
    assert_eq!(
        parse_feed(b"hello world", None, BASE),
        Err(FeedError::NotAFeed)
    );
    let html = b"<!DOCTYPE html><html><head><title>x</title></head><body><p>hi</p></body></html>";
    assert_eq!(
        parse_feed(html, Some("text/html"), BASE),
        Err(FeedError::NotAFeed)
    );
    assert_eq!(
        parse_feed(b"<rss version=\"9\"/>", None, BASE),
        Err(FeedError::NotAFeed)
    );
    let json = br#"{"version":"https://example.com/not-jsonfeed","title":"t","items":[]}"#;
    assert!(matches!(
        parse_feed(json, None, BASE),
        Err(FeedError::Malformed(_))
    ));
    assert!(matches!(
        parse_feed(b"[1,2,3]", None, BASE),
        Err(FeedError::NotAFeed)
    ));
    assert!(matches!(
        parse_feed(b"{\"items\":", None, BASE),
        Err(FeedError::Malformed(_))
    ));
}

#[test]
fn binary_garbage() {
    let mut rng = fastrand::Rng::with_seed(0x5eed);
    for len in [1, 7, 64, 4096, 65_536] {
        let bytes: Vec<u8> = (0..len).map(|_| rng.u8(..)).collect();
        let result = parse_feed(&bytes, None, BASE);
        assert!(result.is_err(), "{len} random bytes parsed as a feed");
        assert_ne!(result, Err(FeedError::ParserFailed));
    }
}

#[test]
fn truncated_documents_fail_cleanly() {
    for name in [
        "rss2_korean.xml",
        "atom_jekyll.xml",
        "rss1.rdf",
        "json_feed.json",
    ] {
        let doc = fixture(name);
        for cut in (1..doc.len() - 12).step_by(37) {
            let result = parse_feed(&doc[..cut], None, BASE);
            assert!(result.is_err(), "{name} cut at {cut} parsed");
            assert_ne!(result, Err(FeedError::ParserFailed), "{name} cut at {cut}");
        }
    }
}

#[test]
fn mutated_documents_never_panic() {
    let mut rng = fastrand::Rng::with_seed(42);
    for name in [
        "rss2_korean.xml",
        "atom_jekyll.xml",
        "rss1.rdf",
        "json_feed.json",
    ] {
        let original = fixture(name);
        for _ in 0..150 {
            let mut doc = original.clone();
            for _ in 0..rng.usize(1..8) {
                let at = rng.usize(..doc.len());
                doc[at] = *rng
                    .choice(b"<>&;\"'/![]{}:\0\xFF\xC0".iter())
                    .unwrap_or(&b'<');
            }
            let result = parse_feed(&doc, None, BASE);
            assert_ne!(result, Err(FeedError::ParserFailed), "{name}: {doc:?}");
        }
    }
}

#[test]
fn entity_expansion_is_not_performed() {
    let mut lol =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        lol.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    lol.push_str("]>\n");
    let bomb = format!("{lol}<lolz>&lol9;</lolz>");
    assert_eq!(
        parse_feed(bomb.as_bytes(), None, BASE),
        Err(FeedError::NotAFeed)
    );

    let in_feed = format!(
        "{lol}<rss version=\"2.0\"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>"
    );
    let feed = parse_feed(in_feed.as_bytes(), None, BASE).unwrap();
    assert_eq!(feed.title.as_deref(), Some("&lol9;"));
    assert_eq!(feed.posts[0].title, "&lol9;");
}

#[test]
fn huge_character_reference_runs_stay_linear() {
    let title = "&#xAC00;".repeat(50_000);
    let doc = format!(
        "<rss version=\"2.0\"><channel><item><title>{title}</title></item></channel></rss>"
    );
    let feed = parse_feed(doc.as_bytes(), None, BASE).unwrap();
    assert_eq!(feed.posts[0].title, "가".repeat(50_000));
}

#[test]
fn deep_nesting_is_refused_before_the_parser_recurses() {
    let depth = 100_000;
    let doc = format!(
        "<rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\"><channel><item>{}{}</item></channel></rss>",
        "<media:group>".repeat(depth),
        "</media:group>".repeat(depth)
    );
    assert_eq!(
        parse_feed(doc.as_bytes(), None, BASE),
        Err(FeedError::TooDeep { limit: 128 })
    );
}

#[test]
fn late_encoding_declarations_are_harmless() {
    // feed-rs switches decoders on any XML declaration; one after the first bytes would panic it.
    let doc = format!(
        "<rss version=\"2.0\"><channel><title>t</title>{}<?xml version=\"1.0\" encoding=\"UTF-16\"?><item><title>x</title><guid>g</guid></item></channel></rss>",
        " ".repeat(200)
    );
    let feed = parse_feed(doc.as_bytes(), None, BASE).unwrap();
    assert_eq!(feed.posts[0].title, "x");
}

#[test]
fn invalid_utf8_is_replaced_not_fatal() {
    let doc = b"<rss version=\"2.0\"><channel><item><title>ok \xFF\xFE end</title><guid>g</guid></item></channel></rss>";
    let feed = parse_feed(doc, Some("application/rss+xml; charset=utf-8"), BASE).unwrap();
    assert_eq!(feed.posts[0].title, "ok \u{FFFD}\u{FFFD} end");
}
