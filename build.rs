//! The migrations are embedded in the binary (`embed_migrations!`); cargo must rebuild when a
//! migration is added or changed, not only when Rust code changes.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
