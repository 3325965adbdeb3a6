//! key-manager: see the usage line.

use blvm_sdk::cli::{self, CliError};
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main_with(
        "key-manager",
        &blvm_commons::version_line("key-manager"),
        "generate <seed> | public <secret-hex>",
        run,
    )
}

fn run(args: &[String]) -> Result<String, CliError> {
    use blvm_sdk::SecretKey;
    match args {
        [cmd, seed] if cmd == "generate" => {
            let key = SecretKey::from_seed(seed);
            Ok(format!(
                "secret {}\npublic {}",
                key.to_hex(),
                key.public_key().to_hex()
            ))
        }
        [cmd, secret] if cmd == "public" => Ok(SecretKey::from_hex(secret)
            .map_err(cli::usage_err)?
            .public_key()
            .to_hex()),
        _ => Err(CliError::Usage(
            "expected generate <seed> or public <secret-hex>".into(),
        )),
    }
}
