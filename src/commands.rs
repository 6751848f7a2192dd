//! Platform-neutral chat commands: the `Command` enum, `parse` of message text, and `handle`,
//! which reads and changes subscriptions and returns the reply for the front end to send.

mod address;
mod callback;
mod categories;
mod feeds;
mod fuzzy;
mod handle;
mod keyboard;
mod parse;

use crate::i18n::Text;
use crate::model::{ChatId, Lang, QuietHours};

pub use address::looks_like_url;
pub use callback::{
    CallbackData, MAX_CALLBACK_BYTES, Toggle, callback_chat, category_hash, parse_callback,
};
pub use feeds::MAX_OPML_BYTES;
pub use fuzzy::{distance, suggest};
pub use handle::{handle, handle_callback};
pub use parse::{MAX_ARG_CHARS, MAX_ARGS, MAX_URL_CHARS, ParseError, parse};

/// One chat command, whatever platform it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Start,
    Help,
    Subscribe(Selection),
    Unsubscribe(Selection),
    /// Shows the chat's subscription.
    List,
    /// Shows the known categories.
    Categories,
    /// Adds keywords of which an alert must mention one.
    Include(Vec<String>),
    /// Adds keywords that keep an alert out.
    Exclude(Vec<String>),
    /// Removes every include and exclude keyword.
    ClearFilters,
    Pause,
    Resume,
    /// Sets quiet hours, or turns them off with `None`.
    Quiet(Option<QuietHours>),
    /// Adds a feed by its address (or a page linking one) for this chat.
    AddFeed(String),
    /// Stops a feed this chat added (its address, name or title).
    RemoveFeed(String),
    /// Lists the feeds this chat added, with their state.
    Feeds,
    /// Sends this chat's feeds as an OPML file.
    Export,
    /// Adds the feeds of an OPML file sent to the chat.
    Import(Vec<u8>),
}

impl Command {
    /// Whether the command changes the chat's settings (administrators only in groups).
    pub fn changes(&self) -> bool {
        !matches!(
            self,
            Command::Start
                | Command::Help
                | Command::List
                | Command::Categories
                | Command::Feeds
                | Command::Export
        )
    }
}

/// Which categories a subscribe or unsubscribe names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// None named: offer the toggle keyboard.
    Menu,
    /// `all` / `전체`.
    All,
    Named(Vec<String>),
}

/// A chat a command names explicitly, to configure it from elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelRef {
    /// A Telegram `@username`, without the `@`.
    Username(String),
    /// A Discord channel mention `<#id>`.
    Discord(u64),
}

/// A parsed command and the chat it names, if any (otherwise the chat it was sent in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCommand {
    pub command: Command,
    pub target: Option<ChannelRef>,
}

/// The kind of chat a subscription belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatKind {
    Private,
    Group,
    Supergroup,
    Channel,
}

/// What the front end knows about the chat a command concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The chat whose subscription the command reads or changes.
    pub chat: ChatId,
    pub kind: ChatKind,
    /// The sender may administer `chat`: an administrator (anonymous ones included) of a group,
    /// or, for a channel, the sender and the bot are both its administrators. Private chats
    /// need no rights.
    pub can_admin: bool,
    /// The reply language.
    pub lang: Lang,
    /// The chat's title or @name, stored with the subscription and shown in remote replies.
    pub title: Option<String>,
    /// The command was sent elsewhere and named this chat (`/subscribe @channel …`): replies
    /// name the chat, keyboard buttons carry its id, and every command needs `can_admin`.
    pub remote: bool,
}

impl Context {
    /// Whether the sender may change the subscription of `chat`.
    pub fn may_change(&self) -> bool {
        self.can_admin || (self.kind == ChatKind::Private && !self.remote)
    }

    /// Whether the sender may read the subscription of `chat`.
    pub fn may_read(&self) -> bool {
        !self.remote || self.can_admin
    }
}

/// A reply: plain text (the front end escapes it), an optional keyboard of buttons, and an
/// optional file (the text is then its caption).
///
/// For a keyboard press, a reply with a keyboard replaces the pressed message; one without is
/// a short notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub text: String,
    pub keyboard: Option<Vec<Vec<Button>>>,
    pub file: Option<ReplyFile>,
}

/// A file sent with a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Reply {
    /// A text-only reply.
    pub fn text(lang: Lang, text: &Text) -> Reply {
        Reply {
            text: crate::i18n::text(lang, text),
            keyboard: None,
            file: None,
        }
    }

    /// The reply to text that failed to parse.
    pub fn parse_error(lang: Lang, err: &ParseError) -> Reply {
        Reply::text(lang, &Text::Parse(err.clone()))
    }
}

/// One keyboard button: what it shows and the data it sends back (at most 64 bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    pub data: String,
}
