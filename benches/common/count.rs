//! A notifier that accepts every Telegram delivery at once and counts them, for benchmarks of
//! what sits before the platform (engine, store).

use std::sync::atomic::{AtomicUsize, Ordering};

use futures_util::future::BoxFuture;
use sokbo::model::{Alert, Target};
use sokbo::platform::{DeliveryError, Notifier};

/// Accepts everything at once and counts.
pub struct Count(pub AtomicUsize);

impl Notifier for Count {
    fn serves(&self, target: &Target) -> bool {
        matches!(target, Target::TelegramChat { .. })
    }

    fn deliver<'a>(
        &'a self,
        _alert: &'a Alert,
        _target: &'a Target,
        _previous: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Option<String>, DeliveryError>> {
        let n = self.0.fetch_add(1, Ordering::Relaxed);
        Box::pin(async move { Ok(Some(n.to_string())) })
    }
}
