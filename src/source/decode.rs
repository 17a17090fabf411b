//! Bytes to text: encoding detection and binary-file rejection.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};

/// Why a file's bytes could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the file is empty")]
    Empty,
    #[error("the file looks binary ({0}), not text")]
    Binary(String),
    #[error("the bytes are not valid {0}")]
    Undecodable(&'static str),
    #[error("unknown encoding label {0:?}")]
    UnknownEncoding(String),
}

/// A decoded file and the encoding it was read as.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    /// What was repaired on the way (a cut-off last character, a few bad bytes).
    pub warnings: Vec<String>,
}

/// Share of undecodable sequences below which a UTF-8 file is read as UTF-8
/// with those sequences replaced (and a warning), not re-detected.
const DAMAGED_UTF8_TOLERANCE: f64 = 0.001;

/// Looks up an encoding by its WHATWG label ("utf-8", "gbk", "gb18030", "utf-16le", "big5"...).
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding, DecodeError> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| DecodeError::UnknownEncoding(label.to_owned()))
}

/// Decodes `bytes`. With `forced`, that encoding is used (a BOM still wins, as
/// in browsers); otherwise the encoding is detected: BOM, then a declared HTML
/// charset, then strict UTF-8, then UTF-16 without BOM, then GB18030, then a
/// statistical guess among legacy encodings.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return strict(enc, &bytes[bom_len..]);
    }
    if let Some(enc) = forced {
        return strict(enc, bytes);
    }
    let utf8 = std::str::from_utf8(bytes);
    if let Some(enc) = utf8.is_err().then(|| utf16_without_bom(bytes)).flatten() {
        if let Ok(d) = strict(enc, bytes) {
            return Ok(d);
        }
    }
    if let Some(kind) = binary_signature(bytes) {
        return Err(DecodeError::Binary(kind));
    }
    if let Some(enc) = declared_charset(bytes) {
        if let Ok(d) = strict(enc, bytes) {
            return Ok(d);
        }
    }
    match utf8 {
        Ok(text) => return check_text(text.to_owned(), UTF_8),
        Err(e) if e.error_len().is_none() && e.valid_up_to() + 4 > bytes.len() => {
            // Cut off inside the last character: keep what is whole.
            let mut d = check_text(std::str::from_utf8(&bytes[..e.valid_up_to()]).expect("valid prefix").to_owned(), UTF_8)?;
            d.warnings.push(format!("the file ends inside a UTF-8 character; the last {} byte(s) were dropped", bytes.len() - e.valid_up_to()));
            return Ok(d);
        }
        Err(_) => {
            let lossy = String::from_utf8_lossy(bytes);
            let bad = lossy.matches('\u{fffd}').count();
            let total = lossy.chars().count().max(1);
            if (bad as f64) / (total as f64) < DAMAGED_UTF8_TOLERANCE {
                let mut d = check_text(lossy.into_owned(), UTF_8)?;
                d.warnings.push(format!("{bad} invalid UTF-8 sequence(s) were replaced by U+FFFD"));
                return Ok(d);
            }
        }
    }
    if let Ok(d) = strict(GB18030, bytes) {
        return Ok(d);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    strict(guess, bytes).map_err(|_| DecodeError::Undecodable("UTF-8, GB18030 or any detected legacy encoding"))
}

fn strict(enc: &'static Encoding, bytes: &[u8]) -> Result<Decoded, DecodeError> {
    match enc.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => check_text(text.into_owned(), enc),
        None => Err(DecodeError::Undecodable(enc.name())),
    }
}

/// Rejects decoded text that is mostly control characters (a binary file that
/// happens to decode).
fn check_text(text: String, enc: &'static Encoding) -> Result<Decoded, DecodeError> {
    let (mut seen, mut control) = (0usize, 0usize);
    for c in text.chars().take(4096) {
        seen += 1;
        control += usize::from(c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'));
    }
    if seen > 0 && control * 10 > seen {
        return Err(DecodeError::Binary(format!("{control} control characters in the first {seen} characters")));
    }
    Ok(Decoded { text, encoding: enc.name(), warnings: Vec::new() })
}

/// Recognizes a few common binary formats by their magic bytes, and any file
/// with NUL bytes (text in the encodings we read never has them).
fn binary_signature(bytes: &[u8]) -> Option<String> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF", "PDF"),
        (b"PK\x03\x04", "ZIP or Office document"),
        (b"\x89PNG", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"\x7fELF", "ELF executable"),
        (b"\xd0\xcf\x11\xe0", "legacy Office document"),
        (b"\x1f\x8b", "gzip archive"),
    ];
    for (magic, name) in MAGIC {
        if bytes.starts_with(magic) {
            return Some((*name).to_owned());
        }
    }
    let head = &bytes[..bytes.len().min(8192)];
    head.contains(&0).then(|| "it contains NUL bytes".to_owned())
}

/// UTF-16 without a BOM: the byte order whose decoding reads as text
/// (ideographs, CJK punctuation, printable ASCII) in the first 4 KiB.
/// (The caller has found that the bytes are not UTF-8.)
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let head = &bytes[..bytes.len().min(4096)];
    let readable = |c: &char| {
        ('\u{4e00}'..='\u{9fff}').contains(c)
            || ('\u{3000}'..='\u{303f}').contains(c)
            || ('\u{ff00}'..='\u{ffef}').contains(c)
            || (' '..='~').contains(c)
            || matches!(c, '\n' | '\r' | '\t' | '“' | '”' | '·' | '—')
    };
    [UTF_16LE, UTF_16BE].into_iter().find(|enc| {
        let (text, _) = enc.decode_without_bom_handling(head);
        let total = text.chars().count();
        total > 0 && text.chars().filter(readable).count() * 10 >= total * 9
    })
}

/// `<meta charset="gbk">` or `<meta http-equiv=... content="text/html; charset=gb2312">`
/// in the first 4 KiB of an HTML page.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    const KEY: &[u8] = b"charset=";
    let head = &bytes[..bytes.len().min(4096)];
    let at = head.windows(KEY.len()).position(|w| w.eq_ignore_ascii_case(KEY))? + KEY.len();
    let rest = &head[at..];
    let rest = &rest[rest.iter().take_while(|b| matches!(b, b'"' | b'\'' | b' ')).count()..];
    let label = &rest[..rest.iter().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')).count()];
    Encoding::for_label(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "中华人民共和国和哈萨克斯坦共和国联合声明";

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(TEXT.as_bytes(), None).unwrap().text, TEXT);
        let mut bom = b"\xef\xbb\xbf".to_vec();
        bom.extend_from_slice(TEXT.as_bytes());
        let d = decode(&bom, None).unwrap();
        assert_eq!(d.text, TEXT);
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        for (enc, bom) in [(UTF_16LE, b"\xff\xfe"), (UTF_16BE, b"\xfe\xff")] {
            let mut bytes = bom.to_vec();
            for unit in TEXT.encode_utf16() {
                let b = if enc == UTF_16LE { unit.to_le_bytes() } else { unit.to_be_bytes() };
                bytes.extend_from_slice(&b);
            }
            let d = decode(&bytes, None).unwrap();
            assert_eq!(d.text, TEXT);
            assert_eq!(d.encoding, enc.name());
        }
    }

    #[test]
    fn utf16le_without_bom() {
        let bytes: Vec<u8> = TEXT.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode(&bytes, None).unwrap().text, TEXT);
    }

    #[test]
    fn gbk_is_detected_without_declaration() {
        let (bytes, _, _) = encoding_rs::GBK.encode(TEXT);
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.text, TEXT);
        assert_eq!(d.encoding, "gb18030");
    }

    #[test]
    fn truncated_and_slightly_damaged_utf8_stay_utf8() {
        let long = TEXT.repeat(200);
        let bytes = long.as_bytes();
        let cut = &bytes[..bytes.len() - 1];
        let d = decode(cut, None).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert!(long.starts_with(&d.text) && d.text.chars().count() == long.chars().count() - 1);
        assert_eq!(d.warnings.len(), 1);
        let mut damaged = bytes.to_vec();
        damaged[300] = 0xff;
        let d = decode(&damaged, None).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.warnings[0].contains("replaced"));
    }

    #[test]
    fn forced_encoding_is_used() {
        let (bytes, _, _) = encoding_rs::BIG5.encode("中華人民共和國");
        let d = decode(&bytes, Some(encoding_rs::BIG5)).unwrap();
        assert_eq!(d.text, "中華人民共和國");
    }

    #[test]
    fn binary_and_empty_are_rejected() {
        assert_eq!(decode(b"", None).unwrap_err(), DecodeError::Empty);
        assert!(matches!(decode(b"\x89PNG\r\n\x1a\n\0\0\0", None), Err(DecodeError::Binary(_))));
        assert!(matches!(decode(&[0u8, 1, 2, 3, 0, 0, 7, 200, 0, 13, 0], None), Err(DecodeError::Binary(_))));
    }

    #[test]
    fn html_charset_declaration_is_honoured() {
        let page = "<html><head><meta charset=\"big5\"></head><body>中華</body></html>";
        let (bytes, _, _) = encoding_rs::BIG5.encode(page);
        assert!(decode(&bytes, None).unwrap().text.contains("中華"));
    }
}
