//! Files in the fake Bot API: files tests register (answered by getFile and downloaded from
//! `GET /file/bot{token}/{file_path}`), document messages pushed as updates, and sendDocument,
//! recorded with its file name, caption and bytes.

use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::handler::{Answer, Failure, string};
use super::multipart;
use super::state::{Shared, State};
use super::updates::{TgChat, TgUser};
use super::{Incoming, TelegramServer};

/// A file the fake holds, as a document message names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TgFile {
    pub id: String,
    pub name: String,
    pub size: usize,
    pub(super) path: String,
    pub(super) bytes: Vec<u8>,
}

/// A document the bot sent (sendDocument).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentDocument {
    pub chat_id: i64,
    pub file_name: String,
    pub caption: Option<String>,
    pub bytes: Vec<u8>,
}

impl TelegramServer {
    /// Holds `bytes` as file `id` named `name`, for getFile and the download route.
    pub fn add_file(&self, id: &str, name: &str, bytes: &[u8]) -> TgFile {
        let file = TgFile {
            id: id.to_owned(),
            name: name.to_owned(),
            size: bytes.len(),
            path: format!("documents/{id}"),
            bytes: bytes.to_vec(),
        };
        self.shared.lock().files.push(file.clone());
        file
    }

    /// Documents accepted by sendDocument, in order.
    pub fn documents(&self) -> Vec<SentDocument> {
        self.shared.lock().documents.clone()
    }

    /// How many file downloads were asked for (served or not).
    pub fn downloads(&self) -> usize {
        self.shared.lock().downloads
    }
}

impl Incoming {
    /// A message from `from` in `chat` carrying `file` as a document, with an optional caption
    /// (a leading /command is marked as a bot command, as Telegram does).
    pub fn document(
        chat: &TgChat,
        from: &TgUser,
        file: &TgFile,
        caption: Option<&str>,
    ) -> Incoming {
        let mut message = json!({
            "chat": chat.json(), "from": from.json(),
            "document": {
                "file_id": file.id, "file_unique_id": format!("u-{}", file.id),
                "file_name": file.name, "file_size": file.size,
                "mime_type": "application/xml"
            }
        });
        if let Some(caption) = caption {
            message["caption"] = json!(caption);
            if let Some(command) = caption.strip_prefix('/') {
                let word = command.split_whitespace().next().unwrap_or("");
                let length = 1 + word.encode_utf16().count();
                message["caption_entities"] =
                    json!([{ "type": "bot_command", "offset": 0, "length": length }]);
            }
        }
        Incoming {
            kind: "message",
            payload: message,
            numbered_in: Some(chat.id),
        }
    }
}

/// getFile: the path of a registered file.
pub(super) fn get_file(state: &State, p: &Value) -> Answer {
    let id = string(p, "file_id").unwrap_or_default();
    let file = state.files.iter().find(|f| f.id == id);
    let file = file.ok_or_else(|| Failure::bad_request("invalid file_id"))?;
    Ok(json!({
        "file_id": file.id, "file_unique_id": format!("u-{}", file.id),
        "file_size": file.size, "file_path": file.path
    }))
}

/// `GET /file/bot{token}/{file_path}`: the file's bytes, or 404. None for other paths.
pub(super) fn download(shared: &Shared, path: &str) -> Option<Response> {
    let rest = path.strip_prefix("/file/bot")?;
    let (_token, file_path) = rest.split_once('/')?;
    // teloxide sends the path as one segment: its '/' arrives as %2F.
    let file_path = super::handler::percent_decode(file_path);
    let mut state = shared.lock();
    state.downloads += 1;
    let file = state.files.iter().find(|f| f.path == file_path);
    let (status, body) = match file {
        Some(file) => (StatusCode::OK, file.bytes.clone()),
        None => (StatusCode::NOT_FOUND, b"Not Found".to_vec()),
    };
    drop(state);
    shared.bump();
    let response = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .body(Body::from(body));
    Some(response.unwrap_or_default())
}

/// sendDocument (multipart): records the upload and answers a message with the document.
pub(super) fn send_document(
    state: &mut State,
    chat: i64,
    p: &Value,
    content_type: &str,
    body: &[u8],
) -> Answer {
    let parts = multipart::boundary(content_type)
        .and_then(|b| multipart::parts(body, &b).ok())
        .unwrap_or_default();
    // The document part itself, or the part it names as "attach://NAME".
    let field = parts.iter().find(|part| part.name == "document");
    let attached = field
        .filter(|part| part.file_name.is_none())
        .and_then(|part| {
            String::from_utf8_lossy(&part.content)
                .strip_prefix("attach://")
                .map(str::to_owned)
        });
    let wanted = attached.unwrap_or_else(|| "document".to_owned());
    let upload = parts
        .into_iter()
        .find(|part| part.name == wanted && part.file_name.is_some());
    let upload =
        upload.ok_or_else(|| Failure::bad_request("there is no document in the request"))?;
    let caption = string(p, "caption");
    let file_name = upload.file_name.unwrap_or_default();
    let message_id = state.next_message_id(chat);
    let size = upload.content.len();
    state.documents.push(SentDocument {
        chat_id: chat,
        file_name: file_name.clone(),
        caption: caption.clone(),
        bytes: upload.content,
    });
    let chat = state
        .chats
        .get(&chat)
        .cloned()
        .unwrap_or_else(|| TgChat::assumed(chat));
    let mut message = json!({
        "message_id": message_id, "date": super::send::unix_now(), "chat": chat.json(),
        "from": TgUser::bot().json(),
        "document": {
            "file_id": format!("sent-{message_id}"), "file_unique_id": format!("su-{message_id}"),
            "file_name": file_name, "file_size": size
        }
    });
    if let Some(caption) = caption {
        message["caption"] = json!(caption);
    }
    Ok(message)
}
