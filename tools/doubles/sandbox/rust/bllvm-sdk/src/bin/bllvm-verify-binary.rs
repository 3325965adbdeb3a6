//! bllvm-verify-binary: see the usage line; the logic lives in the bllvm-sdk library.

use bllvm_sdk::cli::{self, CliError};
#[allow(unused_imports)]
use bllvm_sdk::{Policy, PublicKey, SecretKey, Signature};
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main_with(
        "bllvm-verify-binary",
        &bllvm_sdk::version_line("bllvm-verify-binary"),
        "<public-hex> <file> <signature-hex>",
        run,
    )
}

fn run(args: &[String]) -> Result<String, CliError> {
    let [public, path, sig] = cli::expect_args(args)?;
    let key = PublicKey::from_hex(public).map_err(cli::usage_err)?;
    let sig = Signature::from_hex(sig).map_err(cli::usage_err)?;
    let data = cli::read_file(path)?;
    if bllvm_sdk::verify_binary(&key, &data, &sig) {
        Ok(format!("{path}: valid"))
    } else {
        Err(CliError::Failed(format!("{path}: invalid signature")))
    }
}
