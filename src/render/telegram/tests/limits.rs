//! Length limits: the summary cut for 4096 and for a 1024 caption, and random alerts.

use chrono::{TimeZone, Utc};

use super::super::*;
use super::{IMAGE, SEED_HEAD, SEED_LINKS, seed, seed_buttons, visible};
use crate::model::{PostKey, SourceKind, SourceLink};

/// `n` sentences of 8 units, joined by spaces.
fn sentences(n: usize) -> String {
    vec!["가나다라마바사."; n].join(" ")
}

#[test]
fn long_summary_is_cut_at_a_sentence_end_within_4096() {
    let mut alert = seed();
    alert.summary = sentences(600);
    let message = render(&alert, &RenderOptions::default());
    let base = visible(&format!("{SEED_HEAD}\n\n{SEED_LINKS}"));
    let room = MAX_TEXT_UNITS - base - 2 - 1;
    let kept = (room + 1) / 9;
    assert_eq!(
        message,
        TelegramMessage {
            text: format!("{SEED_HEAD}\n\n{}…\n\n{SEED_LINKS}", sentences(kept)),
            buttons: seed_buttons(),
            link_preview_url: Some(IMAGE.into()),
            photo: None,
        }
    );
    let len = visible(&message.text);
    assert!(len <= MAX_TEXT_UNITS && len + 9 > MAX_TEXT_UNITS, "{len}");
}

#[test]
fn photo_caption_is_cut_within_1024() {
    let mut alert = seed();
    alert.summary = sentences(200);
    let opts = RenderOptions {
        photo: true,
        ..RenderOptions::default()
    };
    let message = render(&alert, &opts);
    let base = visible(&format!("{SEED_HEAD}\n\n{SEED_LINKS}"));
    let kept = (MAX_CAPTION_UNITS - base - 2 - 1 + 1) / 9;
    assert_eq!(
        message,
        TelegramMessage {
            text: format!("{SEED_HEAD}\n\n{}…\n\n{SEED_LINKS}", sentences(kept)),
            buttons: seed_buttons(),
            link_preview_url: None,
            photo: Some(IMAGE.into()),
        }
    );
    assert!(visible(&message.text) <= MAX_CAPTION_UNITS);
}

#[test]
fn without_image_a_photo_alert_is_a_plain_text_with_preview_off() {
    let mut alert = seed();
    alert.image = None;
    alert.summary = sentences(200);
    let opts = RenderOptions {
        photo: true,
        ..RenderOptions::default()
    };
    let message = render(&alert, &opts);
    assert_eq!(
        message,
        TelegramMessage {
            text: format!("{SEED_HEAD}\n\n{}\n\n{SEED_LINKS}", sentences(200)),
            buttons: seed_buttons(),
            link_preview_url: None,
            photo: None,
        }
    );
}

fn random_text(rng: &mut fastrand::Rng, max_len: usize) -> String {
    const ALPHABET: &[&str] = &[
        "가", "a", " ", ".", "\n", "<", ">", "&", "\"", "'", "&amp;", "🔴", "•", "\t", "\r",
        "\u{0}", "<b>", "</a>", "#", "_", "é", "\u{200d}", "ㅤ",
    ];
    let len = rng.usize(0..max_len);
    (0..len)
        .map(|_| ALPHABET[rng.usize(0..ALPHABET.len())])
        .collect()
}

fn random_url(rng: &mut fastrand::Rng) -> String {
    let scheme = ["https://", "http://", "javascript:", "ftp://", ""][rng.usize(0..5)];
    let path = random_text(rng, 40);
    let pad = "p".repeat(if rng.bool() { rng.usize(0..1500) } else { 0 });
    format!("{scheme}host{}.example/{path}{pad}", rng.u8(..))
}

#[test]
fn any_alert_renders_valid_html_within_limits() {
    let mut rng = fastrand::Rng::with_seed(42);
    for _ in 0..400 {
        let alert = Alert {
            feed: random_text(&mut rng, 200),
            key: PostKey("k".into()),
            title: {
                let max = if rng.bool() { 30 } else { 2000 };
                random_text(&mut rng, max)
            },
            link: rng.bool().then(|| random_url(&mut rng)),
            source_links: (0..rng.usize(0..8))
                .map(|i| SourceLink {
                    url: random_url(&mut rng),
                    text: random_text(&mut rng, 400),
                    kind: if i % 2 == 0 {
                        SourceKind::Original
                    } else {
                        SourceKind::Data
                    },
                })
                .collect(),
            categories: (0..rng.usize(0..30))
                .map(|_| random_text(&mut rng, 120))
                .collect(),
            summary: {
                let max = if rng.bool() { 100 } else { 9000 };
                random_text(&mut rng, max)
            },
            image: rng.bool().then(|| random_url(&mut rng)),
            published: Some(Utc.timestamp_opt(rng.i64(0..4_000_000_000), 0).unwrap()),
            breaking: rng.bool(),
            notice: false,
            feed_title: None,
        };
        let opts = RenderOptions {
            timezone: chrono_tz::America::St_Johns,
            language: if rng.bool() { Lang::Ko } else { Lang::En },
            photo: rng.bool(),
        };
        let message = render(&alert, &opts);
        let limit = if message.photo.is_some() {
            MAX_CAPTION_UNITS
        } else {
            MAX_TEXT_UNITS
        };
        let len = visible(&message.text);
        assert!(len <= limit, "{len} > {limit}");
        assert!(message.text.starts_with("<b>"));
        for (label, url) in message.buttons.iter().flatten() {
            assert!(!label.is_empty());
            assert!(url.len() <= MAX_BUTTON_URL_BYTES);
            assert!(
                url.starts_with("https://") || url.starts_with("http://"),
                "{url}"
            );
        }
    }
}
