//! `sokbo cluster status`: the nodes, the leases and the polling of a cluster as its database
//! sees them, one line each.

use std::fmt::Write;
use std::time::Duration;

use crate::model::{LeaseInfo, NodeInfo};

/// The report for `nodes` and `leases`; a node silent longer than `ttl` is marked as gone.
pub fn render(nodes: &[NodeInfo], leases: &[LeaseInfo], ttl: Duration) -> String {
    let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX);
    let mut out = format!("nodes ({}):\n", nodes.len());
    for n in nodes {
        let state = if n.silent_ms > ttl_ms {
            format!("GONE (silent {})", secs(n.silent_ms))
        } else {
            format!("seen {} ago", secs(n.silent_ms))
        };
        let held = if n.status.leases.is_empty() {
            "-".to_owned()
        } else {
            n.status.leases.join(",")
        };
        let _ = writeln!(
            out,
            "  {}  {} pid {}  {state}  leases {held}  feeds {}  poll lag {}",
            n.id,
            n.host,
            n.pid,
            n.status.claimed_feeds,
            secs(i64::try_from(n.status.poll_lag_ms).unwrap_or(i64::MAX)),
        );
    }
    let _ = writeln!(out, "leases ({}):", leases.len());
    for l in leases {
        let holder = match (&l.holder, l.left_ms > 0) {
            (Some(holder), true) => format!("held by {holder}, {} left", secs(l.left_ms)),
            (Some(holder), false) => {
                format!("free (lapsed {} ago, was {holder})", secs(-l.left_ms))
            }
            (None, _) => "free (released)".to_owned(),
        };
        let _ = writeln!(out, "  {}  epoch {}  {holder}", l.name, l.epoch);
    }
    out
}

fn secs(ms: i64) -> String {
    format!("{:.1} s", ms as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NodeStatus;

    #[test]
    fn nodes_and_leases_one_line_each() {
        let node = |id: &str, silent_ms, leases: &[&str]| NodeInfo {
            id: id.into(),
            host: "seoul-a".into(),
            pid: 42,
            silent_ms,
            status: NodeStatus {
                leases: leases.iter().map(|l| l.to_string()).collect(),
                claimed_feeds: 12,
                poll_lag_ms: 850,
            },
        };
        let lease = |name: &str, holder: Option<&str>, left_ms| LeaseInfo {
            name: name.into(),
            holder: holder.map(str::to_owned),
            epoch: 7,
            left_ms,
        };
        let report = render(
            &[node("n1", 400, &["telegram:1"]), node("n2", 12_000, &[])],
            &[
                lease("telegram:1", Some("n1"), 3900),
                lease("discord:ab", Some("n2"), -2100),
                lease("console", None, -50),
            ],
            Duration::from_secs(5),
        );
        assert_eq!(
            report,
            "nodes (2):\n\
             \x20 n1  seoul-a pid 42  seen 0.4 s ago  leases telegram:1  feeds 12  poll lag 0.8 s\n\
             \x20 n2  seoul-a pid 42  GONE (silent 12.0 s)  leases -  feeds 12  poll lag 0.8 s\n\
             leases (3):\n\
             \x20 telegram:1  epoch 7  held by n1, 3.9 s left\n\
             \x20 discord:ab  epoch 7  free (lapsed 2.1 s ago, was n2)\n\
             \x20 console  epoch 7  free (released)\n"
        );
    }
}
