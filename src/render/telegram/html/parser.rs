//! The HTML parse loop: text runs, entities, start tags with attributes, end tags, nesting.

use super::{HtmlError, decode_entity};

/// The visible text of `text`, or the first reason Telegram (or the stricter rules) refuses it.
pub(super) fn visible_text(text: &str) -> Result<String, HtmlError> {
    let mut parser = Parser {
        s: text,
        b: text.as_bytes(),
        i: 0,
        out: String::with_capacity(text.len()),
        stack: Vec::new(),
    };
    parser.run()?;
    Ok(parser.out)
}

const TAGS: [&str; 16] = [
    "a",
    "b",
    "strong",
    "i",
    "em",
    "s",
    "strike",
    "del",
    "u",
    "ins",
    "tg-spoiler",
    "tg-emoji",
    "span",
    "pre",
    "code",
    "blockquote",
];

struct Open {
    name: String,
    argument: String,
}

struct Parser<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
    out: String,
    stack: Vec<Open>,
}

fn fail<T>(message: String) -> Result<T, HtmlError> {
    Err(HtmlError { message })
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0b' | b'\x0c')
}

impl Parser<'_> {
    /// The byte at `i`, or 0 past the end (tdlib reads a NUL-terminated string).
    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    /// `s[from..to]`; both ends sit next to ASCII bytes, so they are char boundaries.
    fn slice(&self, from: usize, to: usize) -> &str {
        self.s.get(from..to).unwrap_or("")
    }

    fn skip_spaces(&mut self) {
        while is_space(self.at(self.i)) {
            self.i += 1;
        }
    }

    fn run(&mut self) -> Result<(), HtmlError> {
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'&' => {
                    let Some((ch, next)) = decode_entity(self.b, self.i) else {
                        return fail(format!("Unescaped \"&\" at byte offset {}", self.i));
                    };
                    self.out.push(ch);
                    self.i = next;
                }
                b'>' => return fail(format!("Unescaped \">\" at byte offset {}", self.i)),
                b'<' if self.at(self.i + 1) == b'/' => self.end_tag()?,
                b'<' => self.start_tag()?,
                _ => {
                    let from = self.i;
                    while self.i < self.b.len() && !matches!(self.b[self.i], b'&' | b'<' | b'>') {
                        self.i += 1;
                    }
                    let chunk = self.slice(from, self.i).to_owned();
                    self.out.push_str(&chunk);
                }
            }
        }
        if let Some(open) = self.stack.last() {
            return fail(format!(
                "Can't find end tag corresponding to start tag \"{}\"",
                open.name
            ));
        }
        Ok(())
    }

    fn start_tag(&mut self) -> Result<(), HtmlError> {
        let begin = self.i;
        self.i += 1;
        while self.at(self.i) != 0 && !is_space(self.at(self.i)) && self.at(self.i) != b'>' {
            self.i += 1;
        }
        if self.at(self.i) == 0 {
            return fail(format!("Unclosed start tag at byte offset {begin}"));
        }
        let name = self.slice(begin + 1, self.i).to_ascii_lowercase();
        if !TAGS.contains(&name.as_str()) {
            return fail(format!(
                "Unsupported start tag \"{name}\" at byte offset {begin}"
            ));
        }
        let argument = self.attributes(&name, begin)?;
        if name == "span" && argument != "spoiler" {
            return fail(format!(
                "Tag \"span\" must have class \"tg-spoiler\" at byte offset {begin}"
            ));
        }
        self.check_nesting(&name, begin)?;
        self.stack.push(Open { name, argument });
        Ok(())
    }

    /// Reads attributes up to and past the closing `>`; returns the tag's argument.
    fn attributes(&mut self, tag: &str, begin: usize) -> Result<String, HtmlError> {
        let mut argument = String::new();
        loop {
            self.skip_spaces();
            match self.at(self.i) {
                b'>' => break,
                0 => return fail(format!("Unclosed start tag at byte offset {begin}")),
                _ => {}
            }
            let name_begin = self.i;
            while !matches!(self.at(self.i), 0 | b'=' | b'>') && !is_space(self.at(self.i)) {
                self.i += 1;
            }
            let attribute = self.slice(name_begin, self.i).to_owned();
            if attribute.is_empty() {
                return fail(format!(
                    "Empty attribute name in the tag \"{tag}\" at byte offset {begin}"
                ));
            }
            self.skip_spaces();
            if self.at(self.i) != b'=' {
                if tag == "blockquote" && attribute == "expandable" {
                    continue;
                }
                return fail(format!(
                    "Expected equal sign in declaration of an attribute of the tag \"{tag}\" at byte offset {begin}"
                ));
            }
            self.i += 1;
            self.skip_spaces();
            if self.at(self.i) == 0 {
                return fail(format!(
                    "Unclosed start tag \"{tag}\" at byte offset {begin}"
                ));
            }
            let value = self.attribute_value()?;
            if self.at(self.i) == 0 {
                return fail(format!("Unclosed start tag at byte offset {begin}"));
            }
            match (tag, attribute.as_str()) {
                ("a", "href") | ("tg-emoji", "emoji-id") => argument = value,
                ("code", "class") => {
                    if let Some(lang) = value.strip_prefix("language-") {
                        argument = lang.to_owned();
                    }
                }
                ("span", "class") => {
                    if let Some(rest) = value.strip_prefix("tg-") {
                        argument = rest.to_owned();
                    }
                }
                _ => {}
            }
        }
        self.i += 1;
        Ok(argument)
    }

    fn attribute_value(&mut self) -> Result<String, HtmlError> {
        let quote = self.at(self.i);
        if quote != b'"' && quote != b'\'' {
            let from = self.i;
            while self.at(self.i).is_ascii_alphanumeric() || matches!(self.at(self.i), b'.' | b'-')
            {
                self.i += 1;
            }
            if !is_space(self.at(self.i)) && !matches!(self.at(self.i), b'>' | 0) {
                return fail(format!(
                    "Unexpected end of name token at byte offset {from}"
                ));
            }
            return Ok(self.slice(from, self.i).to_ascii_lowercase());
        }
        self.i += 1;
        let mut value = String::new();
        while self.at(self.i) != quote && self.at(self.i) != 0 {
            match self.at(self.i) {
                b'&' => {
                    let Some((ch, next)) = decode_entity(self.b, self.i) else {
                        return fail(format!(
                            "Unescaped \"&\" in an attribute value at byte offset {}",
                            self.i
                        ));
                    };
                    value.push(ch);
                    self.i = next;
                }
                b'<' | b'>' => {
                    return fail(format!(
                        "Unescaped \"{}\" in an attribute value at byte offset {}",
                        char::from(self.at(self.i)),
                        self.i
                    ));
                }
                _ => {
                    let from = self.i;
                    while !matches!(self.at(self.i), 0 | b'&' | b'<' | b'>')
                        && self.at(self.i) != quote
                    {
                        self.i += 1;
                    }
                    value.push_str(self.slice(from, self.i));
                }
            }
        }
        if self.at(self.i) == quote {
            self.i += 1;
        }
        Ok(value)
    }

    fn check_nesting(&self, name: &str, begin: usize) -> Result<(), HtmlError> {
        let inside = |tag: &str| self.stack.iter().any(|o| o.name == tag);
        let parent = self.stack.last().map(|o| o.name.as_str());
        let refused = inside("code")
            || (inside("pre") && !(name == "code" && parent == Some("pre")))
            || (name == "a" && inside("a"))
            || (name == "blockquote" && inside("blockquote"));
        if refused {
            let outer = parent.unwrap_or_default();
            return fail(format!(
                "Tag \"{name}\" can't be nested in tag \"{outer}\" at byte offset {begin}"
            ));
        }
        Ok(())
    }

    fn end_tag(&mut self) -> Result<(), HtmlError> {
        let begin = self.i;
        if self.stack.is_empty() {
            return fail(format!("Unexpected end tag at byte offset {begin}"));
        }
        self.i += 2;
        let name_begin = self.i;
        while self.at(self.i) != 0 && !is_space(self.at(self.i)) && self.at(self.i) != b'>' {
            self.i += 1;
        }
        let end_name = self.slice(name_begin, self.i).to_ascii_lowercase();
        self.skip_spaces();
        if self.at(self.i) != b'>' {
            return fail(format!("Unclosed end tag at byte offset {begin}"));
        }
        self.i += 1;
        let Some(open) = self.stack.pop() else {
            return fail(format!("Unexpected end tag at byte offset {begin}"));
        };
        if !end_name.is_empty() && end_name != open.name {
            return fail(format!(
                "Unmatched end tag at byte offset {begin}, expected \"</{}>\", found \"</{end_name}>\"",
                open.name
            ));
        }
        if open.name == "tg-emoji" && !open.argument.parse::<u64>().is_ok_and(|id| id != 0) {
            return fail("Invalid custom emoji identifier specified".to_owned());
        }
        Ok(())
    }
}
