//! New outbox rows announced by LISTEN/NOTIFY: each ingest that queues deliveries notifies on
//! commit with the range of ids it took, so the sending node reads just those rows at once.
//! A lost or silent connection turns into a rescan, since notifications sent meanwhile are gone.

use std::time::Duration;

use sqlx::postgres::PgListener;

use super::PgStore;
use crate::storage::error::Result;

/// The channel ingests notify on.
pub(super) const CHANNEL: &str = "sokbo_outbox";

/// With no notification for this long the connection is checked with a query.
const QUIET_CHECK: Duration = Duration::from_secs(5);
/// How long that check may take before the connection counts as lost.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// What the outbox did, as far as a listener can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxEvent {
    /// Deliveries with ids in `from..=to` were queued (other ids in the range may belong to
    /// other writers).
    Added { from: u64, to: u64 },
    /// Notifications may have been missed: read the whole outbox again.
    Rescan,
}

/// A LISTEN connection on the outbox channel.
pub struct OutboxListener {
    listener: PgListener,
}

impl PgStore {
    /// Listens for new outbox rows; fails on databases without LISTEN.
    pub async fn listen_outbox(&self) -> Result<OutboxListener> {
        let mut listener = PgListener::connect_with(&self.pool).await?;
        listener.listen(CHANNEL).await?;
        Ok(OutboxListener { listener })
    }
}

impl OutboxListener {
    /// The next event. An error means the connection is gone for good: make a new listener
    /// (and rescan).
    pub async fn next(&mut self) -> Result<OutboxEvent> {
        loop {
            match tokio::time::timeout(QUIET_CHECK, self.listener.try_recv()).await {
                Ok(Ok(Some(n))) => return Ok(parse(n.payload())),
                // Reconnected: what was sent meanwhile is lost.
                Ok(Ok(None)) => return Ok(OutboxEvent::Rescan),
                Ok(Err(e)) => return Err(e.into()),
                Err(_quiet) => {
                    let check = sqlx::query("SELECT 1").execute(&mut self.listener);
                    match tokio::time::timeout(CHECK_TIMEOUT, check).await {
                        Ok(Ok(_)) => continue,
                        Ok(Err(e)) => return Err(e.into()),
                        Err(_) => {
                            return Err(crate::storage::StoreError::Unavailable(
                                "the LISTEN connection does not answer".into(),
                            ));
                        }
                    }
                }
            }
        }
    }
}

/// `"low-high"` as sent by an ingest; anything else asks for a rescan.
fn parse(payload: &str) -> OutboxEvent {
    let range = payload
        .split_once('-')
        .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)));
    match range {
        Some((from, to)) if from <= to => OutboxEvent::Added { from, to },
        _ => OutboxEvent::Rescan,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads() {
        assert_eq!(parse("3-9"), OutboxEvent::Added { from: 3, to: 9 });
        assert_eq!(parse("7-7"), OutboxEvent::Added { from: 7, to: 7 });
        assert_eq!(parse("9-3"), OutboxEvent::Rescan);
        assert_eq!(parse("x"), OutboxEvent::Rescan);
        assert_eq!(parse(""), OutboxEvent::Rescan);
    }
}
