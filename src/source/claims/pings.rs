//! Poll-now triggers on a cluster node: a /ping (or a WebSub event) reaches one node, which
//! makes the feed due now in the store, so whichever node claims next polls it, ahead of the
//! feeds merely due. One task waits on every feed's trigger at once.

use std::sync::Arc;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::Scheduler;

/// Waits for `name`'s trigger; gives both back for the next wait.
async fn fired((name, trigger): (String, Arc<Notify>)) -> (String, Arc<Notify>) {
    trigger.notified().await;
    (name, trigger)
}

/// Turns the triggers of `feeds` into "due now" in the store until `shutdown`.
pub(super) async fn watch(
    scheduler: Arc<Scheduler>,
    feeds: Vec<(String, Arc<Notify>)>,
    shutdown: CancellationToken,
) {
    let mut waiting: FuturesUnordered<_> = feeds.into_iter().map(fired).collect();
    loop {
        let (name, trigger) = tokio::select! {
            _ = shutdown.cancelled() => return,
            Some(next) = waiting.next() => next,
        };
        match scheduler.store.poll_now(&name).await {
            Ok(()) => scheduler.wake.notify_one(),
            Err(e) => tracing::warn!(feed = %name, "cannot make the feed due now: {e}"),
        }
        waiting.push(fired((name, trigger)));
    }
}
