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
            InputRef::File(p) => crate::paths::path_name(p),
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
/// and directories are skipped, symlink loops and entries that are not
/// regular files (a named pipe could block the walk forever) are reported,
/// `-` is stdin. A path given by name is read whatever it is, so that
/// `<(command)` works.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<InputRef>, Vec<InputError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(InputRef::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => errors.push(InputError::new(crate::paths::path_name(path), e)),
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
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) => errors.push(InputError::new(crate::paths::path_name(e.path()), format!("{}, not a regular file: skipped", special_file_kind(&e.file_type())))),
            Err(e) => {
                let path = crate::paths::path_name(e.path().unwrap_or(root));
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

fn special_file_kind(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a named pipe"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_block_device() || t.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

/// How to read inputs.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Use this encoding instead of detecting one (a BOM still wins).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Web cruft to remove.
    pub cruft: normalize::Cruft,
    /// Larger files are refused.
    pub max_bytes: Option<u64>,
}

/// One decoded, normalized input file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given, named by `paths::path_name` (or `-`).
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

/// The bytes of one input, refused when there are more than
/// `options.max_bytes` (standard input and pipes included).
pub fn read_bytes(input: &InputRef, options: &ReadOptions) -> Result<Vec<u8>, InputError> {
    let name = input.display_name();
    let reader: Box<dyn Read> = match input {
        InputRef::Stdin => Box::new(std::io::stdin().lock()),
        InputRef::File(path) => {
            let file = std::fs::File::open(path).map_err(|e| InputError::new(&name, e))?;
            let meta = file.metadata().map_err(|e| InputError::new(&name, e))?;
            if meta.is_dir() {
                return Err(InputError::new(&name, "a directory where a file was expected"));
            }
            if let Some(max) = options.max_bytes.filter(|&max| meta.len() > max) {
                return Err(InputError::new(&name, format!("the file has {} bytes, more than the limit of {max} (raise it with --max-file-size)", meta.len())));
            }
            Box::new(file)
        }
    };
    let mut buf = Vec::new();
    let limit = options.max_bytes.map_or(u64::MAX, |max| max.saturating_add(1));
    reader.take(limit).read_to_end(&mut buf).map_err(|e| InputError::new(&name, e))?;
    match options.max_bytes {
        Some(max) if buf.len() as u64 > max => Err(InputError::new(&name, format!("the input has more than {max} bytes, the limit (raise it with --max-file-size)"))),
        _ => Ok(buf),
    }
}

/// Decodes and normalizes bytes that came from `name`.
pub fn source_from_bytes(name: String, bytes: &[u8], options: &ReadOptions) -> Result<SourceFile, InputError> {
    let decoded = crate::timing::time("read: decode", || decode::decode(bytes, options.encoding)).map_err(|e| InputError::new(&name, e))?;
    let text = decoded.text;
    let is_html = name.ends_with(".html") || name.ends_with(".htm") || html::looks_like_html(&text);
    let raw = crate::timing::time("read: html to text", || if is_html { html::html_to_text(&text) } else { MappedText::identity(&text) });
    let clean = crate::timing::time("read: normalize", || normalize::normalize(&raw, &options.cruft));
    let (clean, clean_original) = match crate::timing::time("read: traditional to simplified", || crate::zh::script::to_simplified(clean.as_str())) {
        std::borrow::Cow::Borrowed(_) => (clean, None),
        std::borrow::Cow::Owned(simplified) => (clean.with_text(simplified), Some(clean.as_str().to_owned())),
    };
    if clean.as_str().trim().is_empty() {
        return Err(InputError::new(&name, "no text in the file"));
    }
    Ok(SourceFile { name, text, encoding: decoded.encoding, is_html, clean, clean_original, warnings: decoded.warnings })
}
