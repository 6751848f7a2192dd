//! The fake's REST side: one handler that routes `/api/v10/…` by method and path, records the
//! request, applies faults and the create error rate, checks message bodies against Discord's
//! limits, and answers after the configured latency.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::json::{WEBHOOK_TOKEN, bot_user, message, registered};
use super::{Fault, Posted, Request, Shared, State, TOKEN};

pub(super) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

type Answer = (StatusCode, HeaderMap, Value);

fn ok(body: Value) -> Answer {
    (StatusCode::OK, HeaderMap::new(), body)
}

fn error(status: StatusCode, code: u64, message: &str) -> Answer {
    (
        status,
        HeaderMap::new(),
        json!({ "message": message, "code": code }),
    )
}

async fn handle(
    AxumState(shared): AxumState<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(download) = super::files::serve(&shared, &method, uri.path()) {
        return download;
    }
    let (body, files) = super::files::read(&headers, &body);
    let authorization = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let path = uri.path().to_owned();
    let latency = shared.lock().latency;
    let (status, headers, answer) = shared.update(|s| {
        let answer = route(
            s,
            &shared.gateway_url,
            &method,
            &path,
            authorization.as_deref(),
            &body,
        );
        s.requests.push(Request {
            method: method.to_string(),
            path: path.clone(),
            authorization: authorization.clone(),
            body: body.clone(),
            status: answer.0.as_u16(),
        });
        let upload = |(name, bytes)| super::files::Upload {
            path: path.clone(),
            name,
            bytes,
        };
        s.uploads.extend(files.into_iter().map(upload));
        answer
    });
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if status == StatusCode::NO_CONTENT {
        return (status, headers).into_response();
    }
    (status, headers, axum::Json(answer)).into_response()
}

fn route(
    s: &mut State,
    gateway_url: &str,
    method: &Method,
    path: &str,
    auth: Option<&str>,
    body: &Value,
) -> Answer {
    let Some(rest) = path.strip_prefix("/api/v10/") else {
        return error(StatusCode::NOT_FOUND, 0, "404: Not Found");
    };
    let parts: Vec<&str> = rest.split('/').collect();
    let bot = auth == Some(&format!("Bot {TOKEN}"));
    // Interaction callbacks and webhooks carry their own tokens.
    let open = matches!(parts.first(), Some(&"interactions") | Some(&"webhooks"));
    if !bot && !open {
        return error(StatusCode::UNAUTHORIZED, 0, "401: Unauthorized");
    }
    if bot
        && parts.first() != Some(&"interactions")
        && let Some(answer) = super::limits::global_limit(s)
    {
        return answer;
    }
    match (method.as_str(), parts.as_slice()) {
        ("GET", ["gateway"]) | ("GET", ["gateway", "bot"]) => ok(json!({
            "url": gateway_url,
            "shards": 1,
            "session_start_limit": { "total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1 },
        })),
        ("GET", ["users", "@me"]) => ok(bot_user()),
        ("PUT", ["applications", _, "commands"]) => {
            let echoed = registered(body);
            s.commands = Some(echoed.clone());
            ok(echoed)
        }
        ("POST", ["interactions", id, token, "callback"]) => {
            if body["type"] == 5 {
                s.deferred.insert(
                    token.to_string(),
                    (id.to_string(), body["data"]["flags"].clone()),
                );
            } else {
                s.replies.push((id.to_string(), body.clone()));
            }
            (StatusCode::NO_CONTENT, HeaderMap::new(), Value::Null)
        }
        ("PATCH", ["webhooks", _app, token, "messages", "@original"]) => {
            match s.deferred.get(*token).cloned() {
                // The reply as the interaction finally shows it: the edit, with the flags
                // (ephemeral) the deferral set.
                Some((id, flags)) => {
                    let mut data = body.clone();
                    data["flags"] = flags;
                    s.replies.push((id, json!({ "type": 4, "data": data })));
                    ok(json!({ "id": "1", "channel_id": "1", "content": body["content"].clone() }))
                }
                None => error(StatusCode::NOT_FOUND, 10015, "Unknown Webhook"),
            }
        }
        ("POST", ["channels", channel, "messages"]) => match channel.parse() {
            Ok(channel) => post(s, channel, None, body),
            Err(_) => error(StatusCode::NOT_FOUND, 10003, "Unknown Channel"),
        },
        ("PATCH", ["channels", channel, "messages", id]) => edit(s, channel.parse().ok(), id, body),
        ("POST", ["webhooks", id, token]) => match (id.parse(), *token == WEBHOOK_TOKEN) {
            (Ok(id), true) => post(s, id, Some(id), body),
            _ => error(StatusCode::NOT_FOUND, 10015, "Unknown Webhook"),
        },
        ("PATCH", ["webhooks", hook, _token, "messages", id]) => {
            edit(s, hook.parse().ok(), id, body)
        }
        _ => error(StatusCode::NOT_FOUND, 0, "404: Not Found"),
    }
}

/// Applies the fault of `channel`, if any; `Some` is the answer to give instead.
fn fault(s: &mut State, channel: u64) -> Option<Answer> {
    let fault = s.faults.get_mut(&channel)?;
    let answer = match fault {
        Fault::RateLimited { retry_after, times } if *times > 0 => {
            *times -= 1;
            let mut headers = HeaderMap::new();
            headers.insert(
                "retry-after",
                format!("{}", retry_after.ceil()).parse().unwrap(),
            );
            headers.insert("x-ratelimit-scope", "user".parse().unwrap());
            let body = json!({
                "message": "You are being rate limited.",
                "retry_after": *retry_after,
                "global": false,
            });
            (StatusCode::TOO_MANY_REQUESTS, headers, body)
        }
        Fault::ServerError { times } if *times > 0 => {
            *times -= 1;
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                0,
                "500: Internal Server Error",
            )
        }
        Fault::MissingAccess => error(StatusCode::FORBIDDEN, 50001, "Missing Access"),
        Fault::UnknownChannel => error(StatusCode::NOT_FOUND, 10003, "Unknown Channel"),
        _ => return None,
    };
    Some(answer)
}

fn post(s: &mut State, channel: u64, webhook: Option<u64>, body: &Value) -> Answer {
    let failed = s
        .create_errors
        .as_mut()
        .is_some_and(|(fraction, rng)| rng.f64() < *fraction);
    if failed {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            0,
            "500: Internal Server Error",
        );
    }
    if let Some(answer) = fault(s, channel) {
        return answer;
    }
    let now = std::time::Instant::now();
    if let (Some(reset), Some(last)) = (s.bucket, s.last_post.get(&channel)) {
        let ready = *last + reset;
        if ready > now {
            let retry_after = (ready - now).as_secs_f64();
            let body = json!({
                "message": "You are being rate limited.",
                "retry_after": retry_after,
                "global": false,
            });
            return (StatusCode::TOO_MANY_REQUESTS, HeaderMap::new(), body);
        }
    }
    s.last_post.insert(channel, now);
    check_body(s, body);
    s.next_id += 1;
    let id = s.next_id.to_string();
    s.messages.push(Posted {
        id: id.clone(),
        channel: webhook.is_none().then_some(channel),
        webhook,
        body: body.clone(),
        edits: Vec::new(),
    });
    let mut headers = HeaderMap::new();
    let (remaining, reset) = match s.bucket {
        Some(reset) => (0, reset.as_secs_f64()),
        None => (4, 1.0),
    };
    headers.insert("x-ratelimit-limit", "5".parse().unwrap());
    headers.insert("x-ratelimit-remaining", remaining.into());
    headers.insert(
        "x-ratelimit-reset-after",
        format!("{reset:.3}").parse().unwrap(),
    );
    (
        StatusCode::OK,
        headers,
        message(&id, channel, body, webhook),
    )
}

fn edit(s: &mut State, channel: Option<u64>, id: &str, body: &Value) -> Answer {
    if let Some(answer) = channel.and_then(|c| fault(s, c)) {
        return answer;
    }
    check_body(s, body);
    let Some(found) = s.messages.iter_mut().find(|m| m.id == id) else {
        return error(StatusCode::NOT_FOUND, 10008, "Unknown Message");
    };
    found.edits.push(body.clone());
    let target = found.channel.or(found.webhook).unwrap_or(0);
    let webhook = found.webhook;
    ok(message(id, target, body, webhook))
}

/// Records every way `body` breaks Discord's message limits.
fn check_body(s: &mut State, body: &Value) {
    let len = |v: &Value| v.as_str().map_or(0, |t| t.chars().count());
    let mut bad = Vec::new();
    if len(&body["content"]) > 2000 {
        bad.push("content over 2000".to_owned());
    }
    let embeds = body["embeds"].as_array().cloned().unwrap_or_default();
    if embeds.len() > 10 {
        bad.push("more than 10 embeds".into());
    }
    for e in &embeds {
        let fields = e["fields"].as_array().cloned().unwrap_or_default();
        let limits = [
            (len(&e["title"]), 256, "title"),
            (len(&e["description"]), 4096, "description"),
            (len(&e["footer"]["text"]), 2048, "footer"),
            (len(&e["author"]["name"]), 256, "author"),
            (fields.len(), 25, "field count"),
        ];
        for (n, max, what) in limits {
            if n > max {
                bad.push(format!("{what} {n} > {max}"));
            }
        }
        let mut total = len(&e["title"]) + len(&e["description"]);
        total += len(&e["footer"]["text"]) + len(&e["author"]["name"]);
        for f in &fields {
            if len(&f["name"]) > 256 || len(&f["value"]) > 1024 || len(&f["value"]) == 0 {
                bad.push(format!("field {f} out of limits"));
            }
            total += len(&f["name"]) + len(&f["value"]);
        }
        if total > 6000 {
            bad.push(format!("embed total {total} > 6000"));
        }
    }
    for row in body["components"].as_array().into_iter().flatten() {
        for b in row["components"].as_array().into_iter().flatten() {
            if len(&b["label"]) > 80 || len(&b["url"]) > 512 || b["style"] != 5 {
                bad.push(format!("button {b} out of limits"));
            }
        }
    }
    s.violations.extend(bad);
}
