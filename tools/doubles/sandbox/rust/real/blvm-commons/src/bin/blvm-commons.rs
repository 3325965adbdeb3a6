//! blvm-commons: see the usage line.

use blvm_sdk::cli::{self, CliError};
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main_with(
        "blvm-commons",
        &blvm_commons::version_line("blvm-commons"),
        "[status]",
        run,
    )
}

fn run(args: &[String]) -> Result<String, CliError> {
    use blvm_commons::{approve, demo_maintainers, highlight, supported_networks, Release};
    use blvm_sdk::{Policy, SecretKey};
    if !(args.is_empty() || args == ["status"]) {
        return Err(CliError::Usage(format!("unknown arguments {args:?}")));
    }
    let keys = demo_maintainers();
    let policy = Policy::new(2, keys.iter().map(SecretKey::public_key).collect())
        .map_err(|e| CliError::Failed(e.to_string()))?;
    let release = Release::new(
        "v0.1.0",
        blvm_commons::version_line("blvm-commons").as_bytes(),
    );
    let sigs: Vec<_> = keys[..2]
        .iter()
        .map(|k| (k.public_key(), k.sign(&release.message())))
        .collect();
    let approved =
        approve(&policy, &release, &sigs).map_err(|e| CliError::Failed(e.to_string()))?;
    Ok(format!(
        "{}: maintainers {}; networks {}; demo release {} approved by {approved}",
        blvm_commons::version_line("blvm-commons"),
        policy.describe(),
        supported_networks().join(","),
        highlight(&release.tag)
    ))
}
