//! An ingest as one SQL transaction. "Is this post new?" is the seen insert itself
//! (`ON CONFLICT DO NOTHING RETURNING`): of two writers racing for a post, one gets it back and
//! queues its alert, the other gets nothing, with no lock held outside the database.

use std::collections::HashSet;

use sqlx::types::Json;

use super::PgStore;
use crate::model::{Alert, Delivery, OutboxKey};
use crate::storage::error::Result;
use crate::storage::{IngestBatch, Ingested};

impl PgStore {
    pub async fn ingest(&self, feed: &str, batch: &IngestBatch) -> Result<Ingested> {
        super::retry_conflicts(|| self.ingest_once(feed, batch)).await
    }

    async fn ingest_once(&self, feed: &str, batch: &IngestBatch) -> Result<Ingested> {
        let mut tx = self.pool.begin().await?;
        let fresh: Vec<_> = batch
            .posts
            .iter()
            .filter(|p| p.replaces.is_none())
            .collect();
        let inserted: HashSet<String> = if fresh.is_empty() {
            HashSet::new()
        } else {
            let keys: Vec<&str> = fresh.iter().map(|p| p.key.as_str()).collect();
            let first_seen: Vec<i64> = fresh.iter().map(|p| p.seen.first_seen).collect();
            let prints: Vec<&str> = fresh.iter().map(|p| p.seen.fingerprint.as_str()).collect();
            sqlx::query_scalar::<_, String>(
                "INSERT INTO seen (feed, key, first_seen, fingerprint) \
                 SELECT $1, * FROM UNNEST($2::text[], $3::int8[], $4::text[]) \
                 ON CONFLICT DO NOTHING RETURNING key",
            )
            .bind(feed)
            .bind(&keys)
            .bind(&first_seen)
            .bind(&prints)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect()
        };
        let mut taken = Vec::with_capacity(batch.posts.len());
        for post in &batch.posts {
            let take = match &post.replaces {
                None => inserted.contains(post.key.as_str()),
                Some(old) => {
                    sqlx::query(
                        "UPDATE seen SET fingerprint = $4 \
                     WHERE feed = $1 AND key = $2 AND fingerprint = $3",
                    )
                    .bind(feed)
                    .bind(post.key.as_str())
                    .bind(old)
                    .bind(&post.seen.fingerprint)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                        == 1
                }
            };
            taken.push(take);
        }
        let chosen = || batch.posts.iter().zip(&taken).filter(|(_, t)| **t);
        let alerts: Vec<&Alert> = chosen().filter_map(|(p, _)| p.alert.as_ref()).collect();
        if !alerts.is_empty() {
            let keys: Vec<&str> = alerts.iter().map(|a| a.key.as_str()).collect();
            let values: Vec<Json<&Alert>> = alerts.iter().map(|a| Json(*a)).collect();
            sqlx::query(
                "INSERT INTO posts (feed, key, alert) \
                 SELECT $1, * FROM UNNEST($2::text[], $3::jsonb[]) \
                 ON CONFLICT (feed, key) DO UPDATE SET alert = EXCLUDED.alert",
            )
            .bind(feed)
            .bind(&keys)
            .bind(&values)
            .execute(&mut *tx)
            .await?;
        }
        let queued: Vec<&(bool, Delivery)> = chosen().flat_map(|(p, _)| &p.deliveries).collect();
        let deliveries = self.queue(&mut tx, &queued).await?;
        if let Some(state) = &batch.feed_state {
            sqlx::query(
                "INSERT INTO feeds (feed, state) VALUES ($1, $2) \
                 ON CONFLICT (feed) DO UPDATE SET state = EXCLUDED.state",
            )
            .bind(feed)
            .bind(Json(state))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Ingested { taken, deliveries })
    }

    /// Adds deliveries to the outbox with fresh ids from `outbox_seq`; returns them keyed.
    async fn queue(
        &self,
        tx: &mut sqlx::PgConnection,
        queued: &[&(bool, Delivery)],
    ) -> Result<Vec<(OutboxKey, Delivery)>> {
        if queued.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT nextval('outbox_seq') FROM generate_series(1, $1)")
                .bind(queued.len() as i64)
                .fetch_all(&mut *tx)
                .await?;
        let keyed: Vec<(OutboxKey, Delivery)> = ids
            .iter()
            .zip(queued)
            .map(|(id, (urgent, d))| (OutboxKey::new(*urgent, *id as u64), d.clone()))
            .collect();
        insert_outbox(tx, &keyed).await?;
        // Delivered on commit to the node that sends (see `listen.rs`).
        let (low, high) = (ids.iter().min(), ids.iter().max());
        if let (Some(low), Some(high), true) = (low, high, self.notify) {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(super::listen::CHANNEL)
                .bind(format!("{low}-{high}"))
                .execute(&mut *tx)
                .await?;
        }
        Ok(keyed)
    }
}

/// Writes keyed deliveries into the outbox in one statement.
pub(super) async fn insert_outbox(
    tx: &mut sqlx::PgConnection,
    keyed: &[(OutboxKey, Delivery)],
) -> Result<()> {
    let ids: Vec<i64> = keyed.iter().map(|(k, _)| k.seq as i64).collect();
    let priorities: Vec<i16> = keyed.iter().map(|(k, _)| i16::from(k.priority)).collect();
    let enqueued: Vec<i64> = keyed.iter().map(|(_, d)| d.enqueued_at).collect();
    let bodies: Vec<Json<&Delivery>> = keyed.iter().map(|(_, d)| Json(d)).collect();
    sqlx::query(
        "INSERT INTO outbox (id, priority, enqueued_at, delivery) \
         SELECT * FROM UNNEST($1::int8[], $2::int2[], $3::int8[], $4::jsonb[])",
    )
    .bind(&ids)
    .bind(&priorities)
    .bind(&enqueued)
    .bind(&bodies)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
