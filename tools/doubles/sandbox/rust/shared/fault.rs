//! Where the sandbox injects faults (tools/sandbox setFault). Empty while the crate is healthy.
