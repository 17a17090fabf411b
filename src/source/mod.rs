//! Stage 1 — files to clean text.
//!
//! Finds the input files, decodes them, turns HTML into text and normalizes
//! the layout. Its output, [`SourceFile`], keeps the decoded source and a
//! [`MappedText`] whose every character maps back to a source code point.
//! This stage knows nothing about documents or entities.

pub mod decode;
pub mod html;
pub mod mapped;
pub mod normalize;

use std::io::Read;
use std::path::{Path, PathBuf};

pub use mapped::MappedText;
use regex::Regex;

/// Where an input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputRef {
    File(PathBuf),
    Stdin,
}

impl InputRef {
    /// The name shown to the user and recorded as the document's source.
    pub fn display_name(&self) -> String {
        match self {
            InputRef::File(p) => p.display().to_string(),
            InputRef::Stdin => "-".to_owned(),
        }
    }
}

/// A problem with one input; the run goes on with the others.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{path}: {problem}")]
pub struct InputError {
    pub path: String,
    pub problem: String,
}

impl InputError {
    pub fn new(path: impl Into<String>, problem: impl std::fmt::Display) -> Self {
        Self { path: path.into(), problem: problem.to_string() }
    }
}

/// Expands paths into input files: a directory is walked recursively in
/// byte order of file names (stable across runs and machines), hidden files
/// and directories are skipped, symlink loops are reported, `-` is stdin.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<InputRef>, Vec<InputError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(InputRef::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => errors.push(InputError::new(path.display().to_string(), e)),
            Ok(meta) if meta.is_dir() => walk_dir(path, &mut inputs, &mut errors),
            Ok(_) => inputs.push(InputRef::File(path.clone())),
        }
    }
    (inputs, errors)
}

fn walk_dir(root: &Path, inputs: &mut Vec<InputRef>, errors: &mut Vec<InputError>) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => inputs.push(InputRef::File(e.into_path())),
            Ok(_) => {}
            Err(e) => {
                let path = e.path().map(|p| p.display().to_string()).unwrap_or_else(|| root.display().to_string());
                let problem = if e.loop_ancestor().is_some() {
                    "symbolic link loop, not followed".to_owned()
                } else {
                    e.io_error().map(|io| io.to_string()).unwrap_or_else(|| e.to_string())
                };
                errors.push(InputError::new(path, problem));
            }
        }
    }
}

/// How to read inputs.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Use this encoding instead of detecting one (a BOM still wins).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Patterns of web cruft to remove (font-size widgets, "打印本页"...).
    pub cruft: Vec<Regex>,
    /// Larger files are refused.
    pub max_bytes: Option<u64>,
}

/// One decoded, normalized input file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given (or `-`).
    pub name: String,
    /// The decoded source text; offsets everywhere are code points of this.
    pub text: String,
    /// The encoding it was decoded from.
    pub encoding: &'static str,
    pub is_html: bool,
    /// Clean text: one paragraph per line, mapped to `text`, in simplified
    /// characters (traditional ones are read as their simplified forms).
    pub clean: MappedText,
    /// The clean text as written, when it had traditional characters: the
    /// same bytes' positions as `clean`, for quoting what the source says.
    pub clean_original: Option<String>,
    /// Repairs made while reading, to report with the file's name.
    pub warnings: Vec<String>,
}

/// Reads, decodes and normalizes one input.
pub fn read_input(input: &InputRef, options: &ReadOptions) -> Result<SourceFile, InputError> {
    let name = input.display_name();
    let bytes = match input {
        InputRef::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map_err(|e| InputError::new(&name, e))?;
            buf
        }
        InputRef::File(path) => {
            if let Some(max) = options.max_bytes {
                let len = std::fs::metadata(path).map_err(|e| InputError::new(&name, e))?.len();
                if len > max {
                    return Err(InputError::new(&name, format!("the file has {len} bytes, more than the limit of {max} (raise it with --max-file-size)")));
                }
            }
            std::fs::read(path).map_err(|e| InputError::new(&name, e))?
        }
    };
    source_from_bytes(name, &bytes, options)
}

/// Decodes and normalizes bytes that came from `name`.
pub fn source_from_bytes(name: String, bytes: &[u8], options: &ReadOptions) -> Result<SourceFile, InputError> {
    let decoded = decode::decode(bytes, options.encoding).map_err(|e| InputError::new(&name, e))?;
    let text = decoded.text;
    let is_html = name.ends_with(".html") || name.ends_with(".htm") || html::looks_like_html(&text);
    let raw = if is_html { html::html_to_text(&text) } else { MappedText::identity(&text) };
    let clean = normalize::normalize(&raw, &options.cruft);
    let (clean, clean_original) = match crate::zh::script::to_simplified(clean.as_str()) {
        std::borrow::Cow::Borrowed(_) => (clean, None),
        std::borrow::Cow::Owned(simplified) => (clean.with_text(simplified), Some(clean.as_str().to_owned())),
    };
    if clean.as_str().trim().is_empty() {
        return Err(InputError::new(&name, "no text in the file"));
    }
    Ok(SourceFile { name, text, encoding: decoded.encoding, is_html, clean, clean_original, warnings: decoded.warnings })
}
