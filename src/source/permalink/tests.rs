//! Unit tests of permalink expansion against Jekyll's documented results.

use super::*;
use chrono::TimeZone;

fn parts<'a>(categories: &'a [String], slug: &'a str) -> UrlParts<'a> {
    UrlParts {
        categories,
        slug,
        basename: "2024-11-24-관세청-회의",
        path: "2024-11-24-관세청-회의",
        date: Some(
            chrono_tz::Asia::Seoul
                .with_ymd_and_hms(2024, 11, 24, 9, 30, 5)
                .unwrap(),
        ),
        output_ext: ".html",
    }
}

fn cats(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

const ECON: &str = "%EA%B2%BD%EC%A0%9C";
const SLUG: &str = "%EA%B4%80%EC%84%B8%EC%B2%AD-%ED%9A%8C%EC%9D%98";

#[test]
fn built_in_styles() {
    let c = cats(&["경제"]);
    let p = parts(&c, "관세청-회의");
    let run = |style| expand(style_template(style), &p).unwrap();
    assert_eq!(run("date"), format!("/{ECON}/2024/11/24/{SLUG}.html"));
    assert_eq!(run("pretty"), format!("/{ECON}/2024/11/24/{SLUG}/"));
    assert_eq!(run("ordinal"), format!("/{ECON}/2024/329/{SLUG}.html"));
    assert_eq!(run("weekdate"), format!("/{ECON}/2024/W47/SUN/{SLUG}.html"));
    assert_eq!(run("none"), format!("/{ECON}/{SLUG}.html"));
}

#[test]
fn no_categories_no_double_slash() {
    let p = parts(&[], "a-b");
    assert_eq!(
        expand(style_template("date"), &p).unwrap(),
        "/2024/11/24/a-b.html"
    );
}

#[test]
fn categories_lowercased_deduplicated_joined() {
    let c = cats(&["Tech News", "IT", "it", "경제"]);
    let p = parts(&c, "x");
    assert_eq!(
        expand("/:categories/:title/", &p).unwrap(),
        format!("/tech%20news/it/{ECON}/x/")
    );
    assert_eq!(
        expand("/:slugified_categories/:title/", &p).unwrap(),
        format!("/tech-news/it/{ECON}/x/")
    );
}

#[test]
fn title_is_pretty_and_cased_slug_is_default_and_lowercased() {
    let p = parts(&[], "Hello World_v2.0!");
    assert_eq!(
        expand("/:title", &p).unwrap(),
        "/Hello-World_v2.0!".to_string()
    );
    assert_eq!(expand("/:slug", &p).unwrap(), "/hello-world-v2-0");
}

#[test]
fn custom_patterns_and_all_date_fields() {
    let p = parts(&[], "s");
    assert_eq!(
        expand("/:year/:month_:day/:slug/", &p).unwrap(),
        "/2024/11_24/s/"
    );
    assert_eq!(
        expand(
            "/:short_year/:i_month/:i_day/:hour:minute:second/:short_month-:long_month/:long_day-:w_day/:w_year",
            &p
        )
        .unwrap(),
        "/24/11/24/093005/NOV-November/Sunday-7/2024"
    );
    assert_eq!(
        expand("/:collection/:name:output_ext", &p).unwrap(),
        format!("/posts/2024-11-24-{SLUG}.html")
    );
    assert_eq!(
        expand("/archive:path/", &p).unwrap(),
        format!("/archive/2024-11-24-{SLUG}/")
    );
}

#[test]
fn unknown_placeholder_is_an_error() {
    let p = parts(&[], "s");
    assert_eq!(
        expand("/:year/:author/:title", &p),
        Err(UnknownPlaceholder(
            "author".into(),
            "/:year/:author/:title".into()
        ))
    );
}

#[test]
fn missing_date_leaves_date_fields_empty() {
    let c = cats(&["경제"]);
    let mut p = parts(&c, "x");
    p.date = None;
    assert_eq!(
        expand(style_template("date"), &p).unwrap(),
        format!("/{ECON}/x.html")
    );
}

#[test]
fn literal_text_is_escaped_and_sanitized() {
    let p = parts(&[], "s");
    assert_eq!(
        expand("뉴스/../a/./b//:title", &p).unwrap(),
        "/%EB%89%B4%EC%8A%A4/a/b/s"
    );
    assert_eq!(expand("https://x/:title", &p).unwrap(), "/https:/x/s");
}

#[test]
fn escape_path_keeps_pchars_and_escapes() {
    assert_eq!(
        escape_path("a b?c#d%20e%zz/@:!$&'()*+,;=~"),
        "a%20b%3Fc%23d%20e%25zz/@:!$&'()*+,;=~"
    );
    assert_eq!(escape_path("경"), "%EA%B2%BD");
}

#[test]
fn slugify_modes() {
    assert_eq!(
        slugify("The _config.yml file", Mode::Default, false),
        "the-config-yml-file"
    );
    assert_eq!(
        slugify("The _config.yml file", Mode::Pretty, true),
        "The-_config.yml-file"
    );
    assert_eq!(slugify("--한-일 회의--", Mode::Pretty, true), "한-일-회의");
    assert_eq!(slugify("", Mode::Default, false), "");
}
