//! The `chat_feeds` table: feeds chats added, one JSON record per URL, changed under a row lock.

use sqlx::types::Json;

use super::PgStore;
use super::rows::Table;
use crate::model::ChatFeed;
use crate::storage::error::Result;

const CHAT_FEEDS: Table = Table {
    select_for_update: "SELECT record FROM chat_feeds WHERE url = $1 FOR UPDATE",
    insert: "INSERT INTO chat_feeds (url, record) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    update: "UPDATE chat_feeds SET record = $2 WHERE url = $1",
};

impl PgStore {
    pub async fn chat_feed(&self, url: &str) -> Result<Option<ChatFeed>> {
        let row: Option<Json<ChatFeed>> =
            sqlx::query_scalar("SELECT record FROM chat_feeds WHERE url = $1")
                .bind(url)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|j| j.0))
    }

    pub async fn update_chat_feed(
        &self,
        url: &str,
        change: impl FnMut(Option<ChatFeed>) -> Option<ChatFeed>,
    ) -> Result<Option<ChatFeed>> {
        self.locked_update(&CHAT_FEEDS, url, change).await
    }

    pub async fn remove_chat_feed(&self, url: &str) -> Result<Option<ChatFeed>> {
        let row: Option<Json<ChatFeed>> =
            sqlx::query_scalar("DELETE FROM chat_feeds WHERE url = $1 RETURNING record")
                .bind(url)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|j| j.0))
    }

    pub async fn chat_feeds(&self) -> Result<Vec<ChatFeed>> {
        let rows: Vec<Json<ChatFeed>> =
            sqlx::query_scalar("SELECT record FROM chat_feeds ORDER BY url COLLATE \"C\"")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|j| j.0).collect())
    }
}
