//! Real `sokbo run` processes for benchmarks: each with its own config file (a shared part and
//! its own `[server] listen`), node id and log file; scraped over `/metrics`, stopped with
//! SIGTERM (SIGKILL after 30 s).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running node and the port of its endpoints.
pub struct Node {
    pub child: Child,
    pub port: u16,
}

impl Node {
    /// Starts node `n{k}` with `shared` config, writing its config and log into `dir`.
    pub fn start(dir: &Path, shared: &str, k: usize) -> Node {
        let port = free_port();
        let config = node_config(dir, shared, k, port);
        let log = std::fs::File::create(dir.join(format!("n{k}.log"))).expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_sokbo"))
            .args(["run", "--config"])
            .arg(config)
            .env("SOKBO_NODE_ID", format!("n{k}"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start sokbo");
        Node { child, port }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The node's `/metrics` text, empty when it does not answer.
    pub async fn scrape(&self, http: &reqwest::Client) -> String {
        let url = format!("http://127.0.0.1:{}/metrics", self.port);
        match http.get(&url).send().await {
            Ok(r) => r.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    pub fn stop(mut self) {
        let child = &mut self.child;
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

fn node_config(dir: &Path, shared: &str, k: usize, port: u16) -> PathBuf {
    let path = dir.join(format!("n{k}.toml"));
    let text = format!("[server]\nlisten = \"127.0.0.1:{port}\"\n\n{shared}");
    std::fs::write(&path, text).expect("write config");
    path
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}
