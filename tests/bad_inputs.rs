//! A generated set of bad files beside good ones: each bad file is named
//! with its problem, every good document goes in, the exit code says 1.

mod common;

use std::process::Command;

use common::{bin, corpus, write};

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn bad_files_are_named_and_good_documents_go_in() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let good = std::fs::read_to_string(corpus().join("001_3f228837207674b3.txt")).unwrap();
    write(&input, "good_utf8.txt", good.as_bytes());
    let (gbk, _, _) = encoding_rs::GBK.encode(&good);
    write(&input, "good_gbk_undeclared.txt", &gbk);
    let utf16: Vec<u8> = good.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    write(&input, "good_utf16_no_bom.txt", &utf16);
    let mut truncated = good.as_bytes().to_vec();
    truncated.truncate(truncated.len() - 1); // inside the last character
    write(&input, "truncated_utf8.txt", &truncated);

    write(&input, "binary.dat", &(0..4096u32).map(|i| (i * 7919 % 251) as u8).collect::<Vec<_>>());
    write(&input, "empty.txt", b"");
    write(&input, "nested.txt", format!("{}{}", "《〈".repeat(20_000), "》".repeat(7)).as_bytes());
    // Over the size limit given below (a 100 MB single line, scaled down).
    write(&input, "huge_line.txt", "双方同意加强合作".repeat(200_000).as_bytes());
    std::os::unix::fs::symlink(&input, input.join("loop")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("missing.txt"), input.join("dangling.txt")).unwrap();
    let unreadable = write(&input, "unreadable.txt", good.as_bytes());
    std::fs::set_permissions(&unreadable, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();

    let store = dir.path().join("kg.db");
    let out = Command::new(bin())
        .args(["ingest", "--quiet", "--max-file-size", "2", "--store"])
        .arg(&store)
        .arg(&input)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "some inputs failed: {stderr}");
    for (file, problem) in [
        ("binary.dat", "binary"),
        ("empty.txt", "empty"),
        ("huge_line.txt", "limit"),
        ("loop", "loop"),
        ("dangling.txt", "No such file"),
        ("truncated_utf8.txt", "dropped"),
    ] {
        assert!(stderr.lines().any(|l| l.contains(file) && l.contains(problem)), "{file}: {problem} not reported in:\n{stderr}");
    }
    if !is_root() {
        assert!(stderr.lines().any(|l| l.contains("unreadable.txt") && l.contains("ermission")), "{stderr}");
    }
    // Read: the three good encodings, the truncated file, the nested brackets
    // (text, if no statement), and the unreadable file when root can read it.
    let files: usize = stdout.split_whitespace().nth(1).unwrap().parse().unwrap();
    assert_eq!(files, if is_root() { 6 } else { 5 }, "{stdout}\n{stderr}");
    // The same statement in four files (three encodings and the truncated
    // copy, five with the unreadable one when root reads it): each file's
    // document is kept under an id of its own, never merged into another's,
    // and each id collision is reported.
    let copies = if is_root() { 5 } else { 4 };
    let out = Command::new(bin())
        .args(["query", "--format", "csv", "--store"])
        .arg(&store)
        .arg("SELECT DISTINCT ?d ?source WHERE { GRAPH ?d { ?d eli:date_document \"2019-09-11\"^^xsd:date ; dg:sourceFile ?source } }")
        .output()
        .unwrap();
    let rows: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().skip(1).map(str::to_owned).collect();
    assert_eq!(rows.len(), copies, "{rows:?}");
    let sources: std::collections::HashSet<&str> = rows.iter().filter_map(|r| r.split(',').nth(1)).collect();
    assert_eq!(sources.len(), copies, "one document per file: {rows:?}");
    assert_eq!(stderr.lines().filter(|l| l.contains("has the id of a document of") && l.contains("both are kept")).count(), copies - 1, "{stderr}");
}

/// The generated mix (`diplograph bench badmix`), two inputs of each kind:
/// every input gives a document or a message naming it, and every good
/// document is stored. `bench badmix --files 1000` makes the full-size one.
#[test]
fn every_input_of_the_bad_mix_gives_a_document_or_a_message() {
    use diplograph::bench::badmix::{generate, Expect, MAX_FILE_MB};
    use diplograph::graph::sparql::{display_term, select_rows};
    let dir = tempfile::tempdir().unwrap();
    let mix_dir = dir.path().join("mix");
    let mix = generate(&mix_dir, 48, 5).unwrap();
    let store = dir.path().join("kg.db");
    let out = Command::new(bin())
        .args(["ingest", "--quiet", "--max-file-size", &MAX_FILE_MB.to_string(), "--store"])
        .arg(&store)
        .arg(&mix_dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let sources: std::collections::HashSet<String> = {
        let store = diplograph::graph::GraphStore::open_read_only(&store).unwrap();
        let (_, rows) = select_rows(store.inner(), "SELECT DISTINCT ?s WHERE { ?d dg:sourceFile ?s }").unwrap();
        rows.iter().map(|r| display_term(r[0].as_ref().unwrap())).collect()
    };
    for entry in &mix {
        let name = diplograph::paths::path_name(&entry.path);
        let stored = sources.contains(&name);
        let named = stderr.lines().any(|l| l.starts_with(&format!("diplograph: {name}: ")));
        let ok = match entry.expect {
            Expect::Documents => stored,
            Expect::Message => named,
            Expect::Either => stored || named,
        };
        assert!(ok, "{} ({}): expected {:?}, stored {stored}, named {named}\n{stderr}", name, entry.kind, entry.expect);
    }
}
