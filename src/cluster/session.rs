//! Running a platform session (Telegram long polling, the Discord gateway) only while this node
//! holds the platform's lease: started when it is taken, cancelled the moment it is lost.

use std::future::Future;

use tokio_util::sync::CancellationToken;

use super::LeaseView;

/// Runs `session` whenever `lease` is held, until `shutdown`. Each run gets its own token,
/// cancelled when the lease is lost; the next run starts once the lease is held again.
pub async fn while_held<F, Fut>(mut lease: LeaseView, shutdown: CancellationToken, session: F)
where
    F: Fn(CancellationToken) -> Fut,
    Fut: Future<Output = ()>,
{
    loop {
        while lease.held().is_none() {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = lease.changed() => {}
            }
        }
        let token = shutdown.child_token();
        let run = session(token.clone());
        tokio::pin!(run);
        let mut ended = false;
        while let Some(left) = lease.left() {
            tokio::select! {
                _ = &mut run => {
                    ended = true;
                    break;
                }
                _ = lease.changed() => {}
                // A lapse this process notices itself (it was paused, renewals stalled).
                _ = tokio::time::sleep(left) => {}
            }
        }
        token.cancel();
        if !ended {
            run.await;
        }
        if ended {
            // The session stopped by itself: not in a tight loop.
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
            }
        }
        if shutdown.is_cancelled() {
            return;
        }
    }
}
