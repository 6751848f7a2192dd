//! The store's side of a cluster (PostgreSQL only): node ids, leases with epochs, and the
//! outbox as other nodes fill it. See `postgres/cluster.rs` for the SQL.

use std::time::Duration;

use super::Result;
use super::postgres::PgStore;
use crate::model::{
    Delivery, Fence, Granted, LeaseInfo, NodeClaim, NodeInfo, NodeStatus, OutboxKey,
};

pub use super::postgres::{OutboxEvent, OutboxListener};

/// Cluster operations on a PostgreSQL store; cheap to clone.
#[derive(Clone)]
pub struct ClusterStore(pub(super) PgStore);

impl ClusterStore {
    /// Takes node id `id` for this process, unless a live process has it: then who.
    pub async fn claim_node(
        &self,
        id: &str,
        instance: &str,
        host: &str,
        pid: i64,
        ttl: Duration,
    ) -> Result<Result<(), NodeClaim>> {
        self.0.claim_node(id, instance, host, pid, ttl).await
    }

    /// Marks node `id` alive with `status`; false when another process took the id.
    pub async fn heartbeat(&self, id: &str, instance: &str, status: &NodeStatus) -> Result<bool> {
        self.0.heartbeat(id, instance, status).await
    }

    pub async fn leave(&self, id: &str, instance: &str) -> Result<()> {
        self.0.leave(id, instance).await
    }

    /// Takes lease `name` when it is free or lapsed, with a new epoch.
    pub async fn acquire(
        &self,
        name: &str,
        holder: &str,
        ttl: Duration,
    ) -> Result<Option<Granted>> {
        self.0.acquire(name, holder, ttl).await
    }

    /// Extends a lease still held under `fence`; `None` once it is lost.
    pub async fn renew(
        &self,
        fence: &Fence,
        holder: &str,
        ttl: Duration,
    ) -> Result<Option<Granted>> {
        self.0.renew(fence, holder, ttl).await
    }

    pub async fn release(&self, fence: &Fence) -> Result<()> {
        self.0.release(fence).await
    }

    pub async fn leases(&self) -> Result<Vec<LeaseInfo>> {
        self.0.leases().await
    }

    pub async fn nodes(&self) -> Result<Vec<NodeInfo>> {
        self.0.nodes().await
    }

    /// Pending deliveries with ids in `from..=to`, in outbox order.
    pub async fn pending_between(&self, from: u64, to: u64) -> Result<Vec<(OutboxKey, Delivery)>> {
        self.0.pending_between(from, to).await
    }

    /// Listens for deliveries other nodes queue; fails where the database has no LISTEN.
    pub async fn listen_outbox(&self) -> Result<OutboxListener> {
        self.0.listen_outbox().await
    }
}
