//! bllvm-keygen: see the usage line; the logic lives in the bllvm-sdk library.

use bllvm_sdk::cli::{self, CliError};
#[allow(unused_imports)]
use bllvm_sdk::{Policy, PublicKey, SecretKey, Signature};
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main_with(
        "bllvm-keygen",
        &bllvm_sdk::version_line("bllvm-keygen"),
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
