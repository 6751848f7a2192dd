//! Unit tests of front matter splitting and field forms.

use super::*;

#[test]
fn split_finds_yaml_and_body() {
    assert_eq!(
        split("---\ntitle: a\n---\nbody\n"),
        Ok(Some(Split {
            yaml: "title: a\n",
            body: "body\n"
        }))
    );
    assert_eq!(
        split("--- \ntitle: a\n...  \n"),
        Ok(Some(Split {
            yaml: "title: a\n",
            body: ""
        }))
    );
    assert_eq!(
        split("---\n---\nx"),
        Ok(Some(Split {
            yaml: "",
            body: "x"
        }))
    );
}

#[test]
fn split_without_front_matter() {
    assert_eq!(split("# title\n---\n"), Ok(None));
    assert_eq!(split("----\na: 1\n---\n"), Ok(None));
    assert_eq!(split("---"), Ok(None));
    assert_eq!(split(""), Ok(None));
}

#[test]
fn split_unclosed_is_an_error() {
    let e = split("---\ntitle: a\nbody\n").unwrap_err();
    assert_eq!(e.line, None);
    assert!(e.message.contains("never closed"), "{}", e.message);
}

#[test]
fn parses_field_forms() {
    let fm = parse(
        "title: 2024\ncategories: 경제 정치\ncategory: [IT, 7]\ntags:\n  - a\n  -\n\
         image: {path: /a.jpg, alt: x}\npublished: false\nunknown: {deep: [1, {x: y}]}\n",
        2,
    )
    .unwrap();
    assert_eq!(fm.title, Some(Text("2024".into())));
    assert_eq!(fm.categories, Some(Words::One("경제 정치".into())));
    assert_eq!(
        fm.category,
        Some(Words::List(vec!["IT".into(), "7".into()]))
    );
    assert_eq!(fm.tags, Some(Words::List(vec!["a".into()])));
    assert_eq!(fm.image, Some(Image(Some("/a.jpg".into()))));
    assert_eq!(fm.published, Some(Published(false)));
}

#[test]
fn empty_yaml_is_all_defaults() {
    let fm = parse("", 2).unwrap();
    assert_eq!(fm.title, None);
    let fm = parse("# only a comment\n", 2).unwrap();
    assert_eq!(fm.categories, None);
}

#[test]
fn broken_yaml_reports_file_line() {
    assert_eq!(
        parse("title: a\ncategories: [경제\nimage: x\n", 2).unwrap_err(),
        YamlError {
            message: "illegal placement of ':' indicator".into(),
            line: Some(4),
            column: Some(6),
        }
    );
    assert_eq!(
        parse("- a\n- b\n", 2).unwrap_err(),
        YamlError {
            message: "expected mapping start".into(),
            line: Some(2),
            column: Some(1),
        }
    );
}
