//! Traditional characters read as simplified ones (習近平 = 习近平), one
//! character for one of the same UTF-8 length, so that every byte offset
//! into a converted text is the offset into the original.
//!
//! The mapping is OpenCC's (ferrous-opencc): its traditional-to-simplified
//! tables for mainland, Hong Kong and Taiwan usage, applied character by
//! character. Word-level conversions that change a text's length are left out:
//! names need characters, not vocabulary.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;

/// The CJK blocks whose characters may have simplified forms.
const RANGES: &[(char, char)] = &[('\u{3400}', '\u{4dbf}'), ('\u{4e00}', '\u{9fff}'), ('\u{f900}', '\u{faff}')];

static TO_SIMPLIFIED: LazyLock<HashMap<char, char>> = LazyLock::new(|| {
    let chars: Vec<char> = RANGES.iter().flat_map(|&(a, b)| a..=b).collect();
    // One character a line: no table entry spans two characters.
    let lines: String = chars.iter().flat_map(|&c| [c, '\n']).collect();
    let mut map = HashMap::new();
    for config in [BuiltinConfig::T2s, BuiltinConfig::Hk2s, BuiltinConfig::Tw2s] {
        let Ok(cc) = OpenCC::from_config(config) else { continue };
        for (&from, to) in chars.iter().zip(cc.convert(&lines).split('\n')) {
            let mut it = to.chars();
            if let (Some(t), None) = (it.next(), it.next()) {
                if t != from && t.len_utf8() == from.len_utf8() {
                    map.entry(from).or_insert(t);
                }
            }
        }
    }
    map
});

/// The simplified form of `c` (itself when it has none).
pub fn simplified_char(c: char) -> char {
    if !crate::zh::is_han(c) {
        return c;
    }
    TO_SIMPLIFIED.get(&c).copied().unwrap_or(c)
}

/// `text` with every traditional character replaced by its simplified form;
/// borrowed when there is none. The result has the same byte length and the
/// same character boundaries as `text`.
pub fn to_simplified(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| simplified_char(c) != c) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(simplified_char).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_names_read_as_simplified_with_the_same_length() {
        for (t, s) in [("習近平", "习近平"), ("中華人民共和國", "中华人民共和国"), ("哈薩克斯坦", "哈萨克斯坦"), ("聯合聲明", "联合声明")] {
            let out = to_simplified(t);
            assert_eq!(out, s);
            assert_eq!(out.len(), t.len());
        }
        assert!(matches!(to_simplified("习近平会见"), Cow::Borrowed(_)), "simplified text is not copied");
    }
}
