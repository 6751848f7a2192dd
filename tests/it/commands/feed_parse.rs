//! `parse` of the feed commands: addresses and stored names add and remove feeds, one at a
//! time; `/feeds`, `/export` and `/import` take no arguments.

use sokbo::commands::{Command, ParseError, parse};

use super::{BOT, cmd, named};

#[test]
fn feed_addresses_add_and_remove_feeds() {
    let long = format!("https://news.example.com/{}", "a".repeat(1000));
    assert_eq!(
        parse("/subscribe https://news.example.com/feed.xml", BOT),
        cmd(Command::AddFeed("https://news.example.com/feed.xml".into()))
    );
    assert_eq!(
        parse("/구독 news.example.com", BOT),
        cmd(Command::AddFeed("news.example.com".into()))
    );
    assert_eq!(
        parse(&format!("/subscribe {long}"), BOT),
        cmd(Command::AddFeed(long.clone()))
    );
    assert_eq!(
        parse("/unsubscribe <https://news.example.com/feed.xml>", BOT),
        cmd(Command::RemoveFeed(
            "<https://news.example.com/feed.xml>".into()
        ))
    );
    assert_eq!(
        parse("/해지 chat-d589fb45e95e495e", BOT),
        cmd(Command::RemoveFeed("chat-d589fb45e95e495e".into()))
    );
    assert_eq!(
        parse(
            "/subscribe https://a.example/rss https://b.example/rss",
            BOT
        ),
        Err(ParseError::OneFeedAtATime)
    );
    assert_eq!(
        parse("/subscribe 경제 https://a.example/rss", BOT),
        Err(ParseError::OneFeedAtATime)
    );
    // Categories with dots or digits stay categories.
    assert_eq!(
        parse("/subscribe AI 2.0", BOT),
        cmd(Command::Subscribe(named(&["AI", "2.0"])))
    );
    let over = format!("https://news.example.com/{}", "a".repeat(2100));
    assert_eq!(
        parse(&format!("/subscribe {over}"), BOT),
        Err(ParseError::ArgumentTooLong)
    );
}

#[test]
fn feed_list_export_and_import_take_no_arguments() {
    assert_eq!(parse("/feeds", BOT), cmd(Command::Feeds));
    assert_eq!(parse("/피드", BOT), cmd(Command::Feeds));
    assert_eq!(parse("/export@SokboBot", BOT), cmd(Command::Export));
    assert_eq!(parse("/내보내기", BOT), cmd(Command::Export));
    assert_eq!(parse("/import", BOT), cmd(Command::Import(Vec::new())));
    assert_eq!(
        parse("/feeds all", BOT),
        Err(ParseError::UnexpectedArgument {
            command: "feeds",
            arg: "all".into()
        })
    );
}
