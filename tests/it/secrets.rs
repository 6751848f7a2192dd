//! Tokens and secrets never appear in what the running binary prints: the real `sokbo run` at
//! debug level, with Telegram, Discord, a webhook route and `/ping`, while deliveries fail in the
//! ways that get logged (unknown chat, lost channel, unknown webhook, wrong ping token).

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::app::{free_port, get_text, terminate};
use crate::support::discord::json::Member;
use crate::support::discord::{DiscordServer, Fault, TOKEN as DISCORD_TOKEN};
use crate::support::telegram::{TOKEN as TELEGRAM_TOKEN, TelegramServer};

const WAIT: Duration = Duration::from_secs(30);
const CHANNEL: u64 = 1_300_000_000_000_000_009;
const PING_TOKEN: &str = "ping-secret-0a1b2c3d4e5f";
/// A webhook token the fake does not know: the route fails with Unknown Webhook.
const HOOK_TOKEN: &str = "hOoK-secret_9876543210zyxwvutsrqponmlkjihgfedcbaZYXWVUTSRQPONMLK";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_the_output() {
    let discord = DiscordServer::start().await;
    let telegram = TelegramServer::start().await;
    let tmp = tempfile::tempdir().unwrap();
    let posts = tmp.path().join("posts");
    std::fs::create_dir_all(&posts).unwrap();
    std::fs::write(
        posts.join("2026-11-01-first.md"),
        "---\ntitle: 첫 소식\ncategories: [경제]\n---\n\n본문이다.\n",
    )
    .unwrap();
    let port = free_port();
    let config = format!(
        "[bot]\ndata_dir = \"{data}\"\n\n\
         [telegram]\ntoken = \"{TELEGRAM_TOKEN}\"\napi_url = \"{tg}\"\n\n\
         [discord]\ntoken = \"{DISCORD_TOKEN}\"\napi_url = \"{dc}\"\n\n\
         [server]\nlisten = \"127.0.0.1:{port}\"\nping_token = \"{PING_TOKEN}\"\n\n\
         [[feeds]]\nname = \"site\"\npath = \"{posts}\"\nsite_url = \"https://news.example.com\"\ninterval = \"1h\"\n\n\
         [[routes]]\ntelegram_chat = \"-100999\"\n\n\
         [[routes]]\ndiscord_webhook = \"https://discord.com/api/webhooks/1500000000000000009/{HOOK_TOKEN}\"\n",
        data = tmp.path().join("data").display(),
        tg = telegram.url(),
        dc = discord.url(),
        posts = posts.display(),
    );
    let config_path = tmp.path().join("config.toml");
    std::fs::write(&config_path, config).unwrap();
    // Files, not pipes: a full pipe would stall the bot's logging.
    let out_path = tmp.path().join("output.txt");
    let out = std::fs::File::create(&out_path).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sokbo"))
        .args(["run", "--config"])
        .arg(&config_path)
        .env("RUST_LOG", "debug")
        .stdout(Stdio::from(out.try_clone().unwrap()))
        .stderr(Stdio::from(out))
        .spawn()
        .unwrap();

    assert!(discord.wait_ready(WAIT).await, "Discord session up");
    discord.fail(CHANNEL, Fault::MissingAccess);
    let id = 1_400_000_000_000_000_001u64;
    let subscribe = crate::support::discord::json::slash(
        id,
        CHANNEL,
        &Member::admin(),
        "subscribe",
        Some(("category", "경제")),
    );
    discord.push_interaction(subscribe);
    assert!(discord.wait_reply(&id.to_string(), WAIT).await.is_some());
    let http = reqwest::Client::builder().timeout(WAIT).build().unwrap();
    let ping = format!("http://127.0.0.1:{port}/ping?feed=site");
    let refused = http.post(&ping).bearer_auth("wrong").send().await.unwrap();
    assert_eq!(refused.status(), 401);
    std::fs::write(
        posts.join("2026-11-02-second.md"),
        "---\ntitle: 둘째 소식\ncategories: [경제]\n---\n\n본문이다.\n",
    )
    .unwrap();
    let pinged = http
        .post(&ping)
        .bearer_auth(PING_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(pinged.status(), 202);
    let tried = discord
        .wait(WAIT, |s| {
            let hook = s.requests.iter().any(|r| r.path.contains("/webhooks/"));
            let channel = s
                .requests
                .iter()
                .any(|r| r.path.contains(&CHANNEL.to_string()));
            hook && channel
        })
        .await;
    assert!(tried, "the webhook and the lost channel were tried");
    assert!(
        telegram
            .wait_for(WAIT, |s| s.requests("SendMessage") > 0)
            .await,
        "the unknown Telegram chat was tried"
    );
    let metrics = get_text(&http, &format!("http://127.0.0.1:{port}/metrics")).await;
    terminate(&child);
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success(), "{status}");
    let printed = format!("{}{metrics}", std::fs::read_to_string(&out_path).unwrap());
    assert!(
        printed.contains("Missing Access"),
        "the failures were logged:\n{printed}"
    );
    let telegram_secret = TELEGRAM_TOKEN.split_once(':').unwrap().1;
    for secret in [DISCORD_TOKEN, telegram_secret, HOOK_TOKEN, PING_TOKEN] {
        assert!(!printed.contains(secret), "{secret} printed:\n{printed}");
    }
}

/// Runs `sokbo run` on `config` until it exits (a start that fails); returns its output.
fn failed_start(dir: &std::path::Path, config: &str) -> String {
    let path = dir.join("config.toml");
    std::fs::write(&path, config).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_sokbo"))
        .args(["run", "--config"])
        .arg(&path)
        .env("RUST_LOG", "debug")
        .output()
        .unwrap();
    assert!(!output.status.success(), "the start fails");
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_and_unreachable_platforms_name_no_token() {
    let discord = DiscordServer::start().await;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let unreachable = format!("http://127.0.0.1:{}", free_port());
    let wrong_discord = "MTExMTExMTExMTExMTExMTEx.WrOnG1.not-the-token-the-fake-knows_0123456789";
    let cases = [
        (
            format!(
                "[bot]\ndata_dir = \"{}\"\n[telegram]\ntoken = \"{TELEGRAM_TOKEN}\"\napi_url = \"{unreachable}\"\n",
                data.display()
            ),
            TELEGRAM_TOKEN.split_once(':').unwrap().1,
            "getMe",
        ),
        (
            format!(
                "[bot]\ndata_dir = \"{}\"\n[discord]\ntoken = \"{wrong_discord}\"\napi_url = \"{}\"\n",
                data.display(),
                discord.url()
            ),
            wrong_discord,
            "discord.token",
        ),
    ];
    for (config, secret, says) in cases {
        let dir = tmp.path().to_path_buf();
        let printed = tokio::task::spawn_blocking(move || failed_start(&dir, &config))
            .await
            .unwrap();
        assert!(printed.contains(says), "{printed}");
        assert!(!printed.contains(secret), "{secret} printed:\n{printed}");
    }
}
