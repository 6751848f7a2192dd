//! Feed claims on PostgreSQL. Every time is the database's `now()`; a claim answer carries the
//! time until each feed's poll, which the node counts on its monotonic clock.
//!
//! Claims are taken one claimer at a time (the lock of the one row of `feed_claim_turn`, held
//! for the claim's short transaction), so the count of claims in flight per host that a claim
//! reads includes every other node's committed claims: the per-host bound holds across the
//! cluster. Inside, due rows are still locked with
//! `FOR UPDATE SKIP LOCKED`, so a claim never waits for a row another statement (a poll's
//! result, a ping) is writing. A claim takes at most its share of the due feeds (those due
//! divided by the live nodes), so the nodes split the work even when one could do it all.

use std::time::Duration;

use sqlx::Row;
use sqlx::types::Json;

use super::PgStore;
use crate::model::FeedState;
use crate::storage::claims::{ClaimAsk, Claimed, FeedClaim, FeedSet};
use crate::storage::error::{Result, StoreError};

/// Due rows looked at per claim, per feed wanted: room for rows skipped for their host.
const CANDIDATES_PER_CLAIM: usize = 4;

/// Forgets feed sets no node has used for a week.
const PRUNE_SETS: &str = "DELETE FROM feed_sets WHERE used_at < now() - interval '7 days'";

const CLAIM: &str = "\
WITH due_own AS (
    SELECT f.feed, f.host, f.next_poll FROM feeds f
    WHERE f.next_poll <= now() + make_interval(secs => $3)
      AND (f.lease_until IS NULL OR f.lease_until <= now())
      AND EXISTS (SELECT 1 FROM feed_set_members m WHERE m.set_id = $2 AND m.feed = f.feed)
    ORDER BY f.next_poll
    LIMIT $5
    FOR UPDATE OF f SKIP LOCKED
), due_chat AS (
    -- Chat-added feeds, followed and not paused: a join over the small partial index, apart
    -- from the node's own feeds so that their scan keeps its plan.
    SELECT f.feed, f.host, f.next_poll FROM chat_feeds c JOIN feeds f ON f.feed = c.name
    WHERE $8 AND c.polled
      AND f.next_poll <= now() + make_interval(secs => $3)
      AND (f.lease_until IS NULL OR f.lease_until <= now())
    ORDER BY f.next_poll
    LIMIT $5
    FOR UPDATE OF f SKIP LOCKED
), due AS (
    SELECT * FROM due_own UNION ALL SELECT * FROM due_chat
), share AS (
    -- This claim's share of what is due: the live nodes split it, even when one could take it all.
    SELECT ceil(count(*)::numeric / greatest(1, (
        SELECT count(*) FROM nodes WHERE seen_at > now() - make_interval(secs => $7)
    )))::int8 AS n FROM due
), busy AS (
    SELECT host, count(*) AS n FROM feeds
    WHERE lease_until > now() AND host IN (SELECT host FROM due)
    GROUP BY host
), ranked AS (
    SELECT d.feed, d.next_poll,
        row_number() OVER (PARTITION BY d.host ORDER BY d.next_poll) + coalesce(b.n, 0) AS slot
    FROM due d LEFT JOIN busy b ON b.host = d.host
), chosen AS (
    SELECT feed FROM ranked WHERE slot <= $6 ORDER BY next_poll
    LIMIT least($4, (SELECT n FROM share))
)
UPDATE feeds f SET lease_holder = $1, claim = f.claim + 1,
    lease_until = now() + make_interval(secs => $7),
    next_poll = CASE WHEN f.next_poll = '-infinity' THEN now() ELSE f.next_poll END
FROM chosen c WHERE f.feed = c.feed
RETURNING f.feed, f.claim, f.state, (extract(epoch FROM f.next_poll - now()) * 1000)::int8";

/// Keeps the stored `initialized` when the result's lacks it (an ingest from elsewhere marked
/// the feed read meanwhile): a feed once read never counts as first seen again.
const FINISH: &str = "\
UPDATE feeds SET
    state = jsonb_set($4::jsonb, '{initialized}', to_jsonb(
        coalesce((state->>'initialized')::boolean, false)
        OR coalesce(($4::jsonb->>'initialized')::boolean, false))),
    next_poll = CASE WHEN next_poll = '-infinity' THEN now()
                     ELSE now() + make_interval(secs => $5) END,
    lease_holder = NULL, lease_until = NULL
WHERE feed = $1 AND lease_holder = $2 AND claim = $3";

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn claimed(row: sqlx::postgres::PgRow, holder: &str) -> Result<Claimed> {
    let Json(state): Json<FeedState> = row.try_get(2)?;
    Ok(Claimed {
        claim: FeedClaim {
            feed: row.try_get(0)?,
            holder: holder.to_owned(),
            number: row.try_get(1)?,
        },
        state,
        due_in_ms: row.try_get(3)?,
    })
}

/// `held` as two arrays, for `UNNEST`.
fn columns(held: &[(String, i64)]) -> (Vec<&str>, Vec<i64>) {
    held.iter().map(|(f, n)| (f.as_str(), *n)).unzip()
}

impl PgStore {
    pub async fn register_feeds(&self, set: &FeedSet) -> Result<()> {
        let names: Vec<&str> = set.feeds.iter().map(|f| f.name.as_str()).collect();
        let hosts: Vec<&str> = set.feeds.iter().map(|f| f.host.as_str()).collect();
        let first: Vec<f64> = set.feeds.iter().map(|f| secs(f.first_poll)).collect();
        let mut tx = self.pool.begin().await?;
        // A feed polled before this schema keeps the next poll its state names.
        sqlx::query(
            "INSERT INTO feeds (feed, state, host, next_poll) \
             SELECT n, $4, h, now() + make_interval(secs => d) \
             FROM UNNEST($1::text[], $2::text[], $3::float8[]) AS r(n, h, d) \
             ON CONFLICT (feed) DO UPDATE SET host = EXCLUDED.host, next_poll = coalesce( \
               feeds.next_poll, to_timestamp((feeds.state->>'next_poll')::float8), \
               EXCLUDED.next_poll) \
             WHERE feeds.host IS DISTINCT FROM EXCLUDED.host OR feeds.next_poll IS NULL",
        )
        .bind(&names)
        .bind(&hosts)
        .bind(&first)
        .bind(Json(FeedState::default()))
        .execute(&mut *tx)
        .await?;
        sqlx::query(PRUNE_SETS).execute(&mut *tx).await?;
        let new: bool = sqlx::query_scalar(
            "INSERT INTO feed_sets (id) VALUES ($1) \
             ON CONFLICT (id) DO UPDATE SET used_at = now() RETURNING xmax = 0",
        )
        .bind(&set.id)
        .fetch_one(&mut *tx)
        .await?;
        if new {
            sqlx::query(
                "INSERT INTO feed_set_members (set_id, feed) SELECT $1, UNNEST($2::text[]) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(&set.id)
            .bind(&names)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn register_chat_feed(&self, name: &str, host: &str, due_in: Duration) -> Result<()> {
        sqlx::query(
            "INSERT INTO feeds (feed, state, host, next_poll) \
             VALUES ($1, $2, $3, now() + make_interval(secs => $4)) \
             ON CONFLICT (feed) DO UPDATE SET host = EXCLUDED.host, \
               next_poll = coalesce(feeds.next_poll, EXCLUDED.next_poll)",
        )
        .bind(name)
        .bind(Json(FeedState::default()))
        .bind(host)
        .bind(secs(due_in))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn touch_feed_set(&self, id: &str) -> Result<bool> {
        let done = sqlx::query("UPDATE feed_sets SET used_at = now() WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn claim_feeds(&self, ask: &ClaimAsk<'_>) -> Result<Vec<Claimed>> {
        if ask.max == 0 {
            return Ok(Vec::new());
        }
        let max = i64::try_from(ask.max).unwrap_or(i64::MAX);
        let per_host = i64::try_from(ask.per_host.max(1)).unwrap_or(i64::MAX);
        let mut tx = self.pool.begin().await?;
        // Claimers in turn: the claim below (a statement of its own, so a snapshot taken after
        // the turn is ours) sees every claim committed before.
        sqlx::query("SELECT id FROM feed_claim_turn WHERE id = 1 FOR UPDATE")
            .execute(&mut *tx)
            .await?;
        let rows = sqlx::query(CLAIM)
            .bind(ask.holder)
            .bind(ask.set_id)
            .bind(secs(ask.lookahead))
            .bind(max)
            .bind(max.saturating_mul(CANDIDATES_PER_CLAIM as i64))
            .bind(per_host)
            .bind(secs(ask.ttl))
            .bind(ask.chat_feeds)
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        rows.into_iter().map(|r| claimed(r, ask.holder)).collect()
    }

    pub async fn renew_claims(
        &self,
        holder: &str,
        held: &[(String, i64)],
        ttl: Duration,
    ) -> Result<Vec<String>> {
        if held.is_empty() {
            return Ok(Vec::new());
        }
        let (feeds, numbers) = columns(held);
        Ok(sqlx::query_scalar(
            "UPDATE feeds f SET lease_until = now() + make_interval(secs => $4) \
             FROM UNNEST($2::text[], $3::int8[]) AS h(feed, claim) \
             WHERE f.feed = h.feed AND f.claim = h.claim AND f.lease_holder = $1 \
               AND f.lease_until > now() \
             RETURNING f.feed",
        )
        .bind(holder)
        .bind(&feeds)
        .bind(&numbers)
        .bind(secs(ttl))
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn finish_claim(
        &self,
        claim: &FeedClaim,
        state: &FeedState,
        next_in: Duration,
    ) -> Result<()> {
        let done = sqlx::query(FINISH)
            .bind(&claim.feed)
            .bind(&claim.holder)
            .bind(claim.number)
            .bind(Json(state))
            .bind(secs(next_in))
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 1 {
            Ok(())
        } else {
            Err(StoreError::Fenced {
                lease: format!("feed:{}", claim.feed),
            })
        }
    }

    pub async fn release_claims(&self, holder: &str, held: &[(String, i64)]) -> Result<()> {
        if held.is_empty() {
            return Ok(());
        }
        let (feeds, numbers) = columns(held);
        sqlx::query(
            "UPDATE feeds f SET lease_holder = NULL, lease_until = NULL \
             FROM UNNEST($2::text[], $3::int8[]) AS h(feed, claim) \
             WHERE f.feed = h.feed AND f.claim = h.claim AND f.lease_holder = $1",
        )
        .bind(holder)
        .bind(&feeds)
        .bind(&numbers)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn poll_now(&self, feed: &str) -> Result<()> {
        sqlx::query(
            "UPDATE feeds SET next_poll = '-infinity' WHERE feed = $1 AND next_poll IS NOT NULL",
        )
        .bind(feed)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
