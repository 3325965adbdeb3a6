//! Shared argument handling for the binaries of the SDK and of crates built on it.

use std::process::ExitCode;

#[derive(Debug, PartialEq, Eq)]
pub enum CliError {
    /// Bad arguments: exit code 2, with the usage line.
    Usage(String),
    /// The command ran and failed (e.g. an invalid signature): exit code 1.
    Failed(String),
}

/// Runs a tool: answers --version and --help itself, then calls run with the arguments.
pub fn main_with(
    name: &str,
    version: &str,
    usage: &str,
    run: fn(&[String]) -> Result<String, CliError>,
) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--version") | Some("-V") => {
            println!("{version}");
            return ExitCode::SUCCESS;
        }
        Some("--help") | Some("-h") => {
            println!("usage: {name} {usage}");
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    match run(&args) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(CliError::Usage(msg)) => {
            eprintln!("{name}: {msg}\nusage: {name} {usage}");
            ExitCode::from(2)
        }
        Err(CliError::Failed(msg)) => {
            eprintln!("{name}: {msg}");
            ExitCode::FAILURE
        }
    }
}

/// The exact positional arguments, or a usage error.
pub fn expect_args<'a, const N: usize>(args: &'a [String]) -> Result<[&'a str; N], CliError> {
    if args.len() != N {
        return Err(CliError::Usage(format!(
            "expected {N} argument(s), got {}",
            args.len()
        )));
    }
    Ok(std::array::from_fn(|i| args[i].as_str()))
}

pub fn usage_err<E: std::fmt::Display>(e: E) -> CliError {
    CliError::Usage(e.to_string())
}

pub fn read_file(path: &str) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|e| CliError::Failed(format!("cannot read {path}: {e}")))
}
