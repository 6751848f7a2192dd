//! Inline markdown → text: emphasis, code, links, images, escapes and Liquid/kramdown tags removed.

/// Longest link, image or Liquid tag taken, in bytes (bounds the work per `[` or `{`).
const MAX_SPAN: usize = 2048;

/// Appends `line` to `out` without its inline markdown syntax.
pub(crate) fn strip_inline(line: &str, out: &mut String) {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'!' if b.get(i + 1) == Some(&b'[') => {
                if let Some(link) = link_at(line, i + 1) {
                    // An image: its alt text is not prose.
                    out.push(' ');
                    i = link.end;
                    continue;
                }
            }
            b'[' => {
                let footnote = line[i..]
                    .starts_with("[^")
                    .then(|| line[i..].find(']'))
                    .flatten();
                if let Some(close) = footnote {
                    i += close + 1;
                    continue;
                }
                if let Some(link) = link_at(line, i) {
                    strip_inline(&line[link.text.0..link.text.1], out);
                    i = link.end;
                    continue;
                }
            }
            b'`' => {
                i += 1;
                continue;
            }
            b'\\' if b.get(i + 1).is_some_and(u8::is_ascii_punctuation) => {
                out.push(char::from(b[i + 1]));
                i += 2;
                continue;
            }
            b'{' => {
                let close = match b.get(i + 1) {
                    Some(b'%') => Some("%}"),
                    Some(b'{') => Some("}}"),
                    Some(b':') => Some("}"),
                    _ => None,
                };
                if let Some(end) = close.and_then(|close| {
                    let window = &b[i + 2..b.len().min(i + 2 + MAX_SPAN)];
                    window
                        .windows(close.len())
                        .position(|w| w == close.as_bytes())
                        .map(|at| i + 2 + at + close.len())
                }) {
                    i = end;
                    continue;
                }
            }
            b'*' | b'_' | b'~' => {
                let run = b[i..].iter().take_while(|&&x| x == c).count();
                let prev = line[..i].chars().next_back();
                let next = line[i + run..].chars().next();
                if !keep_delimiter(c, run, prev, next) {
                    i += run;
                    continue;
                }
                out.push_str(&line[i..i + run]);
                i += run;
                continue;
            }
            _ => {}
        }
        // Copy up to the next byte that may start syntax (always an ASCII byte, so a char boundary).
        let next = b[i + 1..]
            .iter()
            .position(|x| matches!(x, b'!' | b'[' | b'`' | b'\\' | b'{' | b'*' | b'_' | b'~'))
            .map_or(b.len(), |p| i + 1 + p);
        out.push_str(&line[i..next]);
        i = next;
    }
}

/// Whether an emphasis-like delimiter run is literal text rather than markup.
fn keep_delimiter(c: u8, run: usize, prev: Option<char>, next: Option<char>) -> bool {
    let space = |x: Option<char>| x.is_none_or(char::is_whitespace);
    let word = |x: Option<char>| x.is_some_and(char::is_alphanumeric);
    match (c, run) {
        (b'~', 1) => true,
        (_, 1) if c == b'*' => space(prev) && space(next),
        (_, 1) => (word(prev) && word(next)) || (space(prev) && space(next)),
        _ => false,
    }
}

/// A `[text](target)` or `[text][ref]` found at a `[`: byte ranges in the line.
struct Link {
    text: (usize, usize),
    end: usize,
}

fn link_at(line: &str, open: usize) -> Option<Link> {
    let b = line.as_bytes();
    let close = matching(b, open, b'[', b']')?;
    match b.get(close + 1) {
        Some(b'(') => {
            let end = matching(b, close + 1, b'(', b')')?;
            Some(Link {
                text: (open + 1, close),
                end: end + 1,
            })
        }
        Some(b'[') => {
            let end = matching(b, close + 1, b'[', b']')?;
            Some(Link {
                text: (open + 1, close),
                end: end + 1,
            })
        }
        _ => None,
    }
}

/// Index of the bracket closing the one at `open`, allowing nesting.
fn matching(b: &[u8], open: usize, left: u8, right: u8) -> Option<usize> {
    let mut depth = 0usize;
    let limit = b.len().min(open.saturating_add(MAX_SPAN));
    for (i, &c) in b[..limit].iter().enumerate().skip(open) {
        if c == left {
            depth += 1;
        } else if c == right {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(s: &str) -> String {
        let mut out = String::new();
        strip_inline(s, &mut out);
        out
    }

    #[test]
    fn removes_emphasis_code_and_links() {
        assert_eq!(
            strip("**굵게** 와 *기울임* 그리고 __밑줄__ ~~취소~~ `code`"),
            "굵게 와 기울임 그리고 밑줄 취소 code"
        );
        assert_eq!(
            strip("[관세청](https://customs.go.kr/a_(b)) 발표 ![사진](x.jpg) 끝[^1]"),
            "관세청 발표   끝"
        );
        assert_eq!(strip("[**링크**][ref]"), "링크");
    }

    #[test]
    fn keeps_literal_symbols() {
        assert_eq!(
            strip("5 * 3, snake_case, 3~5일, [속보] 서울"),
            "5 * 3, snake_case, 3~5일, [속보] 서울"
        );
        assert_eq!(
            strip(r"\*별표\* {% include ad.html %}끝 {{ site.url }}"),
            "*별표* 끝 "
        );
        assert_eq!(strip("{: .note} 본문 {열린"), " 본문 {열린");
    }
}
