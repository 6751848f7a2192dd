//! `sokbo check` reports whether the chat tokens have their platform's shape, and never
//! prints a token or any piece of one.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_sokbo");

/// Runs `sokbo check` on a config with one (empty) post folder and these token lines; the
/// Telegram token comes from the environment, as deployments give it. Exit code, stdout, stderr.
fn check(dir: &Path, telegram: &str, discord: &str) -> (Option<i32>, String, String) {
    let posts = dir.join("posts");
    std::fs::create_dir_all(&posts).unwrap();
    let config = dir.join("config.toml");
    let text = format!(
        "[bot]\ndata_dir = {:?}\n\n[telegram]\n\n[discord]\ntoken = {discord:?}\n\n\
         [[feeds]]\nname = \"site\"\npath = {:?}\n",
        dir.join("data").display().to_string(),
        posts.display().to_string(),
    );
    std::fs::write(&config, text).unwrap();
    let out = Command::new(BIN)
        .args(["check", "--config"])
        .arg(&config)
        .env("SOKBO_TELEGRAM_TOKEN", telegram)
        .env_remove("SOKBO_DISCORD_TOKEN")
        .env_remove("SOKBO_CONFIG")
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code(), text(out.stdout), text(out.stderr))
}

fn expected(dir: &Path, telegram: &str, discord: &str, last: &str) -> String {
    format!(
        "FEED                 KIND   EVERY    SOURCE / STATE\n\
         site                 folder 1m       {posts} (0 post files)\n\
         \n\
         ROUTE                FILTER\n\
         \n\
         TOKEN                FORMAT\n\
         telegram             {telegram}\n\
         discord              {discord}\n\
         \n\
         data folder {data} is writable\n\
         {last}\n",
        posts = dir.join("posts").display(),
        data = dir.join("data").display(),
    )
}

/// No 8-character piece of `token` appears in `output`.
fn assert_absent(token: &str, output: &str) {
    for piece in token.as_bytes().windows(8) {
        let piece = std::str::from_utf8(piece).unwrap();
        assert!(
            !output.contains(piece),
            "{piece:?} of a token shown in {output}"
        );
    }
}

#[test]
fn well_formed_tokens_are_ok() {
    let tmp = tempfile::tempdir().unwrap();
    let telegram = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0";
    let discord = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.Qx7Wz9Lm2Vb8Kp4Tn6Rj3Hs5Yd1Fc0_-AB";
    let (code, stdout, stderr) = check(tmp.path(), telegram, discord);
    assert_eq!(
        (code, stdout.as_str()),
        (Some(0), expected(tmp.path(), "ok", "ok", "ok").as_str()),
        "{stderr}"
    );
    for token in [telegram, discord] {
        assert_absent(token, &stdout);
        assert_absent(token, &stderr);
    }
}

#[test]
fn malformed_tokens_are_named_but_not_shown() {
    let tmp = tempfile::tempdir().unwrap();
    // Both pass the config's own shape check (so `check` runs) but not the stricter one here.
    let telegram = "987654321:Zq9xW2vB7kLmTr4";
    let discord = "Qx7Wz9Lm2Vb8Kp4Tn6Rj3Hs5Yd1Fc0";
    let (code, stdout, stderr) = check(tmp.path(), telegram, discord);
    let telegram_line =
        "malformed (expected <digits>:<about 35 of A-Z a-z 0-9 _ ->; value not shown)";
    let discord_line =
        "malformed (expected three base64url parts separated by dots; value not shown)";
    assert_eq!(
        (code, stdout.as_str()),
        (
            Some(1),
            expected(tmp.path(), telegram_line, discord_line, "2 problem(s)").as_str()
        ),
        "{stderr}"
    );
    for token in [telegram, discord] {
        assert_absent(token, &stdout);
        assert_absent(token, &stderr);
    }
}
