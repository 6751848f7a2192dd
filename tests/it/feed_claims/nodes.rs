//! Whole nodes on one database and one fake feed server: three nodes poll each feed about once
//! per interval (not once per node) and all take part; a node killed with SIGKILL leaves its
//! feeds to the others once its claims lapse; a /ping to one node polls the feed at once.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use sokbo::config::{Config, ServerConfig};
use tokio::time::Instant;

use crate::support::app::{free_port, get_text, http_feed, spawn_app};
use crate::support::feed_server::{FeedServer, Resource, numbered_rss as rss};
use crate::support::postgres::fresh_database;

const BIN: &str = env!("CARGO_BIN_EXE_sokbo");
const WAIT: Duration = Duration::from_secs(60);
const FEEDS: usize = 24;

/// `FEEDS` feeds with an ETag (so later polls are answered 304), at `/f/{i}.xml`.
async fn serve_feeds() -> FeedServer {
    let server = FeedServer::start().await;
    for i in 0..FEEDS {
        let resource = Resource::new(rss(&[1]), "application/rss+xml").etag("\"v1\"");
        server.serve(&format!("/f/{i}.xml"), resource);
    }
    server
}

fn counts(server: &FeedServer) -> Vec<usize> {
    (0..FEEDS)
        .map(|i| server.requests(&format!("/f/{i}.xml")))
        .collect()
}

/// Waits until every feed has had at least `at_least[i]` requests.
async fn polled_at_least(server: &FeedServer, at_least: &[usize]) -> bool {
    for (i, n) in at_least.iter().enumerate() {
        if !server
            .wait_for_requests(&format!("/f/{i}.xml"), *n, WAIT)
            .await
        {
            return false;
        }
    }
    true
}

/// Node `node` of the cluster on `url`: every feed every second, its id as User-Agent.
fn node_config(url: &str, server: &FeedServer, node: &str) -> Config {
    let mut config = Config::default();
    config.store.url = url.into();
    config.cluster.node_id = node.into();
    config.cluster.lease_ttl = Duration::from_secs(2);
    config.http.user_agent = node.into();
    config.http.per_host = 8;
    for i in 0..FEEDS {
        let url = server.url(&format!("/f/{i}.xml"));
        let feed = http_feed(&format!("f{i}"), &url, Duration::from_secs(1));
        config.feeds.push(feed);
    }
    config
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_poll_each_feed_about_once_per_interval() {
    let url = fresh_database().await;
    let server = serve_feeds().await;
    let nodes = ["n1", "n2", "n3"];
    let apps: Vec<_> = nodes
        .iter()
        .map(|n| spawn_app(node_config(&url, &server, n)))
        .collect();
    assert!(polled_at_least(&server, &[1; FEEDS]).await, "first polls");
    let (start, before) = (Instant::now(), counts(&server));
    let wanted: Vec<usize> = before.iter().map(|n| n + 5).collect();
    assert!(polled_at_least(&server, &wanted).await, "later polls");
    let (elapsed, after) = (start.elapsed(), counts(&server));
    // A feed's next poll is planned 0.9 to 1.1 s after its last one ends, by whichever node:
    // polls of one feed are never closer than that (three nodes each polling would be).
    let most = (elapsed.as_secs_f64() / 0.85).floor() as usize + 1;
    for (i, (b, a)) in before.iter().zip(&after).enumerate() {
        assert!(a - b <= most, "f{i}: {} polls in {elapsed:?}", a - b);
    }
    let agents = server.requests_by_agent();
    eprintln!("requests by node: {agents:?}");
    for node in nodes {
        assert!(
            agents.get(node).is_some_and(|n| *n > 0),
            "{node} polled: {agents:?}"
        );
    }
    for app in apps {
        app.stop().await;
    }
}

/// A config file for the real binary: the feeds every second, claims lasting 1 s, and
/// requests that may hang for two minutes.
fn write_config(dir: &std::path::Path, url: &str, server: &FeedServer) -> std::path::PathBuf {
    let mut config = format!(
        "[bot]\nconsole = \"never\"\n\n[store]\nurl = \"{url}\"\n\n[cluster]\nlease_ttl = \"1s\"\n\n\
         [http]\ntimeout = \"120s\"\nper_host = 8\n"
    );
    let urls = (0..FEEDS).map(|i| (format!("f{i}"), server.url(&format!("/f/{i}.xml"))));
    let stall = ("stall".to_owned(), server.url("/stall.xml"));
    for (name, url) in urls.chain([stall]) {
        config.push_str(&format!(
            "\n[[feeds]]\nname = \"{name}\"\nurl = \"{url}\"\ninterval = \"1s\"\nfull_text = \"never\"\n"
        ));
    }
    let path = dir.join("config.toml");
    std::fs::write(&path, config).unwrap();
    path
}

/// A node process, killed (SIGKILL) when dropped: a failed assertion leaves none running.
struct NodeProcess(Child);

impl Drop for NodeProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_node(config: &std::path::Path, node: &str) -> NodeProcess {
    let child = Command::new(BIN)
        .args(["run", "--config"])
        .arg(config)
        .env("SOKBO_NODE_ID", node)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    NodeProcess(child)
}

/// The node holding a live claim on `feed`, once one does.
async fn live_holder(db: &sqlx::PgPool, feed: &str, not: Option<&str>) -> Option<String> {
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        let holder: Option<String> = sqlx::query_scalar(
            "SELECT lease_holder FROM feeds WHERE feed = $1 AND lease_until > now()",
        )
        .bind(feed)
        .fetch_optional(db)
        .await
        .unwrap()
        .flatten();
        if holder.is_some() && holder.as_deref() != not {
            return holder;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_node_s_feeds_are_polled_by_the_others() {
    let url = fresh_database().await;
    let server = serve_feeds().await;
    // Never answers: the node that claims it holds the claim as long as it lives.
    server.stall("/stall.xml");
    let tmp = tempfile::tempdir().unwrap();
    let config = write_config(tmp.path(), &url, &server);
    // The schema is there before the nodes and the queries below.
    drop(sokbo::storage::Store::postgres(&url, true).await.unwrap());
    let mut nodes = vec![
        ("a", start_node(&config, "a")),
        ("b", start_node(&config, "b")),
    ];
    let db = sqlx::PgPool::connect(&url).await.unwrap();
    let holder = live_holder(&db, "stall", None)
        .await
        .expect("stall claimed");
    assert!(polled_at_least(&server, &[1; FEEDS]).await, "first polls");
    let victim = nodes.iter().position(|(id, _)| *id == holder).unwrap();
    let (stalled, before) = (server.requests("/stall.xml"), counts(&server));
    drop(nodes.remove(victim));
    let killed = Instant::now();

    // Its claim lapses and the other node polls the feed it held.
    let survivor = nodes[0].0;
    let taken = live_holder(&db, "stall", Some(&holder)).await;
    assert_eq!(taken.as_deref(), Some(survivor));
    assert!(
        server
            .wait_for_requests("/stall.xml", stalled + 1, WAIT)
            .await
    );
    eprintln!(
        "the killed node's feed was polled again {:?} after the kill",
        killed.elapsed()
    );
    // Every other feed goes on being polled, by the survivor alone.
    let wanted: Vec<usize> = before.iter().map(|n| n + 2).collect();
    assert!(polled_at_least(&server, &wanted).await, "polls go on");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ping_to_one_node_polls_the_feed_at_once_and_metrics_show_claims() {
    let url = fresh_database().await;
    let server = FeedServer::start().await;
    let resource = Resource::new(rss(&[1]), "application/rss+xml").etag("\"a\"");
    server.serve("/feed.xml", resource);
    let hourly = |node: &str| {
        let mut config = Config::default();
        config.store.url = url.clone();
        config.cluster.node_id = node.into();
        let feed = http_feed("news", &server.url("/feed.xml"), Duration::from_secs(3600));
        config.feeds.push(feed);
        config
    };
    let listen = format!("127.0.0.1:{}", free_port());
    let mut pinged = hourly("p1");
    pinged.server = Some(ServerConfig {
        listen: listen.clone(),
        ping_token: "tok".into(),
        public_url: String::new(),
    });
    let apps = [spawn_app(pinged), spawn_app(hourly("p2"))];
    assert!(server.wait_for_requests("/feed.xml", 1, WAIT).await);

    let http = reqwest::Client::new();
    let ping = format!("http://{listen}/ping?feed=news");
    let deadline = Instant::now() + WAIT;
    let status = loop {
        match http.post(&ping).bearer_auth("tok").send().await {
            Ok(r) => break r.status(),
            Err(e) => assert!(Instant::now() < deadline, "server up: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(status, 202);
    assert!(
        server.wait_for_requests("/feed.xml", 2, WAIT).await,
        "polled again"
    );
    let metrics = get_text(&http, &format!("http://{listen}/metrics")).await;
    assert!(metrics.contains("\nsokbo_claimed_feeds "), "{metrics}");
    assert!(
        metrics.contains("\nsokbo_poll_lateness_seconds_count "),
        "{metrics}"
    );
    for app in apps {
        app.stop().await;
    }
}
