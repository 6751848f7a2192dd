//! The outbox and sent tables: pending deliveries in (priority, id) order, and the messages
//! posts got.

use std::time::Duration;

use sqlx::Row;
use sqlx::types::Json;

use super::PgStore;
use crate::model::{Delivery, OutboxKey, PostKey, SentRecord, Target};
use crate::storage::Completed;
use crate::storage::error::{Result, corrupt};

fn key_of(priority: i16, id: i64) -> Result<OutboxKey> {
    Ok(OutboxKey {
        priority: u8::try_from(priority).map_err(|_| corrupt("outbox", "priority"))?,
        seq: u64::try_from(id).map_err(|_| corrupt("outbox", "id"))?,
    })
}

fn ids(keys: &[OutboxKey]) -> Vec<i64> {
    keys.iter().map(|k| k.seq as i64).collect()
}

impl PgStore {
    pub async fn pending(&self) -> Result<Vec<(OutboxKey, Delivery)>> {
        self.pending_between(0, u64::MAX).await
    }

    pub async fn outbox_len(&self) -> Result<usize> {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox")
            .fetch_one(&self.pool)
            .await?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    pub async fn outbox_oldest(&self, now_ms: i64) -> Result<Option<Duration>> {
        let at: Option<i64> =
            sqlx::query_scalar("SELECT min(enqueued_at) FROM outbox WHERE enqueued_at > 0")
                .fetch_one(&self.pool)
                .await?;
        Ok(at.map(|at| Duration::from_millis(u64::try_from(now_ms - at).unwrap_or(0))))
    }

    pub async fn delivery(&self, key: &OutboxKey) -> Result<Option<Delivery>> {
        let row: Option<Json<Delivery>> =
            sqlx::query_scalar("SELECT delivery FROM outbox WHERE id = $1")
                .bind(key.seq as i64)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|j| j.0))
    }

    pub async fn update_delivery(&self, key: &OutboxKey, delivery: &Delivery) -> Result<()> {
        sqlx::query("UPDATE outbox SET delivery = $2 WHERE id = $1")
            .bind(key.seq as i64)
            .bind(Json(delivery))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn remove_deliveries(&self, keys: &[OutboxKey]) -> Result<()> {
        sqlx::query("DELETE FROM outbox WHERE id = ANY($1)")
            .bind(ids(keys))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn retarget_deliveries(&self, keys: &[OutboxKey], to: &Target) -> Result<()> {
        let target = serde_json::to_value(to).map_err(|e| corrupt("outbox", e))?;
        sqlx::query(
            "UPDATE outbox SET delivery = delivery || jsonb_build_object('target', $2::jsonb, 'not_before', 0) \
             WHERE id = ANY($1)",
        )
        .bind(ids(keys))
        .bind(Json(target))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The whole group at once: the deliveries leave the outbox and their message ids are
    /// recorded; the commit makes it durable. A completion fenced by a lease that is no longer
    /// current is left out (its delivery stays for the lease's new holder); returns how many.
    pub async fn complete_deliveries(&self, done: &[Completed]) -> Result<usize> {
        super::retry_conflicts(|| self.complete_once(done)).await
    }

    async fn complete_once(&self, done: &[Completed]) -> Result<usize> {
        let mut ids = Vec::with_capacity(done.len());
        let mut leases = Vec::with_capacity(done.len());
        let mut epochs = Vec::with_capacity(done.len());
        let mut feeds = Vec::with_capacity(done.len());
        let mut posts = Vec::with_capacity(done.len());
        let mut targets = Vec::with_capacity(done.len());
        let mut records = Vec::with_capacity(done.len());
        for c in done {
            ids.push(c.key.seq as i64);
            leases.push(c.fence.as_ref().map(|f| f.lease.as_str()));
            epochs.push(c.fence.as_ref().map(|f| f.epoch));
            feeds.push(c.delivery.feed.as_str());
            posts.push(c.delivery.key.as_str());
            targets.push(c.delivery.target.id());
            records.push(c.message_id.as_ref().map(|id| {
                Json(SentRecord {
                    target: c.delivery.target.clone(),
                    message_id: id.clone(),
                })
            }));
        }
        // One statement is one transaction: the fence is checked, the deliveries leave the
        // outbox and their message ids are recorded together, in one round trip.
        let applied: i64 = sqlx::query_scalar(
            "WITH c AS (SELECT * FROM UNNEST($1::int8[], $2::text[], $3::int8[], $4::text[],                  $5::text[], $6::text[], $7::jsonb[]) AS c(id, lease, epoch, feed, key, target, record)),              ok AS (SELECT * FROM c WHERE c.lease IS NULL OR EXISTS (SELECT 1 FROM leases l                  WHERE l.name = c.lease AND l.epoch = c.epoch AND l.expires_at > now())),              done AS (DELETE FROM outbox WHERE id IN (SELECT id FROM ok)),              recorded AS (INSERT INTO sent (feed, key, target, record)                  SELECT feed, key, target, record FROM ok WHERE record IS NOT NULL                  ON CONFLICT (feed, key, target) DO UPDATE SET record = EXCLUDED.record)              SELECT count(*) FROM ok",
        )
        .bind(&ids)
        .bind(&leases)
        .bind(&epochs)
        .bind(&feeds)
        .bind(&posts)
        .bind(&targets)
        .bind(&records)
        .fetch_one(&self.pool)
        .await?;
        Ok(done
            .len()
            .saturating_sub(usize::try_from(applied).unwrap_or(0)))
    }

    /// Pending deliveries with ids in `from..=to`, in outbox order (what another node just
    /// queued).
    pub async fn pending_between(&self, from: u64, to: u64) -> Result<Vec<(OutboxKey, Delivery)>> {
        let rows = sqlx::query(
            "SELECT priority, id, delivery FROM outbox WHERE id BETWEEN $1 AND $2 \
             ORDER BY priority, id",
        )
        .bind(i64::try_from(from).unwrap_or(i64::MAX))
        .bind(i64::try_from(to).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                let Json(d): Json<Delivery> = r.try_get(2)?;
                Ok((key_of(r.try_get(0)?, r.try_get(1)?)?, d))
            })
            .collect()
    }

    pub async fn sent_message(
        &self,
        feed: &str,
        key: &PostKey,
        target: &Target,
    ) -> Result<Option<String>> {
        let row: Option<Json<SentRecord>> = sqlx::query_scalar(
            "SELECT record FROM sent WHERE feed = $1 AND key = $2 AND target = $3",
        )
        .bind(feed)
        .bind(key.as_str())
        .bind(target.id())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|j| j.0.message_id))
    }

    pub async fn sent_for(&self, feed: &str, key: &PostKey) -> Result<Vec<SentRecord>> {
        let rows: Vec<Json<SentRecord>> = sqlx::query_scalar(
            "SELECT record FROM sent WHERE feed = $1 AND key = $2 ORDER BY target COLLATE \"C\"",
        )
        .bind(feed)
        .bind(key.as_str())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|j| j.0).collect())
    }
}
