//! HTML and/or markdown → clean text blocks (paragraphs, headings, list items, table cells) of
//! lines with no markup, entities decoded, invisible characters dropped and whitespace collapsed.

use super::html::{self, HEADING_MARK};
use super::markdown;

/// One block of text: its lines in order (each already clean and non-empty).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Block {
    pub lines: Vec<String>,
    pub heading: bool,
}

/// Clean text of `input` (HTML, markdown or both) on one line: no markup, entities decoded,
/// whitespace collapsed. Images (and their alt text), scripts and styles are dropped.
pub fn plain_text(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for line in blocks(input).iter().flat_map(|b| &b.lines) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// The blocks of `input`, in order.
pub(crate) fn blocks(input: &str) -> Vec<Block> {
    let text = html::strip(input);
    let lines: Vec<&str> = text.split('\n').collect();
    let mut blocks = Vec::new();
    let mut cur = Block::default();
    let mut fence: Option<&str> = None;
    for (n, raw) in lines.iter().enumerate() {
        let mut t = raw.trim();
        if let Some(open) = fence {
            if t.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if t.is_empty() {
            flush(&mut blocks, &mut cur);
            continue;
        }
        if let Some(rest) = t.strip_prefix(HEADING_MARK) {
            flush(&mut blocks, &mut cur);
            cur.heading = true;
            t = rest.trim();
        }
        if let Some(open) = fence_marker(t) {
            flush(&mut blocks, &mut cur);
            if lines[n + 1..].iter().any(|l| l.trim().starts_with(open)) {
                fence = Some(open);
            }
            continue;
        }
        if is_rule(t, '=') || (is_rule(t, '-') && !cur.lines.is_empty()) {
            cur.heading = !cur.lines.is_empty();
            flush(&mut blocks, &mut cur);
            continue;
        }
        if is_rule(t, '-') || is_rule(t, '*') || is_rule(t, '_') {
            flush(&mut blocks, &mut cur);
            continue;
        }
        while let Some(rest) = t.strip_prefix('>') {
            t = rest.trim_start();
        }
        if let Some(text) = atx_heading(t) {
            flush(&mut blocks, &mut cur);
            cur.heading = true;
            push_line(&mut cur, text);
            flush(&mut blocks, &mut cur);
            continue;
        }
        if let Some(rest) = list_item(t) {
            flush(&mut blocks, &mut cur);
            t = rest;
        }
        if t.starts_with('|') {
            flush(&mut blocks, &mut cur);
            for cell in t.split('|') {
                if !cell.trim().chars().all(|c| matches!(c, '-' | ':' | ' ')) {
                    push_line(&mut cur, cell);
                    flush(&mut blocks, &mut cur);
                }
            }
            continue;
        }
        if is_reference_definition(t) {
            continue;
        }
        push_line(&mut cur, t);
    }
    flush(&mut blocks, &mut cur);
    blocks
}

fn flush(blocks: &mut Vec<Block>, cur: &mut Block) {
    if cur.lines.is_empty() {
        cur.heading = false;
    } else {
        blocks.push(std::mem::take(cur));
    }
}

fn push_line(cur: &mut Block, raw: &str) {
    let line = line(raw);
    if !line.is_empty() {
        cur.lines.push(line);
    }
}

/// One line of text made clean: entities decoded, inline markdown and any markup that decoding
/// revealed removed, invisible characters dropped, whitespace collapsed.
pub(crate) fn line(raw: &str) -> String {
    let mut cur = raw.to_owned();
    for _ in 0..6 {
        let decoded = html_escape::decode_html_entities(&cur);
        let visible: String = decoded.chars().filter(|&c| !invisible(c)).collect();
        let mut next = String::with_capacity(visible.len());
        markdown::strip_inline(&visible, &mut next);
        if html::has_tag(&next) {
            next = html::strip_flat(&next);
        }
        let done = !has_residue(&next);
        cur = next;
        if done {
            return collapse(&cur);
        }
    }
    collapse(&scrub(&cur))
}

/// Markup left in clean text: tags, entities, markdown delimiters.
pub(crate) fn has_residue(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &c)| match c {
        b'`' => true,
        b'*' | b'_' | b'~' | b'#' => b.get(i + 1) == Some(&c),
        b']' => b.get(i + 1) == Some(&b'('),
        b'!' => b.get(i + 1) == Some(&b'['),
        b'&' => entity_len(&s[i..]).is_some(),
        b'<' => html::tag_at(s, i),
        _ => false,
    })
}

/// Byte length of the entity-shaped text at the start of `s` (which starts with `&`).
fn entity_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let (digits, start): (fn(&u8) -> bool, usize) = match (b.get(1), b.get(2)) {
        (Some(b'#'), Some(b'x' | b'X')) => (u8::is_ascii_hexdigit, 3),
        (Some(b'#'), _) => (u8::is_ascii_digit, 2),
        (Some(c), _) if c.is_ascii_alphabetic() => (u8::is_ascii_alphanumeric, 1),
        _ => return None,
    };
    let n = b[start..].iter().take_while(|c| digits(c)).count();
    (n > 0 && n <= 32 && b.get(start + n) == Some(&b';')).then_some(start + n + 1)
}

/// Last resort for pathological input: removes whatever still looks like markup, until nothing
/// does (each pass only removes characters, so this ends).
fn scrub(s: &str) -> String {
    let mut cur = scrub_once(s);
    loop {
        let next = scrub_once(&cur);
        if next == cur {
            return cur;
        }
        cur = next;
    }
}

fn scrub_once(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        if c == '&'
            && let Some(n) = entity_len(&s[i..])
        {
            i += n;
            continue;
        }
        let next = s[i + c.len_utf8()..].chars().next();
        let drop = matches!(c, '<' | '>' | '`')
            || (matches!(c, '*' | '_' | '~' | '#') && next == Some(c))
            || (matches!(c, '*' | '_' | '~' | '#') && out.ends_with(c))
            || (c == '(' && out.ends_with(']'))
            || (c == '[' && out.ends_with('!'));
        if !drop {
            out.push(c);
        }
        i += c.len_utf8();
    }
    out
}

/// Control and zero-width characters (whitespace aside): dropped from clean text.
fn invisible(c: char) -> bool {
    !c.is_whitespace()
        && (c.is_control()
            || matches!(
                c,
                '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}'
            ))
}

/// Collapses whitespace to single spaces, drops control and zero-width characters, trims, and
/// writes a literal "<" before a letter as "＜".
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    let mut chars = s.chars().filter(|&c| !invisible(c)).peekable();
    while let Some(c) = chars.next() {
        if c == '<'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || "/!?".contains(*n))
        {
            // A literal "<" that could open a tag once joined to later text: keep it visibly.
            if space {
                out.push(' ');
                space = false;
            }
            out.push('＜');
        } else if c.is_whitespace() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

fn fence_marker(t: &str) -> Option<&'static str> {
    if t.starts_with("```") {
        Some("```")
    } else if t.starts_with("~~~") {
        Some("~~~")
    } else {
        None
    }
}

/// A line made only of `c` (at least three, spaces allowed between).
fn is_rule(t: &str, c: char) -> bool {
    t.starts_with(c)
        && t.chars().filter(|&x| x == c).count() >= 3
        && t.chars().all(|x| x == c || x == ' ')
}

fn atx_heading(t: &str) -> Option<&str> {
    let hashes = t.bytes().take_while(|&c| c == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &t[hashes..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    Some(rest.trim().trim_end_matches('#').trim_end())
}

fn list_item(t: &str) -> Option<&str> {
    if let Some(rest) = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .or_else(|| t.strip_prefix("+ "))
    {
        return Some(rest.trim_start());
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let rest = t.get(digits..)?;
    let rest = rest
        .strip_prefix(". ")
        .or_else(|| rest.strip_prefix(") "))?;
    (1..=2).contains(&digits).then(|| rest.trim_start())
}

fn is_reference_definition(t: &str) -> bool {
    t.starts_with('[') && t.find("]:").is_some_and(|i| i > 1 && !t[..i].contains(']'))
}
