//! HTML → text with layout marks: tags removed, block elements as blank lines, `<br>` as a line
//! break, headings marked, scripts/styles/captions/images dropped. Entities are left for the caller.

/// Longest text taken for one tag: a `<` with no `>` within this many bytes is a literal `<`.
const MAX_TAG: usize = 2048;

/// Marks the start of a heading block in the output of [`strip`].
pub(crate) const HEADING_MARK: char = '\u{1}';

/// Elements whose whole content is dropped (not text a reader sees in the post's prose).
#[rustfmt::skip]
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "head", "title", "iframe", "object",
    "canvas", "select", "textarea", "button", "figcaption", "nav", "aside", "footer",
];

/// Elements that start and end a block of text.
#[rustfmt::skip]
const BLOCKS: &[&str] = &[
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td",
    "th", "caption", "blockquote", "pre", "hr", "section", "article", "header", "main", "figure",
    "address", "details", "summary", "center", "fieldset", "legend", "body", "html",
];

/// What one piece of markup at a `<` is.
enum Markup<'a> {
    /// Dropped without a trace (comments, doctypes, inline tags).
    Nothing,
    /// Literal text (CDATA content).
    Text(&'a str),
    Open(&'a str, bool),
    Close(&'a str),
}

/// Removes the HTML markup of `input`, keeping its text and its block layout as newlines.
pub(crate) fn strip(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut rest = 0;
    let mut from = 0;
    while let Some(found) = input[from..].find('<') {
        let lt = from + found;
        let Some((markup, end)) = parse(input, lt) else {
            from = lt + 1;
            continue;
        };
        out.push_str(&input[rest..lt]);
        rest = end;
        from = end;
        match markup {
            Markup::Nothing => {}
            Markup::Text(text) => out.push_str(text),
            Markup::Close(name) => {
                if is_heading(name) || is_one_of(name, BLOCKS) {
                    out.push_str("\n\n");
                }
            }
            Markup::Open(name, self_closing) => {
                if (is_one_of(name, SKIPPED) || image_table(input, end, name)) && !self_closing {
                    let skip_to = skip_element(input, end, name);
                    rest = skip_to;
                    from = skip_to;
                } else if name.eq_ignore_ascii_case("br") {
                    out.push('\n');
                } else if is_heading(name) {
                    out.push_str("\n\n");
                    out.push(HEADING_MARK);
                } else if is_one_of(name, BLOCKS) {
                    out.push_str("\n\n");
                } else if name.eq_ignore_ascii_case("img") {
                    // An image and its alt text are not prose; keep words apart.
                    out.push(' ');
                }
            }
        }
    }
    out.push_str(&input[rest..]);
    out
}

/// Removes tags only (no layout): for text that turned out to hold markup after decoding.
pub(crate) fn strip_flat(input: &str) -> String {
    strip(input)
        .chars()
        .map(|c| {
            if c == '\n' || c == HEADING_MARK {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// True when `text` holds something that parses as a tag, comment or declaration.
pub(crate) fn has_tag(text: &str) -> bool {
    let mut from = 0;
    while let Some(found) = text[from..].find('<') {
        let lt = from + found;
        if parse(text, lt).is_some() {
            return true;
        }
        from = lt + 1;
    }
    false
}

fn is_heading(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() == 2 && (b[0] == b'h' || b[0] == b'H') && (b'1'..=b'6').contains(&b[1])
}

fn is_one_of(name: &str, list: &[&str]) -> bool {
    list.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// Parses the markup starting at byte `lt` (a `<`); `None` when it is a literal `<`.
fn parse(s: &str, lt: usize) -> Option<(Markup<'_>, usize)> {
    let after = &s[lt + 1..];
    let b = after.as_bytes();
    if let Some(body) = after.strip_prefix("!--") {
        let end = body.find("-->").map_or(s.len(), |i| lt + 4 + i + 3);
        return Some((Markup::Nothing, end));
    }
    if let Some(body) = after.strip_prefix("![CDATA[") {
        let start = lt + 9;
        return Some(match body.find("]]>") {
            Some(i) => (Markup::Text(&s[start..start + i]), start + i + 3),
            None => (Markup::Text(&s[start..]), s.len()),
        });
    }
    match b.first() {
        Some(b'!' | b'?') => {
            let gt = gt_within(after, 0)?;
            Some((Markup::Nothing, lt + 1 + gt + 1))
        }
        Some(b'/') if b.get(1).is_some_and(u8::is_ascii_alphabetic) => {
            let name = tag_name(&after[1..]);
            let gt = gt_within(after, 0)?;
            Some((Markup::Close(name), lt + 1 + gt + 1))
        }
        Some(c) if c.is_ascii_alphabetic() => {
            let name = tag_name(after);
            let end = tag_end(after, name.len())?;
            let self_closing = after[..end].trim_end().ends_with('/');
            Some((Markup::Open(name, self_closing), lt + 1 + end + 1))
        }
        _ => None,
    }
}

fn tag_name(s: &str) -> &str {
    let end = s
        .bytes()
        .position(|c| !(c.is_ascii_alphanumeric() || c == b'-' || c == b':'))
        .unwrap_or(s.len());
    &s[..end]
}

/// Byte index of the `>` closing an open tag whose text starts at `s` (after the `<`),
/// honouring quoted attribute values; an unbalanced quote falls back to the first `>`.
fn tag_end(s: &str, from: usize) -> Option<usize> {
    let mut quote: Option<u8> = None;
    let limit = s.len().min(MAX_TAG);
    for (i, &c) in s.as_bytes()[..limit].iter().enumerate().skip(from) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return Some(i),
            None if c == b'<' => break,
            None => {}
        }
    }
    gt_within(s, from)
}

/// Byte index of the first `>` at or after `from` within the first [`MAX_TAG`] bytes of `s`.
fn gt_within(s: &str, from: usize) -> Option<usize> {
    let limit = s.len().min(MAX_TAG);
    s.as_bytes()
        .get(from..limit)?
        .iter()
        .position(|&c| c == b'>')
        .map(|i| from + i)
}

/// Whether a tag, comment or declaration starts at byte `lt` (a `<`) of `s`.
pub(crate) fn tag_at(s: &str, lt: usize) -> bool {
    s.as_bytes().get(lt) == Some(&b'<') && parse(s, lt).is_some()
}

/// Whether the `<table>` whose content starts at `from` only frames an image and its caption.
fn image_table(s: &str, from: usize, name: &str) -> bool {
    if !name.eq_ignore_ascii_case("table") {
        return false;
    }
    let end = skip_element(s, from, name);
    let inner = &s[from..end];
    let has_image = inner.contains("<img") || inner.contains("<IMG");
    has_image && strip(inner).chars().filter(|c| !c.is_whitespace()).count() <= MAX_CAPTION
}

/// Longest text of a table with an image that is taken as the image's caption.
const MAX_CAPTION: usize = 200;

/// Byte index just after the element `name`'s closing tag (or the end of `s`).
fn skip_element(s: &str, from: usize, name: &str) -> usize {
    let bytes = s.as_bytes();
    let mut at = from;
    while let Some(found) = s[at..].find("</") {
        let start = at + found + 2;
        let end = start + name.len();
        if end <= s.len()
            && bytes[start..end].eq_ignore_ascii_case(name.as_bytes())
            && !bytes
                .get(end)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-')
        {
            return s[end..].find('>').map_or(s.len(), |i| end + i + 1);
        }
        at = start;
    }
    s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_and_keeps_layout() {
        let html = "<h2 class=\"x\">제목</h2><p>첫 <b>문장</b>이다.<br/>둘째 줄</p><img alt=\"사진\" src=\"a.jpg\">끝";
        assert_eq!(
            strip(html),
            "\n\n\u{1}제목\n\n\n\n첫 문장이다.\n둘째 줄\n\n 끝"
        );
    }

    #[test]
    fn drops_scripts_comments_and_captions() {
        let html = "a<script>if (a < b) {}</script>b<!-- c -->d<figure><img src=x><figcaption>캡션</figcaption></figure>e<STYLE>p{}</STYLE>f";
        assert_eq!(strip(html), "abd\n\n \n\nef");
    }

    #[test]
    fn drops_image_tables_but_keeps_text_tables() {
        let html = "<table><tr><td><img src=a.jpg></td></tr><tr><td>사진 설명</td></tr></table>\
                    본문<table><tr><td>문의</td></tr></table>";
        assert_eq!(strip(html), "본문\n\n\n\n\n\n문의\n\n\n\n\n\n");
    }

    #[test]
    fn literal_angle_brackets_stay() {
        assert_eq!(strip("3 < 5 and 7 > 2, a<-b"), "3 < 5 and 7 > 2, a<-b");
        assert_eq!(strip("<a title=\"x>y\">link</a>"), "link");
        assert_eq!(strip("<a title=\"open>link"), "link");
        assert_eq!(strip("<b unclosed"), "<b unclosed");
        assert_eq!(strip("x<![CDATA[<raw>]]>y"), "x<raw>y");
    }

    #[test]
    fn unclosed_comment_drops_the_rest() {
        assert_eq!(strip("a<!-- never closed <p>b</p>"), "a");
    }

    #[test]
    fn detects_tags() {
        assert!(has_tag("x <b>y"));
        assert!(!has_tag("x < y > z"));
        assert_eq!(strip_flat("<p>a</p><h1>b</h1>"), "  a     b  ");
    }
}
