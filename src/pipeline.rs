//! New-post detection: parsed posts → seen marks, alerts and outbox deliveries in one sled transaction.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::Notify;

use crate::config::{Config, FeedConfig, RouteConfig};
use crate::outbox::{Delivery, OutboxKey, Target};
use crate::post::{Alert, Post};
use crate::store::{FeedState, IngestBatch, SeenRecord, Store, StoreError};
use crate::summary::{SummaryOptions, summarize};

/// What one ingest did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestReport {
    /// Posts not seen before.
    pub new_posts: usize,
    /// Alerts queued (new posts minus the quiet part of a first sight).
    pub alerts: usize,
    /// Deliveries written to the outbox (alerts and edits).
    pub deliveries: usize,
    /// Alerted posts whose title or summary changed: their sent messages are edited.
    pub corrections: usize,
}

/// Everything ingest needs besides the store; shared by all sources.
pub struct Pipeline {
    store: Store,
    summary: SummaryOptions,
    breaking_keywords: Vec<String>,
    backlog: usize,
    retention: chrono::Duration,
    routes: Vec<(RouteConfig, Target)>,
    console: bool,
    wake: Arc<Notify>,
}

impl Pipeline {
    /// `routes` are the configured routes whose platform is running; `console` sends every alert
    /// to the console too.
    pub fn new(
        store: Store,
        config: &Config,
        routes: Vec<(RouteConfig, Target)>,
        console: bool,
        wake: Arc<Notify>,
    ) -> Pipeline {
        Pipeline {
            store,
            summary: SummaryOptions {
                max_chars: config.alerts.summary_max_chars,
                style: config.alerts.summary_style,
            },
            breaking_keywords: config.alerts.breaking_keywords.clone(),
            backlog: config.alerts.backlog,
            retention: chrono::Duration::from_std(config.alerts.seen_retention)
                .unwrap_or(chrono::Duration::MAX),
            routes,
            console,
            wake,
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Records `posts` of `feed`: new ones are marked seen and alerted (on first sight of the
    /// feed, only the `backlog` newest), atomically with `state` when given.
    pub fn ingest(
        &self,
        feed: &FeedConfig,
        posts: Vec<Post>,
        state: Option<FeedState>,
        now: DateTime<Utc>,
    ) -> Result<IngestReport, StoreError> {
        let stored = self.store.feed_state(&feed.name)?;
        let first_sight = !stored.initialized;
        let mut keys = HashSet::new();
        let mut fresh = Vec::new();
        let mut changed = Vec::new();
        for post in posts {
            if !keys.insert(post.key.clone()) {
                continue;
            }
            match self.store.seen(&feed.name, &post.key)? {
                None => fresh.push(post),
                Some(rec) if rec.fingerprint != fingerprint(&post) => changed.push((post, rec)),
                Some(_) => {}
            }
        }
        let cutoff = now - self.retention;
        let alerted = choose_alerts(&mut fresh, first_sight, self.backlog, cutoff);
        let mut batch = IngestBatch::default();
        let mut report = IngestReport {
            new_posts: fresh.len(),
            ..Default::default()
        };
        for (i, post) in fresh.iter().enumerate() {
            batch.seen.push((
                post.key.clone(),
                SeenRecord {
                    first_seen: now.timestamp(),
                    fingerprint: fingerprint(post),
                },
            ));
            if !alerted[i] {
                continue;
            }
            let alert = build_alert(feed, post, &self.summary, &self.breaking_keywords);
            for target in self.targets_for(&alert) {
                let seq = self.store.next_id()?;
                batch.deliveries.push((
                    OutboxKey::new(alert.breaking, seq),
                    Delivery {
                        feed: feed.name.clone(),
                        key: alert.key.clone(),
                        target,
                        attempts: 0,
                        not_before: 0,
                        edit: false,
                    },
                ));
            }
            report.alerts += 1;
            batch.alerts.push(alert);
        }
        for (post, rec) in changed {
            let fingerprint = fingerprint(&post);
            batch
                .seen
                .push((post.key.clone(), SeenRecord { fingerprint, ..rec }));
            if self.correct(feed, &post, &mut batch)? {
                report.corrections += 1;
            }
        }
        report.deliveries = batch.deliveries.len();
        let mut next = state.unwrap_or(stored);
        next.initialized = true;
        batch.feed_state = Some(next);
        self.store.ingest(&feed.name, &batch)?;
        self.store.note_categories(
            fresh
                .iter()
                .flat_map(|p| &p.categories)
                .chain(&feed.categories),
        )?;
        if report.deliveries > 0 {
            self.wake.notify_one();
        }
        Ok(report)
    }

    /// Queues edits of the messages an alerted post got, when what they show changed.
    fn correct(
        &self,
        feed: &FeedConfig,
        post: &Post,
        batch: &mut IngestBatch,
    ) -> Result<bool, StoreError> {
        let Some(previous) = self.store.alert(&feed.name, &post.key)? else {
            return Ok(false);
        };
        let mut alert = build_alert(feed, post, &self.summary, &self.breaking_keywords);
        // A correction keeps the alert's place in time and its breaking mark.
        alert.published = previous.published.or(alert.published);
        alert.breaking = previous.breaking;
        if alert == previous {
            return Ok(false);
        }
        for sent in self.store.sent_for(&feed.name, &post.key)? {
            let seq = self.store.next_id()?;
            batch.deliveries.push((
                OutboxKey::new(alert.breaking, seq),
                Delivery {
                    feed: feed.name.clone(),
                    key: alert.key.clone(),
                    target: sent.target,
                    attempts: 0,
                    not_before: 0,
                    edit: true,
                },
            ));
        }
        batch.alerts.push(alert);
        Ok(true)
    }

    /// The targets an alert goes to: the console (when on) and every matching route.
    pub fn targets_for(&self, alert: &Alert) -> Vec<Target> {
        let mut targets = Vec::new();
        if self.console {
            targets.push(Target::Console);
        }
        for (route, target) in &self.routes {
            if route_matches(route, alert) && !targets.contains(target) {
                targets.push(target.clone());
            }
        }
        targets
    }
}

/// Orders `fresh` oldest first and says which of them to alert: on first sight the `backlog`
/// newest; later, all of them but posts published before `cutoff` (old posts a feed brings back
/// after their seen mark was forgotten).
pub fn choose_alerts(
    fresh: &mut [Post],
    first_sight: bool,
    backlog: usize,
    cutoff: DateTime<Utc>,
) -> Vec<bool> {
    // Feeds list newest first; a stable sort keeps that order among undated posts, reversed.
    fresh.reverse();
    fresh.sort_by_key(|p| p.published);
    let n = fresh.len();
    (0..n)
        .map(|i| {
            if first_sight {
                i + backlog >= n
            } else {
                fresh[i].published.is_none_or(|p| p >= cutoff)
            }
        })
        .collect()
}

/// The alert a post makes in `feed`.
pub fn build_alert(
    feed: &FeedConfig,
    post: &Post,
    summary: &SummaryOptions,
    breaking_keywords: &[String],
) -> Alert {
    let mut categories: Vec<String> = Vec::new();
    for c in post.categories.iter().chain(&feed.categories) {
        if !categories.iter().any(|k| k.eq_ignore_ascii_case(c)) {
            categories.push(c.clone());
        }
    }
    let title_lower = post.title.to_lowercase();
    let breaking = feed.breaking
        || breaking_keywords
            .iter()
            .any(|k| !k.is_empty() && title_lower.contains(&k.to_lowercase()));
    Alert {
        feed: feed.name.clone(),
        key: post.key.clone(),
        title: post.title.clone(),
        link: post.link.clone(),
        source_links: post.source_links.clone(),
        categories,
        summary: summarize(post, summary),
        image: post.image.clone(),
        published: post.published,
        breaking,
    }
}

/// Whether a route takes an alert: its feed and category filters (empty = all) both pass.
pub fn route_matches(route: &RouteConfig, alert: &Alert) -> bool {
    let feed_ok = route.feeds.is_empty() || route.feeds.iter().any(|f| f == &alert.feed);
    let cat_ok = route.categories.is_empty()
        || route
            .categories
            .iter()
            .any(|c| alert.categories.iter().any(|a| a.eq_ignore_ascii_case(c)));
    feed_ok && cat_ok
}

/// Hash of what a post says (its raw fields, not the summary, so a new summarizer does not
/// count as a correction), to notice corrections later.
pub fn fingerprint(post: &Post) -> String {
    let mut h = blake3::Hasher::new();
    for part in [
        Some(&post.title),
        post.excerpt.as_ref(),
        post.feature_text.as_ref(),
        post.body_html.as_ref(),
        post.link.as_ref(),
        post.image.as_ref(),
    ] {
        h.update(part.map_or("", |s| s.as_str()).as_bytes());
        h.update(b"\0");
    }
    h.finalize().to_hex()[..16].to_owned()
}
