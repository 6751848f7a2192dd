//! Category subscriptions: `/subscribe 경제 정치` (with suggestions for unknown names) and
//! `/unsubscribe`, where unsubscribing one category under "all" keeps every other.

use std::collections::BTreeSet;

use super::Context;
use super::fuzzy::suggest;
use super::handle::touch;
use crate::i18n::{Text, Unknown};
use crate::model::{Subscription, same_word};
use crate::storage::{StoreError, SubscriptionStore};

pub(super) async fn subscribe(
    names: &[String],
    ctx: &Context,
    store: &SubscriptionStore,
    known: &[String],
) -> Result<Vec<Text>, StoreError> {
    let mut found = Vec::new();
    let mut unknown = Vec::new();
    for name in names {
        if known.is_empty() {
            found.push(name.clone());
        } else if let Some(k) = known.iter().find(|k| same_word(k, name)) {
            if !found.contains(k) {
                found.push(k.clone());
            }
        } else {
            let suggestion = suggest(name, known).map(str::to_owned);
            unknown.push(Unknown {
                name: name.clone(),
                suggestion,
            });
        }
    }
    let mut texts = Vec::new();
    if !found.is_empty() {
        let (mut added, mut already) = (Vec::new(), Vec::new());
        store
            .update(&ctx.chat, |sub| {
                touch(sub, ctx);
                added.clear();
                already.clear();
                for f in &found {
                    if sub.has_category(f) {
                        already.push(f.clone());
                    } else {
                        sub.categories.insert(f.clone());
                        added.push(f.clone());
                    }
                }
            })
            .await?;
        texts.push(Text::Subscribed { added, already });
    }
    if !unknown.is_empty() {
        texts.push(Text::UnknownCategories {
            unknown,
            known: known.to_vec(),
        });
    }
    Ok(texts)
}

/// Drops the named categories, or everything for `None`.
pub(super) async fn unsubscribe(
    names: Option<&[String]>,
    ctx: &Context,
    store: &SubscriptionStore,
    known: &[String],
) -> Result<Vec<Text>, StoreError> {
    if !store.get(&ctx.chat).await?.is_some_and(|s| s.subscribes()) {
        return Ok(vec![Text::NothingSubscribed]);
    }
    let Some(names) = names else {
        store
            .update(&ctx.chat, |sub| {
                touch(sub, ctx);
                sub.all = false;
                sub.categories.clear();
            })
            .await?;
        return Ok(vec![Text::UnsubscribedAll]);
    };
    let (mut removed, mut absent) = (Vec::new(), Vec::new());
    store
        .update(&ctx.chat, |sub| {
            touch(sub, ctx);
            removed.clear();
            absent.clear();
            for name in names {
                let held = sub.categories.iter().find(|c| same_word(c, name));
                let covered = held.or_else(|| known.iter().find(|k| sub.all && same_word(k, name)));
                match covered {
                    Some(c) => removed.push(c.clone()),
                    None => absent.push(name.clone()),
                }
            }
            let names: Vec<&str> = removed.iter().map(String::as_str).collect();
            drop_categories(sub, &names, known);
        })
        .await?;
    Ok(vec![Text::Unsubscribed { removed, absent }])
}

/// Removes categories; under `all`, "all" becomes every known category but these.
pub(super) fn drop_categories(sub: &mut Subscription, names: &[&str], known: &[String]) {
    if names.is_empty() {
        return;
    }
    if sub.all {
        sub.all = false;
        sub.categories.extend(known.iter().cloned());
    }
    let kept: BTreeSet<String> = std::mem::take(&mut sub.categories)
        .into_iter()
        .filter(|c| !names.iter().any(|n| same_word(c, n)))
        .collect();
    sub.categories = kept;
}
