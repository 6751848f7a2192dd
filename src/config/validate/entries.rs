//! Rules for the `[[feeds]]` and `[[routes]]` entries: one source per feed, well-formed URLs and
//! chat ids, routes naming configured feeds.

use super::{Problems, SECOND};
use crate::config::checks::{is_telegram_chat, url};
use crate::config::file::FeedFile;
use crate::config::{FeedSource, RouteConfig};

/// Checks one `[[feeds]]` entry; its source, unless it sets both or neither of `url` and `path`.
pub(super) fn check_feed(p: &mut Problems, key: &str, feed: &FeedFile) -> Option<FeedSource> {
    if feed.name.trim().is_empty() {
        p.add(format!("{key}.name"), "must not be empty");
    }
    if crate::model::is_chat_feed_name(&feed.name) {
        let message = "names starting with \"chat-\" are kept for feeds that chats add";
        p.add(format!("{key}.name"), message);
    }
    let source = match (&feed.url, &feed.path) {
        (Some(feed_url), None) => Some(FeedSource::Http(feed_url.clone())),
        (None, Some(path)) => Some(FeedSource::Folder(path.clone())),
        _ => {
            p.add(key, "set exactly one of url or path");
            None
        }
    };
    if let Some(feed_url) = &feed.url {
        p.check(format!("{key}.url"), url(feed_url, &["http", "https"]));
    }
    if feed
        .path
        .as_ref()
        .is_some_and(|path| path.as_os_str().is_empty())
    {
        p.add(format!("{key}.path"), "must not be empty");
    }
    if let Some(site_url) = &feed.site_url {
        p.check(format!("{key}.site_url"), url(site_url, &["http", "https"]));
    }
    p.at_least_time(&format!("{key}.interval"), feed.interval, SECOND);
    p.non_empty_each(&format!("{key}.categories"), &feed.categories);
    for (field, message) in feed.request().problems() {
        p.add(format!("{key}.{field}"), message);
    }
    if source.as_ref().is_some_and(|s| s.folder().is_some()) && !feed.request().is_plain() {
        p.add(
            key,
            "headers, cookies, basic_auth and proxy apply to url feeds only",
        );
    }
    source
}

pub(super) fn check_route(p: &mut Problems, key: &str, route: &RouteConfig, feeds: &[FeedFile]) {
    let targets = [
        route.telegram_chat.is_some(),
        route.discord_channel.is_some(),
        route.discord_webhook.is_some(),
    ];
    if targets.iter().filter(|set| **set).count() != 1 {
        p.add(
            key,
            "set exactly one of telegram_chat, discord_channel or discord_webhook",
        );
    }
    if let Some(chat) = &route.telegram_chat
        && !is_telegram_chat(chat)
    {
        let message = format!(
            "invalid chat {chat:?} (expected \"@name\" of 5–32 letters, digits or _, \
             or a numeric chat id)"
        );
        p.add(format!("{key}.telegram_chat"), message);
    }
    if route.discord_channel == Some(0) {
        p.add(format!("{key}.discord_channel"), "must not be 0");
    }
    if let Some(webhook) = &route.discord_webhook {
        let checked = url(webhook, &["http", "https"])
            .map_err(|_| match url::Url::parse(webhook) {
                Ok(_) => "invalid URL (expected http:// or https://; value not shown)".to_owned(),
                Err(e) => format!("invalid URL ({e}; value not shown)"),
            })
            .and_then(|()| match crate::model::DiscordWebhook::parse(webhook) {
                Some(_) => Ok(()),
                None => Err("not a Discord webhook URL (expected \
                     https://discord.com/api/webhooks/<id>/<token>; value not shown)"
                    .to_owned()),
            });
        p.check(format!("{key}.discord_webhook"), checked);
    }
    p.non_empty_each(&format!("{key}.categories"), &route.categories);
    for (i, name) in route.feeds.iter().enumerate() {
        if !feeds.iter().any(|feed| &feed.name == name) {
            let known = if feeds.is_empty() {
                "no feeds are configured".to_owned()
            } else {
                let names: Vec<&str> = feeds.iter().map(|feed| feed.name.as_str()).collect();
                format!("feeds: {}", names.join(", "))
            };
            p.add(
                format!("{key}.feeds[{i}]"),
                format!("unknown feed {name:?} ({known})"),
            );
        }
    }
}
