//! OPML through Discord: `/export` answers with an .opml attachment of the channel's feeds, and
//! `/import file:` with that attachment adds them in another channel; unusable files are
//! refused before anything is downloaded.

use sokbo::config::ChatFeedsAllow;

use super::{Env, FEED, NEWS, OTHER, rss};
use crate::support::discord::json::{self, Member};
use crate::support::feed_server::Resource;

/// `/import file:<attachment>` in `channel` by `by`; returns the reply's text.
async fn import(env: &Env, channel: u64, by: &Member, attachment: &serde_json::Value) -> String {
    let make = |id| json::slash_file(id, channel, by, "import", "file", attachment);
    let (_, data) = env.interact(make).await;
    data["content"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn export_then_import_in_another_channel() {
    let env = Env::new(ChatFeedsAllow::Admins).await.start().await;
    env.feeds.serve(
        "/other.xml",
        Resource::new(rss("다른 피드", &[1]), "application/rss+xml"),
    );
    let admin = Member::admin();
    let (feed, other) = (env.feeds.url(FEED), env.feeds.url("/other.xml"));
    for url in [&feed, &other] {
        let added = env.slash(NEWS, &admin, "subscribe", ("url", url)).await;
        assert!(added.contains("✅ 피드 추가"), "{added}");
    }

    let (id, data) = env
        .interact(|id| json::slash(id, NEWS, &admin, "export", None))
        .await;
    assert_eq!(data["content"], "이 채팅의 피드 2개 (OPML)");
    let files = env.discord.reply_files(&id);
    assert_eq!(files.len(), 1, "one attachment");
    let (name, bytes) = &files[0];
    assert!(name.ends_with(".opml"), "{name}");
    let opml = String::from_utf8(bytes.clone()).expect("UTF-8");
    assert!(opml.contains("<opml"), "{opml}");
    for url in [&feed, &other] {
        assert!(opml.contains(url.as_str()), "{url} in {opml}");
    }

    // The same file, as a member would attach it in another channel.
    let attachment = env.discord.attach(name, bytes);
    let imported = import(&env, OTHER, &admin, &attachment).await;
    assert_eq!(imported, "OPML 가져오기: 2개 추가, 0개 건너뜀, 0개 거부");
    assert_eq!(env.discord.downloads(), 1);
    let listed = env.slash(OTHER, &admin, "feeds", ("", "")).await;
    assert!(listed.starts_with("이 채팅의 피드 2개"), "{listed}");
    for title in ["속보 피드", "다른 피드"] {
        assert!(listed.contains(title), "{title} in {listed}");
    }
    // Importing again adds nothing new.
    let again = import(&env, OTHER, &admin, &attachment).await;
    assert_eq!(again, "OPML 가져오기: 0개 추가, 2개 건너뜀, 0개 거부");
}

#[tokio::test]
async fn unusable_files_are_refused_without_a_download() {
    let env = Env::new(ChatFeedsAllow::Admins).await.start().await;
    let admin = Member::admin();
    let opml = format!(
        "<?xml version=\"1.0\"?><opml version=\"2.0\"><body>\
         <outline type=\"rss\" text=\"f\" xmlUrl=\"{}\"/></body></opml>",
        env.feeds.url(FEED)
    );

    let text = env.discord.attach("feeds.txt", opml.as_bytes());
    let refused = import(&env, NEWS, &admin, &text).await;
    assert!(refused.starts_with("OPML을 읽지 못했어요: "), "{refused}");
    assert!(refused.contains("feeds.txt"), "{refused}");

    let mut huge = env.discord.attach("big.opml", opml.as_bytes());
    huge["size"] = (sokbo::commands::MAX_OPML_BYTES + 1).into();
    let refused = import(&env, NEWS, &admin, &huge).await;
    assert_eq!(refused, "OPML을 읽지 못했어요: larger than 1024 KiB");

    // Without Manage Channels: refused, not downloaded.
    let fine = env.discord.attach("feeds.opml", opml.as_bytes());
    let refused = import(&env, NEWS, &Member::reader(), &fine).await;
    assert_eq!(
        refused,
        "Only administrators can change this chat's subscription."
    );
    assert_eq!(env.discord.downloads(), 0);

    // A file gone from the CDN: a short reply.
    let mut gone = fine.clone();
    gone["url"] = format!("{}/attachments/1/missing.opml", env.discord.url()).into();
    let failed = import(&env, NEWS, &admin, &gone).await;
    assert_eq!(failed, "OPML을 읽지 못했어요: download failed: HTTP 404");

    let imported = import(&env, NEWS, &admin, &fine).await;
    assert_eq!(imported, "OPML 가져오기: 1개 추가, 0개 건너뜀, 0개 거부");
    assert_eq!(env.discord.downloads(), 2);
}
