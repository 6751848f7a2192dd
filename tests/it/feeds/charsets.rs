//! Charsets: EUC-KR/CP949 declared in the prolog, the Content-Type header or both; UTF-16;
//! the header winning over a wrong prolog; undeclared EUC-KR, Shift_JIS, EUC-JP, GB18030 and
//! Big5 detected.

use encoding_rs::{BIG5, EUC_JP, EUC_KR, Encoding, GB18030, SHIFT_JIS, WINDOWS_1252};
use sokbo::model::{Post, PostKey};
use sokbo::source::feed::{ParsedFeed, parse_feed};

use super::{at, fixture};

const DECL: &str = r#"<?xml version="1.0" encoding="EUC-KR"?>"#;
const BASE: &str = "http://local.example.co.kr/rss/allArticle.xml";

fn utf8_source() -> String {
    String::from_utf8(fixture("rss2_euckr.utf8.xml")).expect("fixture source is UTF-8")
}

/// The fixture as EUC-KR bytes, with its XML declaration replaced by `decl`.
fn euc_kr(decl: &str) -> Vec<u8> {
    let source = utf8_source().replacen(DECL, decl, 1);
    let (bytes, _, had_unmappable) = EUC_KR.encode(&source);
    assert!(!had_unmappable, "every fixture character exists in CP949");
    bytes.into_owned()
}

fn expected() -> ParsedFeed {
    let link = "http://local.example.co.kr/news/articleView.html?idxno=5021";
    let description = "<p>시간당 50mm 폭우로 도로가 통제됐다.</p>";
    ParsedFeed {
        title: Some("지역신문 속보".into()),
        posts: vec![Post {
            key: PostKey(link.into()),
            title: "[속보] 폭우로 도로 통제… 똠방각하 햏 (CP949 확장 글자)".into(),
            link: Some(link.into()),
            categories: vec!["사회".into()],
            excerpt: Some(description.into()),
            body_html: Some(description.into()),
            published: at("2023-11-14T22:40:00Z"),
            updated: at("2023-11-14T22:40:00Z"),
            ..Post::default()
        }],
        ..ParsedFeed::default()
    }
}

#[test]
fn euc_kr_declared_in_prolog_only() {
    let bytes = euc_kr(DECL);
    assert_ne!(bytes, utf8_source().into_bytes());
    let feed = parse_feed(&bytes, Some("application/rss+xml"), BASE).unwrap();
    assert_eq!(feed, expected());
}

#[test]
fn euc_kr_declared_in_header_only() {
    let bytes = euc_kr(r#"<?xml version="1.0"?>"#);
    let feed = parse_feed(&bytes, Some("text/xml; charset=euc-kr"), BASE).unwrap();
    assert_eq!(feed, expected());
    let no_prolog = euc_kr("");
    let feed = parse_feed(&no_prolog, Some("application/xml;charset=\"CP949\""), BASE).unwrap();
    assert_eq!(feed, expected());
}

#[test]
fn euc_kr_declared_in_header_and_prolog() {
    let feed = parse_feed(&euc_kr(DECL), Some("text/xml; charset=EUC-KR"), BASE).unwrap();
    assert_eq!(feed, expected());
}

#[test]
fn header_charset_wins_over_a_wrong_prolog() {
    let bytes = euc_kr(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let feed = parse_feed(&bytes, Some("text/xml; charset=ks_c_5601-1987"), BASE).unwrap();
    assert_eq!(feed, expected());
    let bytes = euc_kr(r#"<?xml version="1.0" encoding="ISO-8859-1"?>"#);
    let feed = parse_feed(&bytes, Some("text/xml; charset=x-windows-949"), BASE).unwrap();
    assert_eq!(feed, expected());
}

#[test]
fn undeclared_euc_kr_is_detected() {
    let feed = parse_feed(&euc_kr(""), None, BASE).unwrap();
    assert_eq!(feed, expected());
    let feed = parse_feed(&euc_kr(r#"<?xml version="1.0"?>"#), Some("text/xml"), BASE).unwrap();
    assert_eq!(feed, expected());
}

/// An RSS document with no charset named anywhere, in `encoding`, and the post it holds.
fn undeclared(encoding: &'static Encoding, title: &str, description: &str) -> (Vec<u8>, Post) {
    let link = "https://news.example.com/a/1";
    let doc = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
         <item><title>{title}</title><link>{link}</link><description>{description}</description>\
         </item></channel></rss>"
    );
    let (bytes, _, unmappable) = encoding.encode(&doc);
    assert!(!unmappable, "{} holds every character", encoding.name());
    assert!(std::str::from_utf8(&bytes).is_err());
    let post = Post {
        key: PostKey(link.into()),
        title: title.into(),
        link: Some(link.into()),
        excerpt: Some(description.into()),
        body_html: Some(description.into()),
        ..Post::default()
    };
    (bytes.into_owned(), post)
}

#[test]
fn undeclared_cjk_encodings_are_detected() {
    let cases = [
        (
            SHIFT_JIS,
            "速報：東京で大雨、交通機関に乱れ",
            "気象庁によると、東京都心では一時間に五十ミリを超える激しい雨が降り、電車の運転見合わせが相次いでいます。",
        ),
        (
            EUC_JP,
            "日銀、金融政策の現状維持を決定",
            "日本銀行は金融政策決定会合で、短期金利の誘導目標を据え置くことを決めました。物価の見通しについても説明しました。",
        ),
        (
            GB18030,
            "北京举行新闻发布会",
            "国家统计局今天发布数据显示，上个月全国居民消费价格同比上涨百分之二，经济运行总体平稳。",
        ),
        (
            BIG5,
            "臺灣地區豪雨特報",
            "中央氣象署表示，受鋒面影響，北部地區今天將有局部大雨，請民眾注意安全並留意最新消息。",
        ),
    ];
    for (encoding, title, description) in cases {
        let (bytes, post) = undeclared(encoding, title, description);
        let feed = parse_feed(
            &bytes,
            Some("application/rss+xml"),
            "https://news.example.com/rss",
        )
        .unwrap_or_else(|e| panic!("{}: {e}", encoding.name()));
        let expected = ParsedFeed {
            title: Some(title.into()),
            posts: vec![post],
            ..ParsedFeed::default()
        };
        assert_eq!(feed, expected, "{}", encoding.name());
    }
}

#[test]
fn utf16_with_bom() {
    let source = utf8_source().replacen(DECL, r#"<?xml version="1.0" encoding="UTF-16"?>"#, 1);
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(source.encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(parse_feed(&bytes, None, BASE).unwrap(), expected());
}

#[test]
fn windows_1252_from_the_prolog() {
    let doc = r#"<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel>
<title>Café “news”</title><item><title>Crème brûlée</title><guid>g</guid></item></channel></rss>"#;
    let (bytes, _, _) = WINDOWS_1252.encode(doc);
    let feed = parse_feed(&bytes, None, "https://c.example/").unwrap();
    assert_eq!(feed.title.as_deref(), Some("Café “news”"));
    assert_eq!(feed.posts[0].title, "Crème brûlée");
}
