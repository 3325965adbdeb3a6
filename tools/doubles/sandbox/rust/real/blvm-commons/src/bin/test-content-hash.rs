//! test-content-hash: see the usage line.

use blvm_sdk::cli::{self, CliError};
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main_with(
        "test-content-hash",
        &blvm_commons::version_line("test-content-hash"),
        "<file>...",
        run,
    )
}

fn run(args: &[String]) -> Result<String, CliError> {
    if args.is_empty() {
        return Err(CliError::Usage("expected at least one file".into()));
    }
    let mut lines = Vec::new();
    for path in args {
        lines.push(format!(
            "{}  {path}",
            blvm_commons::content_hash_hex(&cli::read_file(path)?)
        ));
    }
    Ok(lines.join("\n"))
}
