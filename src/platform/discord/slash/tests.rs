//! Slash-command input → commands, autocomplete order, and the definitions against Discord's naming rules.

use super::*;

fn known() -> Vec<String> {
    ["경제", "국제 경제", "정치", "IT"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

#[test]
fn options_become_commands() {
    let k = known();
    let named = |v: &[&str]| Selection::Named(v.iter().map(|s| s.to_string()).collect());
    assert_eq!(
        command_of("subscribe", Some(("category", "경제")), &k),
        Ok(Command::Subscribe(named(&["경제"])))
    );
    assert_eq!(
        command_of("subscribe", Some(("category", "국제 경제")), &k),
        Ok(Command::Subscribe(named(&["국제 경제"])))
    );
    assert_eq!(
        command_of("subscribe", Some(("category", "경제, 정치")), &k),
        Ok(Command::Subscribe(named(&["경제", "정치"])))
    );
    assert_eq!(
        command_of("unsubscribe", Some(("category", "전체")), &k),
        Ok(Command::Unsubscribe(Selection::All))
    );
    assert_eq!(
        command_of("include", Some(("keywords", "반도체 수출")), &k),
        Ok(Command::Include(vec!["반도체".into(), "수출".into()]))
    );
    assert_eq!(command_of("list", None, &k), Ok(Command::List));
    assert_eq!(
        command_of("subscribe", Some(("category", "<#123>")), &k),
        Err(ParseError::BadChannel("<#123>".into()))
    );
    assert_eq!(
        command_of("include", Some(("keywords", " ")), &k),
        Err(ParseError::MissingArgument("include"))
    );
    assert_eq!(
        command_of("rm -rf", None, &k),
        Err(ParseError::UnknownCommand("rm -rf".into()))
    );
}

#[test]
fn autocomplete_prefers_prefixes() {
    let k = known();
    assert_eq!(complete("경", &k), ["경제", "국제 경제"]);
    assert_eq!(complete("", &k), ["all", "경제", "국제 경제", "정치", "IT"]);
    assert_eq!(complete("전", &k), ["전체"]);
    assert_eq!(complete("it", &k), ["IT"]);
}

#[test]
fn definitions_follow_discord_rules() {
    let defs = definitions(false);
    assert_eq!(defs.len(), DEFS.len());
    for def in DEFS {
        assert!(def.en_desc.chars().count() <= 100 && def.ko_desc.chars().count() <= 100);
        for name in [def.name, def.ko] {
            assert!(name.chars().count() <= 32);
            assert!(
                name.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            );
            assert_eq!(name.to_lowercase(), name);
        }
    }
    let json = serde_json::to_value(&defs[0]).unwrap();
    assert_eq!(json["name"], "subscribe");
    assert_eq!(json["name_localizations"]["ko"], "구독");
    assert_eq!(json["default_member_permissions"], "16");
    assert_eq!(json["options"][0]["autocomplete"], true);
    assert_eq!(json["options"][0]["required"], false, "category or url");
    assert_eq!(json["options"][1]["name_localizations"]["ko"], "주소");
    let mut all = defs.iter().map(|d| serde_json::to_value(d).unwrap());
    let import = all.find(|d| d["name"] == "import").unwrap();
    assert_eq!(import["options"][0]["type"], 11, "an attachment");
    assert_eq!(import["options"][0]["required"], true);
    assert_eq!(import["default_member_permissions"], "16");
}

#[test]
fn feed_commands_open_to_everyone_when_allowed() {
    let perms = |open: bool| -> Vec<(String, bool)> {
        definitions(open)
            .iter()
            .map(|d| serde_json::to_value(d).unwrap())
            .map(|d| {
                (
                    d["name"].as_str().unwrap().to_owned(),
                    d["default_member_permissions"].is_string(),
                )
            })
            .collect()
    };
    let closed = perms(false);
    assert!(closed.contains(&("subscribe".into(), true)));
    assert!(closed.contains(&("feeds".into(), false)));
    assert!(closed.contains(&("export".into(), false)));
    let open = perms(true);
    for name in ["subscribe", "unsubscribe", "import", "feeds"] {
        assert!(open.contains(&(name.into(), false)), "{name}");
    }
    assert!(open.contains(&("pause".into(), true)));
}

#[test]
fn url_options_become_feed_commands() {
    let k = known();
    let url = "https://news.example/feed.xml";
    assert_eq!(
        command_of("subscribe", Some(("url", url)), &k),
        Ok(Command::AddFeed(url.into()))
    );
    assert_eq!(
        command_of("unsubscribe", Some(("url", " 속보 피드 ")), &k),
        Ok(Command::RemoveFeed("속보 피드".into()))
    );
    assert_eq!(
        command_of("subscribe", Some(("url", " ")), &k),
        Err(ParseError::MissingArgument("subscribe"))
    );
    let long = format!("https://news.example/{}", "a".repeat(MAX_URL_CHARS));
    assert_eq!(
        command_of("subscribe", Some(("url", &long)), &k),
        Err(ParseError::ArgumentTooLong)
    );
    assert_eq!(command_of("feeds", None, &k), Ok(Command::Feeds));
    assert_eq!(command_of("export", None, &k), Ok(Command::Export));
    assert_eq!(
        command_of("import", None, &k),
        Ok(Command::Import(Vec::new()))
    );
}
