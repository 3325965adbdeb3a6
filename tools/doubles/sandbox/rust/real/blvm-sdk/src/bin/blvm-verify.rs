//! blvm-verify: see the usage line; the logic lives in the blvm-sdk library.

use blvm_sdk::cli::{self, CliError};
#[allow(unused_imports)]
use blvm_sdk::{Policy, PublicKey, SecretKey, Signature};
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main_with(
        "blvm-verify",
        &blvm_sdk::version_line("blvm-verify"),
        "<public-hex> <message> <signature-hex>",
        run,
    )
}

fn run(args: &[String]) -> Result<String, CliError> {
    let [public, message, sig] = cli::expect_args(args)?;
    let key = PublicKey::from_hex(public).map_err(cli::usage_err)?;
    let sig = Signature::from_hex(sig).map_err(cli::usage_err)?;
    if key.verify(message.as_bytes(), &sig) {
        Ok("valid".into())
    } else {
        Err(CliError::Failed("invalid signature".into()))
    }
}
