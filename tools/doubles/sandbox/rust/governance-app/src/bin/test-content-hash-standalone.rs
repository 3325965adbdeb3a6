//! test-content-hash-standalone: see the usage line.

use bllvm_sdk::cli::{self, CliError};
use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main_with(
        "test-content-hash-standalone",
        &governance_app::version_line("test-content-hash-standalone"),
        "<file>...",
        run,
    )
}

fn run(args: &[String]) -> Result<String, CliError> {
    if args.is_empty() {
        return Err(CliError::Usage("expected at least one file".into()));
    }
    let mut lines = Vec::new();
    for path in args {
        lines.push(format!(
            "{:016x}  {path}",
            standalone_hash(&cli::read_file(path)?)
        ));
    }
    Ok(lines.join("\n"))
}

/// An independent copy of the stack's hash, to cross-check the library's answer.
fn standalone_hash(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

#[cfg(test)]
mod tests {
    #[test]
    fn agrees_with_the_library() {
        for data in [&b""[..], b"a", b"governance-app"] {
            assert_eq!(
                format!("{:016x}", super::standalone_hash(data)),
                governance_app::content_hash_hex(data)
            );
        }
    }
}
