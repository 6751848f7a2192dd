//! /healthz follows the Discord gateway session: down during an outage, up again after.

use std::time::Duration;

use serde_json::Value;

use super::{Env, WAIT};
use crate::support::app::{free_port, spawn_app};
use crate::support::discord::TOKEN;

/// GET /healthz: the status code and the JSON body.
async fn health(base: &str) -> (u16, Value) {
    let response = reqwest::get(format!("{base}/healthz")).await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// Polls /healthz until `want` holds or the wait runs out.
async fn health_until(base: &str, want: impl Fn(u16, &Value) -> bool) -> (u16, Value) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let (status, body) = health(base).await;
        if want(status, &body) || tokio::time::Instant::now() > deadline {
            return (status, body);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_follows_the_gateway_session() {
    let env = Env::new().await;
    let port = free_port();
    let mut config = env.config(TOKEN);
    config.server = Some(sokbo::config::ServerConfig {
        listen: format!("127.0.0.1:{port}"),
        ping_token: String::new(),
        public_url: String::new(),
    });
    let app = spawn_app(config);
    assert!(env.server.wait_ready(WAIT).await);
    let base = format!("http://127.0.0.1:{port}");
    let up = |status: u16, body: &Value| status == 200 && body["platforms"]["discord"] == "ok";
    let (status, body) = health_until(&base, up).await;
    assert!(up(status, &body), "{status} {body}");

    env.server.drop_gateway(true);
    let down = |status: u16, body: &Value| status == 503 && body["platforms"]["discord"] == "down";
    let (status, body) = health_until(&base, down).await;
    assert!(down(status, &body), "{status} {body}");

    env.server.allow_gateway();
    let (status, body) = health_until(&base, up).await;
    assert!(up(status, &body), "back up: {status} {body}");
    app.stop().await;
}
