//! Korean texts.

use super::{Text, categories_of, list};
use crate::commands::{MAX_ARG_CHARS, MAX_ARGS, ParseError};
use crate::model::{MAX_KEYWORDS, QuietHours, Subscription};

pub(super) const COMMANDS: &[(&str, &str)] = &[
    ("start", "봇 소개"),
    ("help", "명령어 도움말"),
    (
        "subscribe",
        "분류 구독: /subscribe 경제 정치, /subscribe all, 피드 추가: /subscribe <피드 주소>",
    ),
    (
        "unsubscribe",
        "구독 해지: /unsubscribe 경제, /unsubscribe all, /unsubscribe <피드 주소>",
    ),
    ("feeds", "이 채팅이 추가한 피드와 상태"),
    (
        "export",
        "이 채팅의 피드를 OPML 파일로 (파일을 보내면 가져오기)",
    ),
    ("list", "이 채팅의 구독 보기"),
    ("categories", "분류 목록"),
    ("include", "이 단어가 있는 알림만: /include 반도체"),
    ("exclude", "이 단어가 있는 알림 빼기: /exclude 광고"),
    ("clearfilters", "단어 필터 지우기"),
    ("pause", "알림 일시정지"),
    ("resume", "알림 다시 받기"),
    ("quiet", "무음 시간: /quiet 23-7, /quiet off"),
];

pub(super) const HELP_TITLE: &str = "명령어";
pub(super) const HELP_NOTES: &[&str] = &[
    "그룹에서는 관리자만 구독을 바꿀 수 있어요.",
    "채널: 봇과의 1:1 대화에서 /subscribe @채널 경제 (나와 봇이 그 채널의 관리자일 때)",
    "한글 명령: /구독 /해지 /목록 /분류 /도움말 /일시정지 /재개",
];

pub(super) const SLASH_HELP_TITLE: &str = "sokbo 속보 봇 — 이 채널에서 쓰는 명령";
pub(super) const SLASH_COMMANDS: &[(&str, &str)] = &[
    (
        "/구독 분류:경제",
        "분류의 새 글을 이 채널로 알림 (전체는 all)",
    ),
    ("/해지 분류:경제", "구독 해지"),
    ("/목록", "이 채널의 구독"),
    ("/분류", "분류 목록"),
    ("/포함 단어:반도체", "이 단어가 있는 알림만"),
    ("/제외 단어:광고", "이 단어가 있는 알림 빼기"),
    ("/필터해제", "단어 필터 지우기"),
    ("/일시정지 · /재개", "알림 멈추기와 다시 받기"),
    ("/무음 시간:23-7", "이 시간에는 알림음 없이"),
    (
        "/구독 주소:https://example.com/feed.xml",
        "피드의 새 글을 이 채널로 알림",
    ),
    ("/해지 주소:https://example.com/feed.xml", "피드 빼기"),
    ("/피드", "이 채널이 추가한 피드"),
    (
        "/내보내기 · /가져오기 파일:feeds.opml",
        "피드를 OPML로 내보내고 가져오기",
    ),
];
pub(super) const SLASH_HELP_NOTE: &str = "구독을 바꾸려면 채널 관리 권한이 필요해요.";

fn more(n: usize) -> String {
    format!(" 외 {n}개")
}

fn quiet(q: &QuietHours) -> String {
    format!("{}시–{}시", q.start_hour, q.end_hour)
}

fn subscribed_line(sub: &Subscription) -> String {
    if sub.all {
        "구독: 전체".into()
    } else if sub.categories.is_empty() {
        "구독: 없음".into()
    } else {
        format!("구독: {}", list(&categories_of(sub), more))
    }
}

fn status(sub: &Subscription) -> String {
    let mut lines = vec![subscribed_line(sub)];
    if !sub.include.is_empty() {
        lines.push(format!("포함 단어: {}", list(&sub.include, more)));
    }
    if !sub.exclude.is_empty() {
        lines.push(format!("제외 단어: {}", list(&sub.exclude, more)));
    }
    if let Some(q) = &sub.quiet {
        lines.push(format!("무음 시간: {}", quiet(q)));
    }
    if sub.paused {
        lines.push("일시정지 중 (/resume)".into());
    }
    if let Some(reason) = &sub.inactive {
        lines.push(format!("전달 중단: {reason}"));
    }
    lines.join("\n")
}

fn parse_error(e: &ParseError) -> String {
    match e {
        ParseError::UnknownCommand(name) => format!("모르는 명령이에요: /{name}. /help 를 보세요."),
        ParseError::MissingArgument(command) => format!("사용법: {}", usage(command)),
        ParseError::UnexpectedArgument { command, arg } => {
            format!("/{command} 에는 인자를 쓰지 않아요: {arg}")
        }
        ParseError::BadQuietHours(s) => {
            format!("시간을 읽을 수 없어요: {s}. 예: /quiet 23-7 (0–23시)")
        }
        ParseError::BadChannel(s) => format!("채널은 @이름 으로 적어 주세요: {s}"),
        ParseError::TooManyArguments => format!("인자가 너무 많아요 (최대 {MAX_ARGS}개)."),
        ParseError::ArgumentTooLong => format!("인자가 너무 길어요 (최대 {MAX_ARG_CHARS}자)."),
        ParseError::OneFeedAtATime => "피드 주소는 한 번에 하나씩 주세요.".into(),
    }
}

fn usage(command: &str) -> String {
    match command {
        "include" => "/include 단어…".into(),
        "exclude" => "/exclude 단어…".into(),
        "quiet" => "/quiet 23-7 또는 /quiet off".into(),
        other => format!("/{other} …"),
    }
}

pub(super) fn text(t: &Text) -> String {
    match t {
        Text::Welcome => "안녕하세요! 새 글이 올라오면 바로 알려 드려요.\n\
             /subscribe 경제 처럼 분류를 구독하세요. 분류는 /categories, 명령은 /help 에 있어요."
            .into(),
        Text::Help => super::help(super::Lang::Ko),
        Text::Subscribed { added, already } => {
            let mut lines = Vec::new();
            if !added.is_empty() {
                lines.push(format!("구독했어요: {}", list(added, more)));
            }
            if !already.is_empty() {
                lines.push(format!("이미 구독 중: {}", list(already, more)));
            }
            lines.join("\n")
        }
        Text::SubscribedAll => "모든 분류를 구독했어요.".into(),
        Text::Unsubscribed { removed, absent } => {
            let mut lines = Vec::new();
            if !removed.is_empty() {
                lines.push(format!("해지했어요: {}", list(removed, more)));
            }
            if !absent.is_empty() {
                lines.push(format!("구독하지 않은 분류: {}", list(absent, more)));
            }
            lines.join("\n")
        }
        Text::UnsubscribedAll => "모든 구독을 해지했어요.".into(),
        Text::UnknownCategories { unknown, known } => {
            let mut lines: Vec<String> = unknown
                .iter()
                .map(|u| match &u.suggestion {
                    Some(s) => format!("없는 분류: {} (혹시 ‘{s}’?)", u.name),
                    None => format!("없는 분류: {}", u.name),
                })
                .collect();
            lines.push(format!("분류: {}", list(known, more)));
            lines.join("\n")
        }
        Text::Status(sub) => status(sub),
        Text::NothingSubscribed => "구독한 분류가 없어요. /subscribe 로 시작하세요.".into(),
        Text::Categories(known) => format!("분류: {}", list(known, more)),
        Text::NoCategoriesYet => {
            "아직 알려진 분류가 없어요. /subscribe all 로 전체를 구독할 수 있어요.".into()
        }
        Text::Choose(sub) => format!("누를 때마다 구독이 바뀌어요.\n{}", subscribed_line(sub)),
        Text::Include(words) => format!(
            "포함 단어: {} — 이 중 하나가 있는 알림만 보내요.",
            list(words, more)
        ),
        Text::Exclude(words) => format!(
            "제외 단어: {} — 이 단어가 있는 알림은 빼요.",
            list(words, more)
        ),
        Text::TooManyKeywords => format!("단어는 포함, 제외 각각 {MAX_KEYWORDS}개까지예요."),
        Text::FiltersCleared => "단어 필터를 지웠어요.".into(),
        Text::Paused => "알림을 멈췄어요. /resume 으로 다시 받아요.".into(),
        Text::Resumed => "알림을 다시 보내요.".into(),
        Text::Quiet(q) => format!("{}에는 알림이 소리 없이 와요.", quiet(q)),
        Text::QuietOff => "무음 시간을 껐어요.".into(),
        Text::NotAdmin => "관리자만 이 채팅의 구독을 바꿀 수 있어요.".into(),
        Text::StaleButton => "지난 버튼이에요. /subscribe 를 다시 보내 주세요.".into(),
        Text::Parse(e) => parse_error(e),
        Text::PrivateOnly => "채널은 봇과의 1:1 대화에서만 설정할 수 있어요.".into(),
        Text::ChannelNotFound(name) => format!("채널을 찾을 수 없어요: {name}"),
        Text::ChannelNeedsAdmins(name) => {
            format!("{name} 채널에서 나와 봇이 모두 관리자여야 해요.")
        }
        Text::SlashHelp => super::slash_help(super::Lang::Ko),
        Text::ServerChannelOnly => "서버 채널에서 써 주세요.".into(),
        Text::NeedsManageChannels => {
            "채널 관리 권한이 있어야 이 채널의 구독을 바꿀 수 있어요.".into()
        }
        Text::Failed => "지금은 처리할 수 없어요. 잠시 후 다시 해 주세요.".into(),
        Text::Feeds(t) => super::feeds::text(super::Lang::Ko, t),
    }
}
