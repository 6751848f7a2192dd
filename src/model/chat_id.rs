//! `ChatId`: a platform-qualified chat id ("telegram:-100123", "telegram:@name", "discord:123").

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::delivery::Target;

/// The platforms alerts go to: the console, and the chat platforms, which also take commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Platform {
    Console,
    Telegram,
    Discord,
}

impl Platform {
    /// Its name in metric labels, /healthz and `sokbo check`.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Console => "console",
            Platform::Telegram => "telegram",
            Platform::Discord => "discord",
        }
    }
}

/// A chat on one platform; written as `telegram:<id>`, `telegram:@<name>` or `discord:<id>`.
///
/// Telegram usernames compare case-insensitively, so they are kept in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ChatId(Inner);

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Inner {
    Telegram(i64),
    TelegramName(String),
    Discord(u64),
}

/// Why a text is not a chat id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChatIdError {
    #[error("chat id {0:?} does not start with \"telegram:\" or \"discord:\"")]
    Platform(String),
    #[error("chat id {0:?} is neither a number nor an @username")]
    Id(String),
}

impl ChatId {
    /// A Telegram chat by numeric id (users positive, groups negative, channels -100…).
    pub fn telegram(id: i64) -> ChatId {
        ChatId(Inner::Telegram(id))
    }

    /// A public Telegram chat by username, with or without the leading `@`.
    pub fn telegram_username(name: &str) -> Result<ChatId, ChatIdError> {
        let bare = name.strip_prefix('@').unwrap_or(name);
        if is_username(bare) {
            Ok(ChatId(Inner::TelegramName(bare.to_ascii_lowercase())))
        } else {
            Err(ChatIdError::Id(name.to_owned()))
        }
    }

    /// A Discord channel by id.
    pub fn discord(channel: u64) -> ChatId {
        ChatId(Inner::Discord(channel))
    }

    pub fn platform(&self) -> Platform {
        match self.0 {
            Inner::Telegram(_) | Inner::TelegramName(_) => Platform::Telegram,
            Inner::Discord(_) => Platform::Discord,
        }
    }

    /// The outbox target that delivers to this chat; its `id()` is this chat id's text.
    pub fn target(&self) -> Target {
        match &self.0 {
            Inner::Telegram(id) => Target::TelegramChat {
                chat: id.to_string(),
            },
            Inner::TelegramName(name) => Target::TelegramChat {
                chat: format!("@{name}"),
            },
            Inner::Discord(channel) => Target::DiscordChannel { channel: *channel },
        }
    }

    /// The chat a target delivers to, for Telegram chats and Discord channels.
    pub fn from_target(target: &Target) -> Option<ChatId> {
        match target {
            Target::TelegramChat { chat } => parse_telegram(chat).ok(),
            Target::DiscordChannel { channel } => Some(ChatId::discord(*channel)),
            Target::Console | Target::DiscordWebhook { .. } => None,
        }
    }

    /// The key of this chat in the `subs` tree.
    pub fn to_key(&self) -> Vec<u8> {
        self.to_string().into_bytes()
    }
}

fn parse_telegram(rest: &str) -> Result<ChatId, ChatIdError> {
    if rest.starts_with('@') {
        return ChatId::telegram_username(rest);
    }
    rest.parse::<i64>()
        .map(ChatId::telegram)
        .map_err(|_| ChatIdError::Id(rest.to_owned()))
}

/// Telegram usernames: ASCII letters, digits and underscores, at most 32.
pub(crate) fn is_username(s: &str) -> bool {
    !s.is_empty() && s.len() <= 32 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

impl fmt::Display for ChatId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Inner::Telegram(id) => write!(f, "telegram:{id}"),
            Inner::TelegramName(name) => write!(f, "telegram:@{name}"),
            Inner::Discord(id) => write!(f, "discord:{id}"),
        }
    }
}

impl FromStr for ChatId {
    type Err = ChatIdError;

    fn from_str(s: &str) -> Result<ChatId, ChatIdError> {
        if let Some(rest) = s.strip_prefix("telegram:") {
            parse_telegram(rest)
        } else if let Some(rest) = s.strip_prefix("discord:") {
            rest.parse::<u64>()
                .map(ChatId::discord)
                .map_err(|_| ChatIdError::Id(s.to_owned()))
        } else {
            Err(ChatIdError::Platform(s.to_owned()))
        }
    }
}

impl TryFrom<String> for ChatId {
    type Error = ChatIdError;

    fn try_from(s: String) -> Result<ChatId, ChatIdError> {
        s.parse()
    }
}

impl From<ChatId> for String {
    fn from(id: ChatId) -> String {
        id.to_string()
    }
}
