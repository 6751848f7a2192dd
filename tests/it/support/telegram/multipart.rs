//! multipart/form-data bodies (teloxide sends SendPhoto and other file methods this way) read
//! into one JSON object: text fields as strings, JSON-valued fields parsed, files as
//! "<file NAME, N bytes>".

use serde_json::{Map, Value};

/// Fields that teloxide sends as JSON text inside a part.
const JSON_FIELDS: [&str; 7] = [
    "reply_markup",
    "link_preview_options",
    "caption_entities",
    "entities",
    "reply_parameters",
    "media",
    "commands",
];

/// The boundary of a `multipart/form-data; boundary=…` content type.
pub(super) fn boundary(content_type: &str) -> Option<String> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (key, value) = p.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// `name="…"` or `filename="…"` from a Content-Disposition header.
fn disposition_param(headers: &str, param: &str) -> Option<String> {
    let line = headers
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))?;
    line.split(';').find_map(|p| {
        let (key, value) = p.split_once('=')?;
        (key.trim() == param).then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// One part of a multipart body.
pub(super) struct Part {
    pub name: String,
    /// The file name, for a file part.
    pub file_name: Option<String>,
    pub content: Vec<u8>,
}

/// The parts of `body`, or an error text for a malformed body.
pub(super) fn parts(body: &[u8], boundary: &str) -> Result<Vec<Part>, String> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut at = find(body, delimiter.as_bytes(), 0).ok_or("no multipart delimiter")?;
    loop {
        at += delimiter.len();
        if body.get(at..at + 2) == Some(b"--") {
            return Ok(parts);
        }
        let head_end = find(body, b"\r\n\r\n", at).ok_or("part without headers")?;
        let headers = String::from_utf8_lossy(&body[at..head_end]).into_owned();
        let content_start = head_end + 4;
        let next = find(body, format!("\r\n{delimiter}").as_bytes(), content_start)
            .ok_or("unterminated part")?;
        parts.push(Part {
            name: disposition_param(&headers, "name").ok_or("part without a name")?,
            file_name: disposition_param(&headers, "filename"),
            content: body[content_start..next].to_vec(),
        });
        at = next + 2;
    }
}

/// The parts of `body` as a JSON object, or an error text for a malformed body.
pub(super) fn parse(body: &[u8], boundary: &str) -> Result<Value, String> {
    let mut fields = Map::new();
    for part in parts(body, boundary)? {
        let value = match &part.file_name {
            Some(file) => Value::String(format!("<file {file}, {} bytes>", part.content.len())),
            None => {
                let text = String::from_utf8_lossy(&part.content).into_owned();
                if JSON_FIELDS.contains(&part.name.as_str()) {
                    serde_json::from_str(&text).unwrap_or(Value::String(text))
                } else {
                    Value::String(text)
                }
            }
        };
        fields.insert(part.name, value);
    }
    Ok(Value::Object(fields))
}
