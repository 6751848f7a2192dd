//! Command line: `run`, `check`, `health`, `feeds`, `preview`, `store`, `cluster`; exit codes 0 ok, 1 runtime error,
//! 2 usage/config error (`health` exits 1 for every failure: Docker reserves 2).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use tokio_util::sync::CancellationToken;

use crate::config::Config;

#[derive(Debug, Parser)]
#[command(
    name = "sokbo",
    version,
    about = "Breaking-news alerts from feeds and post folders to chat"
)]
pub struct Cli {
    /// Log line format (logs go to stderr; RUST_LOG sets the level).
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the bot.
    Run {
        #[arg(long, env = "SOKBO_CONFIG", default_value = "config.toml")]
        config: PathBuf,
    },
    /// Validate the config and sources, print what would run.
    Check {
        #[arg(long, env = "SOKBO_CONFIG", default_value = "config.toml")]
        config: PathBuf,
        /// Also fetch and parse every http feed once.
        #[arg(long)]
        online: bool,
    },
    /// Ask the running bot's /healthz (at `server.listen`); exit 0 when it answers 200.
    Health {
        #[arg(long, env = "SOKBO_CONFIG", default_value = "config.toml")]
        config: PathBuf,
        /// How long to wait for the answer.
        #[arg(long, default_value = "5s", value_parser = humantime::parse_duration)]
        timeout: std::time::Duration,
    },
    /// Move feed lists in and out: OPML export, and import as `[[feeds]]` entries.
    Feeds {
        #[command(subcommand)]
        action: FeedsAction,
        #[arg(
            long,
            env = "SOKBO_CONFIG",
            default_value = "config.toml",
            global = true
        )]
        config: PathBuf,
    },
    /// A cluster of nodes on one PostgreSQL: `status` prints nodes, leases and poll lag.
    Cluster {
        #[command(subcommand)]
        action: ClusterAction,
    },
    /// Storage upkeep: PostgreSQL migrations, and moving an installation between backends.
    Store {
        #[command(subcommand)]
        action: StoreAction,
    },
    /// Fetch and parse one source once and print the alerts it would send; changes no state.
    Preview {
        /// A feed URL, a folder of posts, or one post file.
        source: String,
        /// One JSON object per alert per line.
        #[arg(long)]
        json: bool,
        /// Config for summary length, time zone and breaking keywords (defaults when absent).
        #[arg(long, env = "SOKBO_CONFIG")]
        config: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClusterAction {
    /// Print the nodes, their leases and their poll lag, as the database sees them.
    Status {
        #[arg(long, env = "SOKBO_CONFIG", default_value = "config.toml")]
        config: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum StoreAction {
    /// Apply the PostgreSQL migrations this build carries to `[store] url` (sled needs none).
    Migrate {
        #[arg(long, env = "SOKBO_CONFIG", default_value = "config.toml")]
        config: PathBuf,
    },
    /// Copy everything from one store to another, empty one: a sled folder or a
    /// postgres:// URL on either side. Prints the records copied per kind.
    Copy {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum FeedsAction {
    /// Print the configured http(s) feeds as OPML (for other readers).
    Export,
    /// Read an OPML file and print `[[feeds]]` entries for the feeds not configured yet, ready
    /// to append to the config (`sokbo feeds import subs.opml >> config.toml`).
    Import { file: PathBuf },
}

/// Exit code for a usage or config error.
pub const EXIT_USAGE: u8 = 2;

/// Sets up logging on stderr.
pub fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// Runs a parsed command line to its exit code.
pub async fn execute(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Run { config } => {
            let Some(config) = load(&config) else {
                return ExitCode::from(EXIT_USAGE);
            };
            let shutdown = CancellationToken::new();
            tokio::spawn(stop_on_signal(shutdown.clone()));
            match crate::app::run(config, shutdown).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    tracing::error!("{e:#}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check { config, online } => {
            let Some(config) = load(&config) else {
                return ExitCode::from(EXIT_USAGE);
            };
            crate::check::check(&config, online).await
        }
        Command::Health { config, timeout } => match load(&config) {
            Some(config) => crate::healthcheck::health(&config, timeout).await,
            None => ExitCode::FAILURE,
        },
        Command::Feeds { action, config } => crate::feeds_cli::feeds(&action, &config),
        Command::Store { action } => store(action).await,
        Command::Cluster {
            action: ClusterAction::Status { config },
        } => cluster_status(&config).await,
        Command::Preview {
            source,
            json,
            config,
        } => {
            let config = match config {
                Some(path) => match load(&path) {
                    Some(c) => c,
                    None => return ExitCode::from(EXIT_USAGE),
                },
                None => Config::default(),
            };
            match crate::preview::preview(&config, &source, json).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// `sokbo cluster status`.
async fn cluster_status(path: &std::path::Path) -> ExitCode {
    use crate::storage::{Location, Store};
    let Some(config) = load(path) else {
        return ExitCode::from(EXIT_USAGE);
    };
    let location = config.store_location();
    let Location::Postgres(url) = &location else {
        println!("{location}: one node (sled); clusters need [store] url on PostgreSQL");
        return ExitCode::SUCCESS;
    };
    let report = async {
        let store = Store::postgres(url, false).await?;
        let cluster = store.cluster().expect("a PostgreSQL store");
        let (nodes, leases) = (cluster.nodes().await?, cluster.leases().await?);
        Ok::<_, crate::storage::StoreError>(crate::cluster::status_report(
            &nodes,
            &leases,
            config.cluster.lease_ttl,
        ))
    };
    match report.await {
        Ok(report) => {
            println!("cluster on {location}");
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `sokbo store migrate | copy`.
async fn store(action: StoreAction) -> ExitCode {
    use crate::storage::{Location, Store, copy};
    let result = match action {
        StoreAction::Migrate { config } => {
            let Some(config) = load(&config) else {
                return ExitCode::from(EXIT_USAGE);
            };
            let location = config.store_location();
            match &location {
                Location::Sled(_) => {
                    println!("{location}: sled needs no migrations");
                    return ExitCode::SUCCESS;
                }
                Location::Postgres(url) => Store::postgres(url, true)
                    .await
                    .map(|_| println!("{location}: migrations applied")),
            }
        }
        StoreAction::Copy { from, to } => {
            if from.trim().is_empty() || to.trim().is_empty() {
                eprintln!("error: --from and --to each need a sled folder or a postgres:// URL");
                return ExitCode::from(EXIT_USAGE);
            }
            let (from, to) = (Location::parse(&from), Location::parse(&to));
            copy(&from, &to).await.map(|report| {
                println!("copied {from} → {to}:");
                print!("{report}");
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn load(path: &std::path::Path) -> Option<Config> {
    match Config::load(path) {
        Ok(c) => {
            for warning in c.warnings() {
                tracing::warn!("{}: {warning}", path.display());
            }
            Some(c)
        }
        Err(e) => {
            eprintln!("error: {e}");
            None
        }
    }
}

/// Cancels `shutdown` on SIGINT or SIGTERM; a second signal exits at once.
async fn stop_on_signal(shutdown: CancellationToken) {
    wait_for_signal().await;
    tracing::info!("stopping: finishing the deliveries in flight (signal again to quit at once)");
    shutdown.cancel();
    wait_for_signal().await;
    std::process::exit(130);
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => drop(tokio::signal::ctrl_c().await),
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
