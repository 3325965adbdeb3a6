//! bllvm-sign-binary: see the usage line; the logic lives in the bllvm-sdk library.

use bllvm_sdk::cli::{self, CliError};
#[allow(unused_imports)]
use bllvm_sdk::{Policy, PublicKey, SecretKey, Signature};
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main_with(
        "bllvm-sign-binary",
        &bllvm_sdk::version_line("bllvm-sign-binary"),
        "<secret-hex> <file>",
        run,
    )
}

fn run(args: &[String]) -> Result<String, CliError> {
    let [secret, path] = cli::expect_args(args)?;
    let key = SecretKey::from_hex(secret).map_err(cli::usage_err)?;
    let data = cli::read_file(path)?;
    Ok(format!(
        "{}  {path}",
        bllvm_sdk::sign_binary(&key, &data).to_hex()
    ))
}
