//! Rules a parsed config file must follow (ranges, URLs, chat ids, feed sources and references),
//! the typed Config it then becomes, and soft warnings.

mod entries;

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use super::checks::{is_bot_token, url};
use super::file::ConfigFile;
use super::{BotConfig, Config};
use crate::model::{Lang, UnknownLang};
use entries::{check_feed, check_route};

/// One broken rule: the key path (`feeds[1].interval`) and what is wrong with its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub key: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

const SECOND: Duration = Duration::from_secs(1);
const MILLI: Duration = Duration::from_millis(1);

#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem {
            key: key.into(),
            message: message.into(),
        });
    }

    fn check(&mut self, key: impl Into<String>, result: Result<(), String>) {
        if let Err(message) = result {
            self.add(key, message);
        }
    }

    fn at_least<T: PartialOrd + fmt::Display>(&mut self, key: &str, value: T, min: T) {
        if value < min {
            self.add(key, format!("must be at least {min} (got {value})"));
        }
    }

    fn at_least_time(&mut self, key: &str, value: Duration, min: Duration) {
        if value < min {
            let (min, value) = (
                humantime::format_duration(min),
                humantime::format_duration(value),
            );
            self.add(key, format!("must be at least {min} (got {value})"));
        }
    }

    fn non_empty_each(&mut self, key: &str, items: &[String]) {
        for (i, item) in items.iter().enumerate() {
            if item.trim().is_empty() {
                self.add(format!("{key}[{i}]"), "must not be empty");
            }
        }
    }
}

impl ConfigFile {
    /// The typed config, and every rule the file breaks in section order (none when valid). When
    /// there are problems the config is of no use but to report them: a feed that names no single
    /// source is left out of it, an unsupported language stands in as Korean.
    pub(super) fn validate(self) -> (Config, Vec<Problem>) {
        let mut p = Problems::default();
        let bot = &self.bot;
        if bot.data_dir.as_os_str().is_empty() {
            p.add("bot.data_dir", "must not be empty");
        }
        let language = bot.language.parse().unwrap_or_else(|e: UnknownLang| {
            p.add("bot.language", e.to_string());
            Lang::Ko
        });

        let alerts = &self.alerts;
        if !(40..=4000).contains(&alerts.summary_max_chars) {
            let got = alerts.summary_max_chars;
            p.add(
                "alerts.summary_max_chars",
                format!("must be between 40 and 4000 (got {got})"),
            );
        }
        p.non_empty_each("alerts.breaking_keywords", &alerts.breaking_keywords);
        p.at_least_time("alerts.seen_retention", alerts.seen_retention, SECOND);
        p.at_least_time("alerts.full_text_timeout", alerts.full_text_timeout, MILLI);
        if alerts.full_text_timeout > Duration::from_secs(60) {
            let got = humantime::format_duration(alerts.full_text_timeout);
            p.add(
                "alerts.full_text_timeout",
                format!("must be at most 1m (got {got}): alerts wait for it"),
            );
        }

        let http = &self.http;
        p.at_least_time("http.connect_timeout", http.connect_timeout, MILLI);
        p.at_least_time("http.timeout", http.timeout, MILLI);
        p.at_least("http.max_body_bytes", http.max_body_bytes, 1024);
        if !http.proxy.is_empty()
            && crate::config::checks::url(&http.proxy, &["http", "https"]).is_err()
        {
            let shown = crate::config::redact_proxy(&http.proxy);
            p.add(
                "http.proxy",
                format!("invalid proxy URL {shown:?} (expected http:// or https://)"),
            );
        }
        p.at_least("http.max_concurrent", http.max_concurrent, 1);
        p.at_least("http.per_host", http.per_host, 1);
        p.at_least_time("http.max_interval", http.max_interval, SECOND);
        p.at_least_time("http.max_backoff", http.max_backoff, SECOND);
        if http.user_agent.is_empty() || !http.user_agent.chars().all(|c| (' '..='~').contains(&c))
        {
            p.add("http.user_agent", "must be non-empty printable ASCII");
        }

        let delivery = &self.delivery;
        p.at_least("delivery.window", delivery.window, 1);
        p.at_least_time("delivery.timeout", delivery.timeout, MILLI);
        p.at_least_time("delivery.give_up_after", delivery.give_up_after, SECOND);
        let store_url = &self.store.url;
        if !store_url.is_empty()
            && !store_url.starts_with("postgres://")
            && !store_url.starts_with("postgresql://")
        {
            p.add(
                "store.url",
                "must be a PostgreSQL URL (postgres://user@host:5432/database), or left out for sled",
            );
        }

        let cluster = &self.cluster;
        p.at_least_time("cluster.lease_ttl", cluster.lease_ttl, SECOND);
        if cluster.node_id.len() > 64 || cluster.node_id.chars().any(|c| c.is_control()) {
            p.add(
                "cluster.node_id",
                "must be at most 64 characters, without control characters",
            );
        }

        let chat_feeds = &self.chat_feeds;
        p.at_least_time("chat_feeds.interval", chat_feeds.interval, SECOND);
        p.at_least("chat_feeds.max_per_chat", chat_feeds.max_per_chat, 1);
        p.at_least_time("chat_feeds.notify_after", chat_feeds.notify_after, SECOND);
        if chat_feeds.disable_after < chat_feeds.notify_after {
            p.add(
                "chat_feeds.disable_after",
                "must not be shorter than chat_feeds.notify_after",
            );
        }
        let operator = chat_feeds.operator_chat.trim();
        if !operator.is_empty()
            && let Err(e) = operator.parse::<crate::model::ChatId>()
        {
            let message = format!(
                "{e} (try \"telegram:-1001234567890\", \"telegram:@channel\" or \"discord:<channel id>\")"
            );
            p.add("chat_feeds.operator_chat", message);
        }
        for (i, host) in chat_feeds.allow_hosts.iter().enumerate() {
            if host.trim().is_empty() || host.contains(['/', ':', ' ']) {
                p.add(
                    format!("chat_feeds.allow_hosts[{i}]"),
                    "must be a host name like \"example.com\"",
                );
            }
        }
        for (i, host) in chat_feeds.deny_hosts.iter().enumerate() {
            if host.trim().is_empty() || host.contains(['/', ':', ' ']) {
                p.add(
                    format!("chat_feeds.deny_hosts[{i}]"),
                    "must be a host name like \"example.com\"",
                );
            }
        }

        if let Some(telegram) = &self.telegram {
            if !telegram.token.is_empty() && !is_bot_token(&telegram.token) {
                let message = "not a Bot API token (expected \"<digits>:<letters, digits, _ or ->\"; \
                               value not shown)";
                p.add("telegram.token", message);
            }
            p.check(
                "telegram.api_url",
                url(&telegram.api_url, &["http", "https"]),
            );
        }
        if let Some(discord) = &self.discord {
            if discord.token.contains(char::is_whitespace) {
                let message = "must not contain spaces (give the bare token, without \"Bot \"; \
                               value not shown)";
                p.add("discord.token", message);
            }
            p.check("discord.api_url", url(&discord.api_url, &["http", "https"]));
            if !discord.gateway_url.is_empty() {
                let schemes = ["ws", "wss", "http", "https"];
                p.check("discord.gateway_url", url(&discord.gateway_url, &schemes));
            }
        }
        if let Some(server) = &self.server {
            if server.listen.parse::<SocketAddr>().is_err() {
                let message = format!(
                    "invalid socket address {:?} (try \"127.0.0.1:8080\")",
                    server.listen
                );
                p.add("server.listen", message);
            }
            if !server.public_url.is_empty() {
                p.check(
                    "server.public_url",
                    url(&server.public_url, &["http", "https"]),
                );
            }
        }

        let mut first_named: HashMap<&str, usize> = HashMap::new();
        let mut sources = Vec::new();
        for (i, feed) in self.feeds.iter().enumerate() {
            if let Some(first) = first_named.get(feed.name.as_str()) {
                let message = format!("duplicate feed name {:?} (also feeds[{first}])", feed.name);
                p.add(format!("feeds[{i}].name"), message);
            } else {
                first_named.insert(&feed.name, i);
            }
            sources.push(check_feed(&mut p, &format!("feeds[{i}]"), feed));
        }
        for (i, route) in self.routes.iter().enumerate() {
            check_route(&mut p, &format!("routes[{i}]"), route, &self.feeds);
        }
        let feeds = self.feeds.into_iter().zip(sources);
        let config = Config {
            bot: BotConfig {
                data_dir: self.bot.data_dir,
                language,
                timezone: self.bot.timezone,
                console: self.bot.console,
            },
            alerts: self.alerts,
            summary: self.summary,
            http: self.http,
            delivery: self.delivery,
            store: self.store,
            cluster: self.cluster,
            chat_feeds: self.chat_feeds,
            telegram: self.telegram,
            discord: self.discord,
            server: self.server,
            feeds: feeds
                .filter_map(|(feed, source)| Some(feed.with_source(source?)))
                .collect(),
            routes: self.routes,
        };
        (config, p.0)
    }
}

impl Config {
    /// Things that are allowed but probably not meant (nothing to watch, a route to a platform
    /// that is off), one sentence each.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if self.feeds.is_empty() {
            warnings.push("no [[feeds]] configured: there is nothing to watch".to_owned());
        }
        let telegram_on = self.telegram.as_ref().is_some_and(|t| !t.token.is_empty());
        let discord_on = self.discord.as_ref().is_some_and(|d| !d.token.is_empty());
        for (i, route) in self.routes.iter().enumerate() {
            if route.telegram_chat.is_some() && !telegram_on {
                warnings.push(format!(
                    "routes[{i}]: telegram_chat is set but Telegram is off (no telegram.token)"
                ));
            }
            if route.discord_channel.is_some() && !discord_on {
                warnings.push(format!(
                    "routes[{i}]: discord_channel is set but Discord is off (no discord.token)"
                ));
            }
        }
        warnings
    }
}
