//! `sokbo feeds export` / `sokbo feeds import FILE.opml`: feed lists to and from other readers.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::{EXIT_USAGE, FeedsAction};
use crate::config::Config;
use crate::opml;

/// Runs a `feeds` action; the config is read when it exists (import skips feeds it has).
pub fn feeds(action: &FeedsAction, config_path: &Path) -> ExitCode {
    let config = if config_path.exists() || matches!(action, FeedsAction::Export) {
        match Config::load(config_path) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(EXIT_USAGE);
            }
        }
    } else {
        Config::default()
    };
    match action {
        FeedsAction::Export => {
            print!("{}", opml::export(&config.feeds));
            ExitCode::SUCCESS
        }
        FeedsAction::Import { file } => {
            let text = match std::fs::read_to_string(file) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: {}: {e}", file.display());
                    return ExitCode::FAILURE;
                }
            };
            let imported = match opml::import_report(&text) {
                Ok(i) => i,
                Err(e) => {
                    eprintln!("error: {}: {e}", file.display());
                    return ExitCode::FAILURE;
                }
            };
            for skipped in &imported.skipped {
                eprintln!("skipped {:?}: {}", skipped.name, skipped.reason);
            }
            let total = imported.feeds.len();
            let new = opml::new_feeds(&config.feeds, imported.feeds);
            eprintln!(
                "{} new feed(s), {} already configured",
                new.len(),
                total - new.len()
            );
            print!("{}", opml::to_toml(&new));
            ExitCode::SUCCESS
        }
    }
}
