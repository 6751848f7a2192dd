//! The subscriber's side of `/websub/{id}`: verification of intent, denials, and signed
//! notifications handed to the poller's parse → dedup → outbox path.

use std::sync::Arc;

use axum::http::{HeaderMap, header};
use bytes::Bytes;
use futures_util::future::BoxFuture;
use tokio_util::task::TaskTracker;

use super::signature::{self, SIGNATURE, SIGNATURE_256};
use super::{LEASE_REQUEST_SECS, SubState, WebSub, unix_now};
use crate::server::{Intent, IntentOutcome, PushOutcome, WebSubHandler};
use crate::source::poll::Poller;

/// Answers the hubs; notifications are ingested on `tracker` so the hub gets its 202 at once.
pub struct Callbacks {
    websub: Arc<WebSub>,
    poller: Arc<Poller>,
    tracker: TaskTracker,
}

impl Callbacks {
    pub fn new(websub: Arc<WebSub>, poller: Arc<Poller>, tracker: TaskTracker) -> Callbacks {
        Callbacks {
            websub,
            poller,
            tracker,
        }
    }

    /// A subscribe verification for a topic we asked for (or hold): the lease starts.
    async fn confirm(&self, feed: &str, topic: &str, lease: Option<u64>) -> IntentOutcome {
        let now = unix_now();
        let lease = lease.unwrap_or(LEASE_REQUEST_SECS);
        let mut confirmed = false;
        let stored = self
            .websub
            .store
            .update_websub(feed, |current| {
                confirmed = false;
                let sub = current?;
                if sub.topic != topic || !(sub.awaiting || sub.state == SubState::Verified) {
                    return None;
                }
                confirmed = true;
                Some(sub.verified(lease, now))
            })
            .await;
        match stored {
            Ok(_) if confirmed => {
                self.websub.metrics.websub_subscribe(feed, "verified");
                tracing::info!(feed = %feed, lease_seconds = lease, "WebSub subscription verified");
                self.websub.kick(feed);
                IntentOutcome::Confirmed
            }
            Ok(_) => IntentOutcome::Refused,
            Err(e) => {
                tracing::error!(feed = %feed, "cannot record the WebSub verification: {e}");
                IntentOutcome::Refused
            }
        }
    }

    /// The hub refused the subscription: polling goes back to the feed's own interval.
    async fn deny(&self, feed: &str, topic: &str, reason: Option<String>) -> IntentOutcome {
        let now = unix_now();
        let max_backoff = self.websub.max_backoff;
        let mut noted = false;
        let stored = self
            .websub
            .store
            .update_websub(feed, |current| {
                noted = false;
                let sub = current.filter(|s| s.topic == topic)?;
                noted = true;
                Some(sub.denied(reason.clone(), now, max_backoff))
            })
            .await;
        match stored {
            Ok(_) if noted => {
                self.websub.metrics.websub_subscribe(feed, "denied");
                let reason = reason.as_deref().unwrap_or("no reason given");
                tracing::warn!(feed = %feed, "WebSub subscription denied by the hub ({reason}); polling goes on");
                self.websub.kick(feed);
                self.websub.wake_poll(feed);
                IntentOutcome::Noted
            }
            Ok(_) => IntentOutcome::Refused,
            Err(e) => {
                tracing::error!(feed = %feed, "cannot record the WebSub denial: {e}");
                IntentOutcome::Refused
            }
        }
    }
}

impl WebSubHandler for Callbacks {
    fn intent<'a>(&'a self, id: &'a str, intent: Intent) -> BoxFuture<'a, IntentOutcome> {
        Box::pin(async move {
            let Some(feed) = self.websub.feed_of(id).map(|f| f.name.clone()) else {
                return IntentOutcome::Refused;
            };
            match intent {
                Intent::Subscribe {
                    topic,
                    lease_seconds,
                    ..
                } => self.confirm(&feed, &topic, lease_seconds).await,
                // sokbo never unsubscribes (leases run out), so it confirms no unsubscription.
                Intent::Unsubscribe { .. } => IntentOutcome::Refused,
                Intent::Denied { topic, reason } => self.deny(&feed, &topic, reason).await,
            }
        })
    }

    fn push<'a>(
        &'a self,
        id: &'a str,
        headers: &'a HeaderMap,
        body: Bytes,
    ) -> BoxFuture<'a, PushOutcome> {
        Box::pin(self.push_now(id, headers, body))
    }
}

impl Callbacks {
    async fn push_now(&self, id: &str, headers: &HeaderMap, body: Bytes) -> PushOutcome {
        let Some(feed) = self.websub.feed_of(id).cloned() else {
            return PushOutcome::Unknown;
        };
        let sub = match self.websub.store.websub(&feed.name).await {
            Ok(Some(sub)) => sub,
            Ok(None) => return PushOutcome::Unknown,
            Err(e) => {
                tracing::error!(feed = %feed.name, "cannot read the WebSub state: {e}");
                return PushOutcome::Unknown;
            }
        };
        let checked = signature::verify(
            sub.secret.as_bytes(),
            headers.get(SIGNATURE_256).map(|v| v.as_bytes()),
            headers.get(SIGNATURE).map(|v| v.as_bytes()),
            &body,
        );
        if let Err(e) = checked {
            self.websub.metrics.websub_notification(&feed.name, false);
            tracing::warn!(feed = %feed.name, "WebSub notification rejected: {e}");
            return PushOutcome::Rejected;
        }
        self.websub.metrics.websub_notification(&feed.name, true);
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let poller = self.poller.clone();
        self.tracker.spawn(async move {
            poller.push(&feed, &body, content_type.as_deref()).await;
        });
        PushOutcome::Accepted
    }
}
