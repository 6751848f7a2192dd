//! Keyboard callback data: `[<chat>|]c:<category>`, `[<chat>|]h:<hash>` for names too long for
//! the 64-byte limit, `[<chat>|]a` for "all". The chat prefix marks a keyboard for a chat named
//! from elsewhere.

use crate::model::{ChatId, same_word};

/// Most bytes a platform carries as callback data (Telegram; Discord allows 100).
pub const MAX_CALLBACK_BYTES: usize = 64;
const HASH_HEX: usize = 16;

/// What a keyboard button toggles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Toggle {
    All,
    Category(String),
    /// A category by the hash of its name (`category_hash`).
    Hashed(String),
}

/// Decoded callback data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackData {
    /// The chat the keyboard configures, when it was named from another chat.
    pub chat: Option<ChatId>,
    pub toggle: Toggle,
}

impl Toggle {
    /// The known category this toggles; `None` for `All` and for names no longer known.
    pub fn category<'a>(&self, known: &'a [String]) -> Option<&'a str> {
        let found = match self {
            Toggle::All => None,
            Toggle::Category(name) => known.iter().find(|k| same_word(k, name)),
            Toggle::Hashed(hash) => known.iter().find(|k| category_hash(k) == *hash),
        };
        found.map(String::as_str)
    }
}

/// Short stable hash of a category name, for callback data.
pub fn category_hash(name: &str) -> String {
    let hex = blake3::hash(name.as_bytes()).to_hex();
    hex.chars().take(HASH_HEX).collect()
}

fn prefix(chat: Option<&ChatId>) -> String {
    chat.map(|c| format!("{c}|")).unwrap_or_default()
}

/// Data of the button that toggles `category` (at most `MAX_CALLBACK_BYTES`).
pub(crate) fn category_data(chat: Option<&ChatId>, category: &str) -> String {
    let prefix = prefix(chat);
    let plain = format!("{prefix}c:{category}");
    if plain.len() <= MAX_CALLBACK_BYTES {
        plain
    } else {
        format!("{prefix}h:{}", category_hash(category))
    }
}

/// Data of the button that toggles "all".
pub(crate) fn all_data(chat: Option<&ChatId>) -> String {
    format!("{}a", prefix(chat))
}

/// Decodes callback data; `None` when it is not ours or malformed.
pub fn parse_callback(data: &str) -> Option<CallbackData> {
    let (chat, rest) = if data.starts_with("telegram:") || data.starts_with("discord:") {
        let (chat, rest) = data.split_once('|')?;
        (Some(chat.parse().ok()?), rest)
    } else {
        (None, data)
    };
    let toggle = if rest == "a" {
        Toggle::All
    } else if let Some(name) = rest.strip_prefix("c:") {
        (!name.is_empty()).then(|| Toggle::Category(name.to_owned()))?
    } else if let Some(hash) = rest.strip_prefix("h:") {
        let ok = hash.len() == HASH_HEX && hash.bytes().all(|b| b.is_ascii_hexdigit());
        ok.then(|| Toggle::Hashed(hash.to_owned()))?
    } else {
        return None;
    };
    Some(CallbackData { chat, toggle })
}

/// The chat a keyboard button configures when it names one, so the front end can check the
/// presser's rights there and build the `Context`.
pub fn callback_chat(data: &str) -> Option<ChatId> {
    parse_callback(data)?.chat
}
