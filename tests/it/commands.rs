//! Chat commands through the public API: parse, handle and keyboard presses on a temporary sled
//! tree, subscription matching and quiet hours, the store, and the texts.

mod feed_parse;
mod handle;
mod keyboard;
mod matching;
mod parse;
mod store;
mod texts;

use std::collections::BTreeSet;

use sokbo::commands::{ChatKind, Command, Context, ParseError, ParsedCommand, Selection};
use sokbo::i18n::Lang;
use sokbo::model::ChatId;
use sokbo::model::{Alert, PostKey};
use sokbo::storage::SubscriptionStore;

/// A subscription store on a fresh in-memory sled.
pub fn temp_store() -> SubscriptionStore {
    SubscriptionStore::new(sokbo::storage::Store::temporary().expect("temporary sled"))
}

/// Categories as `Store::known_categories` lists them (sorted by bytes).
pub fn known() -> Vec<String> {
    ["IT", "경제", "국제", "사회", "정치"]
        .map(String::from)
        .to_vec()
}

pub fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The bot's username in parse tests.
pub const BOT: &str = "SokboBot";

/// What `parse` gives for `command` sent in the chat itself.
pub fn cmd(command: Command) -> Result<Option<ParsedCommand>, ParseError> {
    Ok(Some(ParsedCommand {
        command,
        target: None,
    }))
}

pub fn named(items: &[&str]) -> Selection {
    Selection::Named(strings(items))
}

/// A private chat with user 42, in Korean.
pub fn private() -> Context {
    Context {
        chat: ChatId::telegram(42),
        kind: ChatKind::Private,
        can_admin: false,
        lang: Lang::Ko,
        title: None,
        remote: false,
    }
}

/// A supergroup; `admin` says whether the sender administers it.
pub fn group(admin: bool) -> Context {
    Context {
        chat: ChatId::telegram(-1001234),
        kind: ChatKind::Supergroup,
        can_admin: admin,
        lang: Lang::Ko,
        title: Some("뉴스방".into()),
        remote: false,
    }
}

/// A channel named from a private chat (`/subscribe @news …`).
pub fn remote_channel(admin: bool) -> Context {
    Context {
        chat: ChatId::telegram(-1009999),
        kind: ChatKind::Channel,
        can_admin: admin,
        lang: Lang::Ko,
        title: Some("@news".into()),
        remote: true,
    }
}

pub fn alert(title: &str, summary: &str, categories: &[&str]) -> Alert {
    Alert {
        feed: "site".into(),
        key: PostKey("k1".into()),
        title: title.into(),
        link: Some("https://example.com/1".into()),
        source_links: Vec::new(),
        categories: strings(categories),
        summary: summary.into(),
        image: None,
        published: None,
        breaking: false,
        notice: false,
        feed_title: None,
    }
}
