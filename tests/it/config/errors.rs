//! One test per error class: I/O, syntax, unknown key, wrong type, missing key, several at once,
//! and values from the environment — each asserting the whole error text.

use std::path::Path;

use sokbo::config::{Config, ConfigError};

use super::{BASE, error, no_env, parse};

#[test]
fn io_error_names_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("missing.toml");
    let err = Config::load_with_env(&path, &no_env).expect_err("missing file");
    assert!(matches!(err, ConfigError::Io { .. }));
    assert_eq!(
        err.to_string(),
        format!(
            "{}: cannot read: No such file or directory (os error 2)",
            path.display()
        )
    );
}

#[test]
fn load_errors_use_the_path_as_origin() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sokbo.toml");
    std::fs::write(&path, "[bot]\n\nlanguage = \"fr\"\n").expect("write");
    let err = Config::load_with_env(&path, &no_env).expect_err("invalid");
    assert_eq!(
        err.to_string(),
        format!(
            "{}:3: bot.language: unsupported language \"fr\" (expected \"ko\" or \"en\")",
            path.display()
        )
    );
}

#[test]
fn syntax_error() {
    let err = parse("[bot]\nlanguage = \"ko\"\ntimezone = Asia/Seoul\n").expect_err("bad toml");
    assert!(matches!(err, ConfigError::Parse { .. }));
    assert_eq!(
        err.to_string(),
        "config.toml:3: string values must be quoted, expected literal string"
    );
}

#[test]
fn unknown_keys_list_the_expected_ones() {
    let err = parse("[bot]\ndata_dir = \"d\"\nlangauge = \"ko\"\n").expect_err("typo");
    assert!(matches!(err, ConfigError::UnknownKey { .. }));
    assert_eq!(
        err.to_string(),
        "config.toml:3: unknown key bot.langauge (expected one of data_dir, language, timezone, \
         console)"
    );
    assert_eq!(
        error("[telegam]\ntoken = \"\"\n"),
        "config.toml:1: unknown key telegam (expected one of bot, alerts, summary, http, delivery, \
         store, cluster, chat_feeds, telegram, discord, server, feeds, routes)"
    );
    assert_eq!(
        error(
            "[[feeds]]\nname = \"a\"\npath = \"p\"\n[[feeds]]\nname = \"b\"\nurl = \"http://x\"\nevery = \"5m\"\n"
        ),
        "config.toml:7: unknown key feeds[1].every (expected one of name, url, path, site_url, \
         permalink, interval, categories, breaking, full_text, headers, cookies, basic_auth, proxy)"
    );
    assert_eq!(
        error("[bot.\"odd key\"]\nx = 1\n"),
        "config.toml:1: unknown key bot.\"odd key\" (expected one of data_dir, language, \
         timezone, console)"
    );
}

#[test]
fn invalid_duration() {
    let text = "[[feeds]]\nname = \"a\"\npath = \"p\"\n\n[[feeds]]\nname = \"b\"\n\
                url = \"https://example.com/feed\"\ninterval = \"five minutes\"\n";
    let err = parse(text).expect_err("bad duration");
    assert!(matches!(err, ConfigError::Parse { .. }));
    assert_eq!(
        err.to_string(),
        "config.toml:8: feeds[1].interval: invalid duration \"five minutes\" (try \"90s\", \"5m\")"
    );
}

#[test]
fn wrong_value_types() {
    assert_eq!(
        error("[alerts]\nbacklog = \"five\"\n"),
        "config.toml:2: alerts.backlog: invalid type: string \"five\", expected usize"
    );
    assert_eq!(
        error("[bot]\nconsole = \"sometimes\"\n"),
        "config.toml:2: bot.console: unknown variant `sometimes`, expected one of `auto`, \
         `always`, `never`"
    );
    assert_eq!(
        error("[[feeds]]\nname = \"a\"\nurl = \"https://a.example/rss\"\nfull_text = \"yes\"\n"),
        "config.toml:4: feeds[0].full_text: unknown variant `yes`, expected one of `auto`, \
         `always`, `never`"
    );
    assert_eq!(
        error("[bot]\ntimezone = \"Mars/Olympus\"\n"),
        "config.toml:2: bot.timezone: unknown time zone \"Mars/Olympus\" (try \"Asia/Seoul\")"
    );
    assert_eq!(
        error("[[feeds]]\nname = \"a\"\npath = \"p\"\ncategories = [\"x\", 3]\n"),
        "config.toml:4: feeds[0].categories[1]: invalid type: integer `3`, expected a string"
    );
    assert_eq!(
        error("feeds = 3\n"),
        "config.toml:1: feeds: expected an array of tables [[feeds]], found an integer"
    );
    assert_eq!(
        error("[[bot]]\nlanguage = \"ko\"\n"),
        "config.toml:1: bot: expected a table [bot], found an array"
    );
    assert_eq!(
        error("[feeds]\nname = \"a\"\n"),
        "config.toml:1: feeds: expected an array of tables [[feeds]], found a table"
    );
    assert_eq!(
        error("[alerts]\nbacklog = 99999999999999999999\n"),
        "config.toml:2: alerts.backlog: invalid type: integer `99999999999999999999` as i128, \
         expected usize"
    );
    assert_eq!(
        error("[bot]\nlanguage = \"ko\"\nlanguage = \"en\"\n"),
        "config.toml:3: duplicate key"
    );
}

#[test]
fn missing_feed_name() {
    assert_eq!(
        error("[bot]\nlanguage = \"en\"\n\n[[feeds]]\npath = \"p\"\n"),
        "config.toml:4: feeds[0]: missing field `name`"
    );
}

#[test]
fn feed_needs_exactly_one_of_url_or_path() {
    let err = parse("[bot]\nlanguage = \"en\"\n\n\n\n\n\n\n[[feeds]]\nname = \"a\"\n")
        .expect_err("neither");
    assert!(matches!(err, ConfigError::Invalid { .. }));
    assert_eq!(
        err.to_string(),
        "config.toml:9: feeds[0]: set exactly one of url or path"
    );
    assert_eq!(
        error("[[feeds]]\nname = \"a\"\npath = \"p\"\nurl = \"https://example.com/feed\"\n"),
        "config.toml:1: feeds[0]: set exactly one of url or path"
    );
}

#[test]
fn several_errors_are_reported_together_in_file_order() {
    let text = "[alerts]\nsummary_max_chars = 10\n\n[bot]\nlanguage = \"fr\"\n\n\
                [[feeds]]\nname = \"a\"\npath = \"p\"\ninterval = \"0s\"\n";
    let err = parse(text).expect_err("three problems");
    assert_eq!(err.errors().len(), 3);
    assert_eq!(
        err.to_string(),
        "config.toml:2: alerts.summary_max_chars: must be between 40 and 4000 (got 10)\n\
         config.toml:5: bot.language: unsupported language \"fr\" (expected \"ko\" or \"en\")\n\
         config.toml:10: feeds[0].interval: must be at least 1s (got 0s)"
    );

    let text = "[alerts]\nbacklog = -1\n[[feeds]]\nname = \"a\"\ninterval = 5\n";
    assert_eq!(
        error(text),
        "config.toml:2: alerts.backlog: invalid value: integer `-1`, expected usize\n\
         config.toml:5: feeds[0].interval: invalid type: integer `5`, expected a string"
    );
}

#[test]
fn env_values_are_validated_with_the_variable_as_origin() {
    let env = |name: &str| (name == "SOKBO_TELEGRAM_TOKEN").then(|| "not a token".to_owned());
    let err = Config::from_toml_with_env("", "config.toml", Path::new(BASE), &env)
        .expect_err("bad token");
    assert_eq!(
        err.to_string(),
        "env SOKBO_TELEGRAM_TOKEN: telegram.token: not a Bot API token (expected \
         \"<digits>:<letters, digits, _ or ->\"; value not shown)"
    );
}

#[test]
fn a_store_url_that_is_not_postgres_names_the_key_and_line() {
    assert_eq!(
        error("[store]\nurl = \"mysql://db/news\"\n"),
        "config.toml:2: store.url: must be a PostgreSQL URL (postgres://user@host:5432/database), \
         or left out for sled"
    );
}

#[test]
fn request_settings_are_checked_and_never_shown() {
    let text = "[[feeds]]\nname = \"a\"\nurl = \"http://x\"\nheaders = { \"Bad Name\" = \"v\" }\n\
                basic_auth = { user = \"\", password = \"s3cret-pw\" }\n\
                proxy = \"socks9://u:s3cret-pw@p\"\n";
    let message = error(text);
    assert!(
        message.contains("feeds[0].headers.Bad Name: not a valid header name"),
        "{message}"
    );
    assert!(
        message.contains("feeds[0].basic_auth.user: must be set"),
        "{message}"
    );
    assert!(
        message.contains("feeds[0].proxy: invalid proxy URL"),
        "{message}"
    );
    assert!(!message.contains("s3cret-pw"), "{message}");
    let folder = error("[[feeds]]\nname = \"a\"\npath = \"p\"\ncookies = { s = \"v\" }\n");
    assert!(folder.contains("apply to url feeds only"), "{folder}");
}
