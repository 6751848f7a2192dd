//! Which faults a request meets, in order: the token, the send error rate, the next-N faults
//! ([`Transient`]), then the target chat's lasting fault ([`ChatFault`], `Hang` included); and
//! which 5xx answers carry their real HTTP status.

use serde_json::Value;

use super::handler::{Failure, target_chat};
use super::state::{ChatFault, State, Transient};

/// The methods sokbo's own alert client calls (not teloxide): their 5xx answers always carry
/// the real HTTP status.
const ALERT_METHODS: [&str; 4] = [
    "sendmessage",
    "sendphoto",
    "editmessagetext",
    "editmessagecaption",
];

/// The methods that deliver a message and count against the limits: the send error rate
/// applies to them.
const SENDS: [&str; 2] = ["sendmessage", "sendphoto"];

/// Why a request gets no normal answer.
pub(super) enum Stop {
    /// Answered with this failure.
    Fail(Failure),
    /// Never answered.
    Hang,
}

impl From<Failure> for Stop {
    fn from(failure: Failure) -> Stop {
        Stop::Fail(failure)
    }
}

/// Whether a 5xx failure of `method` goes out with its real HTTP status (else 200).
pub(super) fn real_status(state: &State, method: &str, forced: bool) -> bool {
    forced
        || state.real_server_errors
        || ALERT_METHODS.iter().any(|m| m.eq_ignore_ascii_case(method))
}

/// Token, send error rate, target chat, pending faults and the chat's lasting fault, in that
/// order; `name` is the lower-cased method. Ok carries the target chat, if any.
pub(super) fn precheck(
    state: &mut State,
    token: &str,
    name: &str,
    params: &Value,
) -> Result<Option<i64>, Stop> {
    if state.required_token.as_deref().is_some_and(|t| t != token) {
        return Err(Failure::new(401, "Unauthorized").into());
    }
    if SENDS.contains(&name) && state.draw_send_error() {
        return Err(Failure::server_error(true).into());
    }
    let chat = target_chat(state, params).transpose();
    let pending = state.take_pending_fault(chat.as_ref().ok().copied().flatten());
    match pending {
        Some(Transient::ServerError) => return Err(Failure::server_error(false).into()),
        Some(Transient::TooManyRequests { retry_after }) => {
            return Err(Failure::retry_after(retry_after).into());
        }
        None => {}
    }
    let chat = chat?;
    match chat.and_then(|c| state.chat_faults.get(&c)) {
        None => Ok(chat),
        Some(ChatFault::Hang) => Err(Stop::Hang),
        Some(ChatFault::ServerError) => Err(Failure::server_error(true).into()),
        Some(fault) => {
            let (code, description, parameters) = fault.answer();
            Err(Failure {
                code,
                description,
                parameters,
                real: false,
            }
            .into())
        }
    }
}
