//! HTML → lines of text and links: the shape credits are looked for in.

use scraper::{ElementRef, Html, Node};

/// A piece of one line: text outside links, or a link with its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Link { href: String, text: String },
}

/// One visual line: what lies between block boundaries (`<p>`, `<li>`, `<br>`, …).
pub type Line = Vec<Inline>;

/// Elements whose content is never a credit.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "head", "title", "iframe", "svg", "math",
    "button", "select", "textarea",
];

/// Elements that start and end a line.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "li",
    "main",
    "menu",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Parses `html` (a fragment or a whole document) into lines, in document order.
pub fn lines(html: &str) -> Vec<Line> {
    let doc = Html::parse_fragment(html);
    let mut out = Lines::default();
    let mut stack = vec![(doc.tree.root(), false)];
    while let Some((node, exiting)) = stack.pop() {
        match node.value() {
            Node::Text(text) if !exiting => out.text(text),
            Node::Element(element) => {
                let name = element.name();
                let block = BLOCKS.contains(&name);
                if exiting {
                    if block {
                        out.line_break();
                    }
                    continue;
                }
                if SKIPPED.contains(&name) {
                    continue;
                }
                if block {
                    out.line_break();
                }
                if name == "a"
                    && let Some(href) = element.attr("href")
                {
                    let text = ElementRef::wrap(node)
                        .map(|a| a.text().collect::<String>())
                        .unwrap_or_default();
                    out.link(href, text);
                    continue;
                }
                stack.push((node, true));
                stack.extend(node.children().rev().map(|c| (c, false)));
            }
            Node::Document | Node::Fragment => {
                stack.extend(node.children().rev().map(|c| (c, false)));
            }
            _ => {}
        }
    }
    out.finish()
}

#[derive(Default)]
struct Lines {
    done: Vec<Line>,
    current: Line,
}

impl Lines {
    fn text(&mut self, text: &str) {
        match self.current.last_mut() {
            Some(Inline::Text(last)) => last.push_str(text),
            _ => self.current.push(Inline::Text(text.to_owned())),
        }
    }

    fn link(&mut self, href: &str, text: String) {
        self.current.push(Inline::Link {
            href: href.to_owned(),
            text,
        });
    }

    fn line_break(&mut self) {
        let blank = self.current.iter().all(|i| match i {
            Inline::Text(t) => t.trim().is_empty(),
            Inline::Link { .. } => false,
        });
        if blank {
            self.current.clear();
        } else {
            self.done.push(std::mem::take(&mut self.current));
        }
    }

    fn finish(mut self) -> Vec<Line> {
        self.line_break();
        self.done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Inline {
        Inline::Text(s.into())
    }
    fn a(href: &str, text: &str) -> Inline {
        Inline::Link {
            href: href.into(),
            text: text.into(),
        }
    }

    #[test]
    fn splits_at_blocks_and_merges_inline_text() {
        assert_eq!(
            lines(
                "<p>출처: <a href=\"https://x/1\">제목 <b>굵게</b></a> | 뉴스</p>\
                 <p><b><span>자료출처</span></b>: 정책 &amp; 브리핑<br>다음 줄</p>\
                 <p>&nbsp;</p><nav><a href=\"/n\">메뉴</a></nav><script>var a;</script>\
                 <a href=\"/i\"><img src=\"/x.png\"></a><a name=\"n\">이름</a>"
            ),
            vec![
                vec![t("출처: "), a("https://x/1", "제목 굵게"), t(" | 뉴스")],
                vec![t("자료출처: 정책 & 브리핑")],
                vec![t("다음 줄")],
                vec![a("/i", ""), t("이름")],
            ]
        );
    }

    #[test]
    fn empty_input_has_no_lines() {
        assert_eq!(lines(""), Vec::<Line>::new());
        assert_eq!(lines("<p> </p>\n<div>\u{a0}</div>"), Vec::<Line>::new());
    }
}
