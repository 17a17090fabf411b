//! Embeds the ready SPARQL queries of `queries/` in the binary.

use std::fmt::Write;

fn main() {
    println!("cargo:rerun-if-changed=queries");
    let mut entries: Vec<_> = std::fs::read_dir("queries")
        .expect("queries/ exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rq"))
        .collect();
    entries.sort();
    let mut code = String::from("/// Ready queries shipped in `queries/`: (name, text).\npub const BUILT_IN: &[(&str, &str)] = &[\n");
    for p in entries {
        let name = p.file_stem().expect("file name").to_string_lossy().into_owned();
        // Relative to the crate, not an absolute path: a target directory
        // shared by two checkouts must not embed the other one's files.
        writeln!(code, "    ({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/queries/{name}.rq\"))),").expect("write to string");
    }
    code.push_str("];\n");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("queries.rs");
    std::fs::write(out, code).expect("write generated file");
}
