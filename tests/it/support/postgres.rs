//! A throwaway PostgreSQL for the tests. `SOKBO_TEST_DATABASE_URL` names a server when set;
//! otherwise one cluster per test binary is started from the server binaries on this machine
//! (initdb and pg_ctl on a temporary folder and a free loopback port, as the `postgres` user
//! when run as root). Each test gets a fresh database. No PostgreSQL is a test failure, never a
//! silent skip.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::Connection;

/// The server every test of this binary uses: a URL of its `postgres` database.
fn server() -> &'static str {
    static SERVER: OnceLock<String> = OnceLock::new();
    SERVER.get_or_init(|| match std::env::var("SOKBO_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => start_cluster().unwrap_or_else(|e| {
            panic!(
                "the PostgreSQL tests need a server: set SOKBO_TEST_DATABASE_URL, or install the \
                 PostgreSQL server binaries (initdb, pg_ctl): {e}"
            )
        }),
    })
}

/// A URL of a new, empty database on the test server.
pub async fn fresh_database() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let base = server();
    let name = format!(
        "sokbo_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = sqlx::PgConnection::connect(base)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to the test PostgreSQL: {e}"));
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .unwrap_or_else(|e| panic!("cannot create database {name}: {e}"));
    let _ = admin.close().await;
    let mut url = url::Url::parse(base).expect("test server URL");
    url.set_path(&name);
    url.to_string()
}

/// Starts a cluster and returns the URL of its `postgres` database. A watcher stops it and
/// removes its folder when this process ends.
fn start_cluster() -> Result<String, String> {
    let bin = server_bin_dir().ok_or("initdb not found on PATH or in /usr/lib/postgresql/*/bin")?;
    let dir = tempfile::Builder::new()
        .prefix("sokbo-pg-")
        .tempdir()
        .map_err(|e| e.to_string())?
        .keep();
    let as_root = is_root();
    if as_root {
        chown_postgres(&dir)?;
    }
    let data = dir.join("data");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let initdb = bin.join("initdb");
    run(
        as_root,
        &initdb,
        &[
            "-D",
            path(&data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        ],
    )?;
    let options = format!(
        "-F -p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off",
        path(&dir)
    );
    let pg_ctl = bin.join("pg_ctl");
    let log = dir.join("log");
    run(
        as_root,
        &pg_ctl,
        &[
            "-D",
            path(&data),
            "-l",
            path(&log),
            "-w",
            "-o",
            &options,
            "start",
        ],
    )?;
    // Stop the cluster when the test binary exits, however it exits.
    let watcher = format!(
        "tail --pid={} -f /dev/null; '{}' -D '{}' -m immediate stop; rm -rf '{}'",
        std::process::id(),
        path(&pg_ctl),
        path(&data),
        path(&dir)
    );
    let mut cmd = command(as_root, Path::new("sh"), &["-c", &watcher]);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd.spawn()
        .map_err(|e| format!("cannot start the cluster watcher: {e}"))?;
    Ok(format!("postgres://postgres@127.0.0.1:{port}/postgres"))
}

fn server_bin_dir() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .find(|d| d.join("initdb").is_file() && d.join("pg_ctl").is_file());
    on_path.or_else(|| {
        let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| Some(e.ok()?.path().join("bin")))
            .filter(|d| d.join("initdb").is_file())
            .collect();
        found.sort();
        found.pop()
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn chown_postgres(dir: &Path) -> Result<(), String> {
    let status = Command::new("chown")
        .args(["postgres:postgres", path(dir)])
        .status()
        .map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "cannot hand {} to the postgres user",
            dir.display()
        ))
    }
}

/// `program args…`, through `runuser -u postgres --` when root (the server refuses root).
fn command(as_root: bool, program: &Path, args: &[&str]) -> Command {
    if as_root {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--", path(program)]).args(args);
        cmd
    } else {
        let mut cmd = Command::new(program);
        cmd.args(args);
        cmd
    }
}

fn run(as_root: bool, program: &Path, args: &[&str]) -> Result<(), String> {
    let out = command(as_root, program, args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} failed: {}{}",
            program.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}
