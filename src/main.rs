//! The `sokbo` binary: tune the allocator, parse the command line, set up logging, run.

use std::process::ExitCode;

use clap::Parser;
use sokbo::cli::{Cli, EXIT_USAGE, execute, init_tracing};

fn main() -> ExitCode {
    sokbo::memory::tune_allocator();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    init_tracing(cli.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(execute(cli))
}
