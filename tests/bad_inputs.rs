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
    // The three good encodings give the same statement: one document, replaced, not duplicated.
    let out = Command::new(bin()).args(["query", "--format", "csv", "--store"]).arg(&store).arg("SELECT DISTINCT ?d WHERE { ?d eli:date_document \"2019-09-11\"^^xsd:date }").output().unwrap();
    let rows = String::from_utf8_lossy(&out.stdout).lines().count() - 1;
    assert_eq!(rows, 1, "{}", String::from_utf8_lossy(&out.stdout));
}
