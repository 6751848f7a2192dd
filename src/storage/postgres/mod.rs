//! The PostgreSQL backend: a pool of connections (sqlx, rustls), versioned migrations embedded
//! in the binary, and one SQL transaction wherever sled has one.

mod chat_feeds;
mod claims;
mod cluster;
mod copy;
mod ingest;
mod listen;
mod outbox;
mod rows;

pub use listen::{OutboxEvent, OutboxListener};

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::types::Json;
use sqlx::{Row, SqlSafeStr};

use super::error::{Result, StoreError};
use crate::model::{Alert, FeedState, PostKey, SeenRecord};

/// How long an operation waits for a connection before it reports the store unavailable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_CONNECTIONS: u32 = 16;

/// Handle on the pool; cheap to clone.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    /// `host:port/database`, for logs and errors.
    name: String,
    /// Ingests announce new outbox rows with NOTIFY (off for databases without it).
    notify: bool,
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        let gone = match &e {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => true,
            // Class 08: connection exception; 57P: the server shuts down or cancels.
            sqlx::Error::Database(d) => d
                .code()
                .is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
            _ => false,
        };
        let conflict = matches!(&e, sqlx::Error::Database(d)
            if d.code().is_some_and(|c| c == "40001" || c == "40P01"));
        if gone {
            StoreError::Unavailable(e.to_string())
        } else if conflict {
            StoreError::Conflict(e.to_string())
        } else {
            StoreError::Backend(e.to_string())
        }
    }
}

/// How often a transaction the database asked to retry is run again.
const CONFLICT_TRIES: u32 = 5;

/// Runs `op` again when the database reports a conflict ([`StoreError::Conflict`]), up to
/// [`CONFLICT_TRIES`] times with a short growing pause. PostgreSQL at its default isolation
/// rarely asks; serializable databases (CockroachDB, YugabyteDB) do under contention.
async fn retry_conflicts<T, F, Fut>(mut op: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let mut tries = 1;
    loop {
        match op().await {
            Err(StoreError::Conflict(e)) if tries < CONFLICT_TRIES => {
                tracing::debug!(tries, "transaction conflict, running it again: {e}");
                let pause = 10 * u64::from(tries) + fastrand::u64(0..10);
                tokio::time::sleep(Duration::from_millis(pause)).await;
                tries += 1;
            }
            other => return other,
        }
    }
}

/// The migrations this build knows, embedded in the binary.
pub fn migrator() -> Migrator {
    let up = |version, description: &'static str, sql: &'static str| {
        Migration::new(
            version,
            description.into(),
            MigrationType::Simple,
            sql.into_sql_str(),
            false,
        )
    };
    Migrator::with_migrations(vec![
        up(1, "init", include_str!("migrations/0001_init.sql")),
        up(2, "cluster", include_str!("migrations/0002_cluster.sql")),
        up(
            3,
            "feed claims",
            include_str!("migrations/0003_feed_claims.sql"),
        ),
        up(
            4,
            "chat feeds",
            include_str!("migrations/0004_chat_feeds.sql"),
        ),
        up(
            5,
            "chat_feed_polling",
            include_str!("migrations/0005_chat_feed_polling.sql"),
        ),
    ])
}

/// `url` with its password replaced by `***`, for anything a person may read.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) => "<unparsable PostgreSQL URL>".to_owned(),
    }
}

/// `text` with the password of `url` (if any) replaced by `***`.
fn scrub(text: &str, url: &str) -> String {
    let password = url::Url::parse(url)
        .ok()
        .and_then(|u| u.password().map(str::to_owned));
    match password {
        Some(p) if !p.is_empty() => text.replace(&p, "***"),
        _ => text.to_owned(),
    }
}

impl PgStore {
    /// Ingests no longer NOTIFY (for databases without LISTEN/NOTIFY).
    pub fn without_notify(mut self) -> PgStore {
        self.notify = false;
        self
    }

    pub async fn connect(url: &str, migrate: bool) -> Result<PgStore> {
        let options = PgConnectOptions::from_str(url).map_err(|e| StoreError::Connect {
            server: redact_url(url),
            database: String::new(),
            message: format!(
                "not a usable PostgreSQL URL: {}",
                scrub(&e.to_string(), url)
            ),
        })?;
        let server = format!("{}:{}", options.get_host(), options.get_port());
        let database = options
            .get_database()
            .unwrap_or(options.get_username())
            .to_owned();
        let unreachable = |message: String| StoreError::Connect {
            server: server.clone(),
            database: database.clone(),
            message,
        };
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(|e| unreachable(scrub(&e.to_string(), url)))?;
        let store = PgStore {
            name: format!("{server}/{database}"),
            pool,
            notify: true,
        };
        if migrate {
            store.migrate().await?;
        } else {
            store.check_schema().await?;
        }
        Ok(store)
    }

    /// Applies the migrations the database lacks.
    pub async fn migrate(&self) -> Result<()> {
        migrator()
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Migrate(e.to_string()))
    }

    /// Refuses a database whose applied migrations differ from this build's.
    async fn check_schema(&self) -> Result<()> {
        // A fresh database has no migrations table yet; any other error is reported as it is.
        let table: Option<String> =
            sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations')::text")
                .fetch_one(&self.pool)
                .await?;
        let applied: Vec<i64> = match table {
            Some(_) => {
                sqlx::query_scalar(
                    "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
                )
                .fetch_all(&self.pool)
                .await?
            }
            None => Vec::new(),
        };
        let known: Vec<i64> = migrator().iter().map(|m| m.version).collect();
        if let Some(newer) = applied.iter().find(|v| !known.contains(v)) {
            return Err(StoreError::Schema {
                found: u32::try_from(*newer).unwrap_or(u32::MAX),
            });
        }
        if applied != known {
            return Err(StoreError::Migrate(
                "the database lacks migrations: run `sokbo store migrate`".into(),
            ));
        }
        Ok(())
    }

    pub fn describe(&self) -> String {
        format!("PostgreSQL at {}", self.name)
    }

    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn feed_state(&self, feed: &str) -> Result<FeedState> {
        let row: Option<Json<FeedState>> =
            sqlx::query_scalar("SELECT state FROM feeds WHERE feed = $1")
                .bind(feed)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|j| j.0).unwrap_or_default())
    }

    pub async fn put_feed_state(&self, feed: &str, state: &FeedState) -> Result<()> {
        sqlx::query(
            "INSERT INTO feeds (feed, state) VALUES ($1, $2) \
             ON CONFLICT (feed) DO UPDATE SET state = EXCLUDED.state",
        )
        .bind(feed)
        .bind(Json(state))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn seen(&self, feed: &str, key: &PostKey) -> Result<Option<SeenRecord>> {
        let row =
            sqlx::query("SELECT first_seen, fingerprint FROM seen WHERE feed = $1 AND key = $2")
                .bind(feed)
                .bind(key.as_str())
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|r| SeenRecord {
            first_seen: r.get(0),
            fingerprint: r.get(1),
        }))
    }

    pub async fn seen_many(&self, feed: &str, keys: &[PostKey]) -> Result<Vec<Option<SeenRecord>>> {
        let wanted: Vec<&str> = keys.iter().map(PostKey::as_str).collect();
        let rows: Vec<(String, i64, String)> = sqlx::query_as(
            "SELECT key, first_seen, fingerprint FROM seen WHERE feed = $1 AND key = ANY($2)",
        )
        .bind(feed)
        .bind(&wanted)
        .fetch_all(&self.pool)
        .await?;
        let mut found: std::collections::HashMap<String, SeenRecord> = rows
            .into_iter()
            .map(|(key, first_seen, fingerprint)| {
                let record = SeenRecord {
                    first_seen,
                    fingerprint,
                };
                (key, record)
            })
            .collect();
        Ok(keys.iter().map(|k| found.remove(k.as_str())).collect())
    }

    pub async fn alert(&self, feed: &str, key: &PostKey) -> Result<Option<Alert>> {
        let row: Option<Json<Alert>> =
            sqlx::query_scalar("SELECT alert FROM posts WHERE feed = $1 AND key = $2")
                .bind(feed)
                .bind(key.as_str())
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|j| j.0))
    }

    pub async fn meta_get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        Ok(sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?)
    }

    pub async fn meta_put(&self, key: &str, value: &[u8]) -> Result<()> {
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn note_categories(&self, categories: &[String]) -> Result<()> {
        if categories.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO categories (name) SELECT * FROM UNNEST($1::text[]) \
             ON CONFLICT DO NOTHING",
        )
        .bind(categories)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn known_categories(&self) -> Result<Vec<String>> {
        Ok(
            sqlx::query_scalar("SELECT name FROM categories ORDER BY name COLLATE \"C\"")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    pub async fn prune_seen(&self, cutoff: i64) -> Result<usize> {
        let removed: i64 = sqlx::query_scalar(
            "WITH gone AS (DELETE FROM seen WHERE first_seen < $1 RETURNING feed, key), \
             p AS (DELETE FROM posts USING gone WHERE posts.feed = gone.feed AND posts.key = gone.key), \
             s AS (DELETE FROM sent USING gone WHERE sent.feed = gone.feed AND sent.key = gone.key) \
             SELECT count(*) FROM gone",
        )
        .bind(cutoff)
        .fetch_one(&self.pool)
        .await?;
        Ok(usize::try_from(removed).unwrap_or(0))
    }
}

#[cfg(test)]
mod conflict_tests {
    use super::*;

    #[tokio::test]
    async fn conflicts_are_run_again_other_errors_are_not() {
        let mut calls = 0;
        let ok = retry_conflicts(|| {
            calls += 1;
            let n = calls;
            async move {
                if n < 3 {
                    Err(StoreError::Conflict("40001".into()))
                } else {
                    Ok(n)
                }
            }
        })
        .await;
        assert_eq!(ok.unwrap(), 3);
        let mut calls = 0;
        let gave_up: Result<()> = retry_conflicts(|| {
            calls += 1;
            async { Err(StoreError::Conflict("40001".into())) }
        })
        .await;
        assert!(matches!(gave_up, Err(StoreError::Conflict(_))));
        assert_eq!(calls, CONFLICT_TRIES);
        let mut calls = 0;
        let other: Result<()> = retry_conflicts(|| {
            calls += 1;
            async { Err(StoreError::Backend("syntax".into())) }
        })
        .await;
        assert!(matches!(other, Err(StoreError::Backend(_))));
        assert_eq!(calls, 1);
    }
}
