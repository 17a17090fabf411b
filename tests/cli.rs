//! The command line as a user meets it: exit codes, messages, pipes, help.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

use common::{bin, corpus, write};

fn run(args: &[&str]) -> std::process::Output {
    Command::new(bin()).args(args).output().unwrap()
}

#[test]
fn documents_prints_json_lines_with_the_required_fields() {
    let out = run(&["documents", "--json", corpus().to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), common::gold_document_count());
    for l in &lines {
        for field in ["doc", "source", "spans", "title", "title_in_text", "kind", "parties", "signed_date", "signed_place"] {
            assert!(l.get(field).is_some(), "{field} missing in {l}");
        }
        assert!(l["parties"][0]["name"].is_string() && l["parties"][0]["en"].is_string());
    }
}

#[test]
fn bad_inputs_are_named_and_the_rest_still_go_in() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(corpus().join("001_3f228837207674b3.txt"), dir.path().join("good.txt")).unwrap();
    write(dir.path(), "empty.txt", b"");
    write(dir.path(), "image.png", b"\x89PNG\r\n\x1a\n\0\0");
    let out = run(&["documents", "--json", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "some inputs failed");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("empty.txt") && stderr.contains("image.png"), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}

#[test]
fn stdin_is_read_with_dash() {
    let mut child = Command::new(bin()).args(["documents", "--json", "-"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let text = std::fs::read(corpus().join("001_3f228837207674b3.txt")).unwrap();
    {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(&text).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(doc["source"], "-");
    assert_eq!(doc["signed_date"], "2019-09-11");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = Command::new(bin()).args(["extract", corpus().to_str().unwrap()]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut first = [0u8; 16];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn malformed_query_gets_the_parser_message_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kg.db");
    let out = run(&["ingest", "--quiet", "--store", store.to_str().unwrap(), corpus().to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("documents") && summary.contains("triples"), "{summary}");
    let out = run(&["query", "--store", store.to_str().unwrap(), "SELECT ?x WHERE { ?x ?y }"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not valid") && stderr.contains("1:"), "position of the error is given: {stderr}");
    // The line itself, and a caret under the column the parser names (1:26, after `?y `).
    assert!(stderr.contains("  1 | SELECT ?x WHERE { ?x ?y }\n    | ") && stderr.lines().any(|l| l == format!("    | {}^", " ".repeat(25))), "{stderr}");
    let out = run(&["query", "--store", store.to_str().unwrap(), "no-such-query"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--list"));
    for format in ["csv", "tsv", "json", "xml", "table"] {
        let out = run(&["query", "--store", store.to_str().unwrap(), "--format", format, "entity-counts"]);
        assert!(out.status.success(), "{format}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("Party"), "{format}");
    }
}

#[test]
fn missing_store_is_explained() {
    let out = run(&["stats", "--store", "/nonexistent/kg.db"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("diplograph ingest"));
}

#[test]
fn every_command_has_help_with_examples() {
    let out = run(&["--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A command's line starts at column 2; wrapped descriptions are indented further.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    for required in ["documents", "extract", "eval", "ingest", "stats", "query", "export", "analyze", "path", "chain", "dot"] {
        assert!(commands.contains(&required), "{required} in {commands:?}");
    }
    for c in commands {
        let out = run(&[c, "--help"]);
        assert!(String::from_utf8_lossy(&out.stdout).contains("Examples:"), "{c} --help has examples");
    }
}

#[test]
fn bench_extract_with_stages_says_where_the_time_went() {
    let out = run(&["bench", "extract", corpus().to_str().unwrap(), "--threads", "1", "--stages"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with("extraction: 1 threads, "), "{text}");
    let stages: Vec<&str> = lines.map(|l| l.split("  ").map(str::trim).find(|s| !s.is_empty()).unwrap_or("")).collect();
    for stage in ["read", "read: gazetteer names", "extract", "extract: relation cues", "name_shapes", "gazetteer"] {
        assert!(stages.contains(&stage), "no stage {stage:?} in {text}");
    }
    // Without the flag, only the throughput line.
    let plain = run(&["bench", "extract", corpus().to_str().unwrap(), "--threads", "1"]);
    assert_eq!(String::from_utf8(plain.stdout).unwrap().lines().count(), 1);
}
