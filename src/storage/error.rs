//! `StoreError`: what a storage operation reports, the same for both backends.

use super::SCHEMA_VERSION;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the data store at {path}: {message}")]
    Open { path: String, message: String },
    #[error("cannot reach PostgreSQL at {server}, database {database:?}: {message}")]
    Connect {
        server: String,
        database: String,
        message: String,
    },
    /// The database went away or does not answer in time; the operation may be retried.
    #[error("data store unavailable: {0}")]
    Unavailable(String),
    #[error("data store error: {0}")]
    Backend(String),
    /// The database asked for the transaction to be run again (serialization failure or
    /// deadlock: SQLSTATE 40001 / 40P01, common on serializable distributed databases).
    #[error("data store conflict, to be retried: {0}")]
    Conflict(String),
    #[error("data store holds an unreadable record in {tree}: {message}")]
    Corrupt { tree: &'static str, message: String },
    #[error("data store schema {found} is newer than this build understands ({SCHEMA_VERSION})")]
    Schema { found: u32 },
    #[error("data store migration failed: {0}")]
    Migrate(String),
    /// A write fenced by a lease this node no longer holds (another node took over).
    #[error("lease {lease} is no longer held by this node; the write was refused")]
    Fenced { lease: String },
    #[error("data store flush did not finish: {0}")]
    Flush(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub(super) fn corrupt(tree: &'static str, message: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        tree,
        message: message.to_string(),
    }
}

/// A record as stored: JSON, the same on both backends.
pub(super) fn encode<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("store records always serialize to JSON")
}

pub(super) fn decode<T: serde::de::DeserializeOwned>(
    tree: &'static str,
    bytes: &[u8],
) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| corrupt(tree, e))
}
