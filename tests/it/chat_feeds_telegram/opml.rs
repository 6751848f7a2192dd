//! OPML through Telegram: `/export` sends the chat's feeds as a document, and that document
//! sent to another chat adds them there; files meant for someone else, too large or not
//! downloadable get a short answer or none, never a crash.

use sokbo::commands::MAX_OPML_BYTES;

use super::*;
use crate::support::telegram::Role;

/// The `xmlUrl` attributes of an OPML document, in order.
fn xml_urls(opml: &str) -> Vec<String> {
    opml.split("xmlUrl=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exported_file_sent_to_another_chat_adds_its_feeds() {
    let env = Env::new().await;
    env.serve("/a.xml", "Feed A", &[("a1", "A story")]);
    env.serve("/b.xml", "Feed B", &[("b1", "B story")]);
    let ((one, u1), (two, u2)) = (private(7201), private(7202));
    let app = env.start(env.config());
    let (a, b) = (env.feeds.url("/a.xml"), env.feeds.url("/b.xml"));
    env.command(&one, &u1, &format!("/subscribe {a}")).await;
    env.command(&one, &u1, &format!("/subscribe {b}")).await;

    env.server.push(Incoming::text(&one, &u1, "/export"));
    assert!(
        env.server
            .wait_for(WAIT, |s| !s.documents().is_empty())
            .await
    );
    let exported = env.server.documents().remove(0);
    assert_eq!(exported.chat_id, one.id);
    assert_eq!(exported.file_name, "sokbo-feeds.opml");
    assert_eq!(
        exported.caption.as_deref(),
        Some("This chat's 2 feeds (OPML)")
    );
    let opml = String::from_utf8(exported.bytes.clone()).unwrap();
    assert_eq!(xml_urls(&opml), [a.clone(), b.clone()], "{opml}");

    let file = env
        .server
        .add_file("opml-1", &exported.file_name, &exported.bytes);
    let reply = env
        .send(&two, Incoming::document(&two, &u2, &file, None))
        .await;
    assert_eq!(reply, "OPML import: 2 added, 0 skipped, 0 refused");
    let listed = env.command(&two, &u2, "/feeds").await;
    assert_eq!(
        listed,
        format!(
            "This chat's 2 feeds\n1. Feed A — {a}\n   no new post yet\n\
             2. Feed B — {b}\n   no new post yet"
        )
    );
    // The same file again: both are followed already.
    let again = env
        .send(&two, Incoming::document(&two, &u2, &file, None))
        .await;
    assert_eq!(again, "OPML import: 0 added, 2 skipped, 0 refused");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_group_only_a_file_captioned_import_is_read() {
    let env = Env::new().await;
    env.serve("/a.xml", "Feed A", &[("a1", "A story")]);
    let group = TgChat::group(-7203, "Club");
    let admin = TgUser::new(7204, "Admin").language("en");
    env.server.add_chat(&group);
    env.server
        .set_admins(group.id, &[(admin.clone(), Role::Admin)]);
    let app = env.start(env.config());
    let opml = format!(
        "<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>x</title></head><body>\
         <outline type=\"rss\" text=\"A\" xmlUrl=\"{}\"/></body></opml>",
        env.feeds.url("/a.xml")
    );
    let file = env.server.add_file("opml-g", "feeds.opml", opml.as_bytes());

    // Without the caption the file is someone's upload, not a command: no download, no reply;
    // the reply to the next command is the first one.
    env.server
        .push(Incoming::document(&group, &admin, &file, None));
    let captioned = Incoming::document(&group, &admin, &file, Some("/import"));
    let reply = env.send(&group, captioned).await;
    assert_eq!(reply, "OPML import: 1 added, 0 skipped, 0 refused");
    assert_eq!(env.server.downloads(), 1);
    assert_eq!(replies(&env.server, group.id).len(), 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_too_large_or_not_downloadable_get_a_short_answer() {
    let env = Env::new().await;
    let (chat, user) = private(7205);
    let app = env.start(env.config());

    let big = vec![b' '; MAX_OPML_BYTES + 1];
    let file = env.server.add_file("opml-big", "huge.opml", &big);
    let reply = env
        .send(&chat, Incoming::document(&chat, &user, &file, None))
        .await;
    assert_eq!(reply, "Cannot read that OPML file: larger than 1024 KiB");
    assert_eq!(env.server.downloads(), 0, "refused by its declared size");

    // A file Telegram does not hand over (getFile fails).
    let mut gone = env.server.add_file("opml-x", "feeds.xml", b"<opml/>");
    gone.id = "unknown-file".into();
    let reply = env
        .send(&chat, Incoming::document(&chat, &user, &gone, None))
        .await;
    assert_eq!(
        reply,
        "Cannot read that OPML file: Telegram did not hand over the file"
    );
    // Other documents (a photo sent as a file) are not OPML: no answer. The next reply is to
    // /feeds.
    let photo = env.server.add_file("photo", "cat.png", b"\x89PNG");
    env.server
        .push(Incoming::document(&chat, &user, &photo, None));
    let listed = env.command(&chat, &user, "/feeds").await;
    assert!(listed.starts_with("No feeds added."), "{listed}");
    app.stop().await;
}
