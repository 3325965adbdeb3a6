//! blvm-keygen: see the usage line; the logic lives in the blvm-sdk library.

use blvm_sdk::cli::{self, CliError};
#[allow(unused_imports)]
use blvm_sdk::{Policy, PublicKey, SecretKey, Signature};
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main_with(
        "blvm-keygen",
        &blvm_sdk::version_line("blvm-keygen"),
        "<seed>",
        run,
    )
}

fn run(args: &[String]) -> Result<String, CliError> {
    let [seed] = cli::expect_args(args)?;
    let key = SecretKey::from_seed(seed);
    Ok(format!(
        "secret {}\npublic {}",
        key.to_hex(),
        key.public_key().to_hex()
    ))
}
