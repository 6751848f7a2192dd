//! `handle`: runs a command against the chat's subscription and builds the reply;
//! `handle_callback`: the same for a press on the category keyboard.

use super::callback::{Toggle, parse_callback};
use super::categories::{drop_categories, subscribe, unsubscribe};
use super::feeds::{handle_feed, is_feed_command, remove_named};
use super::keyboard::keyboard;
use super::{Command, Context, ParseError, Reply, Selection};
use crate::chat_feeds::ChatFeeds;
use crate::i18n::{self, Text};
use crate::model::{MAX_KEYWORDS, Subscription, same_word};
use crate::storage::StoreError;
use crate::storage::SubscriptionStore;

/// Runs `cmd` for `ctx.chat`. `known` are the categories seen in posts (sorted); when none are
/// known yet, any category name is accepted as given.
pub async fn handle(
    cmd: &Command,
    ctx: &Context,
    store: &SubscriptionStore,
    known: &[String],
    feeds: Option<&ChatFeeds>,
) -> Result<Reply, StoreError> {
    if is_feed_command(cmd) {
        return handle_feed(cmd, ctx, store, feeds).await;
    }
    // `/unsubscribe <title>`: a feed this chat added, when the words name no category.
    if let (Command::Unsubscribe(Selection::Named(names)), Some(feeds)) = (cmd, feeds)
        && !names.iter().any(|n| known.iter().any(|k| same_word(k, n)))
        && ctx.may_change()
        && let Some(reply) = remove_named(ctx, feeds, &names.join(" ")).await?
    {
        return Ok(reply);
    }
    if !ctx.may_read() || (cmd.changes() && !ctx.may_change()) {
        return Ok(reply(ctx, vec![Text::NotAdmin], None));
    }
    let texts = match cmd {
        Command::Start => vec![Text::Welcome],
        Command::Help => vec![Text::Help],
        Command::Categories if known.is_empty() => vec![Text::NoCategoriesYet],
        Command::Categories => vec![Text::Categories(known.to_vec())],
        Command::List => match store.get(&ctx.chat).await? {
            Some(sub) => vec![Text::Status(sub)],
            None => vec![Text::NothingSubscribed],
        },
        Command::Subscribe(Selection::Menu) | Command::Unsubscribe(Selection::Menu) => {
            return menu(ctx, store, known).await;
        }
        Command::Subscribe(Selection::Named(names))
        | Command::Unsubscribe(Selection::Named(names))
            if names.is_empty() =>
        {
            return menu(ctx, store, known).await;
        }
        Command::Include(words) if words.is_empty() => {
            vec![Text::Parse(ParseError::MissingArgument("include"))]
        }
        Command::Exclude(words) if words.is_empty() => {
            vec![Text::Parse(ParseError::MissingArgument("exclude"))]
        }
        Command::Subscribe(Selection::All) => {
            store
                .update(&ctx.chat, |sub| {
                    touch(sub, ctx);
                    sub.all = true;
                })
                .await?;
            vec![Text::SubscribedAll]
        }
        Command::Subscribe(Selection::Named(names)) => subscribe(names, ctx, store, known).await?,
        Command::Unsubscribe(Selection::All) => unsubscribe(None, ctx, store, known).await?,
        Command::Unsubscribe(Selection::Named(names)) => {
            unsubscribe(Some(names.as_slice()), ctx, store, known).await?
        }
        Command::Include(words) => vec![add_keywords(words, true, ctx, store).await?],
        Command::Exclude(words) => vec![add_keywords(words, false, ctx, store).await?],
        Command::ClearFilters => {
            change(ctx, store, Text::FiltersCleared, |sub| {
                sub.include.clear();
                sub.exclude.clear();
            })
            .await?
        }
        Command::Pause => change(ctx, store, Text::Paused, |sub| sub.paused = true).await?,
        Command::Resume => change(ctx, store, Text::Resumed, |sub| sub.paused = false).await?,
        Command::Quiet(quiet) => {
            let text = quiet.map_or(Text::QuietOff, Text::Quiet);
            change(ctx, store, text, |sub| sub.quiet = *quiet).await?
        }
        // Handled above.
        Command::AddFeed(_)
        | Command::RemoveFeed(_)
        | Command::Feeds
        | Command::Export
        | Command::Import(_) => return handle_feed(cmd, ctx, store, feeds).await,
    };
    Ok(reply(ctx, texts, None))
}

/// Applies a press on the category keyboard (`data` as sent back) and returns the updated
/// keyboard; a stale or foreign button, or a presser without rights, gets a short notice.
pub async fn handle_callback(
    data: &str,
    ctx: &Context,
    store: &SubscriptionStore,
    known: &[String],
) -> Result<Reply, StoreError> {
    let Some(cb) =
        parse_callback(data).filter(|cb| cb.chat.as_ref().is_none_or(|c| *c == ctx.chat))
    else {
        return Ok(reply(ctx, vec![Text::StaleButton], None));
    };
    if !ctx.may_change() {
        return Ok(reply(ctx, vec![Text::NotAdmin], None));
    }
    let category = match &cb.toggle {
        Toggle::All => None,
        other => match other.category(known) {
            Some(c) => Some(c),
            None => return Ok(reply(ctx, vec![Text::StaleButton], None)),
        },
    };
    let sub = store
        .update(&ctx.chat, |sub| {
            touch(sub, ctx);
            match category {
                None => sub.all = !sub.all,
                Some(c) if sub.has_category(c) => drop_categories(sub, &[c], known),
                Some(c) => {
                    sub.categories.insert(c.to_owned());
                }
            }
        })
        .await?;
    let kb = keyboard(&sub, ctx, known);
    Ok(reply(ctx, vec![Text::Choose(sub)], Some(kb)))
}

async fn menu(
    ctx: &Context,
    store: &SubscriptionStore,
    known: &[String],
) -> Result<Reply, StoreError> {
    if known.is_empty() {
        return Ok(reply(ctx, vec![Text::NoCategoriesYet], None));
    }
    let sub = store
        .get(&ctx.chat)
        .await?
        .unwrap_or_else(|| Subscription::new(ctx.chat.clone()));
    let kb = keyboard(&sub, ctx, known);
    Ok(reply(ctx, vec![Text::Choose(sub)], Some(kb)))
}

async fn add_keywords(
    words: &[String],
    include: bool,
    ctx: &Context,
    store: &SubscriptionStore,
) -> Result<Text, StoreError> {
    let mut too_many = false;
    let sub = store
        .update(&ctx.chat, |sub| {
            touch(sub, ctx);
            let list = if include {
                &mut sub.include
            } else {
                &mut sub.exclude
            };
            let mut next = list.clone();
            for w in words {
                if !next.iter().any(|k| same_word(k, w)) {
                    next.push(w.clone());
                }
            }
            too_many = next.len() > MAX_KEYWORDS;
            if !too_many {
                *list = next;
            }
        })
        .await?;
    Ok(match (too_many, include) {
        (true, _) => Text::TooManyKeywords,
        (false, true) => Text::Include(sub.include),
        (false, false) => Text::Exclude(sub.exclude),
    })
}

async fn change(
    ctx: &Context,
    store: &SubscriptionStore,
    text: Text,
    mut apply: impl FnMut(&mut Subscription),
) -> Result<Vec<Text>, StoreError> {
    store
        .update(&ctx.chat, |sub| {
            touch(sub, ctx);
            apply(sub);
        })
        .await?;
    Ok(vec![text])
}

/// A command reached the chat, so it is active; remember its language and title.
pub(super) fn touch(sub: &mut Subscription, ctx: &Context) {
    sub.inactive = None;
    sub.language = Some(ctx.lang.code().to_owned());
    if let Some(title) = &ctx.title {
        sub.title = Some(title.clone());
    }
}

pub(super) fn reply(
    ctx: &Context,
    texts: Vec<Text>,
    keyboard: Option<Vec<Vec<crate::commands::Button>>>,
) -> Reply {
    let body: Vec<String> = texts.iter().map(|t| i18n::text(ctx.lang, t)).collect();
    let body = body.join("\n");
    let text = if ctx.remote {
        let label = ctx.title.clone().unwrap_or_else(|| ctx.chat.to_string());
        format!("{label}: {body}")
    } else {
        body
    };
    Reply {
        text,
        keyboard,
        file: None,
    }
}
