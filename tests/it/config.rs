//! Config loading: parsed values (a full fixture, the shipped example, an empty file), env
//! overrides, relative path resolution and Debug redaction. Errors are in `config/errors.rs` (one
//! test per class) and `config/rules.rs` (each validation rule), asserting whole error texts.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sokbo::config::{
    AlertsConfig, BasicAuth, BotConfig, ClusterConfig, Config, ConfigError, ConsoleMode,
    DeliveryConfig, DiscordConfig, FeedConfig, FeedSource, FullText, HttpConfig, RequestSettings,
    RouteConfig, ServerConfig, StoreConfig, SummaryStyle, TelegramConfig,
};
use sokbo::model::Lang;
use sokbo::summary::llm::SummaryConfig;

mod errors;
mod rules;

const BASE: &str = "/etc/sokbo";

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::from_toml(text, "config.toml", Path::new(BASE))
}

fn error(text: &str) -> String {
    match parse(text) {
        Ok(config) => panic!("accepted: {config:?}"),
        Err(e) => e.to_string(),
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/config")
}

fn no_env(_: &str) -> Option<String> {
    None
}

fn feed(name: &str, source: FeedSource) -> FeedConfig {
    FeedConfig {
        name: name.into(),
        source,
        site_url: None,
        permalink: None,
        interval: Duration::from_secs(60),
        categories: vec![],
        breaking: false,
        full_text: FullText::Auto,
        request: RequestSettings::default(),
    }
}

fn route() -> RouteConfig {
    RouteConfig {
        telegram_chat: None,
        discord_channel: None,
        discord_webhook: None,
        categories: vec![],
        feeds: vec![],
    }
}

#[test]
fn full_config_parses_every_key() {
    let dir = fixtures();
    let config = Config::load_with_env(&dir.join("full.toml"), &no_env).expect("valid");
    let expected = Config {
        bot: BotConfig {
            data_dir: dir.join("state"),
            language: Lang::En,
            timezone: chrono_tz::Europe::Berlin,
            console: ConsoleMode::Always,
        },
        alerts: AlertsConfig {
            backlog: 3,
            summary_max_chars: 300,
            breaking_keywords: vec!["속보".into(), "단독".into()],
            summary_style: SummaryStyle::Lines,
            seen_retention: Duration::from_secs(30 * 24 * 3600),
            full_text_timeout: Duration::from_millis(1500),
        },
        summary: SummaryConfig {
            llm_url: "http://127.0.0.1:8000/v1".into(),
            model: "small-ko".into(),
            api_key_env: "MY_LLM_KEY".into(),
            timeout: Duration::from_secs(2),
        },
        http: HttpConfig {
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(20),
            max_body_bytes: 1024 * 1024,
            max_concurrent: 8,
            per_host: 1,
            max_interval: Duration::from_secs(30 * 60),
            max_backoff: Duration::from_secs(2 * 3600),
            user_agent: "sokbo-test/1.0".into(),
            proxy: "http://proxy.internal:3128".into(),
        },
        delivery: DeliveryConfig {
            window: 16,
            timeout: Duration::from_secs(5),
            give_up_after: Duration::from_secs(2 * 3600),
        },
        store: StoreConfig {
            url: "postgres://sokbo:s3cret-pw@db.example:5432/news".into(),
        },
        cluster: ClusterConfig {
            node_id: "seoul-2".into(),
            lease_ttl: Duration::from_secs(8),
            listen: false,
        },
        chat_feeds: Default::default(),
        telegram: Some(TelegramConfig {
            token: "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0".into(),
            api_url: "http://127.0.0.1:8081".into(),
            photo: true,
        }),
        discord: Some(DiscordConfig {
            token: "MTA4.discord-token_x".into(),
            api_url: "http://127.0.0.1:8082".into(),
            gateway_url: "ws://127.0.0.1:8083".into(),
        }),
        server: Some(ServerConfig {
            listen: "0.0.0.0:9090".into(),
            ping_token: "ping-secret".into(),
            public_url: "https://bot.example.com".into(),
        }),
        feeds: vec![
            FeedConfig {
                site_url: Some("https://news.example.com".into()),
                permalink: Some("/:categories/:title/".into()),
                interval: Duration::from_secs(120),
                categories: vec!["뉴스".into()],
                breaking: true,
                full_text: FullText::Never,
                ..feed("whereispost", FeedSource::Folder(dir.join("posts")))
            },
            FeedConfig {
                interval: Duration::from_secs(90),
                categories: vec!["경제".into(), "국제".into()],
                full_text: FullText::Always,
                request: RequestSettings {
                    headers: [("X-Api-Key".into(), "key-1".into())].into(),
                    cookies: [("session".into(), "s-2".into())].into(),
                    basic_auth: Some(BasicAuth {
                        user: "reader".into(),
                        password: "pw-3".into(),
                    }),
                    proxy: Some("http://members-proxy.internal:3128".into()),
                },
                ..feed(
                    "economy",
                    FeedSource::Http("https://example.com/feed.xml".into()),
                )
            },
        ],
        routes: vec![
            RouteConfig {
                telegram_chat: Some("@sokbo_news".into()),
                categories: vec!["경제".into()],
                feeds: vec!["economy".into()],
                ..route()
            },
            RouteConfig {
                discord_channel: Some(123456789012345678),
                ..route()
            },
            RouteConfig {
                discord_webhook: Some(
                    "https://discord.com/api/webhooks/123456789012345678/abcdefSECRET".into(),
                ),
                feeds: vec!["whereispost".into(), "economy".into()],
                ..route()
            },
        ],
    };
    assert_eq!(config, expected);
    assert_eq!(config.warnings(), Vec::<String>::new());
}

#[test]
fn example_config_works_as_shipped() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config =
        Config::load_with_env(&root.join("config.toml.example"), &no_env).expect("valid example");
    let expected = Config {
        bot: BotConfig {
            data_dir: root.join("data"),
            ..BotConfig::default()
        },
        alerts: AlertsConfig {
            backlog: 5,
            ..AlertsConfig::default()
        },
        summary: SummaryConfig::default(),
        http: HttpConfig::default(),
        delivery: DeliveryConfig::default(),
        store: StoreConfig::default(),
        cluster: ClusterConfig::default(),
        chat_feeds: Default::default(),
        telegram: Some(TelegramConfig::default()),
        discord: Some(DiscordConfig::default()),
        server: None,
        feeds: vec![FeedConfig {
            site_url: Some("https://news.example.com".into()),
            breaking: true,
            ..feed(
                "whereispost",
                FeedSource::Folder(root.join("examples/posts")),
            )
        }],
        routes: vec![],
    };
    assert_eq!(config, expected);
    assert_eq!(config.bot.timezone, chrono_tz::Asia::Seoul);
    assert_eq!(config.bot.console, ConsoleMode::Auto);
    assert_eq!(
        config.telegram.as_ref().map(|t| t.api_url.as_str()),
        Some("https://api.telegram.org")
    );
}

#[test]
fn empty_config_is_the_default_and_warns_about_feeds() {
    let config = parse("").expect("valid");
    let expected = Config {
        bot: BotConfig {
            data_dir: Path::new(BASE).join("data"),
            ..BotConfig::default()
        },
        ..Config::default()
    };
    assert_eq!(config, expected);
    assert_eq!(
        config.warnings(),
        ["no [[feeds]] configured: there is nothing to watch"]
    );
}

#[test]
fn relative_paths_resolve_against_the_file_directory() {
    let dir = fixtures();
    let config = Config::load_with_env(&dir.join("minimal.toml"), &no_env).expect("valid");
    assert_eq!(config.bot.data_dir, dir.join("data"));
    assert_eq!(
        config.feeds[0].source,
        FeedSource::Folder(dir.join("posts"))
    );

    let text = "[bot]\ndata_dir = \"/var/lib/sokbo\"\n[[feeds]]\nname = \"a\"\npath = \"/srv/posts\"\n\
                [[feeds]]\nname = \"b\"\npath = \"../shared/posts\"\n";
    let config = parse(text).expect("valid");
    let paths: Vec<_> = config
        .feeds
        .iter()
        .map(|f| f.source.folder().map(Path::to_path_buf))
        .collect();
    assert_eq!(config.bot.data_dir, PathBuf::from("/var/lib/sokbo"));
    assert_eq!(
        paths,
        [
            Some(PathBuf::from("/srv/posts")),
            Some(PathBuf::from("/etc/sokbo/../shared/posts"))
        ]
    );

    let config = Config::from_toml("", "config.toml", Path::new("")).expect("valid");
    assert_eq!(config.bot.data_dir, PathBuf::from("data"));
}

#[test]
fn env_overrides_apply_after_parsing() {
    let env = |name: &str| match name {
        "SOKBO_DATA_DIR" => Some("relative/state".to_owned()),
        "SOKBO_TELEGRAM_TOKEN" => Some("42:from_env".to_owned()),
        "SOKBO_DISCORD_TOKEN" => Some("discord-from-env".to_owned()),
        _ => None,
    };
    let text = "[discord]\ntoken = \"in-file\"\napi_url = \"http://127.0.0.1:9\"\n";
    let config =
        Config::from_toml_with_env(text, "config.toml", Path::new(BASE), &env).expect("valid");
    assert_eq!(config.bot.data_dir, PathBuf::from("relative/state"));
    assert_eq!(
        config.telegram,
        Some(TelegramConfig {
            token: "42:from_env".into(),
            ..TelegramConfig::default()
        })
    );
    assert_eq!(
        config.discord,
        Some(DiscordConfig {
            token: "discord-from-env".into(),
            api_url: "http://127.0.0.1:9".into(),
            ..DiscordConfig::default()
        })
    );
}

#[test]
fn empty_env_values_count_as_unset() {
    let env = |_: &str| Some(String::new());
    let text = "[telegram]\ntoken = \"1:abc\"\n";
    let config =
        Config::from_toml_with_env(text, "config.toml", Path::new(BASE), &env).expect("valid");
    assert_eq!(config.bot.data_dir, Path::new(BASE).join("data"));
    assert_eq!(config.telegram.map(|t| t.token), Some("1:abc".to_owned()));
    assert_eq!(config.discord, None);
}

#[test]
fn debug_redacts_secrets() {
    let config = Config::load_with_env(&fixtures().join("full.toml"), &no_env).expect("valid");
    assert_eq!(
        format!("{:?}", config.telegram),
        "Some(TelegramConfig { token: \"<redacted>\", api_url: \"http://127.0.0.1:8081\", photo: true })"
    );
    assert_eq!(
        format!("{:?}", config.discord),
        "Some(DiscordConfig { token: \"<redacted>\", api_url: \"http://127.0.0.1:8082\", \
         gateway_url: \"ws://127.0.0.1:8083\" })"
    );
    assert_eq!(
        format!("{:?}", config.store),
        "StoreConfig { url: \"postgres://sokbo:***@db.example:5432/news\" }"
    );
    assert_eq!(
        format!("{:?}", config.server),
        "Some(ServerConfig { listen: \"0.0.0.0:9090\", ping_token: \"<redacted>\", \
         public_url: \"https://bot.example.com\" })"
    );
    assert_eq!(
        format!("{:?}", config.routes[2]),
        "RouteConfig { telegram_chat: None, discord_channel: None, \
         discord_webhook: Some(\"https://discord.com/<redacted>\"), categories: [], \
         feeds: [\"whereispost\", \"economy\"] }"
    );
    let all = format!("{config:?} {config:#?}");
    for secret in ["AAHfiqks", "discord-token", "ping-secret", "abcdefSECRET"] {
        assert!(!all.contains(secret), "{secret} leaked");
    }
    assert_eq!(
        format!("{:?}", TelegramConfig::default()),
        "TelegramConfig { token: \"\", api_url: \"https://api.telegram.org\", photo: false }"
    );
}
