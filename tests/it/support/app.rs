//! spawn_app(): runs `sokbo::run_with` on a temporary data folder with alerts captured.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sokbo::config::{Config, FeedConfig, FeedSource};
use sokbo::model::Alert;
use sokbo::platform::console::{ConsoleOut, Printed};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// A running app with its captured console alerts.
pub struct TestApp {
    pub alerts: UnboundedReceiver<Printed>,
    pub shutdown: CancellationToken,
    pub handle: JoinHandle<anyhow::Result<()>>,
}

impl TestApp {
    /// The next thing printed (alert or correction), or None when none comes within `within`.
    pub async fn next_printed(&mut self, within: Duration) -> Option<Printed> {
        tokio::time::timeout(within, self.alerts.recv())
            .await
            .ok()
            .flatten()
    }

    /// The next new alert (corrections are skipped), or None when none arrives within `within`.
    pub async fn next_alert(&mut self, within: Duration) -> Option<Alert> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            match tokio::time::timeout_at(deadline, self.alerts.recv()).await {
                Ok(Some(p)) if !p.correction => return Some(p.alert),
                Ok(Some(_)) => continue,
                _ => return None,
            }
        }
    }

    /// Collects alerts until `n` arrived or `within` passed.
    pub async fn alerts(&mut self, n: usize, within: Duration) -> Vec<Alert> {
        let deadline = tokio::time::Instant::now() + within;
        let mut out = Vec::new();
        while out.len() < n {
            match tokio::time::timeout_at(deadline, self.alerts.recv()).await {
                Ok(Some(p)) if !p.correction => out.push(p.alert),
                Ok(Some(_)) => continue,
                _ => break,
            }
        }
        out
    }

    /// The titles of the next `n` alerts (fewer when `within` passes first), sorted.
    pub async fn sorted_titles(&mut self, n: usize, within: Duration) -> Vec<String> {
        let mut titles: Vec<String> = self
            .alerts(n, within)
            .await
            .into_iter()
            .map(|a| a.title)
            .collect();
        titles.sort();
        titles
    }

    /// Stops the app and waits until every task has finished; returns what was printed since
    /// the last read.
    pub async fn stop(self) -> Vec<Printed> {
        let TestApp {
            mut alerts,
            shutdown,
            handle,
        } = self;
        shutdown.cancel();
        handle
            .await
            .expect("app task panicked")
            .expect("app returned an error");
        let mut rest = Vec::new();
        while let Ok(a) = alerts.try_recv() {
            rest.push(a);
        }
        rest
    }
}

/// A config watching `posts` with data in `data`, console on, no chat tokens.
pub fn dir_config(data: &Path, posts: &Path, backlog: usize) -> Config {
    let mut config = Config::default();
    config.bot.data_dir = data.to_path_buf();
    config.alerts.backlog = backlog;
    let mut feed = FeedConfig::new("whereispost", FeedSource::Folder(posts.to_path_buf()));
    feed.site_url = Some("https://news.example.com".into());
    feed.breaking = true;
    config.feeds.push(feed);
    config
}

/// A config polling `url` every `interval`. Its posts link to made-up sites, so article pages
/// are not fetched (`full_text = "never"`); tests of full text set it back.
pub fn http_feed(name: &str, url: &str, interval: Duration) -> FeedConfig {
    let mut feed = FeedConfig::new(name, FeedSource::Http(url.into()));
    feed.interval = interval;
    feed.full_text = sokbo::config::FullText::Never;
    feed
}

/// A config with one http feed polled hourly (so only `/ping` polls it again soon) and the
/// A loopback port free at the time of the call.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// The body of a GET, as text.
pub async fn get_text(http: &reqwest::Client, url: &str) -> String {
    let response = http.get(url).send().await.expect("GET");
    response.text().await.expect("body")
}

/// `[server]` endpoints on a free loopback port; returns the config and the listen address.
pub fn pinged_feed_config(data: &Path, feed_url: &str, ping_token: &str) -> (Config, String) {
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut config = Config::default();
    config.bot.data_dir = data.to_path_buf();
    config
        .feeds
        .push(http_feed("news", feed_url, Duration::from_secs(3600)));
    config.server = Some(sokbo::config::ServerConfig {
        listen: listen.clone(),
        ping_token: ping_token.into(),
        public_url: String::new(),
    });
    (config, listen)
}

/// Starts the app with `config`, console alerts captured.
pub fn spawn_app(config: Config) -> TestApp {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("sokbo=debug"))
        .with_test_writer()
        .try_init();
    let (tx, rx) = unbounded_channel();
    let shutdown = CancellationToken::new();
    let handle = tokio::spawn(sokbo::run_with(
        config,
        shutdown.clone(),
        ConsoleOut::Capture(tx),
    ));
    TestApp {
        alerts: rx,
        shutdown,
        handle,
    }
}

/// The repository's example posts copied into a fresh folder.
pub fn copy_examples(to: &Path) -> Vec<PathBuf> {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/posts");
    std::fs::create_dir_all(to).expect("create posts folder");
    let mut copied = Vec::new();
    for entry in std::fs::read_dir(from).expect("examples/posts exists") {
        let path = entry.expect("read examples/posts").path();
        let dest = to.join(path.file_name().expect("file name"));
        std::fs::copy(&path, &dest).expect("copy example post");
        copied.push(dest);
    }
    copied
}

/// The seed post of the first target site, as shipped in the test fixtures.
pub fn seed_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/posts/seed.md");
    std::fs::read_to_string(path).expect("tests/fixtures/posts/seed.md")
}

/// Sends SIGTERM to a child process (through the kill command: no libc binding needed).
pub fn terminate(child: &std::process::Child) {
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -TERM {}", child.id());
}

/// Stores a chat feed at `url` titled `title`, followed by `chat`, in the store at `location`
/// (closed again, so the app can open it).
pub async fn seed_chat_feed(
    location: &sokbo::storage::Location,
    url: &str,
    title: &str,
    chat: sokbo::model::ChatId,
) {
    let store = sokbo::storage::Store::open(location).await.unwrap();
    let add = |_| {
        Some(sokbo::model::ChatFeed::new(
            url,
            title,
            chat.clone(),
            1_700_000_000,
        ))
    };
    store.update_chat_feed(url, add).await.unwrap();
    store.flush().await.unwrap();
}
