//! bllvm: the node binary of the sandbox stack. Mines a few blocks on a chosen network and
//! reports the tip, which is enough to prove the whole library stack links and runs.

mod fault;
mod generated;
mod revision;

use bllvm_node::protocol::Network;
use bllvm_node::Node;
use std::process::ExitCode;

const USAGE: &str = "usage: bllvm [--network mainnet|testnet|regtest] [--blocks N] | --features | --self-check | --version | --help";

#[derive(Debug, PartialEq)]
enum Failure {
    Usage(String),
    Failed(String),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(msg)) => {
            eprintln!("bllvm: {msg}\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Failed(msg)) => {
            eprintln!("bllvm: {msg}");
            ExitCode::FAILURE
        }
    }
}

fn version() -> String {
    format!(
        "bllvm {} (sandbox revision {}, {})",
        env!("CARGO_PKG_VERSION"),
        revision::REVISION,
        bllvm_node::USER_AGENT
    )
}

fn run(args: &[String]) -> Result<String, Failure> {
    let mut network = Network::Regtest;
    let mut blocks: u64 = 3;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--version" | "-V" => return Ok(version()),
            "--help" | "-h" => return Ok(USAGE.to_string()),
            "--features" => return Ok(bllvm_node::enabled_features().join(",")),
            "--self-check" => {
                return Ok(format!("generated checksum {:016x}", generated::checksum()))
            }
            "--network" => {
                let name = it
                    .next()
                    .ok_or_else(|| Failure::Usage("--network needs a value".into()))?;
                network = Network::from_name(name)
                    .ok_or_else(|| Failure::Usage(format!("unknown network {name}")))?;
            }
            "--blocks" => {
                let n = it
                    .next()
                    .ok_or_else(|| Failure::Usage("--blocks needs a value".into()))?;
                blocks = n.parse().ok().filter(|&b| b <= 100_000).ok_or_else(|| {
                    Failure::Usage(format!("--blocks takes a number up to 100000, not {n}"))
                })?;
            }
            other => return Err(Failure::Usage(format!("unknown argument {other}"))),
        }
    }
    let mut node = Node::new(network);
    for _ in 0..blocks {
        node.mine_empty_block()
            .map_err(|e| Failure::Failed(e.to_string()))?;
    }
    Ok(format!(
        "{}: network={} port={} height={} tip={:016x} next-subsidy={}",
        version(),
        network.name(),
        network.default_port(),
        node.height(),
        node.tip().hash(),
        bllvm_node::block_reward(node.height() + 1)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn version_names_the_binary() {
        assert!(run(&args(&["--version"]))
            .unwrap()
            .starts_with(concat!("bllvm ", env!("CARGO_PKG_VERSION"))));
    }

    #[test]
    fn mines_requested_blocks() {
        let out = run(&args(&["--network", "testnet", "--blocks", "5"])).unwrap();
        assert!(out.contains("network=testnet"), "{out}");
        assert!(out.contains("height=5"), "{out}");
    }

    #[test]
    fn rejects_bad_arguments() {
        assert!(matches!(
            run(&args(&["--network", "moon"])),
            Err(Failure::Usage(_))
        ));
        assert!(matches!(
            run(&args(&["--blocks", "x"])),
            Err(Failure::Usage(_))
        ));
        assert!(matches!(
            run(&args(&["--frobnicate"])),
            Err(Failure::Usage(_))
        ));
    }
}
