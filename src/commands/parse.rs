//! Message text → `ParsedCommand`: names and Korean aliases, `@bot` suffixes, arguments split on
//! spaces and commas, an optional channel named first, and bounded argument sizes.

use super::address::{feed_arg, looks_like_url};
use super::{ChannelRef, Command, ParsedCommand, Selection};
use crate::model::{QuietHours, is_username};

/// Most arguments a command takes.
pub const MAX_ARGS: usize = 30;
/// Longest argument, in characters.
pub const MAX_ARG_CHARS: usize = 64;
/// Longest web address argument, in characters.
pub const MAX_URL_CHARS: usize = 2048;

/// Why a command could not be read; the front end replies with `Reply::parse_error`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("unknown command /{0}")]
    UnknownCommand(String),
    #[error("/{0} needs an argument")]
    MissingArgument(&'static str),
    #[error("/{command} takes no arguments, got {arg:?}")]
    UnexpectedArgument { command: &'static str, arg: String },
    #[error("quiet hours {0:?} are not START-END with hours 0-23")]
    BadQuietHours(String),
    #[error("{0:?} is not a channel (@name or <#id>)")]
    BadChannel(String),
    #[error("more than {MAX_ARGS} arguments")]
    TooManyArguments,
    #[error("an argument is longer than {MAX_ARG_CHARS} characters")]
    ArgumentTooLong,
    #[error("one feed address at a time")]
    OneFeedAtATime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Name {
    Start,
    Help,
    Subscribe,
    Unsubscribe,
    List,
    Categories,
    Include,
    Exclude,
    ClearFilters,
    Pause,
    Resume,
    Quiet,
    Feeds,
    Export,
    Import,
}

/// Every accepted command word (lower case) with its command; the first of each is canonical.
const NAMES: &[(&str, Name)] = &[
    ("start", Name::Start),
    ("help", Name::Help),
    ("subscribe", Name::Subscribe),
    ("unsubscribe", Name::Unsubscribe),
    ("list", Name::List),
    ("categories", Name::Categories),
    ("include", Name::Include),
    ("exclude", Name::Exclude),
    ("clearfilters", Name::ClearFilters),
    ("pause", Name::Pause),
    ("resume", Name::Resume),
    ("quiet", Name::Quiet),
    ("feeds", Name::Feeds),
    ("export", Name::Export),
    ("import", Name::Import),
    ("시작", Name::Start),
    ("도움말", Name::Help),
    ("도움", Name::Help),
    ("sub", Name::Subscribe),
    ("구독", Name::Subscribe),
    ("unsub", Name::Unsubscribe),
    ("해지", Name::Unsubscribe),
    ("구독해지", Name::Unsubscribe),
    ("목록", Name::List),
    ("분류", Name::Categories),
    ("포함", Name::Include),
    ("제외", Name::Exclude),
    ("필터해제", Name::ClearFilters),
    ("일시정지", Name::Pause),
    ("재개", Name::Resume),
    ("무음", Name::Quiet),
    ("방해금지", Name::Quiet),
    ("피드", Name::Feeds),
    ("피드목록", Name::Feeds),
    ("내보내기", Name::Export),
    ("가져오기", Name::Import),
];

const ALL_WORDS: &[&str] = &["all", "전체", "모두", "*"];
const OFF_WORDS: &[&str] = &["off", "none", "끄기", "해제", "없음"];

impl Name {
    fn canonical(self) -> &'static str {
        NAMES
            .iter()
            .find(|(_, n)| *n == self)
            .map_or("help", |(word, _)| word)
    }

    /// Whether the command may name another chat first.
    fn takes_target(self) -> bool {
        !matches!(
            self,
            Name::Start | Name::Help | Name::Categories | Name::Feeds | Name::Export | Name::Import
        )
    }
}

/// Reads a command from message text. `Ok(None)`: not a command, or addressed to another bot
/// (`/subscribe@otherbot`). `bot_username` is this bot's username, with or without `@`.
/// `Err(UnknownCommand)` is a command word this bot does not know; in groups, where it may be
/// meant for another bot, a front end can stay silent unless the word was addressed to it.
pub fn parse(text: &str, bot_username: &str) -> Result<Option<ParsedCommand>, ParseError> {
    let Some(rest) = text.trim_start().strip_prefix('/') else {
        return Ok(None);
    };
    let (head, tail) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let (word, addressed) = match head.split_once('@') {
        Some((w, bot)) => (w, Some(bot)),
        None => (head, None),
    };
    if word.is_empty() || !word.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Ok(None);
    }
    if addressed.is_some_and(|bot| !bot.eq_ignore_ascii_case(bot_username.trim_start_matches('@')))
    {
        return Ok(None);
    }
    let lower = word.to_lowercase();
    let Some(name) = NAMES.iter().find(|(w, _)| *w == lower).map(|(_, n)| *n) else {
        return Err(ParseError::UnknownCommand(clip(word)));
    };
    let mut args = split_args(tail)?;
    let target = match args.first() {
        Some(first)
            if name.takes_target() && (first.starts_with('@') || first.starts_with("<#")) =>
        {
            let target = channel_ref(first)?;
            args.remove(0);
            Some(target)
        }
        _ => None,
    };
    let command = command(name, args)?;
    Ok(Some(ParsedCommand { command, target }))
}

fn command(name: Name, args: Vec<String>) -> Result<Command, ParseError> {
    let no_args = |command: Command| match args.first() {
        Some(arg) => Err(ParseError::UnexpectedArgument {
            command: name.canonical(),
            arg: arg.clone(),
        }),
        None => Ok(command),
    };
    let needed = |args: Vec<String>| {
        if args.is_empty() {
            Err(ParseError::MissingArgument(name.canonical()))
        } else {
            Ok(dedup(args))
        }
    };
    Ok(match name {
        Name::Start => Command::Start,
        Name::Help => Command::Help,
        Name::Categories => Command::Categories,
        Name::List => no_args(Command::List)?,
        Name::ClearFilters => no_args(Command::ClearFilters)?,
        Name::Pause => no_args(Command::Pause)?,
        Name::Resume => no_args(Command::Resume)?,
        Name::Feeds => no_args(Command::Feeds)?,
        Name::Export => no_args(Command::Export)?,
        // The file comes with the message (a Telegram document, a Discord attachment).
        Name::Import => no_args(Command::Import(Vec::new()))?,
        Name::Subscribe => match feed_arg(&args)? {
            Some(url) => Command::AddFeed(url),
            None => Command::Subscribe(selection(args)),
        },
        Name::Unsubscribe => match feed_arg(&args)? {
            Some(url) => Command::RemoveFeed(url),
            None => Command::Unsubscribe(selection(args)),
        },
        Name::Include => Command::Include(needed(args)?),
        Name::Exclude => Command::Exclude(needed(args)?),
        Name::Quiet => Command::Quiet(quiet(&needed(args)?)?),
    })
}

fn selection(args: Vec<String>) -> Selection {
    if args.is_empty() {
        Selection::Menu
    } else if args.iter().any(|a| is_one_of(a, ALL_WORDS)) {
        Selection::All
    } else {
        Selection::Named(dedup(args))
    }
}

fn quiet(args: &[String]) -> Result<Option<QuietHours>, ParseError> {
    if let [only] = args
        && is_one_of(only, OFF_WORDS)
    {
        return Ok(None);
    }
    let joined = args.concat();
    let bad = || ParseError::BadQuietHours(clip(&joined));
    let (start, end) = joined.split_once(['-', '~', '–', '—']).ok_or_else(bad)?;
    QuietHours::new(hour(start).ok_or_else(bad)?, hour(end).ok_or_else(bad)?)
        .map(Some)
        .ok_or_else(bad)
}

/// "7", "07", "7시", "7h", "07:00" → 7.
fn hour(s: &str) -> Option<u8> {
    let s = s.trim();
    let s = s
        .strip_suffix("시")
        .or_else(|| s.strip_suffix(['h', 'H']))
        .or_else(|| s.strip_suffix(":00"))
        .unwrap_or(s);
    if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn channel_ref(arg: &str) -> Result<ChannelRef, ParseError> {
    if let Some(name) = arg.strip_prefix('@')
        && is_username(name)
    {
        return Ok(ChannelRef::Username(name.to_owned()));
    }
    if let Some(id) = arg.strip_prefix("<#").and_then(|r| r.strip_suffix('>'))
        && let Ok(id) = id.parse::<u64>()
    {
        return Ok(ChannelRef::Discord(id));
    }
    Err(ParseError::BadChannel(clip(arg)))
}

/// Arguments split on whitespace and commas; empty pieces dropped.
fn split_args(tail: &str) -> Result<Vec<String>, ParseError> {
    let mut args = Vec::new();
    for piece in tail.split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、')) {
        if piece.is_empty() {
            continue;
        }
        if args.len() == MAX_ARGS {
            return Err(ParseError::TooManyArguments);
        }
        let max = if looks_like_url(piece) {
            MAX_URL_CHARS
        } else {
            MAX_ARG_CHARS
        };
        if piece.chars().nth(max).is_some() {
            return Err(ParseError::ArgumentTooLong);
        }
        args.push(piece.to_owned());
    }
    Ok(args)
}

/// Drops later repeats, ignoring case.
fn dedup(args: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(args.len());
    for a in args {
        if !out.iter().any(|o| o.to_lowercase() == a.to_lowercase()) {
            out.push(a);
        }
    }
    out
}

fn is_one_of(arg: &str, words: &[&str]) -> bool {
    let lower = arg.to_lowercase();
    words.contains(&lower.as_str())
}

/// At most `MAX_ARG_CHARS` characters of `s`, for error messages.
fn clip(s: &str) -> String {
    s.chars().take(MAX_ARG_CHARS).collect()
}
