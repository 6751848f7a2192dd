//! A feed document the fake server serves: body, content type, validators, caching, gzip; and
//! numbered RSS documents to serve.

use std::time::SystemTime;

use bytes::Bytes;

/// A feed document served at a path.
#[derive(Debug, Clone)]
pub struct Resource {
    pub body: Bytes,
    pub content_type: String,
    /// Full ETag header value, quotes included (`"v1"` or `W/"v1"`).
    pub etag: Option<String>,
    /// Last-Modified as an HTTP-date.
    pub last_modified: Option<String>,
    pub cache_control: Option<String>,
    /// Gzip the body for clients that accept it.
    pub gzip: bool,
    /// Request headers (name, exact value) without which the answer is 401.
    pub required: Vec<(String, String)>,
}

impl Resource {
    pub fn new(body: impl Into<Bytes>, content_type: &str) -> Resource {
        Resource {
            body: body.into(),
            content_type: content_type.to_owned(),
            etag: None,
            last_modified: None,
            cache_control: None,
            gzip: false,
            required: Vec::new(),
        }
    }

    /// Answers 401 unless the request carries header `name` with exactly `value`.
    pub fn require(mut self, name: &str, value: &str) -> Resource {
        self.required.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn etag(mut self, etag: &str) -> Resource {
        self.etag = Some(etag.to_owned());
        self
    }

    pub fn last_modified(mut self, at: SystemTime) -> Resource {
        self.last_modified = Some(httpdate::fmt_http_date(at));
        self
    }

    pub fn cache_control(mut self, value: &str) -> Resource {
        self.cache_control = Some(value.to_owned());
        self
    }

    pub fn gzip(mut self) -> Resource {
        self.gzip = true;
        self
    }
}

/// An RSS 2.0 document of items numbered `items`, newest first as given: "속보 {i}번 기사", guid
/// `post-{i}`, category 경제.
pub fn numbered_rss(items: &[u32]) -> String {
    let items: String = items
        .iter()
        .map(|i| {
            format!(
                "<item><title>속보 {i}번 기사</title><link>https://news.example.kr/{i}</link>\
                 <guid>post-{i}</guid><pubDate>Tue, 24 Nov 2026 09:{i:02}:00 +0900</pubDate>\
                 <category>경제</category><description>{i}번 기사의 요약입니다.</description></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>t</title>{items}</channel></rss>"
    )
}
