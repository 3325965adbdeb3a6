//! bllvm-compose: see the usage line; the logic lives in the bllvm-sdk library.

use bllvm_sdk::cli::{self, CliError};
#[allow(unused_imports)]
use bllvm_sdk::{Policy, PublicKey, SecretKey, Signature};
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main_with(
        "bllvm-compose",
        &bllvm_sdk::version_line("bllvm-compose"),
        "<threshold> <public-hex>...",
        run,
    )
}

fn run(args: &[String]) -> Result<String, CliError> {
    let (threshold, keys) = args
        .split_first()
        .ok_or_else(|| CliError::Usage("missing threshold".into()))?;
    let threshold: usize = threshold
        .parse()
        .map_err(|_| CliError::Usage(format!("bad threshold {threshold}")))?;
    let keys = keys
        .iter()
        .map(|k| PublicKey::from_hex(k))
        .collect::<Result<Vec<_>, _>>()
        .map_err(cli::usage_err)?;
    Ok(Policy::new(threshold, keys)
        .map_err(cli::usage_err)?
        .describe())
}
