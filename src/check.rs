//! `sokbo check`: what a run would use, with every problem found before it starts.

use std::process::ExitCode;

use crate::app::{console_enabled, route_target};
use crate::config::Config;
use crate::source::watch::list_files;

/// Checks sources, routes and the data folder; prints a table; exit 1 when something is wrong.
pub fn check(config: &Config) -> ExitCode {
    let mut problems = 0;
    println!("{:<20} {:<6} {:<8} SOURCE / STATE", "FEED", "KIND", "EVERY");
    for feed in &config.feeds {
        let every = humantime::format_duration(feed.interval).to_string();
        if let Some(url) = &feed.url {
            println!("{:<20} {:<6} {:<8} {url}", feed.name, "http", every);
        } else if let Some(path) = &feed.path {
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
    println!();
    println!("{:<20} FILTER", "ROUTE");
    if console_enabled(config) {
        println!("{:<20} every alert (no chat token set)", "console");
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
    let dir = &config.bot.data_dir;
    match std::fs::create_dir_all(dir).and_then(|()| tempfile_in(dir)) {
        Ok(()) => println!("data folder {} is writable", dir.display()),
        Err(e) => {
            problems += 1;
            println!("data folder {} — ERROR: {e}", dir.display());
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

fn tempfile_in(dir: &std::path::Path) -> std::io::Result<()> {
    let probe = dir.join(format!(".sokbo-check-{}", std::process::id()));
    std::fs::write(&probe, b"ok")?;
    std::fs::remove_file(&probe)
}
