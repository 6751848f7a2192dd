use super::*;

fn edited(doc: &str) -> String {
    match normalize(doc) {
        Cow::Borrowed(_) => panic!("expected edits in {doc}"),
        Cow::Owned(out) => out,
    }
}

#[test]
fn standard_feeds_are_borrowed_untouched() {
    let rss = r#"<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title>
<item><title>a</title><link>https://a.example/1</link><guid>https://a.example/1</guid><dc:creator>x</dc:creator></item>
<item><title>b</title><guid isPermaLink="false">b</guid><dc:date>2023-01-01</dc:date></item></channel></rss>"#;
    assert!(matches!(normalize(rss), Cow::Borrowed(_)));
    let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">t</title>
<entry><title>a</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">x</div></content></entry></feed>"#;
    assert!(matches!(normalize(atom), Cow::Borrowed(_)));
    assert!(matches!(normalize("<html><rss/></html>"), Cow::Borrowed(_)));
}

#[test]
fn roots_get_the_namespace_and_version_feed_rs_knows() {
    assert_eq!(
        edited("<rss><channel><title>t</title></channel></rss>"),
        r#"<rss version="2.0"><channel><title>t</title></channel></rss>"#
    );
    assert_eq!(
        edited(r#"<rss version="2.0" xmlns="http://backend.userland.com/rss2"><channel/></rss>"#),
        r#"<rss version="2.0" xmlns="http://purl.org/rss/1.0/"><channel/></rss>"#
    );
    assert_eq!(
        edited(
            r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/"><item/></rdf:RDF>"#
        ),
        r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item/></rdf:RDF>"#
    );
}

#[test]
fn atom_03_dates_and_text_types() {
    let doc = r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><modified>2004-01-01T00:00:00Z</modified>
<entry><title type="text/plain" mode="xml">a &amp; b</title><issued>2003-12-13T08:29:29-04:00</issued>
<content type="text/html" mode="escaped">&lt;p&gt;x&lt;/p&gt;</content>
<content type="image/png" mode="base64">iVBORw0KGgo=</content></entry></feed>"#;
    assert_eq!(
        edited(doc),
        r#"<feed version="0.3" xmlns="http://www.w3.org/2005/Atom"><updated>2004-01-01T00:00:00Z</updated>
<entry><title type="text" mode="xml">a &amp; b</title><published>2003-12-13T08:29:29-04:00</published>
<content type="text/html" mode="escaped">&lt;p&gt;x&lt;/p&gt;</content>
</entry></feed>"#
    );
}

#[test]
fn atom_03_without_a_namespace_is_known_by_its_version() {
    assert_eq!(
        edited("<feed version='0.3'><entry><issued>2003-12-13</issued></entry></feed>"),
        "<feed version='0.3'><entry><published>2003-12-13</published></entry></feed>"
    );
    let atom10 = "<feed><entry><issued>2003-12-13</issued></entry></feed>";
    assert!(matches!(normalize(atom10), Cow::Borrowed(_)));
}

#[test]
fn unreadable_fields_are_dropped_alone() {
    let doc = r#"<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
<entry><title></title><summary type="text/x-unknown">s</summary><content type="application/octet-stream"/>
<media:group><media:description></media:description><media:title type="plain">m</media:title></media:group></entry></feed>"#;
    assert_eq!(
        edited(doc),
        r#"<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
<entry>
<media:group><media:title type="plain">m</media:title></media:group></entry></feed>"#
    );
}

#[test]
fn entries_get_link_title_date_and_author_fallbacks() {
    let rss = r#"<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<item><guid>https://a.example/1?a=1&amp;b=2</guid><dc:title><![CDATA[제목 <1>]]></dc:title></item>
<item><pubDate>Tue, 14 Nov 2023 09:00:00 +0900</pubDate><dc:date>2020-01-01</dc:date><title>t</title></item>
</channel></rss>"#;
    assert_eq!(
        edited(rss),
        r#"<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<item><guid>https://a.example/1?a=1&amp;b=2</guid><dc:title><![CDATA[제목 <1>]]></dc:title><title>제목 &lt;1&gt;</title><link>https://a.example/1?a=1&amp;b=2</link></item>
<item><pubDate>Tue, 14 Nov 2023 09:00:00 +0900</pubDate><title>t</title></item>
</channel></rss>"#
    );
    let atom = r#"<a:feed xmlns:a="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<a:entry><dc:creator>홍길동</dc:creator><dc:date>2023-11-14</dc:date></a:entry></a:feed>"#;
    assert_eq!(
        edited(atom),
        r#"<a:feed xmlns:a="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<a:entry><dc:creator>홍길동</dc:creator><dc:date>2023-11-14</dc:date><a:published>2023-11-14</a:published><a:author><a:name>홍길동</a:name></a:author></a:entry></a:feed>"#
    );
}

#[test]
fn malformed_input_keeps_edits_found_before_the_fault() {
    assert_eq!(
        edited("<rss><channel><item></channel>"),
        r#"<rss version="2.0"><channel><item></channel>"#
    );
    let long = format!(
        "<rss version='2.0'><channel><item><guid>https://a.example/{}</guid></item></channel></rss>",
        "x".repeat(CAPTURE_LIMIT)
    );
    assert!(matches!(normalize(&long), Cow::Borrowed(_)));
    for cut in 0..60 {
        let doc = "<rss><channel><item><dc:title>x</dc:title></item></channel></rss>";
        let _ = normalize(&doc[..cut]);
    }
}
