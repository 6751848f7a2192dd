//! Reply texts in Korean (first) and English, by [`Lang`] (defined in `model`, re-exported here):
//! the `Text` of every reply, help, and the command list for the platforms' command menus.

mod en;
mod feeds;
mod ko;

pub use crate::model::Lang;
pub use feeds::{FeedLine, FeedText};

use crate::commands::ParseError;
use crate::model::{QuietHours, Subscription};

/// Most items a reply lists before it says how many more there are.
pub const MAX_LISTED: usize = 30;

/// A category name that is not known, and the closest known one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub name: String,
    pub suggestion: Option<String>,
}

/// What a reply says; `text` renders it in a language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    Welcome,
    Help,
    Subscribed {
        added: Vec<String>,
        already: Vec<String>,
    },
    SubscribedAll,
    Unsubscribed {
        removed: Vec<String>,
        absent: Vec<String>,
    },
    UnsubscribedAll,
    UnknownCategories {
        unknown: Vec<Unknown>,
        known: Vec<String>,
    },
    /// The chat's subscription and settings (`/list`).
    Status(Subscription),
    NothingSubscribed,
    Categories(Vec<String>),
    NoCategoriesYet,
    /// The prompt above the toggle keyboard, with the current categories.
    Choose(Subscription),
    /// The include keywords after a change.
    Include(Vec<String>),
    /// The exclude keywords after a change.
    Exclude(Vec<String>),
    TooManyKeywords,
    FiltersCleared,
    Paused,
    Resumed,
    Quiet(QuietHours),
    QuietOff,
    NotAdmin,
    StaleButton,
    Parse(ParseError),
    /// A chat was named from a group or channel; only private chats may name one.
    PrivateOnly,
    ChannelNotFound(String),
    /// The named chat exists, but the user or the bot is not its administrator.
    ChannelNeedsAdmins(String),
    /// Discord's help: the slash commands and who may use them.
    SlashHelp,
    /// A Discord command used outside a server channel (in a DM).
    ServerChannelOnly,
    /// A Discord member without Manage Channels tried to change the channel's settings.
    NeedsManageChannels,
    /// Storage failed; try again later.
    Failed,
    /// About chat-added feeds.
    Feeds(FeedText),
}

/// `t` in `lang`.
pub fn text(lang: Lang, t: &Text) -> String {
    if let Text::Feeds(t) = t {
        return feeds::text(lang, t);
    }
    match lang {
        Lang::Ko => ko::text(t),
        Lang::En => en::text(t),
    }
}

/// Command names (without `/`) and descriptions for the platform command menu
/// (Telegram setMyCommands, Discord application commands).
pub fn command_list(lang: Lang) -> Vec<(&'static str, &'static str)> {
    match lang {
        Lang::Ko => ko::COMMANDS.to_vec(),
        Lang::En => en::COMMANDS.to_vec(),
    }
}

/// The help text: every command with its description, then notes on groups and channels.
pub fn help(lang: Lang) -> String {
    let (title, notes) = match lang {
        Lang::Ko => (ko::HELP_TITLE, ko::HELP_NOTES),
        Lang::En => (en::HELP_TITLE, en::HELP_NOTES),
    };
    let mut out = String::from(title);
    for (name, description) in command_list(lang) {
        out.push_str(&format!("\n/{name} — {description}"));
    }
    for note in notes {
        out.push('\n');
        out.push_str(note);
    }
    out
}

/// Discord's help text: each slash command with what it does, then who may change settings.
fn slash_help(lang: Lang) -> String {
    let (title, commands, note) = match lang {
        Lang::Ko => (
            ko::SLASH_HELP_TITLE,
            ko::SLASH_COMMANDS,
            ko::SLASH_HELP_NOTE,
        ),
        Lang::En => (
            en::SLASH_HELP_TITLE,
            en::SLASH_COMMANDS,
            en::SLASH_HELP_NOTE,
        ),
    };
    let mut out = title.to_owned();
    for (command, what) in commands {
        out.push_str(&format!("\n{command} — {what}"));
    }
    out.push('\n');
    out.push_str(note);
    out
}

/// Label of the keyboard button for every category.
pub fn all_label(lang: Lang) -> &'static str {
    match lang {
        Lang::Ko => "전체",
        Lang::En => "All",
    }
}

/// `items` joined with ", ", at most `MAX_LISTED` of them, then `more(rest)`.
fn list(items: &[String], more: fn(usize) -> String) -> String {
    let mut out = items
        .iter()
        .take(MAX_LISTED)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > MAX_LISTED {
        out.push_str(&more(items.len() - MAX_LISTED));
    }
    out
}

fn categories_of(sub: &Subscription) -> Vec<String> {
    sub.categories.iter().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discord_texts() {
        assert_eq!(
            text(Lang::En, &Text::SlashHelp),
            "sokbo breaking-news bot — commands for this channel\n\
             /subscribe category:economy — alerts of a category here (or all)\n\
             /unsubscribe category:economy — stop a category\n\
             /list — this channel's subscription\n\
             /categories — known categories\n\
             /include keywords:chips — only alerts with a word\n\
             /exclude keywords:ads — skip alerts with a word\n\
             /clearfilters — remove word filters\n\
             /pause · /resume — stop and restart alerts\n\
             /quiet hours:23-7 — no notification sound in these hours\n\
             /subscribe url:https://example.com/feed.xml — alerts of a feed here\n\
             /unsubscribe url:https://example.com/feed.xml — stop a feed\n\
             /feeds — the feeds this channel added\n\
             /export · /import file:feeds.opml — feeds out to and in from OPML\n\
             Changing the subscription needs the Manage Channels permission."
        );
        let ko = text(Lang::Ko, &Text::SlashHelp);
        assert!(ko.starts_with("sokbo 속보 봇 — 이 채널에서 쓰는 명령\n/구독 분류:경제 — "));
        assert!(ko.contains("\n/무음 시간:23-7 — 이 시간에는 알림음 없이\n"));
        assert!(ko.ends_with(
            "\n/피드 — 이 채널이 추가한 피드\n\
             /내보내기 · /가져오기 파일:feeds.opml — 피드를 OPML로 내보내고 가져오기\n\
             구독을 바꾸려면 채널 관리 권한이 필요해요."
        ));
        assert_eq!(
            text(Lang::Ko, &Text::ServerChannelOnly),
            "서버 채널에서 써 주세요."
        );
        assert_eq!(
            text(Lang::En, &Text::NeedsManageChannels),
            "You need the Manage Channels permission to change this channel's alerts."
        );
    }
}
