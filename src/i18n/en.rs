//! English texts.

use super::{Text, categories_of, list};
use crate::commands::{MAX_ARG_CHARS, MAX_ARGS, ParseError};
use crate::model::{MAX_KEYWORDS, QuietHours, Subscription};

pub(super) const COMMANDS: &[(&str, &str)] = &[
    ("start", "About this bot"),
    ("help", "Command help"),
    (
        "subscribe",
        "Subscribe: /subscribe economy politics, /subscribe all, /subscribe <feed URL>",
    ),
    (
        "unsubscribe",
        "Unsubscribe: /unsubscribe economy, /unsubscribe all, /unsubscribe <feed URL>",
    ),
    ("feeds", "Feeds this chat added, and their state"),
    (
        "export",
        "This chat's feeds as an OPML file (send one to import)",
    ),
    ("list", "This chat's subscription"),
    ("categories", "Known categories"),
    ("include", "Only alerts with a word: /include chips"),
    ("exclude", "Skip alerts with a word: /exclude ads"),
    ("clearfilters", "Remove word filters"),
    ("pause", "Pause alerts"),
    ("resume", "Resume alerts"),
    ("quiet", "Silent hours: /quiet 23-7, /quiet off"),
];

pub(super) const HELP_TITLE: &str = "Commands";
pub(super) const HELP_NOTES: &[&str] = &[
    "In groups only administrators change the subscription.",
    "Channels: in a private chat with the bot, /subscribe @channel economy (you and the bot must be its administrators)",
];

pub(super) const SLASH_HELP_TITLE: &str = "sokbo breaking-news bot — commands for this channel";
pub(super) const SLASH_COMMANDS: &[(&str, &str)] = &[
    (
        "/subscribe category:economy",
        "alerts of a category here (or all)",
    ),
    ("/unsubscribe category:economy", "stop a category"),
    ("/list", "this channel's subscription"),
    ("/categories", "known categories"),
    ("/include keywords:chips", "only alerts with a word"),
    ("/exclude keywords:ads", "skip alerts with a word"),
    ("/clearfilters", "remove word filters"),
    ("/pause · /resume", "stop and restart alerts"),
    ("/quiet hours:23-7", "no notification sound in these hours"),
    (
        "/subscribe url:https://example.com/feed.xml",
        "alerts of a feed here",
    ),
    (
        "/unsubscribe url:https://example.com/feed.xml",
        "stop a feed",
    ),
    ("/feeds", "the feeds this channel added"),
    (
        "/export · /import file:feeds.opml",
        "feeds out to and in from OPML",
    ),
];
pub(super) const SLASH_HELP_NOTE: &str =
    "Changing the subscription needs the Manage Channels permission.";

fn more(n: usize) -> String {
    format!(" and {n} more")
}

fn quiet(q: &QuietHours) -> String {
    format!("{:02}:00–{:02}:00", q.start_hour, q.end_hour)
}

fn subscribed_line(sub: &Subscription) -> String {
    if sub.all {
        "Subscribed: all".into()
    } else if sub.categories.is_empty() {
        "Subscribed: none".into()
    } else {
        format!("Subscribed: {}", list(&categories_of(sub), more))
    }
}

fn status(sub: &Subscription) -> String {
    let mut lines = vec![subscribed_line(sub)];
    if !sub.include.is_empty() {
        lines.push(format!("Only with: {}", list(&sub.include, more)));
    }
    if !sub.exclude.is_empty() {
        lines.push(format!("Never with: {}", list(&sub.exclude, more)));
    }
    if let Some(q) = &sub.quiet {
        lines.push(format!("Silent hours: {}", quiet(q)));
    }
    if sub.paused {
        lines.push("Paused (/resume)".into());
    }
    if let Some(reason) = &sub.inactive {
        lines.push(format!("Delivery stopped: {reason}"));
    }
    lines.join("\n")
}

fn parse_error(e: &ParseError) -> String {
    match e {
        ParseError::UnknownCommand(name) => format!("Unknown command: /{name}. See /help."),
        ParseError::MissingArgument(command) => format!("Usage: {}", usage(command)),
        ParseError::UnexpectedArgument { command, arg } => {
            format!("/{command} takes no arguments: {arg}")
        }
        ParseError::BadQuietHours(s) => {
            format!("Cannot read the hours: {s}. Example: /quiet 23-7 (hours 0–23)")
        }
        ParseError::BadChannel(s) => format!("Name a channel as @name: {s}"),
        ParseError::TooManyArguments => format!("Too many arguments (at most {MAX_ARGS})."),
        ParseError::ArgumentTooLong => {
            format!("An argument is too long (at most {MAX_ARG_CHARS} characters).")
        }
        ParseError::OneFeedAtATime => "Give one feed address at a time.".into(),
    }
}

fn usage(command: &str) -> String {
    match command {
        "include" => "/include word…".into(),
        "exclude" => "/exclude word…".into(),
        "quiet" => "/quiet 23-7 or /quiet off".into(),
        other => format!("/{other} …"),
    }
}

pub(super) fn text(t: &Text) -> String {
    match t {
        Text::Welcome => "Hello! I send an alert as soon as a new post is out.\n\
             Subscribe to categories like /subscribe economy. See /categories and /help."
            .into(),
        Text::Help => super::help(super::Lang::En),
        Text::Subscribed { added, already } => {
            let mut lines = Vec::new();
            if !added.is_empty() {
                lines.push(format!("Subscribed: {}", list(added, more)));
            }
            if !already.is_empty() {
                lines.push(format!("Already subscribed: {}", list(already, more)));
            }
            lines.join("\n")
        }
        Text::SubscribedAll => "Subscribed to every category.".into(),
        Text::Unsubscribed { removed, absent } => {
            let mut lines = Vec::new();
            if !removed.is_empty() {
                lines.push(format!("Unsubscribed: {}", list(removed, more)));
            }
            if !absent.is_empty() {
                lines.push(format!("Not subscribed: {}", list(absent, more)));
            }
            lines.join("\n")
        }
        Text::UnsubscribedAll => "Unsubscribed from everything.".into(),
        Text::UnknownCategories { unknown, known } => {
            let mut lines: Vec<String> = unknown
                .iter()
                .map(|u| match &u.suggestion {
                    Some(s) => format!("Unknown category: {} (did you mean ‘{s}’?)", u.name),
                    None => format!("Unknown category: {}", u.name),
                })
                .collect();
            lines.push(format!("Categories: {}", list(known, more)));
            lines.join("\n")
        }
        Text::Status(sub) => status(sub),
        Text::NothingSubscribed => "Nothing subscribed yet. Start with /subscribe.".into(),
        Text::Categories(known) => format!("Categories: {}", list(known, more)),
        Text::NoCategoriesYet => {
            "No categories known yet. /subscribe all takes every category.".into()
        }
        Text::Choose(sub) => format!("Tap to toggle.\n{}", subscribed_line(sub)),
        Text::Include(words) => {
            format!("Only alerts with: {}", list(words, more))
        }
        Text::Exclude(words) => format!("Never alerts with: {}", list(words, more)),
        Text::TooManyKeywords => {
            format!("At most {MAX_KEYWORDS} words each for include and exclude.")
        }
        Text::FiltersCleared => "Word filters removed.".into(),
        Text::Paused => "Alerts paused. /resume to get them again.".into(),
        Text::Resumed => "Alerts resumed.".into(),
        Text::Quiet(q) => format!("Alerts arrive silently {}.", quiet(q)),
        Text::QuietOff => "Silent hours off.".into(),
        Text::NotAdmin => "Only administrators can change this chat's subscription.".into(),
        Text::StaleButton => "This button is out of date. Send /subscribe again.".into(),
        Text::Parse(e) => parse_error(e),
        Text::PrivateOnly => "Channels can be set up only in a private chat with the bot.".into(),
        Text::ChannelNotFound(name) => format!("Channel not found: {name}"),
        Text::ChannelNeedsAdmins(name) => {
            format!("You and the bot must both be administrators of {name}.")
        }
        Text::SlashHelp => super::slash_help(super::Lang::En),
        Text::ServerChannelOnly => "Please use this in a server channel.".into(),
        Text::NeedsManageChannels => {
            "You need the Manage Channels permission to change this channel's alerts.".into()
        }
        Text::Failed => "Cannot do that right now. Please try again later.".into(),
        Text::Feeds(t) => super::feeds::text(super::Lang::En, t),
    }
}
