//! Records changed in place: chat subscriptions and WebSub records, each a JSON row read with
//! `FOR UPDATE` and written back in the same transaction.

use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::types::Json;

use super::PgStore;
use crate::model::{ChatId, Subscription, WebSubRecord};
use crate::storage::error::Result;

/// The statements on one table of JSON records keyed by text.
pub(super) struct Table {
    pub select_for_update: &'static str,
    pub insert: &'static str,
    pub update: &'static str,
}

const SUBS: Table = Table {
    select_for_update: "SELECT sub FROM subscriptions WHERE chat = $1 FOR UPDATE",
    insert: "INSERT INTO subscriptions (chat, sub) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    update: "UPDATE subscriptions SET sub = $2 WHERE chat = $1",
};

const WEBSUB: Table = Table {
    select_for_update: "SELECT record FROM websub WHERE feed = $1 FOR UPDATE",
    insert: "INSERT INTO websub (feed, record) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    update: "UPDATE websub SET record = $2 WHERE feed = $1",
};

impl PgStore {
    /// Replaces the record under `key` with what `change` makes of it, under a row lock;
    /// returns the new record, or the current one when `change` gives `None`. An absent record
    /// that another writer inserts meanwhile makes `change` run again on theirs.
    pub(super) async fn locked_update<
        T: Serialize + DeserializeOwned + Clone + Send + Unpin + 'static,
    >(
        &self,
        table: &Table,
        key: &str,
        mut change: impl FnMut(Option<T>) -> Option<T>,
    ) -> Result<Option<T>> {
        loop {
            let mut tx = self.pool.begin().await?;
            let current: Option<Json<T>> = sqlx::query_scalar(table.select_for_update)
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
            let current = current.map(|j| j.0);
            let existed = current.is_some();
            let Some(next) = change(current.clone()) else {
                tx.rollback().await?;
                return Ok(current);
            };
            let sql = if existed { table.update } else { table.insert };
            let written = sqlx::query(sql)
                .bind(key)
                .bind(Json(&next))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if written == 1 {
                tx.commit().await?;
                return Ok(Some(next));
            }
            tx.rollback().await?;
        }
    }

    pub async fn sub_get(&self, chat: &ChatId) -> Result<Option<Subscription>> {
        let row: Option<Json<Subscription>> =
            sqlx::query_scalar("SELECT sub FROM subscriptions WHERE chat = $1")
                .bind(chat.to_string())
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|j| j.0))
    }

    pub async fn sub_put(&self, sub: &Subscription) -> Result<()> {
        sqlx::query(
            "INSERT INTO subscriptions (chat, sub) VALUES ($1, $2) \
             ON CONFLICT (chat) DO UPDATE SET sub = EXCLUDED.sub",
        )
        .bind(sub.chat.to_string())
        .bind(Json(sub))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn sub_update(
        &self,
        chat: &ChatId,
        create: bool,
        mut change: impl FnMut(&mut Subscription),
    ) -> Result<Option<Subscription>> {
        self.locked_update(&SUBS, &chat.to_string(), |current| {
            let mut sub = match current {
                Some(sub) => sub,
                None if create => Subscription::new(chat.clone()),
                None => return None,
            };
            change(&mut sub);
            Some(sub)
        })
        .await
    }

    pub async fn sub_remove(&self, chat: &ChatId) -> Result<Option<Subscription>> {
        let row: Option<Json<Subscription>> =
            sqlx::query_scalar("DELETE FROM subscriptions WHERE chat = $1 RETURNING sub")
                .bind(chat.to_string())
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|j| j.0))
    }

    /// Every record in chat id order; an unreadable one is logged and skipped.
    pub async fn sub_all(&self) -> Result<Vec<Subscription>> {
        let rows: Vec<(String, Json<serde_json::Value>)> =
            sqlx::query_as("SELECT chat, sub FROM subscriptions ORDER BY chat COLLATE \"C\"")
                .fetch_all(&self.pool)
                .await?;
        let mut out = Vec::with_capacity(rows.len());
        for (chat, Json(value)) in rows {
            match serde_json::from_value(value) {
                Ok(sub) => out.push(sub),
                Err(e) => tracing::warn!(%chat, "skipped: unreadable subscription: {e}"),
            }
        }
        Ok(out)
    }

    pub async fn sub_len(&self) -> Result<usize> {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM subscriptions")
            .fetch_one(&self.pool)
            .await?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    pub async fn sub_migrate(&self, from: &ChatId, to: &ChatId) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let old: Option<Json<Subscription>> =
            sqlx::query_scalar("DELETE FROM subscriptions WHERE chat = $1 RETURNING sub")
                .bind(from.to_string())
                .fetch_optional(&mut *tx)
                .await?;
        let Some(Json(mut sub)) = old else {
            return Ok(false);
        };
        sub.chat = to.clone();
        let moved = sqlx::query(SUBS.insert)
            .bind(to.to_string())
            .bind(Json(&sub))
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        tx.commit().await?;
        Ok(moved)
    }

    pub async fn websub(&self, feed: &str) -> Result<Option<WebSubRecord>> {
        let row: Option<Json<WebSubRecord>> =
            sqlx::query_scalar("SELECT record FROM websub WHERE feed = $1")
                .bind(feed)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|j| j.0))
    }

    pub async fn update_websub(
        &self,
        feed: &str,
        change: impl FnMut(Option<WebSubRecord>) -> Option<WebSubRecord>,
    ) -> Result<Option<WebSubRecord>> {
        self.locked_update(&WEBSUB, feed, change).await
    }
}
