//! The Discord application commands: their definitions (Korean names and descriptions as
//! localizations, Manage Channels to change anything) and slash-command input → [`Command`].
//! `/import`'s attachment is fetched by [`super::files`].

use serenity::builder::{CreateCommand, CreateCommandOption};
use serenity::model::application::CommandOptionType;
use serenity::model::permissions::Permissions;

use crate::commands::{Command, MAX_URL_CHARS, ParseError, Selection, parse};

/// An option a command takes: text (required unless the command has two) or a file.
struct Opt {
    name: &'static str,
    ko: &'static str,
    en_desc: &'static str,
    ko_desc: &'static str,
    autocomplete: bool,
    kind: CommandOptionType,
}

/// One command: name, Korean name, descriptions and options.
struct Def {
    name: &'static str,
    ko: &'static str,
    en_desc: &'static str,
    ko_desc: &'static str,
    options: &'static [Opt],
}

const CATEGORY: Opt = Opt {
    name: "category",
    ko: "분류",
    en_desc: "A category, or all",
    ko_desc: "분류 이름 (전체는 all)",
    autocomplete: true,
    kind: CommandOptionType::String,
};

const KEYWORDS: Opt = Opt {
    name: "keywords",
    ko: "단어",
    en_desc: "Words, separated by spaces or commas",
    ko_desc: "단어 (띄어쓰기나 쉼표로 구분)",
    autocomplete: false,
    kind: CommandOptionType::String,
};

const HOURS: Opt = Opt {
    name: "hours",
    ko: "시간",
    en_desc: "Silent hours like 23-7, or off",
    ko_desc: "무음 시간 (예: 23-7, 끄려면 off)",
    autocomplete: false,
    kind: CommandOptionType::String,
};

/// The option of a feed address: `/subscribe url:…` adds a feed, `/unsubscribe url:…` drops it.
pub const URL: &str = "url";

const URL_OPT: Opt = Opt {
    name: URL,
    ko: "주소",
    en_desc: "A feed address (RSS, Atom) or a page linking one",
    ko_desc: "피드 주소 (RSS·Atom) 또는 피드를 알리는 웹 페이지",
    autocomplete: false,
    kind: CommandOptionType::String,
};

/// The attachment option of `/import`.
pub const FILE: &str = "file";

const FILE_OPT: Opt = Opt {
    name: FILE,
    ko: "파일",
    en_desc: "An OPML file (.opml)",
    ko_desc: "OPML 파일 (.opml)",
    autocomplete: false,
    kind: CommandOptionType::Attachment,
};

const DEFS: &[Def] = &[
    Def {
        name: "subscribe",
        ko: "구독",
        en_desc: "Get alerts of a category, or of a feed address, in this channel",
        ko_desc: "이 채널에서 분류나 피드 주소의 속보 받기",
        options: &[CATEGORY, URL_OPT],
    },
    Def {
        name: "unsubscribe",
        ko: "해지",
        en_desc: "Stop alerts of a category, or of a feed, in this channel",
        ko_desc: "이 채널의 분류나 피드 구독 해지",
        options: &[CATEGORY, URL_OPT],
    },
    Def {
        name: "list",
        ko: "목록",
        en_desc: "This channel's subscription",
        ko_desc: "이 채널의 구독 보기",
        options: &[],
    },
    Def {
        name: "categories",
        ko: "분류",
        en_desc: "Known categories",
        ko_desc: "분류 목록",
        options: &[],
    },
    Def {
        name: "include",
        ko: "포함",
        en_desc: "Only alerts that mention one of these words",
        ko_desc: "이 단어가 있는 알림만 받기",
        options: &[KEYWORDS],
    },
    Def {
        name: "exclude",
        ko: "제외",
        en_desc: "Skip alerts that mention one of these words",
        ko_desc: "이 단어가 있는 알림 빼기",
        options: &[KEYWORDS],
    },
    Def {
        name: "clearfilters",
        ko: "필터해제",
        en_desc: "Remove the word filters",
        ko_desc: "단어 필터 지우기",
        options: &[],
    },
    Def {
        name: "pause",
        ko: "일시정지",
        en_desc: "Pause alerts in this channel",
        ko_desc: "이 채널의 알림 일시정지",
        options: &[],
    },
    Def {
        name: "resume",
        ko: "재개",
        en_desc: "Resume alerts in this channel",
        ko_desc: "이 채널의 알림 다시 받기",
        options: &[],
    },
    Def {
        name: "quiet",
        ko: "무음",
        en_desc: "Alerts without a notification sound during these hours",
        ko_desc: "이 시간에는 알림음 없이 받기",
        options: &[HOURS],
    },
    Def {
        name: "feeds",
        ko: "피드",
        en_desc: "The feeds this channel added",
        ko_desc: "이 채널이 추가한 피드 보기",
        options: &[],
    },
    Def {
        name: "export",
        ko: "내보내기",
        en_desc: "This channel's feeds as an OPML file",
        ko_desc: "이 채널의 피드를 OPML 파일로 받기",
        options: &[],
    },
    Def {
        name: "import",
        ko: "가져오기",
        en_desc: "Add the feeds of an OPML file",
        ko_desc: "OPML 파일의 피드 추가",
        options: &[FILE_OPT],
    },
    Def {
        name: "help",
        ko: "도움말",
        en_desc: "How to use this bot",
        ko_desc: "사용법",
        options: &[],
    },
];

/// The commands registered at start. `feeds_open`: `[chat_feeds] allow = "everyone"`, so the
/// commands that add feeds are not hidden from members without Manage Channels (the category
/// forms of `/subscribe` and `/unsubscribe` still need it; see `interact`).
pub fn definitions(feeds_open: bool) -> Vec<CreateCommand> {
    DEFS.iter()
        .map(|def| {
            let mut cmd = CreateCommand::new(def.name)
                .name_localized("ko", def.ko)
                .description(def.en_desc)
                .description_localized("ko", def.ko_desc)
                .dm_permission(false);
            let open = feeds_open && matches!(def.name, "subscribe" | "unsubscribe" | "import");
            if changes(def.name) && !open {
                cmd = cmd.default_member_permissions(Permissions::MANAGE_CHANNELS);
            }
            let required = def.options.len() == 1;
            for opt in def.options {
                let mut option = CreateCommandOption::new(opt.kind, opt.name, opt.en_desc)
                    .name_localized("ko", opt.ko)
                    .description_localized("ko", opt.ko_desc)
                    .required(required);
                if opt.kind == CommandOptionType::String {
                    let max = if opt.name == URL { MAX_URL_CHARS } else { 200 };
                    option = option
                        .max_length(max as u16)
                        .set_autocomplete(opt.autocomplete);
                }
                cmd = cmd.add_option(option);
            }
            cmd
        })
        .collect()
}

/// Whether a command changes the channel's settings (Manage Channels needed).
pub fn changes(name: &str) -> bool {
    !matches!(name, "list" | "categories" | "help" | "feeds" | "export")
}

/// The command a slash command means. `option` is its text option (name, value); a `url`
/// adds or drops a feed, a value that is exactly a known category (spaces and all) names that
/// category, anything else is read like chat text.
pub fn command_of(
    name: &str,
    option: Option<(&str, &str)>,
    known: &[String],
) -> Result<Command, ParseError> {
    let value = option.map_or("", |(_, v)| v.trim());
    if let Some((URL, _)) = option
        && matches!(name, "subscribe" | "unsubscribe")
    {
        let add = name == "subscribe";
        if value.is_empty() {
            let name = if add { "subscribe" } else { "unsubscribe" };
            return Err(ParseError::MissingArgument(name));
        }
        if value.chars().nth(MAX_URL_CHARS).is_some() {
            return Err(ParseError::ArgumentTooLong);
        }
        return Ok(if add {
            Command::AddFeed(value.to_owned())
        } else {
            Command::RemoveFeed(value.to_owned())
        });
    }
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
