//! The Discord application commands: their definitions (Korean names and descriptions as
//! localizations, Manage Channels to change anything) and slash-command input → [`Command`].

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::CommandOptionType;
use serenity::model::permissions::Permissions;

use crate::commands::{Command, ParseError, Selection, parse};

/// The one option a command takes.
struct Opt {
    name: &'static str,
    ko: &'static str,
    en_desc: &'static str,
    ko_desc: &'static str,
    autocomplete: bool,
}

/// One command: name, Korean name, descriptions, option, and whether it changes settings.
struct Def {
    name: &'static str,
    ko: &'static str,
    en_desc: &'static str,
    ko_desc: &'static str,
    option: Option<Opt>,
}

const CATEGORY: Opt = Opt {
    name: "category",
    ko: "분류",
    en_desc: "A category, or all",
    ko_desc: "분류 이름 (전체는 all)",
    autocomplete: true,
};

const KEYWORDS: Opt = Opt {
    name: "keywords",
    ko: "단어",
    en_desc: "Words, separated by spaces or commas",
    ko_desc: "단어 (띄어쓰기나 쉼표로 구분)",
    autocomplete: false,
};

const HOURS: Opt = Opt {
    name: "hours",
    ko: "시간",
    en_desc: "Silent hours like 23-7, or off",
    ko_desc: "무음 시간 (예: 23-7, 끄려면 off)",
    autocomplete: false,
};

const DEFS: &[Def] = &[
    Def {
        name: "subscribe",
        ko: "구독",
        en_desc: "Get alerts of a category in this channel",
        ko_desc: "이 채널에서 분류의 속보 받기",
        option: Some(CATEGORY),
    },
    Def {
        name: "unsubscribe",
        ko: "해지",
        en_desc: "Stop alerts of a category in this channel",
        ko_desc: "이 채널의 분류 구독 해지",
        option: Some(CATEGORY),
    },
    Def {
        name: "list",
        ko: "목록",
        en_desc: "This channel's subscription",
        ko_desc: "이 채널의 구독 보기",
        option: None,
    },
    Def {
        name: "categories",
        ko: "분류",
        en_desc: "Known categories",
        ko_desc: "분류 목록",
        option: None,
    },
    Def {
        name: "include",
        ko: "포함",
        en_desc: "Only alerts that mention one of these words",
        ko_desc: "이 단어가 있는 알림만 받기",
        option: Some(KEYWORDS),
    },
    Def {
        name: "exclude",
        ko: "제외",
        en_desc: "Skip alerts that mention one of these words",
        ko_desc: "이 단어가 있는 알림 빼기",
        option: Some(KEYWORDS),
    },
    Def {
        name: "clearfilters",
        ko: "필터해제",
        en_desc: "Remove the word filters",
        ko_desc: "단어 필터 지우기",
        option: None,
    },
    Def {
        name: "pause",
        ko: "일시정지",
        en_desc: "Pause alerts in this channel",
        ko_desc: "이 채널의 알림 일시정지",
        option: None,
    },
    Def {
        name: "resume",
        ko: "재개",
        en_desc: "Resume alerts in this channel",
        ko_desc: "이 채널의 알림 다시 받기",
        option: None,
    },
    Def {
        name: "quiet",
        ko: "무음",
        en_desc: "Alerts without a notification sound during these hours",
        ko_desc: "이 시간에는 알림음 없이 받기",
        option: Some(HOURS),
    },
    Def {
        name: "help",
        ko: "도움말",
        en_desc: "How to use this bot",
        ko_desc: "사용법",
        option: None,
    },
];

/// The commands registered at start.
pub fn definitions() -> Vec<CreateCommand> {
    DEFS.iter()
        .map(|def| {
            let mut cmd = CreateCommand::new(def.name)
                .name_localized("ko", def.ko)
                .description(def.en_desc)
                .description_localized("ko", def.ko_desc)
                .dm_permission(false);
            if changes(def.name) {
                cmd = cmd.default_member_permissions(Permissions::MANAGE_CHANNELS);
            }
            if let Some(opt) = &def.option {
                cmd = cmd.add_option(
                    CreateCommandOption::new(CommandOptionType::String, opt.name, opt.en_desc)
                        .name_localized("ko", opt.ko)
                        .description_localized("ko", opt.ko_desc)
                        .required(true)
                        .max_length(200)
                        .set_autocomplete(opt.autocomplete),
                );
            }
            cmd
        })
        .collect()
}

/// Whether a command changes the channel's settings (Manage Channels needed).
pub fn changes(name: &str) -> bool {
    !matches!(name, "list" | "categories" | "help")
}

/// The command a slash command means. `value` is its option; a value that is exactly a known
/// category (spaces and all) names that category, anything else is read like chat text.
pub fn command_of(
    name: &str,
    value: Option<&str>,
    known: &[String],
) -> Result<Command, ParseError> {
    let value = value.map(str::trim).unwrap_or("");
    if matches!(name, "subscribe" | "unsubscribe") && known.iter().any(|k| k == value) {
        let named = Selection::Named(vec![value.to_owned()]);
        return Ok(if name == "subscribe" {
            Command::Subscribe(named)
        } else {
            Command::Unsubscribe(named)
        });
    }
    if !DEFS.iter().any(|d| d.name == name) {
        return Err(ParseError::UnknownCommand(name.chars().take(32).collect()));
    }
    let text = format!("/{name} {value}");
    match parse(&text, "") {
        Ok(Some(parsed)) if parsed.target.is_none() => Ok(parsed.command),
        Ok(_) => Err(ParseError::BadChannel(value.chars().take(64).collect())),
        Err(e) => Err(e),
    }
}

/// Autocomplete choices: the known categories containing what was typed (case-insensitive),
/// those starting with it first, at most 25 (Discord's limit), with "all" offered too.
pub fn complete(typed: &str, known: &[String]) -> Vec<String> {
    let typed = typed.trim().to_lowercase();
    let mut starts = Vec::new();
    let mut contains = Vec::new();
    for k in known {
        let lower = k.to_lowercase();
        if lower.starts_with(&typed) {
            starts.push(k.clone());
        } else if lower.contains(&typed) {
            contains.push(k.clone());
        }
    }
    starts.extend(contains);
    if typed.is_empty() || "all".starts_with(&typed) || "전체".starts_with(&typed) {
        starts.insert(
            0,
            if typed.starts_with('전') {
                "전체"
            } else {
                "all"
            }
            .to_owned(),
        );
    }
    starts.truncate(25);
    starts.retain(|c| c.chars().count() <= 100);
    starts
}

#[cfg(test)]
mod tests;
