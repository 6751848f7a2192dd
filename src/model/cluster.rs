//! What nodes of one cluster share through the store: leases with their epochs, the fence a
//! holder's writes carry, and what each node reports of itself.

use serde::{Deserialize, Serialize};

/// Proof that a write comes from the holder of a lease: the lease and the epoch it got. The
/// store refuses a fenced write once that epoch is no longer current and unexpired.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fence {
    pub lease: String,
    pub epoch: i64,
}

/// A lease just taken or renewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Granted {
    pub epoch: i64,
    /// Time left, by the database clock, when the database answered.
    pub left_ms: i64,
}

/// One lease as the store shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseInfo {
    pub name: String,
    /// `None`: released.
    pub holder: Option<String>,
    pub epoch: i64,
    /// Milliseconds until it lapses (negative: lapsed that long ago).
    pub left_ms: i64,
}

/// What a node reports of itself with each heartbeat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeStatus {
    /// Leases held, by name.
    pub leases: Vec<String>,
    /// Feeds this node polls now.
    pub claimed_feeds: u64,
    /// Largest lateness of a poll in the last minute, in milliseconds.
    pub poll_lag_ms: u64,
}

/// One node as the store shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeInfo {
    pub id: String,
    pub host: String,
    pub pid: i64,
    /// Milliseconds since its last heartbeat.
    pub silent_ms: i64,
    pub status: NodeStatus,
}

/// Who holds a node id now, when a second process asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeClaim {
    pub host: String,
    pub pid: i64,
    pub silent_ms: i64,
}
