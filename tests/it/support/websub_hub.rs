//! Fake WebSub hub on 127.0.0.1:0: records subscribe requests, then verifies intent at the
//! callback (and checks the challenge echo), denies, or fails with a status; publishes bodies
//! signed with a subscriber's secret. Shuts down when dropped.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use bytes::Bytes;
use hmac::{Hmac, Mac};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// How the hub answers subscribe requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HubMode {
    /// 202, then a verification GET granting `lease_seconds`.
    Verify { lease_seconds: u64 },
    /// 202, then a `hub.mode=denied` GET.
    Deny,
    /// This status, and nothing else.
    Fail(u16),
}

/// A subscribe request as the hub received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub mode: String,
    pub topic: String,
    pub callback: String,
    pub secret: String,
    pub lease_seconds: Option<u64>,
}

/// What the subscriber answered to the hub's GET.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// 200 with the challenge as the whole body.
    Echoed,
    /// Anything else to a verification.
    Wrong { status: u16, body: String },
    /// The status the subscriber answered to a denial.
    Denied { status: u16 },
}

struct Shared {
    mode: Mutex<HubMode>,
    requests: Mutex<Vec<Request>>,
    verifications: Mutex<Vec<Verification>>,
    changed: Notify,
    client: reqwest::Client,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub struct FakeHub {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl FakeHub {
    pub async fn start(mode: HubMode) -> FakeHub {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let shared = Arc::new(Shared {
            mode: Mutex::new(mode),
            requests: Mutex::default(),
            verifications: Mutex::default(),
            changed: Notify::new(),
            client: reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("client"),
        });
        let app = Router::new().fallback(subscribe).with_state(shared.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeHub { addr, shared, task }
    }

    /// The hub URL to advertise.
    pub fn url(&self) -> String {
        format!("http://{}/hub", self.addr)
    }

    #[allow(dead_code)] // harness API that no test uses yet
    pub fn set_mode(&self, mode: HubMode) {
        *lock(&self.shared.mode) = mode;
    }

    pub fn requests(&self) -> Vec<Request> {
        lock(&self.shared.requests).clone()
    }

    pub fn verifications(&self) -> Vec<Verification> {
        lock(&self.shared.verifications).clone()
    }

    /// Waits until `n` subscribe requests came and `m` verifications (or denials) were answered;
    /// false if `timeout` passes first.
    pub async fn wait_for(&self, n: usize, m: usize, timeout: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let changed = self.shared.changed.notified();
            if self.requests().len() >= n && self.verifications().len() >= m {
                return true;
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                return self.requests().len() >= n && self.verifications().len() >= m;
            }
        }
    }

    /// POSTs `body` to `callback` signed with `secret` (`X-Hub-Signature-256`); the status.
    pub async fn publish(&self, callback: &str, secret: &str, body: &str) -> u16 {
        let signature = sign_sha256(secret, body.as_bytes());
        self.post(callback, &[("x-hub-signature-256", &signature)], body)
            .await
    }

    /// POSTs `body` to `callback` with these extra headers; the status.
    pub async fn post(&self, callback: &str, headers: &[(&str, &str)], body: &str) -> u16 {
        let mut request = self
            .shared
            .client
            .post(callback)
            .header("content-type", "application/atom+xml")
            .body(body.to_owned());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request
            .send()
            .await
            .expect("callback answers")
            .status()
            .as_u16()
    }
}

impl Drop for FakeHub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// `sha256=<hex HMAC-SHA256 of body>` with `secret` as the key.
pub fn sign_sha256(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key");
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

async fn subscribe(State(shared): State<Arc<Shared>>, body: Bytes) -> StatusCode {
    let field = |name: &str| {
        url::form_urlencoded::parse(&body)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let request = Request {
        mode: field("hub.mode").unwrap_or_default(),
        topic: field("hub.topic").unwrap_or_default(),
        callback: field("hub.callback").unwrap_or_default(),
        secret: field("hub.secret").unwrap_or_default(),
        lease_seconds: field("hub.lease_seconds").and_then(|l| l.parse().ok()),
    };
    let mode = *lock(&shared.mode);
    lock(&shared.requests).push(request.clone());
    shared.changed.notify_waiters();
    let query = match mode {
        HubMode::Fail(status) => {
            return StatusCode::from_u16(status).expect("valid status");
        }
        HubMode::Verify { lease_seconds } => {
            let challenge = format!("challenge-{}", fastrand::u64(..));
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("hub.mode", "subscribe")
                .append_pair("hub.topic", &request.topic)
                .append_pair("hub.challenge", &challenge)
                .append_pair("hub.lease_seconds", &lease_seconds.to_string())
                .finish();
            (query, Some(challenge))
        }
        HubMode::Deny => {
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("hub.mode", "denied")
                .append_pair("hub.topic", &request.topic)
                .append_pair("hub.reason", "not on this hub")
                .finish();
            (query, None)
        }
    };
    // Verification happens after the 202, as hubs do.
    tokio::spawn(verify(shared, request.callback, query));
    StatusCode::ACCEPTED
}

async fn verify(
    shared: Arc<Shared>,
    callback: String,
    (query, challenge): (String, Option<String>),
) {
    let url = format!("{callback}?{query}");
    let outcome = match shared.client.get(&url).send().await {
        Ok(response) => {
            let status = response.status().as_u16();
            let body = response.text().await.unwrap_or_default();
            match challenge {
                Some(c) if status == 200 && body == c => Verification::Echoed,
                Some(_) => Verification::Wrong { status, body },
                None => Verification::Denied { status },
            }
        }
        Err(e) => Verification::Wrong {
            status: 0,
            body: e.to_string(),
        },
    };
    lock(&shared.verifications).push(outcome);
    shared.changed.notify_waiters();
}
