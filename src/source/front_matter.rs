//! YAML front matter of a Jekyll post: finding it between `---` lines and reading its fields.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A file split into its front matter and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the opening and the closing line.
    pub yaml: &'a str,
    /// Everything after the closing line.
    pub body: &'a str,
}

/// Why a file that opens with `---` has no usable front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    /// 1-based line in the file (not in the YAML), when known.
    pub line: Option<u64>,
    pub column: Option<u64>,
}

/// Splits `text` (BOM already removed, `\n` line ends) like Jekyll does: the first line is `---`
/// (trailing blanks allowed), the front matter ends at the next line that is `---` or `...`.
/// `Ok(None)` when the file has no front matter; an error when it is opened but never closed.
pub fn split(text: &str) -> Result<Option<Split<'_>>, YamlError> {
    let Some((first, rest)) = text.split_once('\n') else {
        return Ok(None);
    };
    if first.trim_end() != "---" {
        return Ok(None);
    }
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            return Ok(Some(Split {
                yaml: &rest[..offset],
                body: &rest[offset + line.len()..],
            }));
        }
        offset += line.len();
    }
    Err(YamlError {
        message: "the front matter opened by `---` on line 1 is never closed by `---`".into(),
        line: None,
        column: None,
    })
}

/// The front matter fields a post uses; other keys are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FrontMatter {
    pub title: Option<Text>,
    pub categories: Option<Words>,
    pub category: Option<Words>,
    pub tags: Option<Words>,
    pub tag: Option<Words>,
    pub excerpt: Option<Text>,
    pub feature_text: Option<Text>,
    pub image: Option<Image>,
    pub date: Option<Text>,
    pub last_modified_at: Option<Text>,
    pub permalink: Option<Text>,
    pub slug: Option<Text>,
    pub published: Option<Published>,
}

/// Parses the YAML of a front matter; `first_line` is the file line the YAML starts on.
pub fn parse(yaml: &str, first_line: u64) -> Result<FrontMatter, YamlError> {
    let options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::LastWins,
        with_snippet: false,
    };
    serde_saphyr::from_str_with_options::<Option<FrontMatter>>(yaml, options)
        .map(Option::unwrap_or_default)
        .map_err(|e| {
            let location = e.location().filter(|l| l.line() > 0);
            let mut message = e.without_snippet().to_string();
            if let Some(l) = location {
                // The library's own position counts YAML lines; the error reports file lines.
                let suffix = format!(" at line {}, column {}", l.line(), l.column());
                if let Some(head) = message.strip_suffix(&suffix) {
                    message = head.to_owned();
                }
            }
            YamlError {
                message,
                line: location.map(|l| l.line() + first_line - 1),
                column: location.map(|l| l.column()),
            }
        })
}

/// A scalar read as text, whatever YAML typed it as (`title: 2024` is the text "2024").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor).map(Text)
    }
}

struct TextVisitor;

impl Visitor<'_> for TextVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string, number or boolean")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// `categories`/`tags`: a list of scalars, or one string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Words {
    One(String),
    List(Vec<String>),
}

impl Words {
    /// The plural-key reading: a string is split on whitespace (Jekyll's `categories: a b`).
    pub fn split(self) -> Vec<String> {
        match self {
            Words::One(s) => s.split_whitespace().map(str::to_owned).collect(),
            Words::List(v) => v,
        }
    }

    /// The singular-key reading: a string is one value (Jekyll's `category: a b`).
    pub fn whole(self) -> Vec<String> {
        match self {
            Words::One(s) => vec![s],
            Words::List(v) => v,
        }
    }
}

impl<'de> Deserialize<'de> for Words {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct WordsVisitor;
        impl<'de> Visitor<'de> for WordsVisitor {
            type Value = Words;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of words or a space-separated string")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Words, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<Option<Text>>()? {
                    out.extend(item.map(|t| t.0));
                }
                Ok(Words::List(out))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Words, E> {
                Ok(Words::One(v.to_owned()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Words, E> {
                TextVisitor.visit_bool(v).map(Words::One)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Words, E> {
                TextVisitor.visit_i64(v).map(Words::One)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Words, E> {
                TextVisitor.visit_u64(v).map(Words::One)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Words, E> {
                TextVisitor.visit_f64(v).map(Words::One)
            }
        }
        d.deserialize_any(WordsVisitor)
    }
}

/// `image`: a string, or a map with `path` (other keys ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image(pub Option<String>);

impl<'de> Deserialize<'de> for Image {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ImageVisitor;
        impl<'de> Visitor<'de> for ImageVisitor {
            type Value = Image;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an image path or a map with `path`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Image, E> {
                Ok(Image(Some(v.to_owned())))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Image, A::Error> {
                let mut path = None;
                while let Some(key) = map.next_key::<Text>()? {
                    if key.0 == "path" {
                        path = map.next_value::<Option<Text>>()?.map(|t| t.0);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(Image(path))
            }
        }
        d.deserialize_any(ImageVisitor)
    }
}

/// `published`: `false` (or a string such as "false"/"no") hides the post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published(pub bool);

impl<'de> Deserialize<'de> for Published {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Text::deserialize(d)?.0;
        let hidden = matches!(
            text.trim().to_ascii_lowercase().as_str(),
            "false" | "no" | "off"
        );
        Ok(Published(!hidden))
    }
}

#[cfg(test)]
mod tests;
