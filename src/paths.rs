//! How a path is named, to the user and in the store: losslessly (two
//! different paths never get the same name, whatever bytes they hold) and
//! printably (no control character reaches a terminal).

use std::fmt::Write;
use std::path::Path;

/// The name of `path`: its text, with each byte that is not UTF-8 written
/// `\xNN`, each control character escaped (`\x1b`, `\u{9b}`), and a
/// backslash doubled, so that the escapes cannot be confused with a name.
pub fn path_name(path: &Path) -> String {
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        push_printable(&mut out, chunk.valid());
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// `text` with control characters escaped and backslashes doubled, as
/// [`path_name`] writes them: safe to print.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_printable(&mut out, text);
    out
}

fn push_printable(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if c.is_control() && (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    fn name(bytes: &[u8]) -> String {
        path_name(Path::new(OsStr::from_bytes(bytes)))
    }

    #[test]
    fn names_that_are_not_utf8_stay_apart() {
        assert_eq!(name(b"corpus/\xff.txt"), "corpus/\\xff.txt");
        assert_ne!(name(b"\xff.txt"), name(b"\xfe.txt"));
        // A name that spells an escape is not the escaped byte.
        assert_ne!(name(b"\\xff.txt"), name(b"\xff.txt"));
        assert_eq!(name("语料/声明.txt".as_bytes()), "语料/声明.txt");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let shown = name(b"a\x1b[2J\x07b\nc\xc2\x9bd.txt");
        assert_eq!(shown, "a\\x1b[2J\\x07b\\x0ac\\u{9b}d.txt");
        assert!(!shown.chars().any(char::is_control));
        assert_eq!(printable("x\u{1b}]0;title\u{7}"), "x\\x1b]0;title\\x07");
    }
}
