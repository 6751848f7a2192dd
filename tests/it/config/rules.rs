//! Each validation rule once, with the whole error it gives; values that pass; warnings.

use super::{error, parse};

/// Each rule once: the TOML and the whole error it gives.
#[test]
fn validation_rules() {
    let feed = "[[feeds]]\nname = \"a\"\npath = \"p\"\n";
    let cases: Vec<(String, &str)> = vec![
        (
            "[bot]\ndata_dir = \"\"\n".into(),
            "config.toml:2: bot.data_dir: must not be empty",
        ),
        (
            "[alerts]\nsummary_max_chars = 4001\n".into(),
            "config.toml:2: alerts.summary_max_chars: must be between 40 and 4000 (got 4001)",
        ),
        (
            "[alerts]\nbreaking_keywords = [\"속보\", \" \"]\n".into(),
            "config.toml:2: alerts.breaking_keywords[1]: must not be empty",
        ),
        (
            "[alerts]\nseen_retention = \"0s\"\n".into(),
            "config.toml:2: alerts.seen_retention: must be at least 1s (got 0s)",
        ),
        (
            "[alerts]\nfull_text_timeout = \"0s\"\n".into(),
            "config.toml:2: alerts.full_text_timeout: must be at least 1ms (got 0s)",
        ),
        (
            "[alerts]\nfull_text_timeout = \"2m\"\n".into(),
            "config.toml:2: alerts.full_text_timeout: must be at most 1m (got 2m): alerts wait for it",
        ),
        (
            "[http]\ntimeout = \"0s\"\n".into(),
            "config.toml:2: http.timeout: must be at least 1ms (got 0s)",
        ),
        (
            "[http]\nmax_body_bytes = 100\n".into(),
            "config.toml:2: http.max_body_bytes: must be at least 1024 (got 100)",
        ),
        (
            "[http]\nmax_concurrent = 0\n".into(),
            "config.toml:2: http.max_concurrent: must be at least 1 (got 0)",
        ),
        (
            "[http]\nper_host = 0\n".into(),
            "config.toml:2: http.per_host: must be at least 1 (got 0)",
        ),
        (
            "[http]\nmax_backoff = \"500ms\"\n".into(),
            "config.toml:2: http.max_backoff: must be at least 1s (got 500ms)",
        ),
        (
            "[http]\nuser_agent = \"sokbo ✓\"\n".into(),
            "config.toml:2: http.user_agent: must be non-empty printable ASCII",
        ),
        (
            "[telegram]\ntoken = \"abc:def\"\n".into(),
            "config.toml:2: telegram.token: not a Bot API token (expected \"<digits>:<letters, \
             digits, _ or ->\"; value not shown)",
        ),
        (
            "[telegram]\napi_url = \"api.telegram.org\"\n".into(),
            "config.toml:2: telegram.api_url: invalid URL \"api.telegram.org\" (relative URL \
             without a base)",
        ),
        (
            "[discord]\ntoken = \"Bot abc\"\n".into(),
            "config.toml:2: discord.token: must not contain spaces (give the bare token, without \
             \"Bot \"; value not shown)",
        ),
        (
            "[discord]\ngateway_url = \"ftp://gateway\"\n".into(),
            "config.toml:2: discord.gateway_url: invalid URL \"ftp://gateway\" (expected ws://, \
             wss://, http:// or https://)",
        ),
        (
            "[server]\nlisten = \"localhost:8080\"\n".into(),
            "config.toml:2: server.listen: invalid socket address \"localhost:8080\" (try \
             \"127.0.0.1:8080\")",
        ),
        (
            "[server]\npublic_url = \"mailto:x@example.com\"\n".into(),
            "config.toml:2: server.public_url: invalid URL \"mailto:x@example.com\" (expected \
             http:// or https://)",
        ),
        (
            "[[feeds]]\nname = \" \"\npath = \"p\"\n".into(),
            "config.toml:2: feeds[0].name: must not be empty",
        ),
        (
            format!("{feed}{feed}"),
            "config.toml:5: feeds[1].name: duplicate feed name \"a\" (also feeds[0])",
        ),
        (
            "[[feeds]]\nname = \"a\"\nurl = \"ftp://example.com/feed\"\n".into(),
            "config.toml:3: feeds[0].url: invalid URL \"ftp://example.com/feed\" (expected \
             http:// or https://)",
        ),
        (
            "[[feeds]]\nname = \"a\"\npath = \"\"\n".into(),
            "config.toml:3: feeds[0].path: must not be empty",
        ),
        (
            format!("{feed}site_url = \"https://\"\n"),
            "config.toml:4: feeds[0].site_url: invalid URL \"https://\" (empty host)",
        ),
        (
            format!("{feed}interval = \"999ms\"\n"),
            "config.toml:4: feeds[0].interval: must be at least 1s (got 999ms)",
        ),
        (
            format!("{feed}categories = [\"경제\", \"\"]\n"),
            "config.toml:4: feeds[0].categories[1]: must not be empty",
        ),
        (
            "[[routes]]\ncategories = [\"경제\"]\n".into(),
            "config.toml:1: routes[0]: set exactly one of telegram_chat, discord_channel or \
             discord_webhook",
        ),
        (
            "[[routes]]\ntelegram_chat = \"@abc\"\n".into(),
            "config.toml:2: routes[0].telegram_chat: invalid chat \"@abc\" (expected \"@name\" of \
             5–32 letters, digits or _, or a numeric chat id)",
        ),
        (
            "[[routes]]\ndiscord_channel = 0\n".into(),
            "config.toml:2: routes[0].discord_channel: must not be 0",
        ),
        (
            "[[routes]]\ndiscord_webhook = \"discord.com/api/webhooks/1/SECRET\"\n".into(),
            "config.toml:2: routes[0].discord_webhook: invalid URL (relative URL without a base; \
             value not shown)",
        ),
        (
            format!(
                "{feed}[[routes]]\ntelegram_chat = \"-1001234567890\"\nfeeds = [\"a\", \"b\"]\n"
            ),
            "config.toml:6: routes[0].feeds[1]: unknown feed \"b\" (feeds: a)",
        ),
        (
            "[[routes]]\ntelegram_chat = \"@sokbo_news\"\nfeeds = [\"a\"]\n".into(),
            "config.toml:3: routes[0].feeds[0]: unknown feed \"a\" (no feeds are configured)",
        ),
    ];
    let got: Vec<(String, String)> = cases
        .iter()
        .map(|(text, _)| (text.clone(), error(text)))
        .collect();
    let want: Vec<(String, String)> = cases
        .iter()
        .map(|(text, want)| (text.clone(), (*want).to_owned()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn valid_chat_ids_and_tokens_pass() {
    let text = "[telegram]\ntoken = \"1:a-B_c\"\n[discord]\ntoken = \"x.y_z-1\"\n\
                [[routes]]\ntelegram_chat = \"@abcde\"\n[[routes]]\ntelegram_chat = \"-100123\"\n\
                [[routes]]\ndiscord_webhook = \"http://127.0.0.1:5/api/webhooks/1/t\"\n";
    let config = parse(text).expect("valid");
    let chats: Vec<_> = config
        .routes
        .iter()
        .map(|r| r.telegram_chat.as_deref())
        .collect();
    assert_eq!(chats, [Some("@abcde"), Some("-100123"), None]);
    assert_eq!(
        config.warnings(),
        ["no [[feeds]] configured: there is nothing to watch"]
    );
}

#[test]
fn warnings_name_routes_to_platforms_that_are_off() {
    let text = "[[feeds]]\nname = \"a\"\npath = \"p\"\n[[routes]]\ntelegram_chat = \"@abcde\"\n\
                [[routes]]\ndiscord_channel = 5\n";
    let config = parse(text).expect("valid");
    assert_eq!(
        config.warnings(),
        [
            "routes[0]: telegram_chat is set but Telegram is off (no telegram.token)",
            "routes[1]: discord_channel is set but Discord is off (no discord.token)",
        ]
    );
}
