//! Files in the fake Discord: multipart request bodies (`payload_json` plus `files[n]` parts, as
//! serenity sends a reply with an attachment), the files each request uploaded, and attachments
//! hosted for download like Discord's CDN (`GET /attachments/<id>/<name>`, no token needed).

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{DiscordServer, Shared};

/// A file a request uploaded.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The request path it came with.
    pub path: String,
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The JSON of a request body and the files it carries: a multipart body's `payload_json` and
/// file parts, or the whole body as JSON (no files).
pub(super) fn read(headers: &HeaderMap, body: &Bytes) -> (Value, Vec<(String, Vec<u8>)>) {
    let kind = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Some(boundary) = kind
        .strip_prefix("multipart/form-data")
        .and_then(|rest| rest.split("boundary=").nth(1))
    else {
        return (serde_json::from_slice(body).unwrap_or(Value::Null), vec![]);
    };
    let delimiter = format!("--{}", boundary.trim_matches('"'));
    let (mut json, mut files) = (Value::Null, Vec::new());
    for part in split(body, delimiter.as_bytes()) {
        let Some(end) = find(part, b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&part[..end]);
        let content = part[end + 4..]
            .strip_suffix(b"\r\n")
            .unwrap_or(&part[end + 4..]);
        let field = |key: &str| {
            let at = head.find(&format!("{key}=\""))? + key.len() + 2;
            head[at..].split('"').next().map(str::to_owned)
        };
        match (field("name").as_deref(), field("filename")) {
            (_, Some(filename)) => files.push((filename, content.to_vec())),
            (Some("payload_json"), None) => {
                json = serde_json::from_slice(content).unwrap_or(Value::Null)
            }
            _ => {}
        }
    }
    (json, files)
}

/// The parts between `delimiter`s (the preamble and the closing `--` left out).
fn split<'a>(body: &'a [u8], delimiter: &[u8]) -> Vec<&'a [u8]> {
    let mut parts = Vec::new();
    let mut rest = body;
    while let Some(at) = find(rest, delimiter) {
        let after = &rest[at + delimiter.len()..];
        let Some(next) = find(after, delimiter) else {
            break;
        };
        parts.push(
            after[..next]
                .strip_prefix(b"\r\n")
                .unwrap_or(&after[..next]),
        );
        rest = &after[next..];
    }
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The answer to a download of a hosted attachment; `None` for any other request.
pub(super) fn serve(shared: &Shared, method: &Method, path: &str) -> Option<Response> {
    if method != Method::GET || !path.starts_with("/attachments/") {
        return None;
    }
    let bytes = shared.update(|s| {
        s.downloads += 1;
        s.attachments.get(path).cloned()
    });
    Some(match bytes {
        Some(bytes) => (StatusCode::OK, bytes).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    })
}

impl DiscordServer {
    /// Hosts `bytes` as an attachment named `name`; returns Discord's attachment object for an
    /// interaction's resolved data (its `url` on this server, its `size` as given).
    pub fn attach(&self, name: &str, bytes: &[u8]) -> Value {
        let id = self.shared.update(|s| {
            s.next_id += 1;
            s.attachments
                .insert(format!("/attachments/{}/{name}", s.next_id), bytes.to_vec());
            s.next_id
        });
        json!({
            "id": id.to_string(),
            "filename": name,
            "size": bytes.len(),
            "url": format!("{}/attachments/{id}/{name}", self.url()),
            "proxy_url": format!("{}/attachments/{id}/{name}", self.url()),
            "content_type": "application/octet-stream",
            "ephemeral": true,
        })
    }

    /// The files uploaded with the reply to interaction `id`: (name, bytes).
    pub fn reply_files(&self, id: &str) -> Vec<(String, Vec<u8>)> {
        let prefix = format!("/api/v10/interactions/{id}/");
        let state = self.shared.lock();
        state
            .uploads
            .iter()
            .filter(|u| u.path.starts_with(&prefix))
            .map(|u| (u.name.clone(), u.bytes.clone()))
            .collect()
    }

    /// How many attachment downloads were asked for.
    pub fn downloads(&self) -> usize {
        self.shared.lock().downloads
    }
}
