//! simple-module: an example built against the SDK by path (`../..`); not part of the SDK crate.

fn main() {
    let key = blvm_sdk::SecretKey::from_seed("simple-module");
    println!("simple-module {}", key.public_key().to_hex());
}
