//! `sokbo check`: what a run would use, with every problem found before it starts.

mod tokens;

use std::process::ExitCode;

use crate::app::{console_enabled, route_target};
use crate::config::{Config, FeedSource};
use crate::model::Platform;
use crate::source::feed::parse_feed;
use crate::source::http::{FetchOutcome, Fetcher, Validators};
use crate::source::watch::list_files;

/// Checks sources, routes and the data folder; prints a table; exit 1 when something is wrong.
/// With `online`, every http feed is fetched and parsed once.
pub async fn check(config: &Config, online: bool) -> ExitCode {
    let mut problems = 0;
    println!("{:<20} {:<6} {:<8} SOURCE / STATE", "FEED", "KIND", "EVERY");
    let fetcher = match Fetcher::new(&config.http) {
        Ok(f) => Some(f),
        Err(e) => {
            problems += 1;
            println!("http client — ERROR: {e}");
            None
        }
    };
    for feed in &config.feeds {
        let every = humantime::format_duration(feed.interval).to_string();
        match &feed.source {
            FeedSource::Http(url) => {
                let state = match (&fetcher, online) {
                    (Some(fetcher), true) => match fetch_once(fetcher, url, &feed.request).await {
                        Ok(posts) => format!("{url} (ok, {posts} posts)"),
                        Err(e) => {
                            problems += 1;
                            format!("{url} — ERROR: {e}")
                        }
                    },
                    _ => url.clone(),
                };
                println!("{:<20} {:<6} {:<8} {state}", feed.name, "http", every);
            }
            FeedSource::Folder(path) => {
                let state = match list_files(path) {
                    Ok(files) => format!("{} ({} post files)", path.display(), files.len()),
                    Err(e) => {
                        problems += 1;
                        format!("{} — ERROR: {e}", path.display())
                    }
                };
                println!("{:<20} {:<6} {:<8} {state}", feed.name, "folder", every);
            }
        }
    }
    println!();
    println!("{:<20} FILTER", "ROUTE");
    if console_enabled(config) {
        let console = Platform::Console.as_str();
        println!("{console:<20} every alert (no chat token set)");
    }
    for route in &config.routes {
        if let Some(target) = route_target(route) {
            let cats = if route.categories.is_empty() {
                "all".to_owned()
            } else {
                route.categories.join(", ")
            };
            println!("{:<20} categories: {cats}", target.id());
        }
    }
    println!();
    problems += tokens::print(config);
    match config.store_location() {
        crate::storage::Location::Sled(dir) => {
            match std::fs::create_dir_all(&dir).and_then(|()| tempfile_in(&dir)) {
                Ok(()) => println!("data folder {} is writable", dir.display()),
                Err(e) => {
                    problems += 1;
                    println!("data folder {} — ERROR: {e}", dir.display());
                }
            }
        }
        location @ crate::storage::Location::Postgres(_) => {
            // `check` changes nothing: it connects without applying migrations.
            let url = config.store.url.as_str();
            match crate::storage::Store::postgres(url, false).await {
                Ok(_) => println!("{location} answers"),
                Err(crate::storage::StoreError::Migrate(why)) => {
                    println!("{location} answers; {why}")
                }
                Err(e) => {
                    problems += 1;
                    println!("{location} — ERROR: {e}");
                }
            }
        }
    }
    if problems == 0 {
        println!("ok");
        ExitCode::SUCCESS
    } else {
        println!("{problems} problem(s)");
        ExitCode::FAILURE
    }
}

/// Fetches and parses a feed once; the number of posts it holds.
async fn fetch_once(
    fetcher: &Fetcher,
    url: &str,
    request: &crate::config::RequestSettings,
) -> Result<usize, String> {
    match fetcher
        .fetch_with(url, &Validators::default(), request)
        .await
        .map_err(|e| e.to_string())?
    {
        FetchOutcome::Fetched(f) => parse_feed(&f.body, f.content_type.as_deref(), &f.final_url)
            .map(|parsed| parsed.posts.len())
            .map_err(|e| e.to_string()),
        FetchOutcome::NotModified { .. } => {
            Err("answered 304 to a request without validators".into())
        }
    }
}

fn tempfile_in(dir: &std::path::Path) -> std::io::Result<()> {
    let probe = dir.join(format!(".sokbo-check-{}", std::process::id()));
    std::fs::write(&probe, b"ok")?;
    std::fs::remove_file(&probe)
}
