//! Languages, help, the command menu and error replies.

use sokbo::commands::{ParseError, Reply, parse};
use sokbo::i18n::{Lang, MAX_LISTED, Text, command_list, help, text};

#[test]
fn language_from_code() {
    assert_eq!(Lang::from_code(Some("ko"), Lang::En), Lang::Ko);
    assert_eq!(Lang::from_code(Some("ko-KR"), Lang::En), Lang::Ko);
    assert_eq!(Lang::from_code(Some("KO"), Lang::En), Lang::Ko);
    assert_eq!(Lang::from_code(Some("en-US"), Lang::Ko), Lang::En);
    assert_eq!(Lang::from_code(Some("ja"), Lang::Ko), Lang::En);
    assert_eq!(Lang::from_code(Some("k"), Lang::Ko), Lang::En);
    assert_eq!(Lang::from_code(Some("한국"), Lang::Ko), Lang::En);
    assert_eq!(Lang::from_code(Some(" "), Lang::Ko), Lang::Ko);
    assert_eq!(Lang::from_code(None, Lang::En), Lang::En);
    assert_eq!(Lang::Ko.code(), "ko");
}

#[test]
fn command_menu_names_parse_and_fit_the_platforms() {
    let ko = command_list(Lang::Ko);
    let en = command_list(Lang::En);
    fn names(l: &[(&'static str, &'static str)]) -> Vec<&'static str> {
        l.iter().map(|(n, _)| *n).collect()
    }
    assert_eq!(names(&ko), names(&en));
    assert_eq!(
        names(&ko),
        vec![
            "start",
            "help",
            "subscribe",
            "unsubscribe",
            "feeds",
            "export",
            "list",
            "categories",
            "include",
            "exclude",
            "clearfilters",
            "pause",
            "resume",
            "quiet"
        ]
    );
    for (name, description) in ko.iter().chain(&en) {
        assert!(
            name.len() <= 32 && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{name}"
        );
        assert!(
            (3..=100).contains(&description.chars().count()),
            "{description}"
        );
        let parsed = parse(&format!("/{name}"), "bot");
        assert!(
            matches!(parsed, Ok(Some(_)) | Err(ParseError::MissingArgument(_))),
            "{name}: {parsed:?}"
        );
    }
}

#[test]
fn english_help() {
    assert_eq!(
        help(Lang::En),
        "Commands\n\
         /start — About this bot\n\
         /help — Command help\n\
         /subscribe — Subscribe: /subscribe economy politics, /subscribe all, /subscribe <feed URL>\n\
         /unsubscribe — Unsubscribe: /unsubscribe economy, /unsubscribe all, /unsubscribe <feed URL>\n\
         /feeds — Feeds this chat added, and their state\n\
         /export — This chat's feeds as an OPML file (send one to import)\n\
         /list — This chat's subscription\n\
         /categories — Known categories\n\
         /include — Only alerts with a word: /include chips\n\
         /exclude — Skip alerts with a word: /exclude ads\n\
         /clearfilters — Remove word filters\n\
         /pause — Pause alerts\n\
         /resume — Resume alerts\n\
         /quiet — Silent hours: /quiet 23-7, /quiet off\n\
         In groups only administrators change the subscription.\n\
         Channels: in a private chat with the bot, /subscribe @channel economy (you and the bot must be its administrators)"
    );
    let ko = help(Lang::Ko);
    assert!(
        ko.starts_with("명령어\n/start — 봇 소개\n/help — 명령어 도움말\n"),
        "{ko}"
    );
    assert!(
        ko.ends_with("\n한글 명령: /구독 /해지 /목록 /분류 /도움말 /일시정지 /재개"),
        "{ko}"
    );
}

#[test]
fn parse_error_replies() {
    let cases = [
        (
            ParseError::BadQuietHours("25-3".into()),
            "시간을 읽을 수 없어요: 25-3. 예: /quiet 23-7 (0–23시)",
            "Cannot read the hours: 25-3. Example: /quiet 23-7 (hours 0–23)",
        ),
        (
            ParseError::MissingArgument("include"),
            "사용법: /include 단어…",
            "Usage: /include word…",
        ),
        (
            ParseError::UnknownCommand("foo".into()),
            "모르는 명령이에요: /foo. /help 를 보세요.",
            "Unknown command: /foo. See /help.",
        ),
        (
            ParseError::TooManyArguments,
            "인자가 너무 많아요 (최대 30개).",
            "Too many arguments (at most 30).",
        ),
    ];
    for (err, ko, en) in cases {
        assert_eq!(
            Reply::parse_error(Lang::Ko, &err),
            Reply {
                text: ko.into(),
                keyboard: None,
                file: None,
            }
        );
        assert_eq!(Reply::parse_error(Lang::En, &err).text, en);
    }
}

#[test]
fn long_lists_are_cut() {
    let many: Vec<String> = (0..MAX_LISTED + 5).map(|i| format!("c{i}")).collect();
    let shown = many[..MAX_LISTED].join(", ");
    assert_eq!(
        text(Lang::Ko, &Text::Categories(many.clone())),
        format!("분류: {shown} 외 5개")
    );
    assert_eq!(
        text(Lang::En, &Text::Categories(many)),
        format!("Categories: {shown} and 5 more")
    );
}

#[test]
fn front_end_texts() {
    assert_eq!(
        text(Lang::Ko, &Text::ChannelNeedsAdmins("@news".into())),
        "@news 채널에서 나와 봇이 모두 관리자여야 해요."
    );
    assert_eq!(
        text(Lang::En, &Text::PrivateOnly),
        "Channels can be set up only in a private chat with the bot."
    );
    assert_eq!(
        text(Lang::Ko, &Text::Failed),
        "지금은 처리할 수 없어요. 잠시 후 다시 해 주세요."
    );
}
