//! Sandbox fault: a unit test that fails (tools/sandbox setFault test).
#[cfg(test)]
mod tests {
    #[test]
    fn sandbox_injected_test_fault() {
        let sum: u32 = (1..=4).sum();
        assert_eq!(sum, 11, "sandbox: injected test fault");
    }
}
