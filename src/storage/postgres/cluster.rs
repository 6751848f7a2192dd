//! Nodes and leases on PostgreSQL. Every time is the database's `now()`, so the nodes' own
//! clocks never matter; a lease answer carries the time left, which a node counts down on its
//! monotonic clock from the moment it asked.

use std::time::Duration;

use sqlx::Row;
use sqlx::types::Json;

use super::PgStore;
use crate::model::{Fence, Granted, LeaseInfo, NodeClaim, NodeInfo, NodeStatus};
use crate::storage::error::Result;

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn granted(row: Option<sqlx::postgres::PgRow>) -> Result<Option<Granted>> {
    row.map(|r| {
        Ok(Granted {
            epoch: r.try_get(0)?,
            left_ms: r.try_get(1)?,
        })
    })
    .transpose()
}

impl PgStore {
    /// Takes node id `id` for this process (`instance`), unless a process that heartbeat
    /// within `ttl` has it; then says who. Nodes silent for a day are forgotten first.
    pub async fn claim_node(
        &self,
        id: &str,
        instance: &str,
        host: &str,
        pid: i64,
        ttl: Duration,
    ) -> Result<Result<(), NodeClaim>> {
        sqlx::query("DELETE FROM nodes WHERE seen_at < now() - interval '1 day'")
            .execute(&self.pool)
            .await?;
        let taken = sqlx::query(
            "INSERT INTO nodes (id, instance, host, pid) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET instance = EXCLUDED.instance, host = EXCLUDED.host, \
               pid = EXCLUDED.pid, started_at = now(), seen_at = now(), status = '{}' \
             WHERE nodes.seen_at < now() - make_interval(secs => $5) \
                OR nodes.instance = EXCLUDED.instance \
             RETURNING id",
        )
        .bind(id)
        .bind(instance)
        .bind(host)
        .bind(pid)
        .bind(secs(ttl))
        .fetch_optional(&self.pool)
        .await?;
        if taken.is_some() {
            return Ok(Ok(()));
        }
        let row = sqlx::query(
            "SELECT host, pid, (extract(epoch FROM now() - seen_at) * 1000)::int8 \
             FROM nodes WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(r) => Err(NodeClaim {
                host: r.try_get(0)?,
                pid: r.try_get(1)?,
                silent_ms: r.try_get(2)?,
            }),
            // Gone in between: the next try takes it.
            None => Err(NodeClaim {
                host: String::new(),
                pid: 0,
                silent_ms: 0,
            }),
        })
    }

    /// Records that node `id` is alive, with what it does; false when another process has
    /// taken the id.
    pub async fn heartbeat(&self, id: &str, instance: &str, status: &NodeStatus) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE nodes SET seen_at = now(), status = $3 WHERE id = $1 AND instance = $2",
        )
        .bind(id)
        .bind(instance)
        .bind(Json(status))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Removes node `id` (a clean stop).
    pub async fn leave(&self, id: &str, instance: &str) -> Result<()> {
        sqlx::query("DELETE FROM nodes WHERE id = $1 AND instance = $2")
            .bind(id)
            .bind(instance)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Takes lease `name` for `holder` when nobody holds it or its holder let it lapse; the
    /// epoch grows with every new holder.
    pub async fn acquire(
        &self,
        name: &str,
        holder: &str,
        ttl: Duration,
    ) -> Result<Option<Granted>> {
        let row = sqlx::query(
            "INSERT INTO leases (name, holder, epoch, expires_at) \
             VALUES ($1, $2, 1, now() + make_interval(secs => $3)) \
             ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, \
               epoch = leases.epoch + 1, expires_at = EXCLUDED.expires_at \
             WHERE leases.expires_at <= now() \
             RETURNING epoch, (extract(epoch FROM expires_at - now()) * 1000)::int8",
        )
        .bind(name)
        .bind(holder)
        .bind(secs(ttl))
        .fetch_optional(&self.pool)
        .await?;
        granted(row)
    }

    /// Extends a lease still held under `fence`; `None` once it lapsed or changed hands.
    pub async fn renew(
        &self,
        fence: &Fence,
        holder: &str,
        ttl: Duration,
    ) -> Result<Option<Granted>> {
        let row = sqlx::query(
            "UPDATE leases SET expires_at = now() + make_interval(secs => $4) \
             WHERE name = $1 AND epoch = $2 AND holder = $3 AND expires_at > now() \
             RETURNING epoch, (extract(epoch FROM expires_at - now()) * 1000)::int8",
        )
        .bind(&fence.lease)
        .bind(fence.epoch)
        .bind(holder)
        .bind(secs(ttl))
        .fetch_optional(&self.pool)
        .await?;
        granted(row)
    }

    /// Gives a lease up at once, so another node need not wait for it to lapse.
    pub async fn release(&self, fence: &Fence) -> Result<()> {
        sqlx::query(
            "UPDATE leases SET holder = NULL, expires_at = now() WHERE name = $1 AND epoch = $2",
        )
        .bind(&fence.lease)
        .bind(fence.epoch)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn leases(&self) -> Result<Vec<LeaseInfo>> {
        let rows = sqlx::query(
            "SELECT name, holder, epoch, (extract(epoch FROM expires_at - now()) * 1000)::int8 \
             FROM leases ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(LeaseInfo {
                    name: r.try_get(0)?,
                    holder: r.try_get(1)?,
                    epoch: r.try_get(2)?,
                    left_ms: r.try_get(3)?,
                })
            })
            .collect()
    }

    pub async fn nodes(&self) -> Result<Vec<NodeInfo>> {
        let rows = sqlx::query(
            "SELECT id, host, pid, (extract(epoch FROM now() - seen_at) * 1000)::int8, status \
             FROM nodes ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                let Json(status): Json<NodeStatus> = r.try_get(4)?;
                Ok(NodeInfo {
                    id: r.try_get(0)?,
                    host: r.try_get(1)?,
                    pid: r.try_get(2)?,
                    silent_ms: r.try_get(3)?,
                    status,
                })
            })
            .collect()
    }
}

impl PgStore {
    /// `meta_put`, applied only while `fence` is current.
    pub async fn meta_put_fenced(&self, key: &str, value: &[u8], fence: &Fence) -> Result<()> {
        let done = sqlx::query(
            "INSERT INTO meta (key, value) SELECT $1, $2 WHERE EXISTS ( \
               SELECT 1 FROM leases WHERE name = $3 AND epoch = $4 AND expires_at > now()) \
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        )
        .bind(key)
        .bind(value)
        .bind(&fence.lease)
        .bind(fence.epoch)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 1 {
            Ok(())
        } else {
            Err(crate::storage::StoreError::Fenced {
                lease: fence.lease.clone(),
            })
        }
    }
}
