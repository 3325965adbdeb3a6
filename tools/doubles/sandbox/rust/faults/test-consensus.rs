//! Sandbox fault: a unit test that fails (tools/sandbox setFault test).
#[cfg(all(test, not(all(test, feature = "verify", not(debug_assertions)))))]
mod tests {
    #[test]
    fn sandbox_injected_test_fault() {
        let sum: u32 = (1..=4).sum();
        assert_eq!(sum, 11, "sandbox: injected test fault");
    }
}
