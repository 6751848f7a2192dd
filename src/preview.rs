//! `sokbo preview`: one source fetched and parsed once, its alerts printed (summarized from the
//! article pages where `full_text` applies, as alerts are); no state is touched.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use futures_util::StreamExt;

use crate::config::{Config, FeedConfig, FeedSource};
use crate::metrics::Metrics;
use crate::model::{Alert, Post};
use crate::pipeline::{build_alert, full_text_wanted, with_page};
use crate::render::console::{Labels, render};
use crate::source::article::ArticleFetcher;
use crate::source::feed::{FeedError, parse_feed};
use crate::source::http::{FetchOutcome, Fetcher, Validators};
use crate::source::jekyll::SiteOptions;
use crate::source::poll::Limits;
use crate::source::watch::{DirState, list_files, read_changed};
use crate::summary::{SummaryOptions, summarize};

/// Prints the alerts `source` (feed URL or file, post folder or post file) would send, newest
/// first.
pub async fn preview(config: &Config, source: &str, json: bool) -> anyhow::Result<()> {
    let (feed, posts) = load(config, source).await?;
    let posts = with_pages(config, &feed, posts).await?;
    let summary = SummaryOptions {
        max_chars: config.alerts.summary_max_chars,
        style: config.alerts.summary_style,
    };
    let mut alerts: Vec<Alert> = posts
        .iter()
        .map(|p| {
            build_alert(
                &feed,
                p,
                summarize(p, &summary),
                &config.alerts.breaking_keywords,
            )
        })
        .collect();
    alerts.sort_by_key(|a| std::cmp::Reverse(a.published));
    let mut out = std::io::stdout().lock();
    for alert in &alerts {
        if json {
            serde_json::to_writer(&mut out, alert)?;
            out.write_all(b"\n")?;
        } else {
            let labels = Labels::for_language(config.bot.language);
            out.write_all(render(alert, config.bot.timezone, labels, false).as_bytes())?;
        }
    }
    out.flush()?;
    Ok(())
}

/// `posts` summarized from their article pages where the feed's `full_text` applies, each page
/// within `alerts.full_text_timeout` like a new post's, `http.per_host` pages at a time.
async fn with_pages(
    config: &Config,
    feed: &FeedConfig,
    posts: Vec<Post>,
) -> anyhow::Result<Vec<Post>> {
    if !posts.iter().any(|p| full_text_wanted(feed.full_text, p)) {
        return Ok(posts);
    }
    let fetcher = Fetcher::new(&config.http).context("building the HTTP client")?;
    let articles = ArticleFetcher::new(fetcher, Limits::new(&config.http), Metrics::new());
    let timeout = config.alerts.full_text_timeout;
    let enriched = futures_util::stream::iter(posts)
        .map(|post| {
            let articles = &articles;
            async move {
                let wanted = full_text_wanted(feed.full_text, &post);
                let page = match post.link.as_deref() {
                    Some(url) if wanted => articles.page(url, timeout).await.ok(),
                    _ => None,
                };
                page.map_or(post.clone(), |page| with_page(&post, page))
            }
        })
        .buffered(config.http.per_host.max(1))
        .collect()
        .await;
    Ok(enriched)
}

/// The feed a source stands for (a configured one when it matches) and its posts.
async fn load(config: &Config, source: &str) -> anyhow::Result<(FeedConfig, Vec<Post>)> {
    if source.starts_with("http://") || source.starts_with("https://") {
        let feed = configured(config, |f| f.source.url() == Some(source)).unwrap_or_else(|| {
            adhoc(
                url::Url::parse(source)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_owned)),
                FeedSource::Http(source.to_owned()),
            )
        });
        let fetcher = Fetcher::new(&config.http).context("building the HTTP client")?;
        let FetchOutcome::Fetched(fetched) = fetcher
            .fetch(source, &Validators::default())
            .await
            .with_context(|| format!("fetching {source}"))?
        else {
            bail!("{source} answered 304 Not Modified to a request without validators");
        };
        let parsed = parse_feed(
            &fetched.body,
            fetched.content_type.as_deref(),
            &fetched.final_url,
        )
        .with_context(|| format!("parsing {source}"))?;
        return Ok((feed, parsed.posts));
    }
    let path = PathBuf::from(source);
    let meta = std::fs::metadata(&path).with_context(|| format!("cannot read {source}"))?;
    if meta.is_file()
        && let Some(posts) = feed_file(&path, source)?
    {
        let name = path.file_stem().map(|n| n.to_string_lossy().into_owned());
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        return Ok((adhoc(name, FeedSource::Folder(dir)), posts));
    }
    let (root, files) = if meta.is_dir() {
        (
            path.clone(),
            list_files(&path).with_context(|| format!("listing {source}"))?,
        )
    } else {
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        (root, BTreeSet::from([path.clone()]))
    };
    let feed = configured(config, |f| {
        f.source.folder().is_some_and(|p| same_dir(p, &root))
    })
    .unwrap_or_else(|| {
        adhoc(
            root.file_name().map(|n| n.to_string_lossy().into_owned()),
            FeedSource::Folder(root.clone()),
        )
    });
    let site = SiteOptions {
        site_url: feed.site_url.clone(),
        permalink: feed.permalink.clone(),
        timezone: config.bot.timezone,
    };
    let mut state = DirState::default();
    let posts = read_changed(&root, &files, &site, &mut state);
    if posts.is_empty() && !meta.is_dir() {
        bail!("{source} is not a post file with front matter");
    }
    Ok((feed, posts))
}

/// The posts of a local file that is a feed (RSS, Atom, RDF, JSON Feed); `None` for a file
/// that is not one (a post file with front matter, say), which is read as a post.
fn feed_file(path: &Path, source: &str) -> anyhow::Result<Option<Vec<Post>>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {source}"))?;
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    if text.trim_ascii_start().starts_with(b"---") {
        return Ok(None);
    }
    // No URL: relative links resolve against the feed's own link.
    match parse_feed(&bytes, None, "") {
        Ok(parsed) => Ok(Some(parsed.posts)),
        Err(FeedError::NotAFeed | FeedError::Empty) => Ok(None),
        Err(e) => Err(e).with_context(|| format!("parsing {source}")),
    }
}

fn configured(config: &Config, pred: impl Fn(&FeedConfig) -> bool) -> Option<FeedConfig> {
    config.feeds.iter().find(|f| pred(f)).cloned()
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn adhoc(name: Option<String>, source: FeedSource) -> FeedConfig {
    let name = name
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "preview".into());
    FeedConfig::new(name, source)
}
