//! Several nodes on one PostgreSQL store, with nothing else shared: each node registers its
//! id, keeps the leases of the platform sessions it can run (one holder per bot token, fenced
//! by an epoch), and reports what it does with a heartbeat. sled installs are one node and use
//! none of this: their leases are [`LeaseView::solo`].

mod lease;
mod node;
mod session;
mod status;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::ClusterConfig;
use crate::model::NodeStatus;
use crate::storage::ClusterStore;

pub use lease::{Held, LeaseView};
pub use node::{JoinError, Node};
pub use session::while_held;
pub use status::render as status_report;

/// This node in its cluster: its leases and heartbeat run until [`Cluster::stop`].
pub struct Cluster {
    pub node: Node,
    pub store: ClusterStore,
    pub ttl: Duration,
    /// Told whenever one of this node's leases is taken, renewed or lost.
    pub changes: Arc<Notify>,
    status: Arc<Mutex<NodeStatus>>,
    leases: Arc<Mutex<Vec<(String, LeaseView)>>>,
    tasks: TaskTracker,
    stop: CancellationToken,
}

impl Cluster {
    /// Joins the cluster of `store` as the node `config` names (refused while a live node has
    /// that id) and starts its heartbeat.
    pub async fn join(store: ClusterStore, config: &ClusterConfig) -> Result<Cluster, JoinError> {
        let node = Node::here(&config.node_id);
        node.join(&store, config.lease_ttl).await?;
        tracing::info!(node = %node.id, "joined the cluster");
        let cluster = Cluster {
            node,
            store,
            ttl: config.lease_ttl,
            changes: Arc::new(Notify::new()),
            status: Arc::default(),
            leases: Arc::default(),
            tasks: TaskTracker::new(),
            stop: CancellationToken::new(),
        };
        cluster.tasks.spawn(heartbeat(
            cluster.store.clone(),
            cluster.node.clone(),
            cluster.ttl,
            cluster.status.clone(),
            cluster.leases.clone(),
            cluster.stop.clone(),
        ));
        Ok(cluster)
    }

    /// Starts keeping lease `name` (e.g. `telegram:123456`); the view follows it.
    pub fn lease(&mut self, name: &str) -> LeaseView {
        let keeper = lease::Keeper {
            store: self.store.clone(),
            holder: self.node.id.clone(),
            name: name.to_owned(),
            ttl: self.ttl,
            changes: self.changes.clone(),
        };
        let view = keeper.spawn(&self.tasks, self.stop.clone());
        let mut leases = self.leases.lock().unwrap_or_else(|e| e.into_inner());
        leases.push((name.to_owned(), view.clone()));
        view
    }

    /// Every lease this node keeps or waits for, by name.
    pub fn leases(&self) -> Vec<(String, LeaseView)> {
        self.leases
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Shared with the heartbeat: what this node reports of itself.
    pub fn status(&self) -> Arc<Mutex<NodeStatus>> {
        self.status.clone()
    }

    /// Releases the leases and leaves the cluster; call after everything that sends stopped.
    pub async fn stop(self) {
        self.stop.cancel();
        self.tasks.close();
        self.tasks.wait().await;
        if let Err(e) = self.store.leave(&self.node.id, &self.node.instance).await {
            tracing::warn!(node = %self.node.id, "cannot leave the cluster cleanly: {e}");
        }
    }
}

/// Marks the node alive at a third of the lease time to live, with its status and the leases
/// it holds.
async fn heartbeat(
    store: ClusterStore,
    node: Node,
    ttl: Duration,
    status: Arc<Mutex<NodeStatus>>,
    leases: Arc<Mutex<Vec<(String, LeaseView)>>>,
    stop: CancellationToken,
) {
    let mut warned = false;
    loop {
        let mut report = status.lock().unwrap_or_else(|e| e.into_inner()).clone();
        report.leases = leases
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|(_, view)| view.held().is_some())
            .map(|(name, _)| name.clone())
            .collect();
        match store.heartbeat(&node.id, &node.instance, &report).await {
            Ok(true) => warned = false,
            Ok(false) => {
                if !warned {
                    tracing::error!(node = %node.id, "another process took this node id while this one was silent");
                    warned = true;
                }
            }
            Err(e) => {
                if !warned {
                    tracing::warn!(node = %node.id, "heartbeat failed: {e}");
                    warned = true;
                }
            }
        }
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(ttl / 3) => {}
        }
    }
}
