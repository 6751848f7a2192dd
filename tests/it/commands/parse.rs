//! `parse`: names and aliases, @bot suffixes, channel targets, arguments and malformed input.

use sokbo::commands::{
    ChannelRef, Command, MAX_ARG_CHARS, MAX_ARGS, ParseError, ParsedCommand, Selection, parse,
};
use sokbo::model::QuietHours;

use super::{BOT, cmd, named, strings};

#[test]
fn subscribe_several_split_on_spaces_and_commas() {
    let want = cmd(Command::Subscribe(named(&["경제", "정치", "사회"])));
    assert_eq!(parse("/subscribe 경제 정치 사회", BOT), want);
    assert_eq!(parse("/subscribe 경제,정치, 사회", BOT), want);
    assert_eq!(parse("/구독 경제，정치、사회", BOT), want);
    assert_eq!(parse("  /subscribe\n경제\t정치,,사회  ", BOT), want);
    assert_eq!(parse("/sub 경제 경제 정치 사회 정치", BOT), want);
}

#[test]
fn korean_aliases_and_case() {
    assert_eq!(parse("/시작", BOT), cmd(Command::Start));
    assert_eq!(parse("/START", BOT), cmd(Command::Start));
    assert_eq!(parse("/start deep-link-payload", BOT), cmd(Command::Start));
    assert_eq!(parse("/도움말", BOT), cmd(Command::Help));
    assert_eq!(parse("/목록", BOT), cmd(Command::List));
    assert_eq!(parse("/분류", BOT), cmd(Command::Categories));
    assert_eq!(parse("/일시정지", BOT), cmd(Command::Pause));
    assert_eq!(parse("/재개", BOT), cmd(Command::Resume));
    assert_eq!(parse("/필터해제", BOT), cmd(Command::ClearFilters));
    assert_eq!(
        parse("/해지 경제", BOT),
        cmd(Command::Unsubscribe(named(&["경제"])))
    );
    assert_eq!(
        parse("/포함 반도체", BOT),
        cmd(Command::Include(strings(&["반도체"])))
    );
    assert_eq!(
        parse("/제외 광고", BOT),
        cmd(Command::Exclude(strings(&["광고"])))
    );
}

#[test]
fn menu_and_all() {
    assert_eq!(
        parse("/subscribe", BOT),
        cmd(Command::Subscribe(Selection::Menu))
    );
    assert_eq!(
        parse("/unsubscribe", BOT),
        cmd(Command::Unsubscribe(Selection::Menu))
    );
    assert_eq!(
        parse("/subscribe all", BOT),
        cmd(Command::Subscribe(Selection::All))
    );
    assert_eq!(
        parse("/구독 전체", BOT),
        cmd(Command::Subscribe(Selection::All))
    );
    assert_eq!(
        parse("/subscribe 경제 ALL", BOT),
        cmd(Command::Subscribe(Selection::All))
    );
    assert_eq!(
        parse("/unsubscribe 모두", BOT),
        cmd(Command::Unsubscribe(Selection::All))
    );
}

#[test]
fn bot_suffix_ours_or_another() {
    let want = cmd(Command::Subscribe(named(&["경제"])));
    assert_eq!(parse("/subscribe@SokboBot 경제", BOT), want);
    assert_eq!(parse("/subscribe@sokbobot 경제", "@SokboBot"), want);
    assert_eq!(parse("/subscribe@otherbot 경제", BOT), Ok(None));
    assert_eq!(parse("/frobnicate@otherbot", BOT), Ok(None));
    assert_eq!(parse("/start@", BOT), Ok(None));
}

#[test]
fn not_commands() {
    for text in [
        "",
        "   ",
        "hello",
        "경제 구독",
        "/",
        "/ subscribe",
        "/usr/bin/env",
        "//x",
        "/-x",
    ] {
        assert_eq!(parse(text, BOT), Ok(None), "{text:?}");
    }
}

#[test]
fn unknown_command_is_an_error() {
    assert_eq!(
        parse("/frobnicate 1", BOT),
        Err(ParseError::UnknownCommand("frobnicate".into()))
    );
    let long = format!("/{}", "가".repeat(200));
    assert_eq!(
        parse(&long, BOT),
        Err(ParseError::UnknownCommand("가".repeat(MAX_ARG_CHARS)))
    );
}

#[test]
fn channel_target_first() {
    assert_eq!(
        parse("/subscribe @MyNews 경제", BOT),
        Ok(Some(ParsedCommand {
            command: Command::Subscribe(named(&["경제"])),
            target: Some(ChannelRef::Username("MyNews".into())),
        }))
    );
    assert_eq!(
        parse("/subscribe @my_news", BOT),
        Ok(Some(ParsedCommand {
            command: Command::Subscribe(Selection::Menu),
            target: Some(ChannelRef::Username("my_news".into())),
        }))
    );
    assert_eq!(
        parse("/list @news", BOT),
        Ok(Some(ParsedCommand {
            command: Command::List,
            target: Some(ChannelRef::Username("news".into())),
        }))
    );
    assert_eq!(
        parse("/pause <#123456789012345678>", BOT),
        Ok(Some(ParsedCommand {
            command: Command::Pause,
            target: Some(ChannelRef::Discord(123456789012345678)),
        }))
    );
    assert_eq!(
        parse("/quiet @news 23-7", BOT),
        Ok(Some(ParsedCommand {
            command: Command::Quiet(QuietHours::new(23, 7)),
            target: Some(ChannelRef::Username("news".into())),
        }))
    );
    assert_eq!(
        parse("/subscribe @bad-name 경제", BOT),
        Err(ParseError::BadChannel("@bad-name".into()))
    );
    assert_eq!(
        parse("/subscribe @", BOT),
        Err(ParseError::BadChannel("@".into()))
    );
    assert_eq!(
        parse("/pause <#abc>", BOT),
        Err(ParseError::BadChannel("<#abc>".into()))
    );
    assert_eq!(parse("/help @news", BOT), cmd(Command::Help));
}

#[test]
fn quiet_hours() {
    let q = |s, e| cmd(Command::Quiet(QuietHours::new(s, e)));
    assert_eq!(parse("/quiet 23-7", BOT), q(23, 7));
    assert_eq!(parse("/quiet 23 - 7", BOT), q(23, 7));
    assert_eq!(parse("/무음 23시~7시", BOT), q(23, 7));
    assert_eq!(parse("/quiet 09:00-18:00", BOT), q(9, 18));
    assert_eq!(parse("/quiet 22h-24h", BOT), q(22, 0));
    assert_eq!(parse("/quiet 0-6", BOT), q(0, 6));
    assert_eq!(parse("/quiet off", BOT), cmd(Command::Quiet(None)));
    assert_eq!(parse("/무음 끄기", BOT), cmd(Command::Quiet(None)));
    let bad = |s: &str| Err(ParseError::BadQuietHours(s.into()));
    assert_eq!(parse("/quiet 25-3", BOT), bad("25-3"));
    assert_eq!(parse("/quiet 7-7", BOT), bad("7-7"));
    assert_eq!(parse("/quiet 23:30-7", BOT), bad("23:30-7"));
    assert_eq!(parse("/quiet 23", BOT), bad("23"));
    assert_eq!(parse("/quiet -3-4", BOT), bad("-3-4"));
    assert_eq!(parse("/quiet 밤", BOT), bad("밤"));
    assert_eq!(parse("/quiet 123-4", BOT), bad("123-4"));
    assert_eq!(
        parse("/quiet", BOT),
        Err(ParseError::MissingArgument("quiet"))
    );
}

#[test]
fn filters_need_words() {
    assert_eq!(
        parse("/include 반도체 AI ai", BOT),
        cmd(Command::Include(strings(&["반도체", "AI"])))
    );
    assert_eq!(
        parse("/include", BOT),
        Err(ParseError::MissingArgument("include"))
    );
    assert_eq!(
        parse("/제외", BOT),
        Err(ParseError::MissingArgument("exclude"))
    );
}

#[test]
fn no_argument_commands_refuse_arguments() {
    assert_eq!(
        parse("/pause 경제", BOT),
        Err(ParseError::UnexpectedArgument {
            command: "pause",
            arg: "경제".into()
        })
    );
    assert_eq!(
        parse("/목록 전부", BOT),
        Err(ParseError::UnexpectedArgument {
            command: "list",
            arg: "전부".into()
        })
    );
    assert_eq!(parse("/categories 아무거나", BOT), cmd(Command::Categories));
}

#[test]
fn argument_limits() {
    let many = |n: usize| format!("/subscribe {}", vec!["경제"; n].join(" "));
    assert_eq!(
        parse(&many(MAX_ARGS), BOT),
        cmd(Command::Subscribe(named(&["경제"])))
    );
    assert_eq!(
        parse(&many(MAX_ARGS + 1), BOT),
        Err(ParseError::TooManyArguments)
    );
    let long = format!("/subscribe {}", "가".repeat(MAX_ARG_CHARS));
    assert_eq!(
        parse(&long, BOT),
        cmd(Command::Subscribe(Selection::Named(vec![
            "가".repeat(MAX_ARG_CHARS)
        ])))
    );
    let longer = format!("/subscribe {}", "가".repeat(MAX_ARG_CHARS + 1));
    assert_eq!(parse(&longer, BOT), Err(ParseError::ArgumentTooLong));
}

#[test]
fn hostile_input_never_panics() {
    let big = "/subscribe ".to_string() + &"a,".repeat(100_000);
    let inputs = [
        "/\u{0}",
        "/구독\u{200b}경제",
        "/subscribe \u{200b}",
        "/start@@",
        "/😀",
        "/quiet ١٢-٣",
        "/quiet ---",
        "/quiet 시-시",
        "/subscribe <#>",
        "/subscribe <#18446744073709551616>",
        big.as_str(),
    ];
    let got: Vec<_> = inputs.iter().map(|t| parse(t, BOT)).collect();
    assert_eq!(
        got,
        vec![
            Ok(None),
            Ok(None),
            cmd(Command::Subscribe(named(&["\u{200b}"]))),
            Ok(None),
            Ok(None),
            Err(ParseError::BadQuietHours("١٢-٣".into())),
            Err(ParseError::BadQuietHours("---".into())),
            Err(ParseError::BadQuietHours("시-시".into())),
            Err(ParseError::BadChannel("<#>".into())),
            Err(ParseError::BadChannel("<#18446744073709551616>".into())),
            Err(ParseError::TooManyArguments),
        ]
    );
}
