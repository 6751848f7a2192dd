//! The server under test on 127.0.0.1:0 with closures, a reqwest client, and log capture.

use std::collections::HashSet;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;
use sokbo::metrics::Metrics;
use sokbo::model::Platform;
use sokbo::server::{self, Health, PingOutcome, ServerState};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub const TOKEN: &str = "s3cr3t-Ping-t0ken_Zx9";
pub const ODD_FEED: &str = "we\"ird\\feed\nname";
/// How long a test waits for something that should happen at once.
pub const DEADLINE: Duration = Duration::from_secs(20);

pub struct Server {
    pub url: String,
    pub addr: SocketAddr,
    pub metrics: Metrics,
    pub health: Arc<Mutex<Health>>,
    pub pings: Arc<Mutex<Vec<String>>>,
    pub shutdown: CancellationToken,
    pub task: JoinHandle<std::io::Result<()>>,
}

pub fn healthy() -> Health {
    Health {
        store_ok: true,
        platforms: vec![(Platform::Telegram, true), (Platform::Discord, true)],
        feeds_failing: vec![],
        outbox_depth: 0,
        outbox_oldest: None,
        websub: vec![],
        node: None,
    }
}

pub async fn start(token: &str) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local addr");
    let metrics = Metrics::new();
    let health = Arc::new(Mutex::new(healthy()));
    let pings = Arc::new(Mutex::new(Vec::new()));
    let known: HashSet<&str> = ["blog", ODD_FEED].into();
    let read = health.clone();
    let record = pings.clone();
    let state = ServerState::new(
        metrics.clone(),
        token,
        Arc::new(move || {
            let health = read.lock().expect("health").clone();
            Box::pin(async move { health })
        }),
        Arc::new(move |feed: &str| {
            let mut pings = record.lock().expect("pings");
            if !known.contains(feed) {
                PingOutcome::UnknownFeed
            } else if pings.iter().any(|p| p == feed) {
                PingOutcome::AlreadyRunning
            } else {
                pings.push(feed.to_owned());
                PingOutcome::Started
            }
        }),
    );
    let shutdown = CancellationToken::new();
    let task = tokio::spawn(server::serve(listener, state, shutdown.clone()));
    Server {
        url: format!("http://{addr}"),
        addr,
        metrics,
        health,
        pings,
        shutdown,
        task,
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client")
}

/// A response, whole: status, headers as text, body.
#[derive(Debug)]
pub struct Seen {
    pub status: StatusCode,
    pub headers: String,
    pub body: String,
}

pub async fn send(request: reqwest::RequestBuilder) -> Seen {
    let response = request.send().await.expect("response");
    let status = response.status();
    let headers = format!("{:?}", response.headers());
    let body = response.text().await.expect("body");
    Seen {
        status,
        headers,
        body,
    }
}

pub fn json_body(seen: &Seen) -> Value {
    serde_json::from_str(&seen.body).unwrap_or_else(|e| panic!("{e}: {:?}", seen.body))
}

/// Collects everything logged on this thread (the tests run on a current-thread runtime).
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("logs").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    pub fn capture(&self) -> tracing::subscriber::DefaultGuard {
        let logs = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || logs.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("logs")).into_owned()
    }
}

pub async fn stop(server: Server) {
    server.shutdown.cancel();
    let result = tokio::time::timeout(DEADLINE, server.task)
        .await
        .expect("serve returns after shutdown");
    result.expect("serve task").expect("serve");
}
