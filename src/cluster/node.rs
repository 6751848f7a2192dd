//! This node's identity among the others: its id (`SOKBO_NODE_ID`, `[cluster] node_id`, else
//! host name and process id), claimed in the store so two live processes never share one.

use std::time::Duration;

use crate::model::NodeClaim;
use crate::storage::{ClusterStore, StoreError};

/// How often a refused claim is tried again while waiting for a silent holder to lapse.
const CLAIM_RETRY: Duration = Duration::from_millis(500);

/// Why a node could not join.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    #[error(
        "node id {id:?} is in use by a running node (host {host:?}, pid {pid}, last seen {silent_ms} ms ago); \
         give each node its own SOKBO_NODE_ID or [cluster] node_id"
    )]
    InUse {
        id: String,
        host: String,
        pid: i64,
        silent_ms: i64,
    },
    #[error("cannot register node {id:?}: {source}")]
    Store { id: String, source: StoreError },
}

/// This process as a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: String,
    /// Random per process: tells this process apart from an earlier one with the same id.
    pub instance: String,
    pub host: String,
    pub pid: i64,
}

impl Node {
    /// This process, named `configured` (already overridden by `SOKBO_NODE_ID`) or, when that
    /// is empty, `host-pid`.
    pub fn here(configured: &str) -> Node {
        let host = host_name();
        let pid = i64::from(std::process::id());
        let id = if configured.is_empty() {
            format!("{host}-{pid}")
        } else {
            configured.to_owned()
        };
        Node {
            id,
            instance: format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..)),
            host,
            pid,
        }
    }

    /// Registers the id. A holder that stays silent past `ttl` (a crashed predecessor) is
    /// replaced; one that keeps its heartbeat is a second live node with this id: refused.
    pub async fn join(&self, store: &ClusterStore, ttl: Duration) -> Result<(), JoinError> {
        let deadline = tokio::time::Instant::now() + ttl * 2;
        loop {
            let claim = store
                .claim_node(&self.id, &self.instance, &self.host, self.pid, ttl)
                .await
                .map_err(|source| JoinError::Store {
                    id: self.id.clone(),
                    source,
                })?;
            let holder: NodeClaim = match claim {
                Ok(()) => return Ok(()),
                Err(holder) => holder,
            };
            if tokio::time::Instant::now() >= deadline {
                return Err(JoinError::InUse {
                    id: self.id.clone(),
                    host: holder.host,
                    pid: holder.pid,
                    silent_ms: holder.silent_ms,
                });
            }
            tokio::time::sleep(CLAIM_RETRY).await;
        }
    }
}

/// The machine's name, for default node ids and `cluster status`.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "node".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_id_wins_else_host_and_pid() {
        let named = Node::here("seoul-1");
        assert_eq!(named.id, "seoul-1");
        assert_eq!(named.pid, i64::from(std::process::id()));
        let default = Node::here("");
        assert_eq!(default.id, format!("{}-{}", default.host, default.pid));
        assert_ne!(named.instance, default.instance);
        assert_eq!(named.instance.len(), 32);
    }
}
