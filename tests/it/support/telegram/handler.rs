//! `POST …/bot{token}/{method}`: body decoding (JSON, multipart, query), call recording, token
//! and fault checks, dispatch by method name (case-insensitive, as Telegram), and answers shaped
//! like Telegram's: `{"ok":true,"result":…}` or `{"ok":false,"error_code":…,"description":…,
//! "parameters":…}`.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::faults::{self, Stop};
use super::state::{Call, ErrorReply, Shared, State as FakeState};
use super::{chats, files, multipart, polling, send};

/// A failed call: the error code, description and optional parameters Telegram would send.
#[derive(Debug, Clone)]
pub(super) struct Failure {
    pub code: u16,
    pub description: String,
    pub parameters: Option<Value>,
    /// A 5xx goes out with its real HTTP status whatever the method (see the module doc).
    pub real: bool,
}

impl Failure {
    pub fn new(code: u16, description: impl Into<String>) -> Failure {
        Failure {
            code,
            description: description.into(),
            parameters: None,
            real: false,
        }
    }

    /// 500 "Internal Server Error"; `real` sends it with HTTP status 500 for every method.
    pub fn server_error(real: bool) -> Failure {
        Failure {
            real,
            ..Failure::new(500, "Internal Server Error")
        }
    }

    pub fn bad_request(what: impl std::fmt::Display) -> Failure {
        Failure::new(400, format!("Bad Request: {what}"))
    }

    pub fn retry_after(seconds: u32) -> Failure {
        Failure {
            code: 429,
            description: format!("Too Many Requests: retry after {seconds}"),
            parameters: Some(json!({ "retry_after": seconds })),
            real: false,
        }
    }
}

pub(super) type Answer = Result<Value, Failure>;

pub(super) fn int(params: &Value, key: &str) -> Option<i64> {
    match params.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(super) fn string(params: &Value, key: &str) -> Option<String> {
    match params.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(super) fn flag(params: &Value, key: &str) -> bool {
    match params.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true",
        _ => false,
    }
}

/// The chat a call aims at: a numeric id, or "@username" of a described chat.
pub(super) fn target_chat(state: &FakeState, params: &Value) -> Option<Result<i64, Failure>> {
    let raw = params.get("chat_id")?;
    let resolved = match raw {
        Value::String(s) if s.starts_with('@') => state
            .chats
            .values()
            .find(|c| {
                c.username
                    .as_deref()
                    .is_some_and(|u| u.eq_ignore_ascii_case(&s[1..]))
            })
            .map(|c| c.id),
        _ => int(params, "chat_id"),
    };
    Some(resolved.ok_or_else(|| Failure::bad_request("chat not found")))
}

fn decode(content_type: &str, query: Option<&str>, body: &[u8]) -> Result<Value, String> {
    let mut params = if let Some(boundary) = multipart::boundary(content_type) {
        multipart::parse(body, &boundary)?
    } else if body.iter().all(u8::is_ascii_whitespace) {
        Value::Object(Map::new())
    } else {
        serde_json::from_slice(body).map_err(|e| format!("can't parse JSON body: {e}"))?
    };
    if let (Some(query), Some(object)) = (query, params.as_object_mut()) {
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            object
                .entry(key.to_owned())
                .or_insert_with(|| Value::String(value.to_owned()));
        }
    }
    Ok(params)
}

fn respond(shared: &Shared, method: &str, answer: Answer) -> Response {
    let (status, body) = match answer {
        Ok(result) => (200, json!({ "ok": true, "result": result })),
        Err(failure) => {
            let mut state = shared.lock();
            state.errors.push(ErrorReply {
                method: method.to_owned(),
                code: failure.code,
                description: failure.description.clone(),
            });
            let mut body = json!({
                "ok": false, "error_code": failure.code, "description": failure.description
            });
            if let Some(parameters) = failure.parameters {
                body["parameters"] = parameters;
            }
            let status =
                if failure.code >= 500 && !faults::real_status(&state, method, failure.real) {
                    200
                } else {
                    failure.code
                };
            (status, body)
        }
    };
    shared.bump();
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap_or_default()
}

/// `(token, method)` from a path ending in `/bot{token}/{method}`.
fn split_path(path: &str) -> Option<(String, String)> {
    let mut segments = path.trim_end_matches('/').rsplit('/');
    let method = segments.next()?;
    let token = segments.next()?.strip_prefix("bot")?;
    let decode = |s: &str| percent_decode(s);
    (!method.is_empty()).then(|| (decode(token), decode(method)))
}

pub(super) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = s
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Answers `request` after the configured latency (counted from when the answer is ready, so
/// concurrent requests wait side by side).
pub(super) async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let latency = shared.lock().latency;
    let response = answer(&shared, request).await;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    response
}

async fn answer(shared: &Arc<Shared>, request: Request) -> Response {
    if let Some(response) = files::download(shared, request.uri().path()) {
        return response;
    }
    let Some((token, method)) = split_path(request.uri().path()) else {
        return respond(shared, "", Err(Failure::new(404, "Not Found")));
    };
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let query = request.uri().query().map(str::to_owned);
    let body = match to_bytes(request.into_body(), 64 << 20).await {
        Ok(body) => body,
        Err(_) => {
            return respond(
                shared,
                &method,
                Err(Failure::new(413, "Request Entity Too Large")),
            );
        }
    };
    let params = match decode(&content_type, query.as_deref(), &body) {
        Ok(params) => params,
        Err(e) => return respond(shared, &method, Err(Failure::bad_request(e))),
    };
    let name = method.to_ascii_lowercase();
    let checked = {
        let mut state = shared.lock();
        state.calls.push(Call {
            method: method.clone(),
            params: params.clone(),
        });
        faults::precheck(&mut state, &token, &name, &params)
    };
    shared.bump();
    let answer = match checked {
        Err(Stop::Hang) => {
            shared.closed.cancelled().await;
            Err(Failure::new(503, "Service Unavailable: the fake shut down"))
        }
        Err(Stop::Fail(failure)) => Err(failure),
        Ok(_) if name == "getupdates" => polling::get_updates(shared, &params).await,
        Ok(Some(chat)) if name == "senddocument" => {
            files::send_document(&mut shared.lock(), chat, &params, &content_type, &body)
        }
        Ok(chat) => {
            let mut state = shared.lock();
            dispatch(&mut state, &method, &name, chat, &params)
        }
    };
    respond(shared, &method, answer)
}

fn dispatch(
    state: &mut FakeState,
    method: &str,
    name: &str,
    chat: Option<i64>,
    p: &Value,
) -> Answer {
    match (name, chat) {
        ("getme", _) => Ok(chats::me_json()),
        ("deletewebhook", _) => {
            if flag(p, "drop_pending_updates") {
                state.updates.clear();
            }
            Ok(json!(true))
        }
        ("getwebhookinfo", _) => Ok(json!({
            "url": "", "has_custom_certificate": false, "pending_update_count": state.updates.len()
        })),
        ("setmycommands", _) => {
            state.commands = Some(p.get("commands").cloned().unwrap_or(json!([])));
            Ok(json!(true))
        }
        ("getfile", _) => files::get_file(state, p),
        ("getmycommands", _) => Ok(state.commands.clone().unwrap_or(json!([]))),
        ("deletemycommands", _) => {
            state.commands = None;
            Ok(json!(true))
        }
        ("sendmessage", Some(chat)) => send::send_message(state, method, chat, p),
        ("sendphoto", Some(chat)) => send::send_photo(state, method, chat, p),
        ("editmessagetext", Some(chat)) => send::edit(state, method, chat, p, false),
        ("editmessagecaption", Some(chat)) => send::edit(state, method, chat, p, true),
        ("getchat", Some(chat)) => Ok(chats::chat_full_info(state, chat)),
        ("getchatmember", Some(chat)) => chats::chat_member(state, chat, p),
        ("getchatadministrators", Some(chat)) => chats::administrators(state, chat),
        (
            "sendmessage" | "sendphoto" | "getchat" | "getchatmember" | "getchatadministrators",
            None,
        ) => Err(Failure::bad_request("chat_id is empty")),
        _ => Ok(json!(true)),
    }
}
