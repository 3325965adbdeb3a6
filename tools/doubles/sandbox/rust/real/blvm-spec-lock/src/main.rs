//! blvm-spec-lock: prints the locked specification, or checks a claimed one (exit 1 if it differs).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => {
            println!("{}", blvm_spec_lock::describe());
            ExitCode::SUCCESS
        }
        [flag] if flag == "--version" => {
            println!("blvm-spec-lock {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        [flag, claimed] if flag == "--check" => {
            if blvm_spec_lock::is_locked(claimed) {
                ExitCode::SUCCESS
            } else {
                eprintln!(
                    "blvm-spec-lock: {claimed} is not {}",
                    blvm_spec_lock::SPEC_VERSION
                );
                ExitCode::FAILURE
            }
        }
        _ => {
            eprintln!("usage: blvm-spec-lock [--version | --check <spec>]");
            ExitCode::from(2)
        }
    }
}
