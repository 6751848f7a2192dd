//! The feed commands: `/subscribe <url>`, `/unsubscribe <url | name | title>`, `/feeds`,
//! `/export` and an OPML file sent to the chat, checked against `[chat_feeds] allow`.

use chrono::TimeZone;

use super::{Command, Context, Reply, ReplyFile};
use crate::chat_feeds::{AddError, ChatFeeds};
use crate::config::ChatFeedsAllow;
use crate::i18n::{FeedLine, FeedText, Text};
use crate::storage::{StoreError, SubscriptionStore};

/// Largest OPML file read from a chat.
pub const MAX_OPML_BYTES: usize = 1024 * 1024;

/// Whether `cmd` is a feed command (handled here, with its own rights check).
pub(super) fn is_feed_command(cmd: &Command) -> bool {
    matches!(
        cmd,
        Command::AddFeed(_)
            | Command::RemoveFeed(_)
            | Command::Feeds
            | Command::Export
            | Command::Import(_)
    )
}

/// Runs a feed command for `ctx.chat`; `feeds` is `None` when chat feeds are off.
pub(super) async fn handle_feed(
    cmd: &Command,
    ctx: &Context,
    subs: &SubscriptionStore,
    feeds: Option<&ChatFeeds>,
) -> Result<Reply, StoreError> {
    let Some(feeds) = feeds else {
        return Ok(say(ctx, FeedText::Off));
    };
    let changes = !matches!(cmd, Command::Feeds | Command::Export);
    let allowed = match (changes, feeds.config().allow) {
        (_, ChatFeedsAllow::Off) => return Ok(say(ctx, FeedText::Off)),
        (false, _) | (true, ChatFeedsAllow::Everyone) => ctx.may_read(),
        (true, ChatFeedsAllow::Admins) => ctx.may_change(),
    };
    if !allowed {
        return Ok(super::handle::reply(ctx, vec![Text::NotAdmin], None));
    }
    if changes {
        // The chat is active: remember its language and title, as any command that changes it.
        subs.update(&ctx.chat, |sub| super::handle::touch(sub, ctx))
            .await?;
    }
    let text = match cmd {
        Command::AddFeed(url) => match feeds.add(&ctx.chat, url).await {
            Ok(added) => FeedText::Added {
                title: added.feed.title.clone(),
                url: added.feed.url.clone(),
                newest: added.newest.map(|p| (p.title, p.link)),
                already: added.already,
                resumed: added.resumed,
            },
            Err(e) => refusal(e)?,
        },
        Command::RemoveFeed(which) => remove(ctx, feeds, which).await?,
        Command::Feeds => list(ctx, feeds).await?,
        Command::Export => {
            let (count, opml) = feeds.export(&ctx.chat).await?;
            let mut reply = say(ctx, FeedText::Exported(count));
            reply.file = Some(ReplyFile {
                name: "sokbo-feeds.opml".into(),
                bytes: opml.into_bytes(),
            });
            return Ok(reply);
        }
        Command::Import(bytes) => import(ctx, feeds, bytes).await,
        _ => return Ok(say(ctx, FeedText::NoFeeds)),
    };
    Ok(say(ctx, text))
}

/// Removes the feed `which` names; `None` when the chat follows no such feed.
pub(super) async fn remove_named(
    ctx: &Context,
    feeds: &ChatFeeds,
    which: &str,
) -> Result<Option<Reply>, StoreError> {
    Ok(feeds
        .remove(&ctx.chat, which)
        .await?
        .map(|feed| say(ctx, FeedText::Removed { title: feed.title })))
}

async fn remove(ctx: &Context, feeds: &ChatFeeds, which: &str) -> Result<FeedText, StoreError> {
    Ok(match feeds.remove(&ctx.chat, which).await? {
        Some(feed) => FeedText::Removed { title: feed.title },
        None => FeedText::NotFollowed(which.chars().take(200).collect()),
    })
}

async fn list(ctx: &Context, feeds: &ChatFeeds) -> Result<FeedText, StoreError> {
    let mine = feeds.of_chat(&ctx.chat).await?;
    if mine.is_empty() {
        return Ok(FeedText::NoFeeds);
    }
    let tz = feeds.timezone();
    let time = |unix: i64| match tz.timestamp_opt(unix, 0).single() {
        Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        None => unix.to_string(),
    };
    let lines = mine
        .into_iter()
        .map(|(feed, state)| FeedLine {
            title: feed.title,
            url: feed.url,
            last_post: state.last_post_at.map(time),
            failing_since: state.failing_since.filter(|_| state.failures > 0).map(time),
            error: state.last_error,
            paused: feed.paused,
        })
        .collect();
    Ok(FeedText::List(lines))
}

async fn import(ctx: &Context, feeds: &ChatFeeds, bytes: &[u8]) -> FeedText {
    if bytes.is_empty() {
        return FeedText::ImportHow;
    }
    if bytes.len() > MAX_OPML_BYTES {
        return FeedText::ImportFailed(format!("larger than {} KiB", MAX_OPML_BYTES / 1024));
    }
    let text = String::from_utf8_lossy(bytes);
    match feeds.import(&ctx.chat, &text).await {
        Ok(report) => FeedText::Imported {
            added: report.added,
            skipped: report.skipped,
            refused: report.refused,
        },
        Err(e) => FeedText::ImportFailed(e.to_string()),
    }
}

/// The reply to a feed that was not added; a store failure stays an error.
fn refusal(e: AddError) -> Result<FeedText, StoreError> {
    Ok(match e {
        AddError::BadUrl(url) => FeedText::BadUrl(url),
        AddError::Refused(why) => FeedText::Refused(why.to_string()),
        AddError::Fetch(why) => FeedText::FetchFailed(why),
        AddError::NotAFeed(why) => FeedText::NotAFeed(why),
        AddError::Limit(n) => FeedText::Limit(n),
        AddError::Store(e) => return Err(e),
    })
}

fn say(ctx: &Context, text: FeedText) -> Reply {
    super::handle::reply(ctx, vec![Text::Feeds(text)], None)
}
