//! Every example a user is shown — in each command's `--help` and in the
//! README's shell blocks — runs, in a folder laid out like a checkout
//! (`corpus/`, `queries/`, `tests/data/`) with a store built from
//! `corpus/` at `./diplograph.db` and `./kg.db`. Examples that talk to an
//! endpoint run against a `diplograph serve` of that store, its address
//! put in place of the example's; those that start a server or push to a
//! remote store (which the tests of serve and push exercise) are checked to
//! parse, with `--help` appended. (The endpoint serves a third store,
//! `served.db`, so that the examples may write to the other two.)

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{bin, corpus, root, Server};

/// The examples of a help text: the lines under `Examples:`, comments left
/// out, continued lines (ending in `\`) joined.
fn help_examples(args: &[&str]) -> Vec<String> {
    let out = Command::new(bin()).args(args).arg("--help").env("COLUMNS", "1000").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = help.lines().skip_while(|l| *l != "Examples:").skip(1).take_while(|l| l.starts_with("  ")).collect();
    joined(&lines)
}

/// Commands from the README's `sh` blocks: lines that run diplograph, or
/// curl against its endpoint; trailing comments left out.
fn readme_examples() -> Vec<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut lines = Vec::new();
    let mut in_block = false;
    for line in readme.lines() {
        match line.trim() {
            "```sh" => in_block = true,
            "```" => in_block = false,
            _ if in_block => lines.push(line.split("  # ").next().unwrap_or(line).trim_end()),
            _ => {}
        }
    }
    joined(&lines).into_iter().filter(|l| l.starts_with("diplograph ") || l.starts_with("curl ")).collect()
}

fn joined(lines: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut continued = false;
    for line in lines {
        let line = line.trim();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let (text, continues) = match line.strip_suffix('\\') {
            Some(t) => (t.trim_end(), true),
            None => (line, false),
        };
        match out.last_mut() {
            Some(last) if continued => {
                last.push(' ');
                last.push_str(text);
            }
            _ => out.push(text.to_owned()),
        }
        continued = continues;
    }
    out
}

/// Whether an example starts a server or reaches a remote store.
fn starts_or_pushes(example: &str) -> bool {
    [" serve", " push "].iter().any(|c| example.contains(&format!("diplograph{c}")))
}

/// The diplograph invocation of an example, with `--help` appended: it
/// parses, or clap says why not.
fn parses(dir: &Path, example: &str) -> Result<(), String> {
    let invocation = &example[example.find("diplograph ").ok_or("no diplograph in it")?..];
    let out = Command::new("bash").arg("-c").arg(format!("{invocation} --help")).current_dir(dir).env("PATH", path_with_bin()).output().unwrap();
    if out.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&out.stderr).into_owned()) }
}

fn path_with_bin() -> String {
    format!("{}:{}", bin().parent().unwrap().display(), std::env::var("PATH").unwrap_or_default())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// A folder laid out like a checkout, with the two stores.
fn checkout() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("diplograph");
    copy_dir(&corpus(), &project.join("corpus"));
    copy_dir(&root().join("queries"), &project.join("queries"));
    copy_dir(&root().join("tests/data"), &project.join("tests/data"));
    for store in ["diplograph.db", "kg.db", "served.db"] {
        let out = Command::new(bin()).args(["ingest", "--quiet", "--store", store, "corpus/"]).current_dir(&project).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    (dir, project)
}

#[test]
fn every_example_in_help_and_readme_runs() {
    if !common::require_tool("dot") || !common::require_tool("jq") || !common::require_tool("curl") {
        return;
    }
    let (_dir, project) = checkout();
    let mut examples = help_examples(&[]);
    let help = String::from_utf8(Command::new(bin()).arg("--help").env("COLUMNS", "1000").output().unwrap().stdout).unwrap();
    let commands: Vec<&str> = help.lines().skip_while(|l| !l.starts_with("Commands:")).skip(1).take_while(|l| l.starts_with("  ")).filter_map(|l| l.split_whitespace().next()).filter(|c| *c != "help").collect();
    for command in &commands {
        examples.extend(help_examples(&[command]));
    }
    let from_help = examples.len();
    examples.extend(readme_examples());
    assert!(from_help > 40 && examples.len() > from_help + 15, "{from_help} examples in help, {} in all", examples.len());

    let server = Server::start(&project.join("served.db"), &[]);
    let address = server.base().trim_start_matches("http://").to_owned();
    let mut failures = Vec::new();
    for example in &examples {
        if starts_or_pushes(example) {
            if let Err(e) = parses(&project, example) {
                failures.push(format!("{example}\n  does not parse: {e}"));
            }
            continue;
        }
        let command = example.replace("127.0.0.1:7878", &address);
        let out = Command::new("bash").args(["-o", "pipefail", "-c", &command]).current_dir(&project).env("PATH", path_with_bin()).env_remove("DIPLOGRAPH_STORE").output().unwrap();
        if !out.status.success() {
            failures.push(format!("{example}\n  exit {:?}: {}", out.status.code(), String::from_utf8_lossy(&out.stderr)));
        }
    }
    assert!(failures.is_empty(), "{} example(s) fail:\n{}", failures.len(), failures.join("\n"));
}
