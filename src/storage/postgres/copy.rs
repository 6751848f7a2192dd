//! Reading a whole PostgreSQL store into a `Snapshot`, and writing one into an empty store in
//! one transaction.

use sqlx::Row;
use sqlx::types::Json;

use super::PgStore;
use super::ingest::insert_outbox;
use crate::model::{Alert, FeedState, PostKey, SeenRecord, SentRecord, Subscription, WebSubRecord};
use crate::storage::Snapshot;
use crate::storage::error::Result;

impl PgStore {
    pub async fn export(&self) -> Result<Snapshot> {
        let pool = &self.pool;
        let mut snap = Snapshot {
            meta: sqlx::query_as("SELECT key, value FROM meta")
                .fetch_all(pool)
                .await?,
            ..Snapshot::default()
        };
        let feeds: Vec<(String, Json<FeedState>)> = sqlx::query_as("SELECT feed, state FROM feeds")
            .fetch_all(pool)
            .await?;
        snap.feeds = feeds.into_iter().map(|(f, s)| (f, s.0)).collect();
        for r in sqlx::query("SELECT feed, key, first_seen, fingerprint FROM seen")
            .fetch_all(pool)
            .await?
        {
            let record = SeenRecord {
                first_seen: r.try_get(2)?,
                fingerprint: r.try_get(3)?,
            };
            snap.seen
                .push((r.try_get(0)?, PostKey(r.try_get(1)?), record));
        }
        let posts: Vec<Json<Alert>> = sqlx::query_scalar("SELECT alert FROM posts")
            .fetch_all(pool)
            .await?;
        snap.posts = posts.into_iter().map(|j| j.0).collect();
        snap.outbox = self.pending().await?;
        let sent: Vec<(String, String, Json<SentRecord>)> =
            sqlx::query_as("SELECT feed, key, record FROM sent")
                .fetch_all(pool)
                .await?;
        snap.sent = sent
            .into_iter()
            .map(|(f, k, r)| (f, PostKey(k), r.0))
            .collect();
        let subs: Vec<Json<Subscription>> = sqlx::query_scalar("SELECT sub FROM subscriptions")
            .fetch_all(pool)
            .await?;
        snap.subscriptions = subs.into_iter().map(|j| j.0).collect();
        snap.categories = self.known_categories().await?;
        let websub: Vec<(String, Json<WebSubRecord>)> =
            sqlx::query_as("SELECT feed, record FROM websub")
                .fetch_all(pool)
                .await?;
        snap.websub = websub.into_iter().map(|(f, r)| (f, r.0)).collect();
        snap.chat_feeds = self.chat_feeds().await?;
        Ok(snap)
    }

    pub async fn import(&self, snap: &Snapshot) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        for (k, v) in &snap.meta {
            sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2)")
                .bind(k)
                .bind(v)
                .execute(&mut *tx)
                .await?;
        }
        for (feed, state) in &snap.feeds {
            sqlx::query("INSERT INTO feeds (feed, state) VALUES ($1, $2)")
                .bind(feed)
                .bind(Json(state))
                .execute(&mut *tx)
                .await?;
        }
        for chunk in snap.seen.chunks(5000) {
            let feeds: Vec<&str> = chunk.iter().map(|s| s.0.as_str()).collect();
            let keys: Vec<&str> = chunk.iter().map(|s| s.1.as_str()).collect();
            let first: Vec<i64> = chunk.iter().map(|s| s.2.first_seen).collect();
            let prints: Vec<&str> = chunk.iter().map(|s| s.2.fingerprint.as_str()).collect();
            sqlx::query(
                "INSERT INTO seen (feed, key, first_seen, fingerprint) \
                 SELECT * FROM UNNEST($1::text[], $2::text[], $3::int8[], $4::text[])",
            )
            .bind(&feeds)
            .bind(&keys)
            .bind(&first)
            .bind(&prints)
            .execute(&mut *tx)
            .await?;
        }
        for alert in &snap.posts {
            sqlx::query("INSERT INTO posts (feed, key, alert) VALUES ($1, $2, $3)")
                .bind(&alert.feed)
                .bind(alert.key.as_str())
                .bind(Json(alert))
                .execute(&mut *tx)
                .await?;
        }
        for chunk in snap.outbox.chunks(5000) {
            insert_outbox(&mut tx, chunk).await?;
        }
        // New outbox ids must sort after the copied ones.
        let last = snap.outbox.iter().map(|(k, _)| k.seq as i64).max();
        if let Some(last) = last {
            sqlx::query("SELECT setval('outbox_seq', $1)")
                .bind(last)
                .execute(&mut *tx)
                .await?;
        }
        for (feed, key, record) in &snap.sent {
            sqlx::query("INSERT INTO sent (feed, key, target, record) VALUES ($1, $2, $3, $4)")
                .bind(feed)
                .bind(key.as_str())
                .bind(record.target.id())
                .bind(Json(record))
                .execute(&mut *tx)
                .await?;
        }
        for sub in &snap.subscriptions {
            sqlx::query("INSERT INTO subscriptions (chat, sub) VALUES ($1, $2)")
                .bind(sub.chat.to_string())
                .bind(Json(sub))
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("INSERT INTO categories (name) SELECT * FROM UNNEST($1::text[])")
            .bind(&snap.categories)
            .execute(&mut *tx)
            .await?;
        for (feed, record) in &snap.websub {
            sqlx::query("INSERT INTO websub (feed, record) VALUES ($1, $2)")
                .bind(feed)
                .bind(Json(record))
                .execute(&mut *tx)
                .await?;
        }
        for feed in &snap.chat_feeds {
            sqlx::query("INSERT INTO chat_feeds (url, record) VALUES ($1, $2)")
                .bind(&feed.url)
                .bind(Json(feed))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
