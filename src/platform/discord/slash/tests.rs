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
        command_of("subscribe", Some("경제"), &k),
        Ok(Command::Subscribe(named(&["경제"])))
    );
    assert_eq!(
        command_of("subscribe", Some("국제 경제"), &k),
        Ok(Command::Subscribe(named(&["국제 경제"])))
    );
    assert_eq!(
        command_of("subscribe", Some("경제, 정치"), &k),
        Ok(Command::Subscribe(named(&["경제", "정치"])))
    );
    assert_eq!(
        command_of("unsubscribe", Some("전체"), &k),
        Ok(Command::Unsubscribe(Selection::All))
    );
    assert_eq!(
        command_of("include", Some("반도체 수출"), &k),
        Ok(Command::Include(vec!["반도체".into(), "수출".into()]))
    );
    assert_eq!(command_of("list", None, &k), Ok(Command::List));
    assert_eq!(
        command_of("subscribe", Some("<#123>"), &k),
        Err(ParseError::BadChannel("<#123>".into()))
    );
    assert_eq!(
        command_of("include", Some(" "), &k),
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
    let defs = definitions();
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
}
