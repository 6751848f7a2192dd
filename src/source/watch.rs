//! Post directories: filesystem events (debounced) plus a periodic rescan as fallback.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use notify::{RecursiveMode, Watcher};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::config::{FeedConfig, FeedSource};
use crate::model::Post;
use crate::pipeline::Pipeline;
use crate::source::jekyll::{SiteOptions, is_post_file, parse_post};

/// How long a file must stay quiet before it is read.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// What is known of each file, so unchanged files are not parsed again.
#[derive(Default)]
pub struct DirState {
    /// path → (mtime, len) of the last read.
    files: HashMap<PathBuf, (SystemTime, u64)>,
    /// path → last error shown, so a broken file is reported once per change.
    errors: HashMap<PathBuf, String>,
}

/// Reads the post files among `paths` that changed since last time. Errors are logged once.
pub fn read_changed(
    root: &Path,
    paths: &BTreeSet<PathBuf>,
    site: &SiteOptions,
    state: &mut DirState,
) -> Vec<Post> {
    let mut posts = Vec::new();
    for path in paths {
        if !is_post_file(path) {
            continue;
        }
        let Ok(meta) = std::fs::metadata(path) else {
            state.files.remove(path);
            state.errors.remove(path);
            continue;
        };
        let stamp = (
            meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            meta.len(),
        );
        if !meta.is_file() || state.files.get(path) == Some(&stamp) {
            continue;
        }
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let result = std::fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_owned()))
            .and_then(|text| {
                let mtime = meta.modified().ok().map(DateTime::<Utc>::from);
                parse_post(rel, &text, site, mtime).map_err(|e| e.to_string())
            });
        match result {
            Ok(post) => {
                state.files.insert(path.clone(), stamp);
                if state.errors.remove(path).is_some() {
                    tracing::info!(path = %path.display(), "post file readable again");
                }
                posts.extend(post);
            }
            Err(message) => {
                if state.errors.get(path) != Some(&message) {
                    tracing::warn!(path = %path.display(), "skipping post file: {message}");
                    state.errors.insert(path.clone(), message);
                }
            }
        }
    }
    posts
}

/// Every post file below `root`, skipping hidden folders and Jekyll's output folder.
pub fn list_files(root: &Path) -> std::io::Result<BTreeSet<PathBuf>> {
    let mut out = BTreeSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if entry.file_type()?.is_dir() {
                if !name.starts_with('.') && name != "_site" {
                    stack.push(path);
                }
            } else if is_post_file(&path) {
                out.insert(path);
            }
        }
    }
    Ok(out)
}

/// Watches one post directory until `shutdown`, feeding new and changed posts to the pipeline.
/// `now` asks for a rescan at once (instant triggers).
pub async fn watch_dir(
    pipeline: Arc<Pipeline>,
    feed: FeedConfig,
    site: SiteOptions,
    now: Arc<tokio::sync::Notify>,
    shutdown: CancellationToken,
) {
    let FeedSource::Folder(configured) = feed.source.clone() else {
        return;
    };
    // Events carry absolute paths: work from the canonical folder so keys never depend on how
    // the path was written.
    let root = std::fs::canonicalize(&configured).unwrap_or(configured);
    let (tx, mut rx) = mpsc::unbounded_channel::<PathBuf>();
    let handler = move |res: notify::Result<notify::Event>| match res {
        Ok(event) => event.paths.into_iter().for_each(|p| drop(tx.send(p))),
        Err(e) => tracing::warn!("file watch error: {e}"),
    };
    let watcher = notify::recommended_watcher(handler).and_then(|mut w| {
        w.watch(&root, RecursiveMode::Recursive)?;
        Ok(w)
    });
    if let Err(e) = &watcher {
        tracing::warn!(feed = %feed.name, path = %root.display(), "cannot watch the folder ({e}); rescanning every {:?}", feed.interval);
    }
    let state = Arc::new(std::sync::Mutex::new(DirState::default()));
    let mut missing_logged = false;
    let mut next_rescan = tokio::time::Instant::now();
    loop {
        let mut changed = BTreeSet::new();
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = now.notified() => next_rescan = tokio::time::Instant::now(),
            _ = tokio::time::sleep_until(next_rescan) => {
                next_rescan = tokio::time::Instant::now() + feed.interval;
                match list_files(&root) {
                    Ok(files) => { missing_logged = false; changed = files; }
                    Err(e) => {
                        if !missing_logged {
                            tracing::warn!(feed = %feed.name, path = %root.display(), "cannot read the post folder: {e}");
                            missing_logged = true;
                        }
                        continue;
                    }
                }
            }
            Some(path) = rx.recv() => {
                changed.insert(path);
                // Debounce: wait until the folder is quiet, so half-written files settle.
                loop {
                    tokio::select! {
                        Some(path) = rx.recv() => { changed.insert(path); }
                        _ = tokio::time::sleep(DEBOUNCE) => break,
                    }
                }
            }
        }
        let (st, site2, root2) = (state.clone(), site.clone(), root.clone());
        let posts = tokio::task::spawn_blocking(move || {
            let mut st = st.lock().unwrap_or_else(|e| e.into_inner());
            read_changed(&root2, &changed, &site2, &mut st)
        })
        .await
        .unwrap_or_default();
        if posts.is_empty()
            && pipeline
                .store()
                .feed_state(&feed.name)
                .await
                .is_ok_and(|s| s.initialized)
        {
            continue;
        }
        match pipeline.ingest(&feed, posts, None, Utc::now()).await {
            Ok(r) if r.new_posts > 0 => {
                tracing::info!(feed = %feed.name, new = r.new_posts, alerts = r.alerts, "new posts")
            }
            Ok(_) => {}
            Err(e) => tracing::error!(feed = %feed.name, "cannot record posts: {e}"),
        }
    }
    drop(watcher);
}
