use std::time::Duration;

use super::family::{CounterFamily, Gauge, Histogram, escape_label_value, format_value};
use super::*;
use crate::model::Target;

#[test]
fn counters_are_sorted_by_label_values_and_escaped() {
    let family = CounterFamily::new("t_total", "Things.", &["feed"]);
    family.add(&["b"], 2);
    family.add(&["a"], 1);
    family.add(&["we\"ird\nname\\"], 1);
    family.add(&["a"], 4);
    let mut out = String::new();
    family.encode(&mut out);
    assert_eq!(
        out,
        "# HELP t_total Things.\n\
         # TYPE t_total counter\n\
         t_total{feed=\"a\"} 5\n\
         t_total{feed=\"b\"} 2\n\
         t_total{feed=\"we\\\"ird\\nname\\\\\"} 1\n"
    );
}

#[test]
fn counters_with_two_labels_and_none_yet() {
    let family = CounterFamily::new("x_total", "X.", &["platform", "outcome"]);
    let mut empty = String::new();
    family.encode(&mut empty);
    assert_eq!(empty, "# HELP x_total X.\n# TYPE x_total counter\n");

    family.add(&["telegram", "retried"], 1);
    family.add(&["discord", "delivered"], 3);
    let mut out = String::new();
    family.encode(&mut out);
    assert_eq!(
        out,
        "# HELP x_total X.\n\
         # TYPE x_total counter\n\
         x_total{platform=\"discord\",outcome=\"delivered\"} 3\n\
         x_total{platform=\"telegram\",outcome=\"retried\"} 1\n"
    );
}

#[test]
fn histogram_buckets_are_cumulative_and_inclusive() {
    let histogram = Histogram::new("h_seconds", "H.", &[0.5, 1.0]);
    for value in [0.5, 0.75, 2.0, 0.25] {
        histogram.observe(value);
    }
    let mut out = String::new();
    histogram.encode(&mut out);
    assert_eq!(
        out,
        "# HELP h_seconds H.\n\
         # TYPE h_seconds histogram\n\
         h_seconds_bucket{le=\"0.5\"} 2\n\
         h_seconds_bucket{le=\"1\"} 3\n\
         h_seconds_bucket{le=\"+Inf\"} 4\n\
         h_seconds_sum 3.5\n\
         h_seconds_count 4\n"
    );
}

#[test]
fn gauges_hold_the_last_value() {
    let gauge = Gauge::new("g", "G.");
    gauge.set(3.0);
    gauge.set(1.5);
    let mut out = String::new();
    gauge.encode(&mut out);
    assert_eq!(out, "# HELP g G.\n# TYPE g gauge\ng 1.5\n");
}

#[test]
fn values_and_labels_in_text_format_spelling() {
    let values: Vec<String> = [0.0, 1.0, 0.05, 0.00001, 3600.0, f64::INFINITY, f64::NAN]
        .into_iter()
        .map(format_value)
        .collect();
    assert_eq!(values, ["0", "1", "0.05", "0.00001", "3600", "+Inf", "NaN"]);
    assert_eq!(
        escape_label_value("경제 \"속보\"\\\n"),
        "경제 \\\"속보\\\"\\\\\\n"
    );
    assert_eq!(escape_label_value("plain"), "plain");
}

#[test]
fn registry_encodes_every_metric() {
    let metrics = Metrics::new();
    metrics.register_feed("blog");
    metrics.poll("blog");
    metrics.poll("blog");
    metrics.not_modified("blog");
    metrics.fetch_error("news");
    metrics.posts_seen("blog", 3);
    metrics.alert(Platform::Telegram, AlertOutcome::Delivered);
    metrics.alert(Platform::Telegram, AlertOutcome::Edited);
    metrics.rate_limited(Platform::Discord);
    metrics.given_up(Platform::Telegram);
    metrics.delivery_wait(Duration::from_millis(700));
    metrics.set_in_flight(12);
    metrics.websub_notification("blog", true);
    metrics.websub_notification("blog", false);
    metrics.websub_notification("blog", true);
    metrics.websub_subscribe("blog", "requested");
    metrics.websub_subscribe("blog", "verified");
    metrics.latency(Duration::from_millis(1500));
    metrics.summary_time(Duration::from_micros(30));
    metrics.article_fetched();
    metrics.article_failure("timeout");
    metrics.article_time(Duration::from_millis(1200));
    metrics.set_outbox(4, Some(Duration::from_millis(2500)));
    metrics.set_feeds_failing(1);
    let expected = "\
# HELP sokbo_polls_total Feed fetches made.
# TYPE sokbo_polls_total counter
sokbo_polls_total{feed=\"blog\"} 2
# HELP sokbo_not_modified_total Feed fetches answered 304 Not Modified.
# TYPE sokbo_not_modified_total counter
sokbo_not_modified_total{feed=\"blog\"} 1
# HELP sokbo_fetch_errors_total Feed fetches or parses that failed.
# TYPE sokbo_fetch_errors_total counter
sokbo_fetch_errors_total{feed=\"blog\"} 0
sokbo_fetch_errors_total{feed=\"news\"} 1
# HELP sokbo_posts_seen_total Posts seen for the first time.
# TYPE sokbo_posts_seen_total counter
sokbo_posts_seen_total{feed=\"blog\"} 3
# HELP sokbo_alerts_total Delivery attempts by platform and outcome.
# TYPE sokbo_alerts_total counter
sokbo_alerts_total{platform=\"telegram\",outcome=\"delivered\"} 1
sokbo_alerts_total{platform=\"telegram\",outcome=\"edited\"} 1
# HELP sokbo_rate_limited_total Responses 429 Too Many Requests from a chat platform.
# TYPE sokbo_rate_limited_total counter
sokbo_rate_limited_total{platform=\"discord\"} 1
# HELP sokbo_deliveries_given_up_total Deliveries dropped after failing for delivery.give_up_after.
# TYPE sokbo_deliveries_given_up_total counter
sokbo_deliveries_given_up_total{platform=\"telegram\"} 1
# HELP sokbo_websub_notifications_total WebSub notifications received, by feed and outcome (accepted, rejected).
# TYPE sokbo_websub_notifications_total counter
sokbo_websub_notifications_total{feed=\"blog\",outcome=\"accepted\"} 2
sokbo_websub_notifications_total{feed=\"blog\",outcome=\"rejected\"} 1
# HELP sokbo_websub_subscribe_total WebSub subscribe requests and hub answers, by feed and outcome (requested, failed, verified, denied).
# TYPE sokbo_websub_subscribe_total counter
sokbo_websub_subscribe_total{feed=\"blog\",outcome=\"requested\"} 1
sokbo_websub_subscribe_total{feed=\"blog\",outcome=\"verified\"} 1
# HELP sokbo_article_pages_total Article pages fetched for full-text summaries.
# TYPE sokbo_article_pages_total counter
sokbo_article_pages_total 1
# HELP sokbo_article_failures_total Article pages that gave no text, by reason (fetch, extract, timeout).
# TYPE sokbo_article_failures_total counter
sokbo_article_failures_total{reason=\"extract\"} 0
sokbo_article_failures_total{reason=\"fetch\"} 0
sokbo_article_failures_total{reason=\"timeout\"} 1
# HELP sokbo_publish_to_sent_seconds Time from a post's publication to its alert's delivery.
# TYPE sokbo_publish_to_sent_seconds histogram
sokbo_publish_to_sent_seconds_bucket{le=\"0.05\"} 0
sokbo_publish_to_sent_seconds_bucket{le=\"0.1\"} 0
sokbo_publish_to_sent_seconds_bucket{le=\"0.25\"} 0
sokbo_publish_to_sent_seconds_bucket{le=\"0.5\"} 0
sokbo_publish_to_sent_seconds_bucket{le=\"1\"} 0
sokbo_publish_to_sent_seconds_bucket{le=\"2.5\"} 1
sokbo_publish_to_sent_seconds_bucket{le=\"5\"} 1
sokbo_publish_to_sent_seconds_bucket{le=\"10\"} 1
sokbo_publish_to_sent_seconds_bucket{le=\"30\"} 1
sokbo_publish_to_sent_seconds_bucket{le=\"60\"} 1
sokbo_publish_to_sent_seconds_bucket{le=\"120\"} 1
sokbo_publish_to_sent_seconds_bucket{le=\"300\"} 1
sokbo_publish_to_sent_seconds_bucket{le=\"600\"} 1
sokbo_publish_to_sent_seconds_bucket{le=\"1800\"} 1
sokbo_publish_to_sent_seconds_bucket{le=\"3600\"} 1
sokbo_publish_to_sent_seconds_bucket{le=\"+Inf\"} 1
sokbo_publish_to_sent_seconds_sum 1.5
sokbo_publish_to_sent_seconds_count 1
# HELP sokbo_summary_seconds Time to summarize one post.
# TYPE sokbo_summary_seconds histogram
sokbo_summary_seconds_bucket{le=\"0.00001\"} 0
sokbo_summary_seconds_bucket{le=\"0.000025\"} 0
sokbo_summary_seconds_bucket{le=\"0.00005\"} 1
sokbo_summary_seconds_bucket{le=\"0.0001\"} 1
sokbo_summary_seconds_bucket{le=\"0.00025\"} 1
sokbo_summary_seconds_bucket{le=\"0.0005\"} 1
sokbo_summary_seconds_bucket{le=\"0.001\"} 1
sokbo_summary_seconds_bucket{le=\"0.0025\"} 1
sokbo_summary_seconds_bucket{le=\"0.005\"} 1
sokbo_summary_seconds_bucket{le=\"0.01\"} 1
sokbo_summary_seconds_bucket{le=\"0.025\"} 1
sokbo_summary_seconds_bucket{le=\"0.1\"} 1
sokbo_summary_seconds_bucket{le=\"+Inf\"} 1
sokbo_summary_seconds_sum 0.00003
sokbo_summary_seconds_count 1
# HELP sokbo_delivery_wait_seconds Time from a delivery's queueing to its first attempt (its turn).
# TYPE sokbo_delivery_wait_seconds histogram
sokbo_delivery_wait_seconds_bucket{le=\"0.05\"} 0
sokbo_delivery_wait_seconds_bucket{le=\"0.1\"} 0
sokbo_delivery_wait_seconds_bucket{le=\"0.25\"} 0
sokbo_delivery_wait_seconds_bucket{le=\"0.5\"} 0
sokbo_delivery_wait_seconds_bucket{le=\"1\"} 1
sokbo_delivery_wait_seconds_bucket{le=\"2.5\"} 1
sokbo_delivery_wait_seconds_bucket{le=\"5\"} 1
sokbo_delivery_wait_seconds_bucket{le=\"10\"} 1
sokbo_delivery_wait_seconds_bucket{le=\"30\"} 1
sokbo_delivery_wait_seconds_bucket{le=\"60\"} 1
sokbo_delivery_wait_seconds_bucket{le=\"120\"} 1
sokbo_delivery_wait_seconds_bucket{le=\"300\"} 1
sokbo_delivery_wait_seconds_bucket{le=\"600\"} 1
sokbo_delivery_wait_seconds_bucket{le=\"1800\"} 1
sokbo_delivery_wait_seconds_bucket{le=\"3600\"} 1
sokbo_delivery_wait_seconds_bucket{le=\"+Inf\"} 1
sokbo_delivery_wait_seconds_sum 0.7
sokbo_delivery_wait_seconds_count 1
# HELP sokbo_article_seconds Time to fetch and extract one article page.
# TYPE sokbo_article_seconds histogram
sokbo_article_seconds_bucket{le=\"0.01\"} 0
sokbo_article_seconds_bucket{le=\"0.025\"} 0
sokbo_article_seconds_bucket{le=\"0.05\"} 0
sokbo_article_seconds_bucket{le=\"0.1\"} 0
sokbo_article_seconds_bucket{le=\"0.25\"} 0
sokbo_article_seconds_bucket{le=\"0.5\"} 0
sokbo_article_seconds_bucket{le=\"1\"} 0
sokbo_article_seconds_bucket{le=\"2\"} 1
sokbo_article_seconds_bucket{le=\"3\"} 1
sokbo_article_seconds_bucket{le=\"5\"} 1
sokbo_article_seconds_bucket{le=\"10\"} 1
sokbo_article_seconds_bucket{le=\"+Inf\"} 1
sokbo_article_seconds_sum 1.2
sokbo_article_seconds_count 1
# HELP sokbo_deliveries_in_flight Deliveries sent and not yet answered, all platforms.
# TYPE sokbo_deliveries_in_flight gauge
sokbo_deliveries_in_flight 12
# HELP sokbo_outbox_depth Deliveries waiting in the outbox.
# TYPE sokbo_outbox_depth gauge
sokbo_outbox_depth 4
# HELP sokbo_outbox_oldest_seconds Age of the oldest waiting delivery (0 when none waits).
# TYPE sokbo_outbox_oldest_seconds gauge
sokbo_outbox_oldest_seconds 2.5
# HELP sokbo_feeds_failing Feeds whose last fetch failed.
# TYPE sokbo_feeds_failing gauge
sokbo_feeds_failing 1
";
    assert_eq!(metrics.encode(), expected);
}

#[test]
fn registered_platforms_show_every_outcome_at_zero() {
    let metrics = Metrics::new();
    metrics.register_platform(Platform::Console);
    let text = metrics.encode();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("sokbo_alerts_total") || l.starts_with("sokbo_rate_limited"))
        .collect();
    assert_eq!(
        lines,
        [
            "sokbo_alerts_total{platform=\"console\",outcome=\"delivered\"} 0",
            "sokbo_alerts_total{platform=\"console\",outcome=\"dropped\"} 0",
            "sokbo_alerts_total{platform=\"console\",outcome=\"edited\"} 0",
            "sokbo_alerts_total{platform=\"console\",outcome=\"gone\"} 0",
            "sokbo_alerts_total{platform=\"console\",outcome=\"retried\"} 0",
            "sokbo_rate_limited_total{platform=\"console\"} 0",
        ]
    );
}

#[test]
fn clones_share_one_registry() {
    let metrics = Metrics::new();
    let clone = metrics.clone();
    clone.poll("a");
    assert!(
        metrics
            .encode()
            .contains("sokbo_polls_total{feed=\"a\"} 1\n")
    );
    assert_eq!(metrics.encode(), clone.encode());
}

#[test]
fn targets_name_their_platform() {
    let targets = [
        Target::Console,
        Target::TelegramChat { chat: "@x".into() },
        Target::DiscordChannel { channel: 1 },
        Target::DiscordWebhook {
            url: "https://discord.com/api/webhooks/1/secret".into(),
        },
    ];
    let names: Vec<&str> = targets.iter().map(|t| t.platform().as_str()).collect();
    assert_eq!(names, ["console", "telegram", "discord", "discord"]);
}
