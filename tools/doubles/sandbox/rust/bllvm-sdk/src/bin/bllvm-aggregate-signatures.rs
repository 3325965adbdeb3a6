//! bllvm-aggregate-signatures: see the usage line; the logic lives in the bllvm-sdk library.

use bllvm_sdk::cli::{self, CliError};
#[allow(unused_imports)]
use bllvm_sdk::{Policy, PublicKey, SecretKey, Signature};
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main_with(
        "bllvm-aggregate-signatures",
        &bllvm_sdk::version_line("bllvm-aggregate-signatures"),
        "<threshold> <message> <public-hex>:<signature-hex>...",
        run,
    )
}

fn run(args: &[String]) -> Result<String, CliError> {
    if args.len() < 2 {
        return Err(CliError::Usage("expected a threshold and a message".into()));
    }
    let threshold: usize = args[0]
        .parse()
        .map_err(|_| CliError::Usage(format!("bad threshold {}", args[0])))?;
    let mut pairs = Vec::new();
    for item in &args[2..] {
        let (key, sig) = item
            .split_once(':')
            .ok_or_else(|| CliError::Usage(format!("expected key:signature, got {item}")))?;
        pairs.push((
            PublicKey::from_hex(key).map_err(cli::usage_err)?,
            Signature::from_hex(sig).map_err(cli::usage_err)?,
        ));
    }
    let policy =
        Policy::new(threshold, pairs.iter().map(|(k, _)| *k).collect()).map_err(cli::usage_err)?;
    match policy.aggregate(args[1].as_bytes(), &pairs) {
        Ok(valid) => Ok(format!(
            "{valid} valid signatures, {threshold} required: approved"
        )),
        Err(e) => Err(CliError::Failed(e.to_string())),
    }
}
