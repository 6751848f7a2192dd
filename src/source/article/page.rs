//! Article page bytes → its main text as clean HTML and its `og:image` (pure): the charset by
//! header, BOM or `<meta>` (EUC-KR/CP949 included), photo captions removed, the main text by
//! `dom_smoothie` (a port of Mozilla's Readability), without navigation, ads, related-article
//! lists and comments.

use std::borrow::Cow;

use encoding_rs::{EUC_KR, Encoding, UTF_8};
use url::Url;

use crate::pipeline::Page;
use crate::source::feed::charset;

/// How far into the page a `<meta charset>` is looked for.
const META_WINDOW: usize = 4096;
/// Elements the extractor looks at, at most (bounds the work on a huge page).
const MAX_ELEMENTS: usize = 20_000;
/// Photo captions as Korean news sites mark them up.
const CAPTIONS: &str = "figcaption, [class*=\"caption\"], [class*=\"img_desc\"], \
     [class*=\"photo_desc\"], [class*=\"desc_img\"], [class*=\"photo_txt\"]";

/// Shortest main text taken as an article, in characters.
const MIN_TEXT_CHARS: usize = 80;

/// Why a page gave no article text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    #[error("not an HTML page ({0})")]
    NotHtml(String),
    #[error("no article text found")]
    NoArticle,
    #[error("cannot extract the article: {0}")]
    Extract(String),
}

/// Extracts the main text of the page `bytes` served with `content_type` from `url`.
pub fn extract(bytes: &[u8], content_type: Option<&str>, url: &str) -> Result<Page, PageError> {
    check_html(bytes, content_type)?;
    let text = decode(bytes, content_type);
    let base = Url::parse(url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"));
    let config = dom_smoothie::Config {
        max_elements_to_parse: MAX_ELEMENTS,
        ..dom_smoothie::Config::default()
    };
    let document = dom_query::Document::from(text.as_ref());
    // Photo captions read like sentences of the article: gone before the extractor looks.
    document.select(CAPTIONS).remove();
    let mut reader = dom_smoothie::Readability::with_document(
        document,
        base.as_ref().map(Url::as_str),
        Some(config),
    )
    .map_err(|e| PageError::Extract(e.to_string()))?;
    let article = reader.parse().map_err(|e| match e {
        dom_smoothie::ReadabilityError::GrabFailed => PageError::NoArticle,
        other => PageError::Extract(other.to_string()),
    })?;
    if article.text_content.trim().chars().count() < MIN_TEXT_CHARS {
        return Err(PageError::NoArticle);
    }
    let image = article
        .image
        .as_deref()
        .and_then(|src| absolute_http(src, base.as_ref()));
    Ok(Page {
        html: article.content.to_string(),
        image,
    })
}

/// Refuses what is not HTML: a Content-Type of another kind, or bytes that are binary or do
/// not start with markup.
fn check_html(bytes: &[u8], content_type: Option<&str>) -> Result<(), PageError> {
    if let Some(ct) = content_type {
        let mime = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !mime.is_empty() && mime != "text/html" && mime != "application/xhtml+xml" {
            return Err(PageError::NotHtml(mime));
        }
    }
    let head = &bytes[..bytes.len().min(1024)];
    if head.contains(&0) {
        return Err(PageError::NotHtml("binary data".into()));
    }
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| &head[i..]);
    let markup = start.is_some_and(|s| {
        s.starts_with(b"<") || s.starts_with(b"\xEF\xBB\xBF<") || s.starts_with(b"\xFF\xFE")
    });
    if !markup {
        return Err(PageError::NotHtml("no markup".into()));
    }
    Ok(())
}

/// The page as text: the HTTP charset wins, then a BOM, then `<meta charset>` or
/// `<meta http-equiv content="…charset=…">`, then UTF-8; bytes that are not UTF-8 with no
/// charset named are taken as EUC-KR (CP949), the legacy encoding of Korean sites.
pub(crate) fn decode<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Cow<'a, str> {
    let encoding = content_type
        .and_then(charset::header_charset)
        .or_else(|| Encoding::for_bom(bytes).map(|(e, _)| e))
        .or_else(|| meta_charset(bytes))
        .unwrap_or_else(|| match std::str::from_utf8(bytes) {
            Ok(_) => UTF_8,
            Err(_) => EUC_KR,
        });
    let (text, _had_errors) = encoding.decode_with_bom_removal(bytes);
    text
}

/// The charset a `<meta>` tag names within the first [`META_WINDOW`] bytes.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let window = &bytes[..bytes.len().min(META_WINDOW)];
    let head = String::from_utf8_lossy(window).to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = head[from..].find("<meta") {
        let tag_start = from + i;
        let tag_end = head[tag_start..]
            .find('>')
            .map_or(head.len(), |e| tag_start + e);
        let tag = &head[tag_start..tag_end];
        if let Some(at) = tag.find("charset=") {
            let value = tag[at + "charset=".len()..].trim_start_matches(['"', '\'', ' ']);
            let end = value
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(value.len());
            if let Some(encoding) = charset::lookup(&value[..end]) {
                return Some(encoding);
            }
        }
        from = tag_end;
    }
    None
}

fn absolute_http(src: &str, base: Option<&Url>) -> Option<String> {
    let url = match Url::parse(src.trim()) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(src.trim()).ok()?,
        Err(_) => return None,
    };
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_by_header_then_meta_then_guess() {
        let (euc, _, _) = EUC_KR.encode("<p>관세청</p>");
        assert_eq!(
            decode(&euc, Some("text/html; charset=euc-kr")),
            "<p>관세청</p>"
        );
        let meta = [b"<meta charset=\"cp949\">".as_slice(), &euc].concat();
        assert_eq!(decode(&meta, None), "<meta charset=\"cp949\"><p>관세청</p>");
        let equiv = [
            b"<META http-equiv=\"Content-Type\" content=\"text/html; charset=EUC-KR\">".as_slice(),
            &euc,
        ]
        .concat();
        assert!(decode(&equiv, Some("text/html")).ends_with("<p>관세청</p>"));
        assert_eq!(decode(&euc, None), "<p>관세청</p>");
        assert_eq!(decode("<p>관세청</p>".as_bytes(), None), "<p>관세청</p>");
    }

    #[test]
    fn refuses_what_is_not_html() {
        let err = |bytes: &[u8], ct| extract(bytes, ct, "https://a.example/1").unwrap_err();
        assert_eq!(
            err(b"%PDF-1.7", Some("application/pdf")),
            PageError::NotHtml("application/pdf".into())
        );
        assert_eq!(
            err(b"\x89PNG\r\n\x1a\n\0\0", None),
            PageError::NotHtml("binary data".into())
        );
        assert_eq!(
            err(b"{\"a\": 1}", None),
            PageError::NotHtml("no markup".into())
        );
        assert_eq!(
            err(
                "<html><body><p>짧다.</p></body></html>".as_bytes(),
                Some("text/html")
            ),
            PageError::NoArticle
        );
        let app_shell = "<html><body><div id=\"root\"></div><script>window.__DATA__ = \
                         {\"body\": \"기사 본문은 스크립트가 그린다.\"};</script></body></html>";
        assert_eq!(
            err(app_shell.as_bytes(), Some("text/html")),
            PageError::NoArticle
        );
    }
}
