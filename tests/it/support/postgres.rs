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
        _ => {
            let cluster = Cluster::start(false).unwrap_or_else(|e| {
                panic!(
                    "the PostgreSQL tests need a server: set SOKBO_TEST_DATABASE_URL, or install \
                     the PostgreSQL server binaries (initdb, pg_ctl): {e}"
                )
            });
            let url = cluster.url("postgres");
            // Lives as long as the test binary; its watcher removes it at exit.
            std::mem::forget(cluster);
            url
        }
    })
}

/// A URL of a new, empty database on the shared test server.
pub async fn fresh_database() -> String {
    create_database(server()).await
}

/// Creates a new database on the server of `base` (a URL of an existing database); returns
/// its URL.
pub async fn create_database(base: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
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

/// A PostgreSQL cluster of its own, in a temporary folder on a free loopback port; it can be
/// stopped and started again (a database that goes away). Removed when dropped, and by a
/// watcher when the test process ends first.
pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    as_root: bool,
}

impl Cluster {
    /// initdb, then start. `durable`: fsync on, as in production (benchmarks); off for tests.
    pub fn start(durable: bool) -> Result<Cluster, String> {
        let bin =
            server_bin_dir().ok_or("initdb not found on PATH or in /usr/lib/postgresql/*/bin")?;
        let dir = tempfile::Builder::new()
            .prefix("sokbo-pg-")
            .tempdir()
            .map_err(|e| e.to_string())?
            .keep();
        let as_root = is_root();
        if as_root {
            chown_postgres(&dir)?;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let cluster = Cluster {
            bin,
            dir,
            port,
            as_root,
        };
        let data = cluster.data();
        let initdb = cluster.bin.join("initdb");
        let mut args = vec!["-D", path(&data), "-A", "trust", "-U", "postgres"];
        args.extend(["-E", "UTF8", "--locale=C"]);
        if !durable {
            args.push("--no-sync");
        }
        run(as_root, &initdb, &args)?;
        let fsync = if durable { "on" } else { "off" };
        std::fs::write(
            data.join("postgresql.auto.conf"),
            format!(
                "port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\n\
                 max_connections = 400\nfsync = {fsync}\n",
                path(&cluster.dir)
            ),
        )
        .map_err(|e| e.to_string())?;
        cluster.watch()?;
        cluster.resume()?;
        Ok(cluster)
    }

    /// The URL of database `name` on this cluster.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Stops the server (fast shutdown: connections are cut).
    pub fn pause(&self) -> Result<(), String> {
        self.pg_ctl(&["-m", "fast", "stop"])
    }

    /// Starts the server (again), on the same port and data.
    pub fn resume(&self) -> Result<(), String> {
        let log = self.dir.join("log");
        self.pg_ctl(&["-l", path(&log), "start"])
    }

    /// Restarts the server (fast: connections are cut), on the same port and data.
    pub fn restart(&self) -> Result<(), String> {
        let log = self.dir.join("log");
        self.pg_ctl(&["-m", "fast", "-l", path(&log), "restart"])
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn pg_ctl(&self, args: &[&str]) -> Result<(), String> {
        let data = self.data();
        let mut all = vec!["-D", path(&data), "-w"];
        all.extend(args);
        run(self.as_root, &self.bin.join("pg_ctl"), &all)
    }

    /// Stops the cluster and removes its folder when this process ends, however it ends.
    fn watch(&self) -> Result<(), String> {
        let watcher = format!(
            "tail --pid={} -f /dev/null; '{}' -D '{}' -m immediate stop; rm -rf '{}'",
            std::process::id(),
            path(&self.bin.join("pg_ctl")),
            path(&self.data()),
            path(&self.dir)
        );
        let mut cmd = command(self.as_root, Path::new("sh"), &["-c", &watcher]);
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd.spawn()
            .map_err(|e| format!("cannot start the cluster watcher: {e}"))?;
        Ok(())
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.pg_ctl(&["-m", "immediate", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
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
