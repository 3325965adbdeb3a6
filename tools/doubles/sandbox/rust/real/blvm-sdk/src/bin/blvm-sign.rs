//! blvm-sign: see the usage line; the logic lives in the blvm-sdk library.

use blvm_sdk::cli::{self, CliError};
#[allow(unused_imports)]
use blvm_sdk::{Policy, PublicKey, SecretKey, Signature};
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main_with(
        "blvm-sign",
        &blvm_sdk::version_line("blvm-sign"),
        "<secret-hex> <message>",
        run,
    )
}

fn run(args: &[String]) -> Result<String, CliError> {
    let [secret, message] = cli::expect_args(args)?;
    let key = SecretKey::from_hex(secret).map_err(cli::usage_err)?;
    Ok(key.sign(message.as_bytes()).to_hex())
}
