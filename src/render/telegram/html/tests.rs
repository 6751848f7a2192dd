//! The HTML checker against tdlib's behaviour and the stricter rules, and escaping round trips.

use super::*;

fn err(text: &str) -> String {
    match validate_html(text) {
        Ok(n) => panic!("accepted {text:?} ({n} units)"),
        Err(e) => e,
    }
}

#[test]
fn visible_text_of_a_message_with_every_supported_tag() {
    let html = "<b>굵게</b> <strong>s</strong> <i>i</i><em>e</em> <u>u</u><ins>n</ins> \
                <s>s</s><strike>k</strike><del>d</del> <tg-spoiler>x</tg-spoiler>\
                <span class=\"tg-spoiler\">y</span> <a href=\"https://a.kr/?q=1&amp;r=&quot;2&quot;\">링크</a> \
                <tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji> <code>c&lt;d</code> \
                <pre><code class=\"language-rust\">fn</code></pre><blockquote expandable>q</blockquote>";
    let parsed = parse_html(html).unwrap();
    assert_eq!(
        parsed,
        ParsedHtml {
            text: "굵게 s ie un skd xy 링크 👍 c<d fnq".to_owned(),
            utf16_len: 31,
        }
    );
}

#[test]
fn entities_decode_and_count_in_utf16_units() {
    assert_eq!(
        parse_html("&lt;&gt;&amp;&quot;&#33;&#x1F534;").unwrap(),
        ParsedHtml {
            text: "<>&\"!🔴".to_owned(),
            utf16_len: 7,
        }
    );
    assert_eq!(validate_html("한국어 🔴"), Ok(6));
    assert_eq!(validate_html(""), Ok(0));
}

#[test]
fn tag_names_are_case_insensitive_and_end_tags_may_be_empty() {
    assert_eq!(validate_html("<B>x</b><I>y</>"), Ok(2));
    assert_eq!(validate_html("<a href=https>x</a >"), Ok(1));
}

#[test]
fn tdlib_errors_with_byte_offsets() {
    assert_eq!(
        err("ab<script>x</script>"),
        "Unsupported start tag \"script\" at byte offset 2"
    );
    assert_eq!(
        err("<p>x</p>"),
        "Unsupported start tag \"p\" at byte offset 0"
    );
    assert_eq!(err("x < y"), "Unsupported start tag \"\" at byte offset 2");
    assert_eq!(err("<b"), "Unclosed start tag at byte offset 0");
    assert_eq!(err("x</b>"), "Unexpected end tag at byte offset 1");
    assert_eq!(err("<b>x</b"), "Unclosed end tag at byte offset 4");
    assert_eq!(
        err("<b>x</i>"),
        "Unmatched end tag at byte offset 4, expected \"</b>\", found \"</i>\""
    );
    assert_eq!(
        err("<b><i>x</b></i>"),
        "Unmatched end tag at byte offset 7, expected \"</i>\", found \"</b>\""
    );
    assert_eq!(
        err("<b>x"),
        "Can't find end tag corresponding to start tag \"b\""
    );
    assert_eq!(
        err("<span>x</span>"),
        "Tag \"span\" must have class \"tg-spoiler\" at byte offset 0"
    );
    assert_eq!(
        err("<a href>x</a>"),
        "Expected equal sign in declaration of an attribute of the tag \"a\" at byte offset 0"
    );
    assert_eq!(
        err("<a href=x/y>x</a>"),
        "Unexpected end of name token at byte offset 8"
    );
    assert_eq!(
        err("<a href=\"https://x"),
        "Unclosed start tag at byte offset 0"
    );
    assert_eq!(
        err("<tg-emoji emoji-id=\"abc\">x</tg-emoji>"),
        "Invalid custom emoji identifier specified"
    );
}

#[test]
fn stricter_than_tdlib_on_escaping() {
    assert_eq!(err("Q&A"), "Unescaped \"&\" at byte offset 1");
    assert_eq!(err("&amp"), "Unescaped \"&\" at byte offset 0");
    assert_eq!(err("&nbsp;"), "Unescaped \"&\" at byte offset 0");
    assert_eq!(err("&#0;"), "Unescaped \"&\" at byte offset 0");
    assert_eq!(err("&#xD800;"), "Unescaped \"&\" at byte offset 0");
    assert_eq!(err("&#99999999;"), "Unescaped \"&\" at byte offset 0");
    assert_eq!(err("a > b"), "Unescaped \">\" at byte offset 2");
    assert_eq!(
        err("<a href=\"https://x/?a=1&b=2\">x</a>"),
        "Unescaped \"&\" in an attribute value at byte offset 23"
    );
    assert_eq!(
        err("<a href='https://x/<'>x</a>"),
        "Unescaped \"<\" in an attribute value at byte offset 19"
    );
}

#[test]
fn stricter_than_tdlib_on_nesting() {
    assert_eq!(
        err("<a href=\"https://a\"><a href=\"https://b\">x</a></a>"),
        "Tag \"a\" can't be nested in tag \"a\" at byte offset 20"
    );
    assert_eq!(
        err("<code><b>x</b></code>"),
        "Tag \"b\" can't be nested in tag \"code\" at byte offset 6"
    );
    assert_eq!(
        err("<pre><b>x</b></pre>"),
        "Tag \"b\" can't be nested in tag \"pre\" at byte offset 5"
    );
    assert_eq!(
        err("<blockquote><blockquote>x</blockquote></blockquote>"),
        "Tag \"blockquote\" can't be nested in tag \"blockquote\" at byte offset 12"
    );
    assert_eq!(
        validate_html("<b><i><u><a href=\"https://x\">x</a></u></i></b>"),
        Ok(1)
    );
}

#[test]
fn escaping_round_trips_through_the_parser() {
    let hostile = "<script>alert(\"x\")</script> & &amp; Q&A > \u{1F534} '";
    assert_eq!(
        escape_text(hostile),
        "&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; &amp;amp; Q&amp;A &gt; \u{1F534} '"
    );
    assert_eq!(parse_html(&escape_text(hostile)).unwrap().text, hostile);
    let html = format!("<a href=\"{}\">x</a>", escape_attr(hostile));
    assert!(escape_attr(hostile).contains("&quot;x&quot;"));
    assert_eq!(validate_html(&html), Ok(1));
}

#[test]
fn arbitrary_escaped_text_is_always_accepted_with_its_length() {
    let mut rng = fastrand::Rng::with_seed(7);
    let alphabet: Vec<char> = "<>&\"';#x0a가나 \n\t🔴é\u{0}\u{200d}/=".chars().collect();
    for _ in 0..2000 {
        let len = rng.usize(0..40);
        let s: String = (0..len)
            .map(|_| alphabet[rng.usize(0..alphabet.len())])
            .collect();
        let parsed = parse_html(&escape_text(&s)).unwrap();
        assert_eq!(parsed.text, s);
        assert_eq!(parsed.utf16_len, s.encode_utf16().count());
        let href = s.replace('\u{0}', "");
        let attr = format!("<a href=\"{}\">{}</a>", escape_attr(&href), escape_text(&s));
        assert_eq!(validate_html(&attr), Ok(s.encode_utf16().count()));
    }
}

#[test]
fn random_markup_never_panics() {
    let mut rng = fastrand::Rng::with_seed(11);
    let pieces = [
        "<",
        ">",
        "&",
        "</",
        "<b>",
        "</b>",
        "<a href=\"",
        "\"",
        "'",
        "=",
        " ",
        "&#",
        "&#x",
        ";",
        "1",
        "F",
        "가",
        "🔴",
        "<pre>",
        "<code",
        "</code>",
        "expandable",
        "<blockquote",
        "\u{0}",
        "/",
    ];
    for _ in 0..5000 {
        let n = rng.usize(0..12);
        let s: String = (0..n).map(|_| pieces[rng.usize(0..pieces.len())]).collect();
        if let Ok(parsed) = parse_html(&s) {
            assert_eq!(parsed.utf16_len, utf16_len(&parsed.text));
        }
    }
}
