//! Three real `sokbo` processes on one PostgreSQL, fanning one breaking alert out to 120
//! Telegram chats through the fake Bot API at 150 ms latency. One node holds the bot's lease
//! and sends; SIGKILL it and another node takes over within seconds; SIGSTOP it past its lease
//! and, woken, it sends nothing more while another node finishes. Every chat gets the alert,
//! none more than twice, and the fake never answers 409 (two getUpdates at once).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::Connection;

use sokbo::model::{ChatId, Subscription};
use sokbo::storage::{Location, Store, SubscriptionStore};

use crate::support::app::{free_port, terminate};
use crate::support::postgres::fresh_database;
use crate::support::telegram::{SentMessage, TOKEN, TelegramServer, TgChat, TgUser};

const BIN: &str = env!("CARGO_BIN_EXE_sokbo");
const WAIT: Duration = Duration::from_secs(60);
const LATENCY: Duration = Duration::from_millis(150);
const TITLE: &str = "속보 관세청장 회의 7년 만에 재개";
const LEASE: &str = "telegram:123456";

struct Cluster {
    server: TelegramServer,
    tmp: tempfile::TempDir,
    url: String,
    chats: Vec<i64>,
    /// Each node started: its id, process and log file.
    nodes: Vec<(String, Child, PathBuf)>,
}

impl Cluster {
    /// 120 subscribed chats, one breaking post in the folder every node watches, and a config
    /// on one fresh database with lease time to live `ttl`.
    async fn new(ttl: &str) -> Cluster {
        Cluster::on(fresh_database().await, ttl, 120).await
    }

    /// `chats` subscribed chats and one breaking post, on database `url`.
    async fn on(url: String, ttl: &str, chats: i64) -> Cluster {
        let server = TelegramServer::start().await;
        server.set_latency(LATENCY);
        let tmp = tempfile::tempdir().unwrap();
        let posts = tmp.path().join("posts");
        std::fs::create_dir_all(&posts).unwrap();
        std::fs::write(
            posts.join("2026-12-07-breaking.md"),
            format!(
                "---\ntitle: {TITLE}\ncategories: [경제]\nexcerpt: 한-일 관세청장 회의가 7년 만에 재개됐다.\n---\n\
                 한-일 관세청장 회의가 7년 만에 재개됐다.\n"
            ),
        )
        .unwrap();
        let store = Store::open(&Location::Postgres(url.clone())).await.unwrap();
        let subs = SubscriptionStore::new(store.clone());
        let chats: Vec<i64> = (0..chats).map(|i| 70_000 + i).collect();
        for &id in &chats {
            server.add_chat(&TgChat::private(&TgUser::new(id, "구독자")));
            let mut sub = Subscription::new(ChatId::telegram(id));
            sub.all = true;
            subs.put(&sub).await.unwrap();
        }
        let config = format!(
            "[bot]\ndata_dir = \"data\"\nconsole = \"never\"\n\n[alerts]\nbacklog = 1\n\n\
             [store]\nurl = \"{url}\"\n\n[cluster]\nlease_ttl = \"{ttl}\"\n\n\
             [telegram]\ntoken = \"{TOKEN}\"\napi_url = \"{}\"\n\n\
             [[feeds]]\nname = \"site\"\npath = \"posts\"\nsite_url = \"https://news.example.com\"\n",
            server.url()
        );
        std::fs::write(tmp.path().join("config.toml"), config).unwrap();
        Cluster {
            server,
            tmp,
            url,
            chats,
            nodes: Vec::new(),
        }
    }

    /// Starts node `id`; its log goes to a file of its own.
    fn start(&mut self, id: &str) {
        self.start_with(id, self.tmp.path().join("config.toml"));
    }

    /// Starts node `id` serving /healthz and /metrics on `port`.
    fn start_serving(&mut self, id: &str, port: u16) {
        let shared = std::fs::read_to_string(self.tmp.path().join("config.toml")).unwrap();
        let own = self.tmp.path().join(format!("config-{id}.toml"));
        let server = format!("[server]\nlisten = \"127.0.0.1:{port}\"\n\n");
        std::fs::write(&own, format!("{server}{shared}")).unwrap();
        self.start_with(id, own);
    }

    fn start_with(&mut self, id: &str, config: PathBuf) {
        let path = self
            .tmp
            .path()
            .join(format!("{id}-{}.log", self.nodes.len()));
        let log = std::fs::File::create(&path).unwrap();
        let child = Command::new(BIN)
            .args(["run", "--config"])
            .arg(config)
            .env("SOKBO_NODE_ID", id)
            .env("RUST_LOG", "info,sqlx=warn")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        self.nodes.push((id.to_owned(), child, path));
    }

    /// The log of the first node started as `id`.
    fn log_path(&self, id: &str) -> PathBuf {
        let node = self.nodes.iter().find(|(n, _, _)| n == id).unwrap();
        node.2.clone()
    }

    fn child(&mut self, id: &str) -> &mut Child {
        let at = self.nodes.iter().position(|(n, _, _)| n == id).unwrap();
        &mut self.nodes[at].1
    }

    /// The node holding the bot's lease, once one does.
    async fn sender(&self) -> String {
        let store = Store::open(&Location::Postgres(self.url.clone()))
            .await
            .unwrap();
        let cluster = store.cluster().unwrap();
        let deadline = Instant::now() + WAIT;
        loop {
            let leases = cluster.leases().await.unwrap();
            let held = leases
                .iter()
                .find(|l| l.name == LEASE && l.left_ms > 0)
                .and_then(|l| l.holder.clone());
            if let Some(holder) = held {
                return holder;
            }
            assert!(Instant::now() < deadline, "no node took the lease");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn alerts_per_chat(&self) -> Vec<(i64, usize)> {
        let messages = self.server.messages();
        self.chats
            .iter()
            .map(|&c| (c, messages.iter().filter(|m| is_alert(m, c)).count()))
            .collect()
    }

    fn delivered(&self) -> usize {
        self.alerts_per_chat()
            .iter()
            .filter(|(_, n)| *n > 0)
            .count()
    }

    async fn wait_delivered(&self, n: usize, within: Duration) -> bool {
        let chats = self.chats.clone();
        self.server
            .wait_for(within, move |s| {
                let messages = s.messages();
                let got = |c: &&i64| messages.iter().any(|m| is_alert(m, **c));
                chats.iter().filter(got).count() >= n
            })
            .await
    }

    /// Waits until every chat got post number `n` (see [`write_post`]).
    async fn wait_post_everywhere(&self, n: usize) -> bool {
        let title = format!("속보 소식 {n}호");
        let chats = self.chats.clone();
        self.server
            .wait_for(WAIT, move |s| {
                let messages = s.messages();
                let got = |c: &&i64| {
                    messages
                        .iter()
                        .any(|m| m.chat_id == **c && m.text.contains(&title))
                };
                chats.iter().filter(got).count() == chats.len()
            })
            .await
    }

    /// Stops every node still running with SIGTERM; each exits 0.
    async fn stop_all(&mut self) {
        for (_, child, _) in &mut self.nodes {
            if child.try_wait().unwrap().is_none() {
                terminate(child);
            }
        }
        for (id, child, _) in &mut self.nodes {
            let status = exit_status(child).await;
            assert!(
                status.success() || status.code().is_none(),
                "{id}: {status}"
            );
        }
    }

    fn assert_no_conflict(&self) {
        let conflicts: Vec<_> = self
            .server
            .errors()
            .into_iter()
            .filter(|e| e.code == 409)
            .collect();
        assert!(conflicts.is_empty(), "{conflicts:?}");
    }
}

fn is_alert(m: &SentMessage, chat: i64) -> bool {
    m.chat_id == chat && m.method == "SendMessage" && m.text.contains(TITLE)
}

async fn exit_status(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "a node did not stop");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until `path` contains `text`.
async fn wait_log(path: &Path, text: &str, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if std::fs::read_to_string(path).is_ok_and(|log| log.contains(text)) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

fn signal(child: &Child, sig: &str) {
    let status = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill {sig}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_sender_moves_sending_to_another_node_within_10s() {
    let mut cluster = Cluster::new("5s").await;
    for id in ["n1", "n2", "n3"] {
        cluster.start(id);
    }
    assert!(
        cluster.wait_delivered(30, WAIT).await,
        "the fan-out started"
    );
    let sender = cluster.sender().await;
    cluster.child(&sender).kill().unwrap();
    exit_status(cluster.child(&sender)).await;
    let before = cluster.delivered();
    assert!(
        before < cluster.chats.len(),
        "killed mid fan-out ({before})"
    );

    // A new holder sends within 10 s of the kill (5 s lease, tried every second).
    let resumed = cluster
        .wait_delivered(before + 1, Duration::from_secs(10))
        .await;
    assert!(resumed, "no other node resumed sending within 10 s");
    assert!(cluster.wait_delivered(120, WAIT).await, "every chat got it");
    let new_sender = cluster.sender().await;
    assert_ne!(new_sender, sender);
    cluster.stop_all().await;

    let counts = cluster.alerts_per_chat();
    assert!(
        counts.iter().all(|(_, n)| (1..=2).contains(n)),
        "{counts:?}"
    );
    let doubled = counts.iter().filter(|(_, n)| *n == 2).count();
    eprintln!("SIGKILL of the sender: {doubled} of 120 chats got the alert twice");
    cluster.assert_no_conflict();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paused_sender_sends_nothing_after_waking_and_another_node_finishes() {
    let mut cluster = Cluster::new("2s").await;
    for id in ["n1", "n2", "n3"] {
        cluster.start(id);
    }
    assert!(
        cluster.wait_delivered(30, WAIT).await,
        "the fan-out started"
    );
    let sender = cluster.sender().await;
    signal(cluster.child(&sender), "-STOP");
    // Paused past its lease: another node holds it and finishes the fan-out.
    let store = Store::open(&Location::Postgres(cluster.url.clone()))
        .await
        .unwrap();
    let deadline = Instant::now() + WAIT;
    while cluster.sender().await == sender {
        assert!(Instant::now() < deadline, "the lease never moved");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(cluster.wait_delivered(120, WAIT).await, "every chat got it");
    let wait_empty = Instant::now() + WAIT;
    while store.outbox_len().await.unwrap() > 0 {
        assert!(Instant::now() < wait_empty, "the outbox did not drain");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let sent_before_wake = cluster.server.requests("SendMessage");

    signal(cluster.child(&sender), "-CONT");
    let log = cluster.log_path(&sender);
    assert!(
        wait_log(&log, "lease lost", WAIT).await,
        "the woken node noticed its lease is gone"
    );
    // Nothing new from it, then or after every node stopped.
    assert_eq!(cluster.server.requests("SendMessage"), sent_before_wake);
    cluster.stop_all().await;
    assert_eq!(cluster.server.requests("SendMessage"), sent_before_wake);

    let counts = cluster.alerts_per_chat();
    assert!(
        counts.iter().all(|(_, n)| (1..=2).contains(n)),
        "{counts:?}"
    );
    cluster.assert_no_conflict();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_node_with_the_same_id_is_refused() {
    let mut cluster = Cluster::new("1s").await;
    cluster.start("same");
    assert!(
        cluster.wait_delivered(120, WAIT).await,
        "the first node runs"
    );
    cluster.start("same");
    let second = &mut cluster.nodes[1].1;
    let status = exit_status(second).await;
    assert_eq!(status.code(), Some(1), "{status}");
    let log = std::fs::read_to_string(&cluster.nodes[1].2).unwrap();
    assert!(
        log.contains("node id \"same\" is in use by a running node"),
        "{log}"
    );
    cluster.nodes.truncate(1);
    cluster.stop_all().await;
}

/// Writes breaking post number `n` into the folder every node watches.
fn write_post(cluster: &Cluster, n: usize) {
    let path = cluster
        .tmp
        .path()
        .join(format!("posts/2026-12-08-news-{n}.md"));
    let text = format!(
        "---\ntitle: 속보 소식 {n}호\ncategories: [경제]\nexcerpt: 소식 {n}호가 나왔다.\n---\n소식 {n}호가 나왔다.\n"
    );
    std::fs::write(path, text).unwrap();
}

/// How many times each chat got post number `n`.
fn post_counts(cluster: &Cluster, n: usize) -> Vec<usize> {
    let title = format!("속보 소식 {n}호");
    let messages = cluster.server.messages();
    cluster
        .chats
        .iter()
        .map(|&c| {
            let is_it = |m: &&SentMessage| m.chat_id == c && m.text.contains(&title);
            messages.iter().filter(is_it).count()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rolling_restart_while_posts_arrive_loses_nothing() {
    let mut cluster = Cluster::on(fresh_database().await, "2s", 20).await;
    for id in ["n1", "n2", "n3"] {
        cluster.start(id);
    }
    assert!(cluster.wait_delivered(20, WAIT).await, "the cluster runs");
    let mut posts = 0;
    for id in ["n1", "n2", "n3"] {
        posts += 1;
        write_post(&cluster, posts);
        let child = cluster.child(id);
        terminate(child);
        assert!(exit_status(child).await.success(), "{id} stopped cleanly");
        posts += 1;
        write_post(&cluster, posts);
        let at = cluster.nodes.iter().position(|(n, _, _)| n == id).unwrap();
        cluster.nodes.remove(at);
        cluster.start(id);
        let log = cluster.nodes.last().unwrap().2.clone();
        assert!(wait_log(&log, "sokbo running", WAIT).await, "{id} is back");
    }
    let chats = cluster.chats.len();
    for n in 1..=posts {
        let all = cluster.wait_post_everywhere(n).await;
        assert!(all, "post {n} reached every one of {chats} chats");
    }
    cluster.stop_all().await;
    for n in 1..=posts {
        let counts = post_counts(&cluster, n);
        // Clean stops (SIGTERM) finish what is in flight: nothing repeats.
        assert!(counts.iter().all(|c| *c == 1), "post {n}: {counts:?}");
    }
    cluster.assert_no_conflict();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_restart_mid_fan_out_loses_nothing() {
    let pg = crate::support::postgres::Cluster::start(true).expect("a PostgreSQL server");
    let url = crate::support::postgres::create_database(&pg.url("postgres")).await;
    let mut cluster = Cluster::on(url, "2s", 120).await;
    for id in ["n1", "n2", "n3"] {
        cluster.start(id);
    }
    assert!(
        cluster.wait_delivered(30, WAIT).await,
        "the fan-out started"
    );
    pg.restart().expect("pg_ctl restart");
    let before = cluster.delivered();
    assert!(
        before < cluster.chats.len(),
        "restarted mid fan-out ({before})"
    );
    assert!(cluster.wait_delivered(120, WAIT).await, "every chat got it");
    // Posts after the restart still go out.
    write_post(&cluster, 1);
    let all = cluster.wait_post_everywhere(1).await;
    assert!(all, "a post after the restart reached every chat");
    cluster.stop_all().await;
    let counts = cluster.alerts_per_chat();
    assert!(
        counts.iter().all(|(_, n)| (1..=2).contains(n)),
        "{counts:?}"
    );
    assert!(post_counts(&cluster, 1).iter().all(|c| (1..=2).contains(c)));
    cluster.assert_no_conflict();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn terminated_connections_mid_fan_out_lose_nothing() {
    let mut cluster = Cluster::new("2s").await;
    for id in ["n1", "n2"] {
        cluster.start(id);
    }
    assert!(
        cluster.wait_delivered(30, WAIT).await,
        "the fan-out started"
    );
    let mut admin = sqlx::PgConnection::connect(&cluster.url).await.unwrap();
    let cut: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .fetch_all(&mut admin)
    .await
    .unwrap();
    assert!(cut.len() >= 2, "every node's connections were cut: {cut:?}");
    assert!(cluster.wait_delivered(120, WAIT).await, "every chat got it");
    cluster.stop_all().await;
    let counts = cluster.alerts_per_chat();
    assert!(
        counts.iter().all(|(_, n)| (1..=2).contains(n)),
        "{counts:?}"
    );
    cluster.assert_no_conflict();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_and_healthz_show_each_nodes_role() {
    let mut cluster = Cluster::new("2s").await;
    let ports = [free_port(), free_port()];
    cluster.start_serving("n1", ports[0]);
    cluster.start_serving("n2", ports[1]);
    assert!(cluster.wait_delivered(120, WAIT).await, "the cluster runs");
    let sender = cluster.sender().await;
    let http = reqwest::Client::new();
    for (id, port) in ["n1", "n2"].iter().zip(ports) {
        let url = format!("http://127.0.0.1:{port}/healthz");
        let deadline = Instant::now() + WAIT;
        let health: serde_json::Value = loop {
            if let Ok(r) = http.get(&url).send().await {
                break r.json().await.unwrap();
            }
            assert!(Instant::now() < deadline, "{id} serves /healthz");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        // The standby node's Telegram is not down: it waits for the lease.
        assert_eq!(health["status"], "ok", "{id}: {health}");
        assert_eq!(health["node"]["id"], *id);
        let held = &health["node"]["leases"][LEASE]["held"];
        assert_eq!(held, &serde_json::json!(*id == sender), "{id}: {health}");
        let metrics = http
            .get(format!("http://127.0.0.1:{port}/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let line = format!(
            "sokbo_lease_held{{lease=\"{LEASE}\"}} {}",
            u8::from(*id == sender)
        );
        assert!(metrics.contains(&line), "{id}: {metrics}");
    }
    let out = Command::new(BIN)
        .args(["cluster", "status", "--config"])
        .arg(cluster.tmp.path().join("config.toml"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(report.contains("nodes (2):"), "{report}");
    assert!(report.contains(&format!("held by {sender}")), "{report}");
    assert!(report.contains(&format!("leases {LEASE}")), "{report}");
    cluster.stop_all().await;
}
