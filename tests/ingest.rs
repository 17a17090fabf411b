//! Ingest as a user runs it: document identity, files that hold the same
//! statement, file names of any bytes, unchanged files, standard input,
//! readers beside a writer, and paths that do not exist.

mod common;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{bin, corpus, write};

fn ingest(store: &Path, inputs: &[&Path]) -> Output {
    Command::new(bin()).args(["ingest", "--quiet", "--store"]).arg(store).args(inputs).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// (document id, source file, triples in its graph), sorted.
fn documents(store: &Path) -> Vec<(String, String, usize)> {
    let out = Command::new(bin())
        .args(["query", "--format", "csv", "--store"])
        .arg(store)
        .arg("SELECT ?id ?source (COUNT(*) AS ?n) WHERE { GRAPH ?d { ?d dcterms:identifier ?id ; dg:sourceFile ?source . ?s ?p ?o } } GROUP BY ?id ?source ORDER BY ?id")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_owned(), f[1].to_owned(), f[2].parse().unwrap())
        })
        .collect()
}

const STATEMENT: &str = "中华人民共和国和哈萨克斯坦共和国联合声明\n应哈萨克斯坦共和国总统托卡耶夫邀请，中华人民共和国主席习近平于2024年7月2日至4日对哈萨克斯坦共和国进行国事访问。\n双方支持上海合作组织发挥更大作用。\n本声明于2024年7月3日在阿斯塔纳签署。\n";
const SAME_DAY: &str = "中华人民共和国和哈萨克斯坦共和国关于深化永久全面战略伙伴关系的联合声明\n中华人民共和国和哈萨克斯坦共和国（以下称“双方”）决定深化永久全面战略伙伴关系。\n双方欢迎中哈合作委员会的工作。\n本声明于2024年7月3日在阿斯塔纳签署。\n";

#[test]
fn two_same_day_statements_of_one_pair_are_two_documents() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", STATEMENT.as_bytes());
    let b = write(dir.path(), "b.txt", SAME_DAY.as_bytes());
    let both = write(dir.path(), "both.txt", format!("{STATEMENT}{SAME_DAY}").as_bytes());
    let store = dir.path().join("kg.db");
    let out = ingest(&store, &[&a, &b]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let docs = documents(&store);
    assert_eq!(docs.len(), 2, "{docs:?}");
    assert!(docs.iter().all(|(id, _, _)| id.starts_with("cn-kz-2024-07-03-joint-statement-")), "{docs:?}");
    assert_ne!(docs[0].0, docs[1].0);

    // The same two in one file: two documents.
    let one_file = dir.path().join("one.db");
    assert!(ingest(&one_file, &[&both]).status.success());
    let in_one = documents(&one_file);
    assert_eq!(in_one.len(), 2, "{in_one:?}");
    assert_ne!(in_one[0].0, in_one[1].0);

    // Ingesting the same files again, into a new store or the same one, gives the same ids.
    let again = dir.path().join("again.db");
    assert!(ingest(&again, &[&a, &b]).status.success());
    assert_eq!(documents(&again), docs);
    let out = Command::new(bin()).args(["ingest", "--quiet", "--force", "--store"]).arg(&store).arg(&a).arg(&b).output().unwrap();
    assert!(out.status.success());
    assert_eq!(documents(&store), docs);
}

/// The sample statement of 2019 as an HTML page, paragraph by paragraph.
fn as_html(text: &str) -> String {
    let paragraphs: String = text.split(['\u{3000}', '\n']).filter(|p| !p.trim().is_empty()).map(|p| format!("<p>{p}</p>\n")).collect();
    format!("<html><head><meta charset=\"utf-8\"><title>联合声明</title></head><body>\n{paragraphs}</body></html>\n")
}

#[test]
fn the_same_statement_in_two_files_is_kept_twice_and_neither_deletes_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(corpus().join("001_3f228837207674b3.txt")).unwrap();
    let txt = write(dir.path(), "statement.txt", original.as_bytes());
    let html = write(dir.path(), "statement.html", as_html(&original).as_bytes());
    let store = dir.path().join("kg.db");
    let out = ingest(&store, &[&txt, &html]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("statement.html") && stderr.contains("has the id of a document of") && stderr.contains("statement.txt"), "the collision is reported: {stderr}");
    let docs = documents(&store);
    assert_eq!(docs.len(), 2, "{docs:?}");
    let of = |docs: &[(String, String, usize)], file: &str| docs.iter().find(|d| d.1.ends_with(file)).cloned().unwrap_or_else(|| panic!("{file} in {docs:?}"));
    let (txt_doc, html_doc) = (of(&docs, "statement.txt"), of(&docs, "statement.html"));
    assert_ne!(txt_doc.0, html_doc.0, "two documents, not one merged graph");

    // Each graph holds what a store of that file alone holds.
    for (file, doc) in [(&txt, &txt_doc), (&html, &html_doc)] {
        let alone = dir.path().join(format!("{}.db", file.file_name().unwrap().to_string_lossy()));
        assert!(ingest(&alone, &[file]).status.success());
        assert_eq!(documents(&alone)[0].2, doc.2, "{file:?}: nothing merged into its graph");
    }

    // Re-ingesting an edited copy replaces that copy only.
    let edited: String = original.split("\u{3000}\u{3000}").filter(|p| !p.contains("叙利亚")).collect::<Vec<_>>().join("\u{3000}\u{3000}");
    std::fs::write(&txt, &edited).unwrap();
    assert!(ingest(&store, &[&txt]).status.success());
    let docs = documents(&store);
    assert_eq!(of(&docs, "statement.html"), html_doc, "the HTML copy's document is untouched");
    assert!(of(&docs, "statement.txt").2 < txt_doc.2, "the edited copy was replaced");
    std::fs::write(&html, as_html(&edited)).unwrap();
    assert!(ingest(&store, &[&html]).status.success());
    let after = documents(&store);
    assert_eq!(of(&after, "statement.txt"), of(&docs, "statement.txt"), "the text copy's document is untouched");
    assert_eq!(after.len(), 2);
}

#[test]
fn file_names_that_are_not_utf8_are_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let name = |bytes: &[u8]| input.join(OsStr::from_bytes(bytes));
    let (ff, fe) = (name(b"\xff.txt"), name(b"\xfe.txt"));
    std::fs::write(&ff, STATEMENT).unwrap();
    std::fs::write(&fe, SAME_DAY).unwrap();
    let store = dir.path().join("kg.db");
    let out = ingest(&store, &[&input]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let docs = documents(&store);
    let sources: Vec<&str> = docs.iter().map(|d| d.1.rsplit('/').next().unwrap()).collect();
    assert_eq!(docs.len(), 2, "{docs:?}");
    assert!(sources.contains(&"\\xff.txt") && sources.contains(&"\\xfe.txt"), "{sources:?}");

    // Re-ingesting one of them leaves the other's document.
    std::fs::write(&ff, STATEMENT.replace("上海合作组织", "亚信")).unwrap();
    assert!(ingest(&store, &[&ff]).status.success());
    let after = documents(&store);
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(after.contains(docs.iter().find(|d| d.1.ends_with("\\xfe.txt")).unwrap()));
}

#[test]
fn control_characters_in_file_names_are_escaped_in_messages() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "\x1b[2J\x1b]0;owned\x07.txt", b"");
    let out = Command::new(bin()).args(["documents"]).arg(dir.path()).output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(!stderr.contains('\x1b') && !stderr.contains('\x07'), "{stderr:?}");
    assert!(stderr.contains("\\x1b[2J\\x1b]0;owned\\x07.txt"), "{stderr:?}");
}

#[test]
fn unchanged_files_are_skipped_and_changed_ones_read() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write(&input, "a.txt", STATEMENT.as_bytes());
    write(&input, "b.txt", SAME_DAY.as_bytes());
    let store = dir.path().join("kg.db");
    let first = ingest(&store, &[&input]);
    assert!(text(&first.stdout).starts_with("ingested 2 file(s), 2 document(s)"), "{}", text(&first.stdout));
    let before = documents(&store);

    let again = ingest(&store, &[&input]);
    assert!(again.status.success());
    assert!(text(&again.stdout).starts_with("ingested 0 file(s), 0 document(s) into") && text(&again.stdout).contains("2 unchanged file(s) skipped"), "{}", text(&again.stdout));
    assert_eq!(documents(&store), before);

    write(&input, "b.txt", SAME_DAY.replace("中哈合作委员会", "上海合作组织").as_bytes());
    let changed = ingest(&store, &[&input]);
    assert!(text(&changed.stdout).starts_with("ingested 1 file(s), 1 document(s)") && text(&changed.stdout).contains("1 unchanged file(s) skipped"), "{}", text(&changed.stdout));
}

#[test]
fn a_path_that_does_not_exist_leaves_no_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("kg.db");
    let out = ingest(&store, &[&dir.path().join("no-such-folder")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no-such-folder") && text(&out.stderr).contains("nothing to ingest"), "{}", text(&out.stderr));
    assert!(!store.exists(), "no empty store is created");
}

#[test]
fn standard_input_keeps_to_the_size_limit() {
    let big = "双方同意加强合作。".repeat(50_000); // 1.35 MB
    let mut child = Command::new(bin())
        .args(["documents", "--max-file-size", "1", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        // The reader may stop before the end: a broken pipe here is expected.
        let _ = child.stdin.take().unwrap().write_all(big.as_bytes());
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("-: the input has more than 1000000 bytes"), "{}", text(&out.stderr));
}

#[test]
fn extractors_own_tokens_and_long_numbers_in_the_text_are_just_text() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = write(
        dir.path(),
        "tokens.txt",
        format!("中华人民共和国和哈萨克斯坦共和国联合声明\n中方支持上海合作组织、⟦Organization#57⟧和⟦Party#{}⟧。\n", "1".repeat(23)).as_bytes(),
    );
    let digits = write(dir.path(), "digits.txt", format!("中华人民共和国和哈萨克斯坦共和国联合声明\n双方于{0}年{0}月{0}日签署，建交{0}年来。\n", "9".repeat(23)).as_bytes());
    let out = Command::new(bin()).arg("extract").arg(&tokens).arg(&digits).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let docs: Vec<serde_json::Value> = text(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(docs.len(), 2);
    let supports: Vec<&str> = docs[0]["relations"].as_array().unwrap().iter().filter(|r| r["predicate"] == "supports").map(|r| r["object"].as_str().unwrap()).collect();
    assert_eq!(supports, ["org/上海合作组织"], "the look-alike tokens name nothing");
}

/// The store's lock files are plain files: a reader holds one shared.
fn hold_as_reader(store: &Path) -> std::fs::File {
    let lock = std::fs::File::open(store.join("diplograph-users.lock")).unwrap();
    lock.lock_shared().unwrap();
    lock
}

#[test]
fn readers_and_a_writer_take_turns_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let synth = dir.path().join("synth");
    diplograph::bench::synth::generate(&synth, 300, 3, &common::pipeline().knowledge.gazetteer).unwrap();
    let store = dir.path().join("kg.db");
    assert!(ingest(&store, &[&corpus()]).status.success());

    // While an ingest writes, every read either answers or says an ingest is writing.
    let mut writer = Command::new(bin()).args(["ingest", "--quiet", "--store"]).arg(&store).arg(&synth).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let (mut answered, mut told) = (0, 0);
    while writer.try_wait().unwrap().is_none() {
        let out = Command::new(bin()).args(["stats", "--store"]).arg(&store).output().unwrap();
        match out.status.code() {
            Some(0) => answered += 1,
            Some(2) if text(&out.stderr).contains("is writing to the store") => told += 1,
            _ => panic!("a reader beside a writer failed otherwise: {}", text(&out.stderr)),
        }
    }
    assert!(writer.wait().unwrap().success());
    assert!(told > 0, "the ingest ran while reads were tried ({answered} answered)");
    let out = Command::new(bin()).args(["stats", "--store"]).arg(&store).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));

    // A writer waits for a reader that finishes soon...
    let reader = hold_as_reader(&store);
    let started = std::time::Instant::now();
    let mut writer = Command::new(bin()).args(["ingest", "--quiet", "--force", "--store"]).arg(&store).arg(corpus()).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    std::thread::sleep(std::time::Duration::from_secs(2));
    drop(reader);
    assert!(writer.wait().unwrap().success());
    assert!(started.elapsed() >= std::time::Duration::from_secs(2));
    // ...and says who holds the store when one does not.
    let _reader = hold_as_reader(&store);
    let out = ingest(&store, &[&corpus()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("is open for reading by another process"), "{}", text(&out.stderr));
}

/// Bad files are named on stderr as they are met: here, while the ingest
/// still waits for a named pipe given last.
#[test]
fn bad_files_are_reported_while_the_ingest_runs() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let bad = ["binary.dat", "empty.txt", "short.txt"];
    write(&input, bad[0], b"\x89PNG\r\n\x1a\n\0\0\0");
    write(&input, bad[1], b"");
    write(&input, bad[2], "你好".as_bytes());
    write(&input, "good.txt", STATEMENT.as_bytes());
    let fifo = dir.path().join("last.fifo");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let store = dir.path().join("kg.db");
    let mut child = Command::new(bin()).args(["ingest", "--quiet", "--store"]).arg(&store).arg(&input).arg(&fifo).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr).lines() {
            let _ = tx.send(line.unwrap());
        }
    });
    let mut seen: Vec<String> = Vec::new();
    while !bad.iter().all(|b| seen.iter().any(|l| l.contains(b))) {
        seen.push(rx.recv_timeout(std::time::Duration::from_secs(60)).unwrap_or_else(|_| panic!("not reported while running: {seen:?}")));
    }
    assert!(child.try_wait().unwrap().is_none(), "the ingest is still waiting for the pipe");
    std::fs::write(&fifo, SAME_DAY).unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(1));
    assert_eq!(documents(&store).len(), 2, "the good file and the pipe's statement");
}
