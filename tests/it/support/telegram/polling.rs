//! getUpdates: long polling over the scripted queue, honouring offset, limit, timeout and
//! allowed_updates; a newer poll ends an older one with 409 Conflict, as Telegram does.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use super::handler::{Answer, Failure, int};
use super::state::Shared;

/// Telegram caps the long-poll timeout at 50 s.
const MAX_TIMEOUT_SECS: i64 = 50;

fn kind_of(update: &Value) -> Option<&str> {
    update
        .as_object()?
        .keys()
        .map(String::as_str)
        .find(|k| *k != "update_id")
}

/// Answers as soon as an update at or past `offset` is queued, or after `timeout` seconds with
/// an empty list; never later than the requested timeout.
pub(super) async fn get_updates(shared: &Arc<Shared>, params: &Value) -> Answer {
    let offset = int(params, "offset");
    let limit = int(params, "limit").unwrap_or(100).clamp(1, 100) as usize;
    let timeout = int(params, "timeout")
        .unwrap_or(0)
        .clamp(0, MAX_TIMEOUT_SECS) as u64;
    let allowed: Option<Vec<String>> = params
        .get("allowed_updates")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        });
    let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
    let mut changes = shared.changed.subscribe();
    let generation = {
        let mut state = shared.lock();
        state.poll_generation += 1;
        state.poll_generation
    };
    shared.bump();
    loop {
        changes.borrow_and_update();
        {
            let mut state = shared.lock();
            if state.poll_generation != generation {
                return Err(Failure::new(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                ));
            }
            if let Some(offset) = offset.filter(|o| *o > 0) {
                state
                    .updates
                    .retain(|u| u["update_id"].as_i64().is_some_and(|id| id >= offset));
            }
            let batch: Vec<Value> = state
                .updates
                .iter()
                .filter(|u| match (&allowed, kind_of(u)) {
                    (Some(allowed), Some(kind)) => allowed.iter().any(|a| a == kind),
                    _ => true,
                })
                .take(limit)
                .cloned()
                .collect();
            if !batch.is_empty() || tokio::time::Instant::now() >= deadline {
                return Ok(json!(batch));
            }
        }
        if tokio::time::timeout_at(deadline, changes.changed())
            .await
            .is_err()
        {
            continue;
        }
    }
}
