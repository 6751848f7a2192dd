//! `[cluster]`: how a node joins the others on one PostgreSQL store (ignored on sled).

use std::time::Duration;

use serde::Deserialize;

use super::de_duration;

/// How a node joins the others on one PostgreSQL store.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClusterConfig {
    /// This node's name among the others; env `SOKBO_NODE_ID`. Empty: host name and process id.
    pub node_id: String,
    /// How long a lease (a platform session, a claimed feed) lasts without renewal. A node
    /// renews at a third of it; a node that dies is replaced after about this long.
    #[serde(deserialize_with = "de_duration")]
    pub lease_ttl: Duration,
    /// New deliveries reach the sending node by LISTEN/NOTIFY; `false` (for databases without
    /// it) polls the outbox every 250 ms instead.
    pub listen: bool,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            node_id: String::new(),
            lease_ttl: Duration::from_secs(5),
            listen: true,
        }
    }
}
