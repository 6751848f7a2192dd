//! The storage contract: every operation means the same on sled and on PostgreSQL. Each test
//! runs on both backends (`on_sled::…`, `on_postgres::…`); the copy round trip goes sled →
//! PostgreSQL → sled.

use std::collections::BTreeSet;

use sokbo::model::{Alert, Delivery, FeedState, PostKey, SeenRecord, Target};
use sokbo::storage::{IngestBatch, IngestPost, Store};

use crate::support::postgres::fresh_database;

async fn on_postgres() -> Store {
    Store::postgres(&fresh_database().await, true)
        .await
        .expect("PostgreSQL store")
}

fn on_sled() -> Store {
    Store::temporary().expect("sled store")
}

/// Runs each contract test on both backends.
macro_rules! on_both {
    ($($module:ident :: $name:ident),* $(,)?) => {
        mod on_sled {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::$module::$name(super::on_sled()).await;
            })*
        }
        mod on_postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::$module::$name(super::on_postgres().await).await;
            })*
        }
    };
}

mod copy;
mod ingest;
mod outbox;
mod records;

on_both!(
    ingest::records_read_back_as_written,
    ingest::an_ingest_writes_everything_or_nothing_taken,
    ingest::two_concurrent_ingests_of_one_post_give_one_alert,
    ingest::a_correction_is_taken_only_over_the_version_it_corrects,
    outbox::the_outbox_keeps_breaking_first_then_arrival,
    outbox::per_target_outbox_operations,
    records::concurrent_subscription_updates_all_land,
    records::subscriptions_move_and_pause,
    records::websub_records_change_atomically,
    records::chat_feeds_change_atomically,
    records::pruning_forgets_old_posts_and_their_messages,
);

pub(crate) fn alert(key: &str, breaking: bool) -> Alert {
    Alert {
        feed: "news".into(),
        key: PostKey(key.into()),
        title: format!("제목 {key}"),
        categories: vec!["경제".into()],
        breaking,
        ..Alert::default()
    }
}

pub(crate) fn delivery(key: &str, chat: &str, edit: bool) -> Delivery {
    Delivery {
        feed: "news".into(),
        key: PostKey(key.into()),
        target: Target::TelegramChat { chat: chat.into() },
        attempts: 0,
        not_before: 0,
        edit,
        enqueued_at: 1_700_000_000_000,
        failing_since: 0,
    }
}

/// A new post with its alert and one delivery per chat.
pub(crate) fn new_post(key: &str, breaking: bool, chats: &[&str]) -> IngestPost {
    IngestPost {
        key: PostKey(key.into()),
        seen: SeenRecord {
            first_seen: 1_700_000_000,
            fingerprint: format!("fp-{key}"),
        },
        replaces: None,
        alert: Some(alert(key, breaking)),
        deliveries: chats
            .iter()
            .map(|c| (breaking, delivery(key, c, false)))
            .collect(),
    }
}

pub(crate) fn batch(posts: Vec<IngestPost>) -> IngestBatch {
    IngestBatch {
        posts,
        feed_state: Some(FeedState {
            initialized: true,
            etag: Some("\"v1\"".into()),
            ..FeedState::default()
        }),
    }
}
