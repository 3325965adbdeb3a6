//! governance-app: see the usage line.

use bllvm_sdk::cli::{self, CliError};
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main_with(
        "governance-app",
        &governance_app::version_line("governance-app"),
        "[status]",
        run,
    )
}

fn run(args: &[String]) -> Result<String, CliError> {
    use bllvm_sdk::{Policy, SecretKey};
    use governance_app::{approve, demo_maintainers, highlight, supported_networks, Release};
    if !(args.is_empty() || args == ["status"]) {
        return Err(CliError::Usage(format!("unknown arguments {args:?}")));
    }
    let keys = demo_maintainers();
    let policy = Policy::new(2, keys.iter().map(SecretKey::public_key).collect())
        .map_err(|e| CliError::Failed(e.to_string()))?;
    let release = Release::new(
        "v0.1.0",
        governance_app::version_line("governance-app").as_bytes(),
    );
    let sigs: Vec<_> = keys[..2]
        .iter()
        .map(|k| (k.public_key(), k.sign(&release.message())))
        .collect();
    let approved =
        approve(&policy, &release, &sigs).map_err(|e| CliError::Failed(e.to_string()))?;
    Ok(format!(
        "{}: maintainers {}; networks {}; demo release {} approved by {approved}",
        governance_app::version_line("governance-app"),
        policy.describe(),
        supported_networks().join(","),
        highlight(&release.tag)
    ))
}
