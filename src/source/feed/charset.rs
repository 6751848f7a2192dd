//! Feed bytes → UTF-8 text: the HTTP charset wins, then a BOM, then the XML prolog; bytes with
//! no charset named are UTF-8 when they are valid UTF-8, else guessed (chardetng: Shift_JIS,
//! EUC-JP, GB18030, Big5, EUC-KR, the single-byte encodings…).
//!
//! The decoded text has no BOM, no NUL characters and no non-UTF-8 `encoding` in any XML
//! declaration, so feed-rs (which re-decodes by the prolog) reads it as the UTF-8 it now is.

use std::borrow::Cow;
use std::ops::Range;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
use url::Url;

/// How far into the document the XML declaration is looked for.
const PROLOG_WINDOW: usize = 1024;

/// The encoding the bytes are in, by precedence: HTTP charset, BOM, XML prolog, UTF-8 when
/// valid, else a guess from the bytes and the top-level domain of `url`.
pub(crate) fn detect(
    bytes: &[u8],
    content_type: Option<&str>,
    url: Option<&Url>,
) -> &'static Encoding {
    content_type
        .and_then(header_charset)
        .or_else(|| Encoding::for_bom(bytes).map(|(encoding, _)| encoding))
        .or_else(|| prolog_encoding(bytes))
        .unwrap_or_else(|| match std::str::from_utf8(bytes) {
            Ok(_) => UTF_8,
            Err(_) => guess(bytes, url),
        })
}

/// Decodes `bytes` to UTF-8 text ready for feed-rs (see the module docs). Malformed sequences
/// become U+FFFD.
pub(crate) fn to_utf8<'a>(
    bytes: &'a [u8],
    content_type: Option<&str>,
    url: Option<&Url>,
) -> Cow<'a, str> {
    let encoding = detect(bytes, content_type, url);
    let (text, _had_errors) = encoding.decode_with_bom_removal(bytes);
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => Cow::Owned(rest.to_owned()),
        None => text,
    };
    let text = if text.contains('\0') {
        Cow::Owned(text.replace('\0', ""))
    } else {
        text
    };
    neutralize_encoding_decls(text)
}

/// The legacy encoding undeclared bytes are most likely in. The TLD tips close calls (a `.jp`
/// feed between Shift_JIS and EUC-KR); ISO-2022-JP is not guessed (it hides in ASCII).
fn guess(bytes: &[u8], url: Option<&Url>) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    // chardetng wants the last DNS label in lower-case ASCII (and panics on anything else).
    let tld = url
        .and_then(Url::host_str)
        .and_then(|host| host.rsplit('.').next())
        .filter(|label| !label.is_empty() && label.bytes().all(|b| b.is_ascii_lowercase()));
    detector.guess(tld.map(str::as_bytes), Utf8Detection::Deny)
}

/// An encoding by label, with the Korean aliases WHATWG leaves out (`cp949`, `ms949`, `uhc`).
/// Unknown labels and the "replacement" encoding give `None`.
pub(crate) fn lookup(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().trim_matches(['"', '\'']);
    let encoding = Encoding::for_label(label.as_bytes()).or_else(|| {
        let korean = [
            "cp949",
            "ms949",
            "uhc",
            "x-uhc",
            "x-windows-949",
            "windows949",
        ];
        korean
            .iter()
            .any(|alias| alias.eq_ignore_ascii_case(label))
            .then_some(encoding_rs::EUC_KR)
    })?;
    (encoding != encoding_rs::REPLACEMENT).then_some(encoding)
}

pub(crate) fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    let mime: mime::Mime = content_type.trim().parse().ok()?;
    lookup(mime.get_param(mime::CHARSET)?.as_str())
}

fn prolog_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.starts_with(b"<\0?\0") {
        return Some(UTF_16LE);
    }
    if bytes.starts_with(b"\0<\0?") {
        return Some(UTF_16BE);
    }
    let window = &bytes[..bytes.len().min(PROLOG_WINDOW)];
    let start = window.iter().position(|b| !b.is_ascii_whitespace())?;
    let decl = window[start..].strip_prefix(b"<?xml")?;
    let end = decl.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&decl[..end]).ok()?;
    let range = encoding_attrs(decl).next()?;
    lookup(attr_value(&decl[range]))
}

/// Byte ranges of the `encoding=...` pseudo-attributes in the inside of an XML declaration.
fn encoding_attrs(decl: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        loop {
            let found = pos + decl.get(pos..)?.find("encoding")?;
            let mut i = found + "encoding".len();
            pos = i;
            let bytes = decl.as_bytes();
            let skip_ws = |mut i: usize| {
                while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                    i += 1;
                }
                i
            };
            i = skip_ws(i);
            if bytes.get(i) != Some(&b'=') {
                continue;
            }
            i = skip_ws(i + 1);
            let end = match bytes.get(i) {
                Some(&quote @ (b'"' | b'\'')) => bytes[i + 1..]
                    .iter()
                    .position(|&b| b == quote)
                    .map_or(bytes.len(), |p| i + 1 + p + 1),
                _ => bytes[i..]
                    .iter()
                    .position(|b| b.is_ascii_whitespace())
                    .map_or(bytes.len(), |p| i + p),
            };
            pos = end;
            return Some(found..end);
        }
    })
}

/// The value of an `encoding=...` attribute text, without quotes.
fn attr_value(attr: &str) -> &str {
    attr.split_once('=')
        .map_or("", |(_, value)| value)
        .trim()
        .trim_matches(['"', '\''])
}

/// Removes every `encoding` pseudo-attribute that does not name UTF-8 from every XML declaration.
fn neutralize_encoding_decls(text: Cow<'_, str>) -> Cow<'_, str> {
    let mut cuts: Vec<Range<usize>> = Vec::new();
    let mut pos = 0;
    while let Some(found) = text.get(pos..).and_then(|rest| rest.find("<?xml")) {
        let inner = pos + found + "<?xml".len();
        let rest = &text[inner..];
        let end = inner + rest.find("?>").unwrap_or(rest.len());
        if rest.starts_with(|c: char| c.is_ascii_whitespace()) {
            let decl = &text[inner..end];
            cuts.extend(
                encoding_attrs(decl)
                    .filter(|range| lookup(attr_value(&decl[range.clone()])) != Some(UTF_8))
                    .map(|range| inner + range.start..inner + range.end),
            );
        }
        pos = end;
    }
    if cuts.is_empty() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for cut in cuts {
        out.push_str(&text[last..cut.start]);
        last = cut.end;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{EUC_KR, WINDOWS_1252};

    fn detect_no_url(bytes: &[u8], content_type: Option<&str>) -> &'static Encoding {
        detect(bytes, content_type, None)
    }

    #[test]
    fn precedence_header_bom_prolog_default() {
        let prolog = b"<?xml version=\"1.0\" encoding=\"EUC-KR\"?><rss/>";
        assert_eq!(detect_no_url(prolog, None), EUC_KR);
        assert_eq!(detect_no_url(prolog, Some("application/rss+xml")), EUC_KR);
        assert_eq!(
            detect_no_url(prolog, Some("text/xml; charset=utf-8")),
            UTF_8
        );
        let bom = [b"\xEF\xBB\xBF".as_slice(), prolog].concat();
        assert_eq!(detect_no_url(&bom, None), UTF_8);
        assert_eq!(
            detect_no_url(&bom, Some("text/xml; charset=\"cp949\"")),
            EUC_KR
        );
        assert_eq!(detect_no_url(b"<rss/>", None), UTF_8);
        assert_eq!(
            detect_no_url(b"<rss/>", Some("text/xml; charset=nonsense")),
            UTF_8
        );
        assert_eq!(detect_no_url(b"<\0?\0x\0m\0l\0", None), UTF_16LE);
        assert_eq!(
            detect_no_url(b"\n <?xml version='1.0' encoding = 'latin1' ?>", None),
            WINDOWS_1252
        );
    }

    #[test]
    fn lookup_knows_korean_aliases_and_rejects_replacement() {
        assert_eq!(lookup("CP949"), Some(EUC_KR));
        assert_eq!(lookup("ks_c_5601-1987"), Some(EUC_KR));
        assert_eq!(lookup("iso-2022-kr"), None);
        assert_eq!(lookup("x-unknown"), None);
    }

    #[test]
    fn decodes_and_drops_the_declared_encoding() {
        let (euc, _, _) = EUC_KR.encode("<?xml version=\"1.0\" encoding=\"euc-kr\"?><t>한국어</t>");
        assert_eq!(
            to_utf8(&euc, None, None),
            "<?xml version=\"1.0\" ?><t>한국어</t>"
        );
        assert_eq!(
            to_utf8(&euc, Some("text/xml;charset=EUC-KR"), None),
            "<?xml version=\"1.0\" ?><t>한국어</t>"
        );
        let utf8 = "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?><t>\0가</t>";
        assert_eq!(
            to_utf8(utf8.as_bytes(), None, None),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><t>가</t>"
        );
        let later =
            "<a>x</a><?xml version='1.0' encoding='UTF-16'?><?xml-stylesheet encoding='x'?>";
        assert_eq!(
            to_utf8(later.as_bytes(), None, None),
            "<a>x</a><?xml version='1.0' ?><?xml-stylesheet encoding='x'?>"
        );
    }
}
