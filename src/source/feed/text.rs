//! Text helpers for feed fields: HTML → plain title text, first body image, absolute http(s) URLs.

use scraper::{Html, Selector};
use url::Url;

/// Collapses runs of whitespace to one space and trims the ends.
pub(super) fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Plain text of an HTML fragment: tags stripped, entities decoded, whitespace collapsed.
pub(super) fn html_to_text(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return collapse_whitespace(html);
    }
    let fragment = Html::parse_fragment(html);
    let text: String = fragment.root_element().text().collect();
    collapse_whitespace(&text)
}

/// `href` made absolute against `base`; only http(s) URLs are kept.
pub(super) fn absolute_http(href: &str, base: Option<&Url>) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let url = match Url::parse(href) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(href).ok()?,
        Err(_) => return None,
    };
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// The `src` of the first `<img>` in an HTML fragment that is not a 1×1 tracking pixel,
/// made absolute against `base`.
pub(super) fn first_image(html: &str, base: Option<&Url>) -> Option<String> {
    if !html.contains("<img") && !html.contains("<IMG") {
        return None;
    }
    let selector = Selector::parse("img[src]").ok()?;
    let fragment = Html::parse_fragment(html);
    fragment
        .select(&selector)
        .filter(|img| {
            let tiny = |attr| img.value().attr(attr).map(str::trim) == Some("1");
            !(tiny("width") || tiny("height"))
        })
        .find_map(|img| absolute_http(img.value().attr("src")?, base))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_to_text_strips_tags_and_decodes_entities() {
        assert_eq!(
            html_to_text("  <b>속보</b> 한&amp;일 &quot;회의&quot;\n  재개 &lt;3 "),
            "속보 한&일 \"회의\" 재개 <3"
        );
        assert_eq!(html_to_text("a < b and c > d"), "a < b and c > d");
        assert_eq!(html_to_text("plain\t title"), "plain title");
        assert_eq!(html_to_text("&unknown; &#xAC00;"), "&unknown; 가");
    }

    #[test]
    fn absolute_http_resolves_and_filters_schemes() {
        let base = Url::parse("https://news.example.com/feed.xml").ok();
        let base = base.as_ref();
        assert_eq!(
            absolute_http("/2024/01/a.html", base),
            Some("https://news.example.com/2024/01/a.html".into())
        );
        assert_eq!(
            absolute_http(" http://other.example/x ", base),
            Some("http://other.example/x".into())
        );
        assert_eq!(absolute_http("javascript:alert(1)", base), None);
        assert_eq!(absolute_http("data:image/png;base64,AAAA", base), None);
        assert_eq!(absolute_http("/relative", None), None);
        assert_eq!(absolute_http("", base), None);
    }

    #[test]
    fn first_image_skips_pixels_and_resolves() {
        let base = Url::parse("https://news.example.com/2024/05/01/post.html").ok();
        let html = r#"<p><img src="https://t.example/p.gif" width="1" height="1">
            <img alt="x"><img src="../img/a.jpg"><img src="/b.jpg"></p>"#;
        assert_eq!(
            first_image(html, base.as_ref()),
            Some("https://news.example.com/2024/05/img/a.jpg".into())
        );
        assert_eq!(first_image("<p>no images</p>", base.as_ref()), None);
    }
}
