//! Traditional characters read as simplified ones (習近平 = 习近平), one
//! character for one of the same UTF-8 length, so that every byte offset
//! into a converted text is the offset into the original.
//!
//! The mapping is OpenCC's (ferrous-opencc): its traditional-to-simplified
//! tables for mainland, Hong Kong and Taiwan usage, applied character by
//! character. Word-level conversions that change a text's length are left out:
//! names need characters, not vocabulary.

use std::borrow::Cow;
use std::sync::LazyLock;

use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;

/// The CJK blocks whose characters may have simplified forms: from the first
/// of Extension A to the last compatibility ideograph.
const FIRST: char = '\u{3400}';
const LAST: char = '\u{faff}';

/// For every character from [`FIRST`] to [`LAST`], its simplified form (the
/// character itself when it has none): an array, as every character of a
/// text is looked up.
static TO_SIMPLIFIED: LazyLock<Vec<char>> = LazyLock::new(|| {
    // Indexed by code point: the surrogates in the range (no characters) hold a space.
    let chars: Vec<char> = (FIRST as u32..=LAST as u32).map(|u| char::from_u32(u).unwrap_or(' ')).collect();
    let mut table = chars.clone();
    // One character a line: no table entry spans two characters.
    let lines: String = chars.iter().flat_map(|&c| [c, '\n']).collect();
    // Mainland tables first; Hong Kong and Taiwan forms fill in the rest.
    for config in [BuiltinConfig::T2s, BuiltinConfig::Hk2s, BuiltinConfig::Tw2s] {
        let Ok(cc) = OpenCC::from_config(config) else { continue };
        for ((&from, slot), to) in chars.iter().zip(table.iter_mut()).zip(cc.convert(&lines).split('\n')) {
            let mut it = to.chars();
            if let (Some(t), None) = (it.next(), it.next()) {
                if *slot == from && t != from && t.len_utf8() == from.len_utf8() {
                    *slot = t;
                }
            }
        }
    }
    table
});

/// Builds the table now, if it is not built yet (a one-time start-up cost,
/// for measurements that must not count it).
pub fn load() {
    LazyLock::force(&TO_SIMPLIFIED);
}

/// The simplified form of `c` (itself when it has none).
pub fn simplified_char(c: char) -> char {
    if !(FIRST..=LAST).contains(&c) {
        return c;
    }
    TO_SIMPLIFIED[c as usize - FIRST as usize]
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

    #[test]
    fn every_character_of_the_table_has_a_form_of_its_own_length() {
        // The range holds the surrogates, which are no characters: the ones after them are still found.
        for c in (FIRST..=LAST).chain(['\u{f900}', '\u{faff}', '\u{ffff}', '\u{10000}']) {
            assert_eq!(simplified_char(c).len_utf8(), c.len_utf8(), "{c:?}");
        }
        // Past the surrogates each character is its own slot: private-use ones stay themselves.
        assert!(('\u{e000}'..='\u{f8ff}').all(|c| simplified_char(c) == c));
        assert_eq!(to_simplified("\u{f900}習").len(), "\u{f900}習".len());
    }
}
