//! A deterministic mix of bad inputs of many kinds beside the sample
//! statements, for the robustness of ingest: every input must give a
//! document or a message naming it, as it is met, with memory bounded by the
//! batch. `diplograph bench badmix` writes one; tests/bad_inputs.rs ingests
//! a small one.

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use super::synth::SAMPLES;

/// What an input of the mix must give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    /// One document or more in the store.
    Documents,
    /// A message naming it.
    Message,
    /// One or the other (text whose reading is a matter of the reader's rules).
    Either,
}

/// One input written.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MixEntry {
    /// The path as ingest names it when given the mix's directory.
    pub path: PathBuf,
    pub kind: &'static str,
    pub expect: Expect,
}

/// The kinds of bad input, each a function of a running number.
const KINDS: &[&str] = &[
    "empty",
    "tiny-random",
    "very-short-text",
    "binary",
    "truncated-utf8",
    "odd-utf16",
    "nul-bytes",
    "nested-brackets",
    "masking-tokens",
    "long-digit-runs",
    "thousands-of-titles-in-a-paragraph",
    "one-title-lines",
    "long-line-without-punctuation",
    "deep-html",
    "unclosed-html-comment",
    "control-characters",
    "escape-sequence-in-name",
    "name-not-utf8",
    "fifo",
    "symlink-loop",
    "dangling-symlink",
    "over-size-limit",
    "directory-named-like-a-file",
    "duplicate-statement",
];

/// The size limit the mix assumes (`--max-file-size 2`): one kind is over it.
pub const MAX_FILE_MB: u64 = 2;

/// Writes `bad` bad inputs, spread over every kind, and the sample
/// statements, into `dir` (which must not exist); returns what each must give.
pub fn generate(dir: &Path, bad: usize, seed: u64) -> anyhow::Result<Vec<MixEntry>> {
    anyhow::ensure!(!dir.exists(), "{} exists; the mix is written into a new directory", crate::paths::path_name(dir));
    std::fs::create_dir_all(dir)?;
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut out = Vec::new();
    for (i, text) in SAMPLES.iter().enumerate() {
        let path = dir.join(format!("good-{i}.txt"));
        std::fs::write(&path, text)?;
        out.push(MixEntry { path, kind: "good", expect: Expect::Documents });
    }
    for n in 0..bad {
        let kind = KINDS[n % KINDS.len()];
        let sub = dir.join(format!("{:03}", n / 100));
        std::fs::create_dir_all(&sub)?;
        out.push(write_one(&sub, n, kind, &mut rng)?);
    }
    Ok(out)
}

fn write_one(dir: &Path, n: usize, kind: &'static str, rng: &mut fastrand::Rng) -> anyhow::Result<MixEntry> {
    let statement = SAMPLES[n % SAMPLES.len()];
    let path = dir.join(format!("{n:04}-{kind}.txt"));
    let entry = |path: PathBuf, expect| MixEntry { path, kind, expect };
    let write = |path: &Path, bytes: &[u8]| std::fs::write(path, bytes);
    Ok(match kind {
        "empty" => {
            write(&path, b"")?;
            entry(path, Expect::Message)
        }
        "tiny-random" => {
            let bytes: Vec<u8> = (0..rng.usize(1..16)).map(|_| rng.u8(..)).collect();
            write(&path, &bytes)?;
            entry(path, Expect::Message)
        }
        "very-short-text" => {
            // A bare title (联合声明) may be read as a document of its own.
            write(&path, ["你好", "联合声明", "双方", "。", "a"][n % 5].as_bytes())?;
            entry(path, Expect::Either)
        }
        "binary" => {
            let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
            bytes.extend((0..4096).map(|_| rng.u8(..)));
            write(&path, &bytes)?;
            entry(path, Expect::Message)
        }
        "truncated-utf8" => {
            let bytes = statement.as_bytes();
            write(&path, &bytes[..bytes.len() - 1])?;
            entry(path, Expect::Either)
        }
        "odd-utf16" => {
            let mut bytes: Vec<u8> = statement.encode_utf16().flat_map(u16::to_le_bytes).collect();
            bytes.truncate(rng.usize(1..bytes.len() / 2) | 1);
            write(&path, &bytes)?;
            entry(path, Expect::Either)
        }
        "nul-bytes" => {
            write(&path, &vec![0u8; rng.usize(1..10_000)])?;
            entry(path, Expect::Message)
        }
        "nested-brackets" => {
            write(&path, format!("{}{}", "《〈".repeat(20_000), "》".repeat(7)).as_bytes())?;
            entry(path, Expect::Either)
        }
        "masking-tokens" => {
            let text = format!("中华人民共和国和哈萨克斯坦共和国联合声明\n中方支持上海合作组织、⟦Organization#{n}⟧和⟦Party#{}⟧。\n{statement}", u64::MAX);
            write(&path, text.as_bytes())?;
            entry(path, Expect::Documents)
        }
        "long-digit-runs" => {
            let digits: String = (0..rng.usize(20..3000)).map(|_| char::from(b'0' + rng.u8(0..10))).collect();
            let text = format!("中华人民共和国和哈萨克斯坦共和国联合声明\n双方于{digits}年{digits}月{digits}日签署《条约》，建交{digits}年来合作顺利，第{digits}届论坛于今年{digits}月举行。\n本声明于{digits}年在北京签署。\n");
            write(&path, text.as_bytes())?;
            entry(path, Expect::Documents)
        }
        "thousands-of-titles-in-a-paragraph" => {
            let text: String = (0..rng.usize(2000..8000)).map(|i| format!("《条约{i}》，")).collect();
            write(&path, text.as_bytes())?;
            entry(path, Expect::Either)
        }
        "one-title-lines" => {
            let text: String = (0..20_000).map(|i| format!("《条约{i}》\n")).collect();
            write(&path, text.as_bytes())?;
            entry(path, Expect::Either)
        }
        "long-line-without-punctuation" => {
            write(&path, "双方同意加强合作上海合作组织中哈".repeat(20_000).as_bytes())?;
            entry(path, Expect::Either)
        }
        "deep-html" => {
            let html = format!("<html><body>{}中华人民共和国和哈萨克斯坦共和国联合声明{}</body></html>", "<div><p><span>".repeat(10_000), "</span></p></div>".repeat(10_000));
            write(&path.with_extension("html"), html.as_bytes())?;
            entry(path.with_extension("html"), Expect::Either)
        }
        "unclosed-html-comment" => {
            write(&path.with_extension("html"), format!("<html><body><!-- {statement}").as_bytes())?;
            entry(path.with_extension("html"), Expect::Either)
        }
        "control-characters" => {
            let noise: String = (0..2000).map(|_| char::from(rng.u8(0..32))).collect();
            write(&path, format!("{noise}{statement}{noise}").as_bytes())?;
            entry(path, Expect::Either)
        }
        "escape-sequence-in-name" => {
            let path = dir.join(format!("{n:04}-\x1b[2J\x1b]0;owned\x07.txt"));
            write(&path, b"\x1b[31m")?;
            entry(path, Expect::Message)
        }
        "name-not-utf8" => {
            let mut name = format!("{n:04}-").into_bytes();
            name.extend([0xff, 0xfe, b'.', b't', b'x', b't']);
            let path = dir.join(std::ffi::OsStr::from_bytes(&name));
            write(&path, statement.as_bytes())?;
            entry(path, Expect::Documents)
        }
        "fifo" => {
            let status = std::process::Command::new("mkfifo").arg(&path).status()?;
            anyhow::ensure!(status.success(), "mkfifo failed");
            entry(path, Expect::Message)
        }
        "symlink-loop" => {
            let path = dir.join(format!("{n:04}-loop"));
            std::os::unix::fs::symlink(".", &path)?;
            entry(path, Expect::Message)
        }
        "dangling-symlink" => {
            std::os::unix::fs::symlink(dir.join("nowhere"), &path)?;
            entry(path, Expect::Message)
        }
        "over-size-limit" => {
            write(&path, "双方同意加强合作。".repeat((MAX_FILE_MB as usize * 1_000_000) / 27 + 1).as_bytes())?;
            entry(path, Expect::Message)
        }
        "directory-named-like-a-file" => {
            std::fs::create_dir_all(&path)?;
            write(&path.join("inside.txt"), b"")?;
            entry(path.join("inside.txt"), Expect::Message)
        }
        "duplicate-statement" => {
            write(&path, statement.as_bytes())?;
            entry(path, Expect::Documents)
        }
        other => anyhow::bail!("no generator for {other}"),
    })
}
