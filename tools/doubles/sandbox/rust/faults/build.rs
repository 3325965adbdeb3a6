//! Sandbox fault: this module does not compile (tools/sandbox setFault build).
const _: u32 = "sandbox: injected build fault";
