//! Telegram's HTML parse mode: escaping for text and attribute values, and a checker that parses
//! a message the way the Bot API does (tdlib's `parse_html`), with a few stricter rules.
//!
//! Faithful to tdlib: the accepted tags (a, b, strong, i, em, u, ins, s, strike, del, tg-spoiler,
//! span class="tg-spoiler", tg-emoji emoji-id, code, pre, blockquote [expandable]), tag names
//! matched case-insensitively, quoted or name-token attribute values, end tags that must match the
//! innermost open tag (`</>` closes any), every start tag closed, and tdlib's error texts
//! ("Unsupported start tag \"p\" at byte offset 0", …).
//!
//! Stricter than tdlib, because each of these is a rendering bug even where Telegram would let it
//! pass: every `&` must start `&lt;` `&gt;` `&amp;` `&quot;` or a numeric reference, always with
//! its `;` (tdlib keeps a stray `&` as text and makes `;` optional); `>` and `<` never appear
//! unescaped in text or attribute values; `a` inside `a`, anything inside `code`, anything but
//! `code` inside `pre`, and `blockquote` inside `blockquote` are refused (tdlib drops such entities
//! silently).
//!
//! Lengths are UTF-16 code units of the visible text (what Telegram's entity offsets count). The
//! Bot API's own length check (tdlib `utf8_length`) counts Unicode code points, which is never more
//! than UTF-16 units, so a text within limits here is within limits there.

mod parser;

/// The visible text of a message after entity parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedHtml {
    pub text: String,
    /// `text` in UTF-16 code units.
    pub utf16_len: usize,
}

/// Why Telegram (or this stricter checker) refuses a text; the message follows tdlib's wording.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct HtmlError {
    pub message: String,
}

/// Escapes text content: `&`, `<` and `>`.
pub fn escape_text(s: &str) -> String {
    escape(s, false)
}

/// Escapes a double-quoted attribute value: `&`, `<`, `>` and `"`.
pub fn escape_attr(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, quotes: bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if quotes => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Length of `s` in UTF-16 code units.
pub fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// Checks `text` under Telegram's HTML rules; Ok is the visible length in UTF-16 code units.
pub fn validate_html(text: &str) -> Result<usize, String> {
    parse_html(text).map(|p| p.utf16_len).map_err(|e| e.message)
}

/// Parses `text` under Telegram's HTML rules into its visible text.
pub fn parse_html(text: &str) -> Result<ParsedHtml, HtmlError> {
    let text = parser::visible_text(text)?;
    let utf16_len = utf16_len(&text);
    Ok(ParsedHtml { text, utf16_len })
}

/// Decodes the entity at `b[i] == '&'`: the character and the index after its `;`.
fn decode_entity(b: &[u8], i: usize) -> Option<(char, usize)> {
    let at = |j: usize| b.get(j).copied().unwrap_or(0);
    let mut j = i + 1;
    let ch = if at(j) == b'#' {
        j += 1;
        let hex = at(j) == b'x';
        if hex {
            j += 1;
        }
        let digits_from = j;
        let mut value: u32 = 0;
        while (hex && at(j).is_ascii_hexdigit()) || (!hex && at(j).is_ascii_digit()) {
            if j - digits_from >= 7 {
                return None;
            }
            let digit = char::from(at(j)).to_digit(if hex { 16 } else { 10 })?;
            value = value * if hex { 16 } else { 10 } + digit;
            j += 1;
        }
        if j == digits_from || value == 0 || value >= 0x10ffff {
            return None;
        }
        char::from_u32(value)?
    } else {
        let from = j;
        while at(j).is_ascii_alphabetic() {
            j += 1;
        }
        match b.get(from..j).unwrap_or_default() {
            b"lt" => '<',
            b"gt" => '>',
            b"amp" => '&',
            b"quot" => '"',
            _ => return None,
        }
    };
    (at(j) == b';').then_some((ch, j + 1))
}

#[cfg(test)]
mod tests;
