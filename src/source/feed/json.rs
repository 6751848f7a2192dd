//! JSON Feed details feed-rs drops (item images, hubs, feed_url) and the coercions the spec asks
//! of readers (numeric ids become strings) applied before feed-rs sees the document.

use serde_json::Value;

use super::FeedError;

/// What the JSON Feed says beyond feed-rs's model.
#[derive(Debug, Default, PartialEq)]
pub(super) struct JsonExtras {
    /// `image` (else `banner_image`) of each item, in item order.
    pub images: Vec<Option<String>>,
    /// `hubs[0].url`.
    pub hub: Option<String>,
    /// `feed_url`.
    pub self_url: Option<String>,
}

/// Reads the extras; returns the document re-serialized when it had to be coerced for feed-rs.
pub(super) fn prepare(text: &str) -> Result<(JsonExtras, Option<String>), FeedError> {
    let mut doc: Value = serde_json::from_str(text)
        .map_err(|e| FeedError::Malformed(format!("invalid JSON: {e}")))?;
    let root = doc
        .as_object_mut()
        .ok_or_else(|| FeedError::Malformed("JSON Feed is not an object".into()))?;
    let str_of = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);

    let mut extras = JsonExtras {
        images: Vec::new(),
        hub: root
            .get("hubs")
            .and_then(Value::as_array)
            .and_then(|hubs| hubs.iter().find_map(|hub| str_of(hub.get("url")))),
        self_url: str_of(root.get("feed_url")),
    };

    let mut changed = false;
    if !root.get("title").is_some_and(Value::is_string) {
        root.insert("title".into(), Value::String(String::new()));
        changed = true;
    }
    if let Some(items) = root.get_mut("items").and_then(Value::as_array_mut) {
        for item in items.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            extras
                .images
                .push(str_of(item.get("image")).or_else(|| str_of(item.get("banner_image"))));
            if let Some(id) = item.get("id").filter(|id| id.is_number()) {
                let id = Value::String(id.to_string());
                item.insert("id".into(), id);
                changed = true;
            }
        }
    }
    let coerced = if changed {
        Some(serde_json::to_string(&doc).map_err(|e| FeedError::Malformed(e.to_string()))?)
    } else {
        None
    };
    Ok((extras, coerced))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_images_hub_and_coerces_ids() {
        let doc = r#"{"version":"https://jsonfeed.org/version/1.1","feed_url":"https://x/f.json",
            "hubs":[{"type":"WebSub","url":"https://hub.example/"}],
            "items":[{"id":7,"image":"/a.png"},{"id":"b","banner_image":"https://x/b.png"},{"id":"c"}]}"#;
        let (extras, coerced) = prepare(doc).unwrap();
        assert_eq!(
            extras,
            JsonExtras {
                images: vec![Some("/a.png".into()), Some("https://x/b.png".into()), None],
                hub: Some("https://hub.example/".into()),
                self_url: Some("https://x/f.json".into()),
            }
        );
        let coerced: Value = serde_json::from_str(&coerced.unwrap()).unwrap();
        assert_eq!(coerced["items"][0]["id"], Value::String("7".into()));
        assert_eq!(coerced["title"], Value::String(String::new()));
    }

    #[test]
    fn rejects_non_objects() {
        assert!(matches!(prepare("[1,2]"), Err(FeedError::Malformed(_))));
        assert!(matches!(prepare("{\"a\":"), Err(FeedError::Malformed(_))));
    }
}
