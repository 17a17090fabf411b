//! Word boundaries, from jieba's dictionary segmentation.
//!
//! Name recognizers scan left from a telling suffix (…委员会, …走廊) and must
//! stop where a name stops: at a whole stop word, never at a character that
//! only begins a longer word (应 in 应用, 由 in 自由), and not on a verb or
//! adverb that governs the name (加深…, 推动…). A dictionary segmenter knows
//! those words; lists of exceptions would not.
//!
//! A text is segmented a clause at a time (between punctuation), and only the
//! clauses a recognizer asks about: most of a statement never needs it.

use std::cell::OnceCell;
use std::sync::LazyLock;

use jieba_rs::Jieba;

/// The segmenter and its dictionary, loaded once per process (a few hundred
/// milliseconds; [`warm_up`] starts it early on a thread of its own).
static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Starts loading the dictionary in the background, so that it is ready by
/// the time the first document is segmented.
pub fn warm_up() {
    std::thread::spawn(|| LazyLock::force(&JIEBA));
}

/// Loads the dictionary now, if it is not loaded yet (for measurements that
/// must not count it).
pub fn load() {
    LazyLock::force(&JIEBA);
}

/// What kind of word a segment is, as far as name boundaries care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordClass {
    /// A verb, adverb, preposition, conjunction, auxiliary or pronoun: a word
    /// that governs or links names but does not begin one.
    Function,
    /// A verbal noun (发展, 合作): part of many names, but it does not begin
    /// one when a name follows it.
    VerbalNoun,
    /// A place or person name the dictionary knows (老挝, 澜湄); not its
    /// organization names, which include generic ones (党组织).
    Proper,
    /// Characters the dictionary does not know: a transliteration, usually.
    Unknown,
    /// Anything else (common nouns, numerals, adjectives).
    Other,
}

fn class_of(tag: &str) -> WordClass {
    // By bytes: this runs for every word of every clause segmented.
    match tag.as_bytes() {
        b"vn" => WordClass::VerbalNoun,
        b"ns" | b"nr" | b"nrt" | b"nrfg" => WordClass::Proper,
        b"x" => WordClass::Unknown,
        [b'v' | b'd' | b'p' | b'c' | b'u' | b'r', ..] => WordClass::Function,
        _ => WordClass::Other,
    }
}

/// Characters that end a clause: no word spans them.
fn is_clause_break(c: char) -> bool {
    matches!(c, '，' | '。' | '；' | '、' | '：' | '！' | '？' | '\n' | '（' | '）' | '“' | '”' | '《' | '》' | '〈' | '〉' | ',' | ';' | ':')
}

/// One clause's words: start byte of each (absolute), and its class.
#[derive(Debug, Default)]
struct ClauseWords {
    starts: Vec<usize>,
    classes: Vec<WordClass>,
}

/// The words of a text, segmented on demand a clause at a time.
#[derive(Debug, Default)]
pub struct Words<'a> {
    text: &'a str,
    /// Start byte of each clause; a clause break is a clause of its own.
    clauses: Vec<usize>,
    segmented: Vec<OnceCell<ClauseWords>>,
}

impl<'a> Words<'a> {
    /// The words of `text` (dictionary words only: unknown sequences stay
    /// single characters, so a foreign name is never glued to the verb before it).
    pub fn of(text: &'a str) -> Self {
        let mut clauses = vec![0];
        for (i, c) in text.char_indices() {
            if is_clause_break(c) {
                if clauses.last() != Some(&i) {
                    clauses.push(i);
                }
                clauses.push(i + c.len_utf8());
            }
        }
        clauses.dedup();
        let segmented = (0..clauses.len()).map(|_| OnceCell::new()).collect();
        Self { text, clauses, segmented }
    }

    /// The clause holding byte `pos` and its words.
    fn clause_at(&self, pos: usize) -> Option<&ClauseWords> {
        if pos >= self.text.len() {
            return None;
        }
        let i = self.clauses.partition_point(|&s| s <= pos) - 1;
        Some(self.segmented[i].get_or_init(|| {
            let start = self.clauses[i];
            let end = self.clauses.get(i + 1).copied().unwrap_or(self.text.len());
            let mut words = ClauseWords::default();
            let mut at = start;
            for t in JIEBA.tag(&self.text[start..end], false) {
                words.starts.push(at);
                words.classes.push(class_of(t.tag));
                at += t.word.len();
            }
            words
        }))
    }

    /// Whether a word begins (or the text ends) at byte `pos`.
    pub fn is_boundary(&self, pos: usize) -> bool {
        if pos >= self.text.len() || self.clauses.binary_search(&pos).is_ok() {
            return true;
        }
        self.clause_at(pos).is_some_and(|c| c.starts.binary_search(&pos).is_ok())
    }

    /// The word that begins at `pos`: its end and class.
    pub fn word_at(&self, pos: usize) -> Option<(usize, WordClass)> {
        let clause = self.clause_at(pos)?;
        let i = clause.starts.binary_search(&pos).ok()?;
        let end = clause.starts.get(i + 1).copied().unwrap_or_else(|| self.clause_end(pos));
        Some((end, clause.classes[i]))
    }

    /// The word that ends at `pos`: its start and class.
    pub fn word_before(&self, pos: usize) -> Option<(usize, WordClass)> {
        let before = self.text[..pos].chars().next_back()?;
        let clause = self.clause_at(pos - before.len_utf8())?;
        let i = clause.starts.partition_point(|&s| s < pos).checked_sub(1)?;
        let end = clause.starts.get(i + 1).copied().unwrap_or_else(|| self.clause_end(clause.starts[i]));
        (end == pos).then(|| (clause.starts[i], clause.classes[i]))
    }

    fn clause_end(&self, pos: usize) -> usize {
        let i = self.clauses.partition_point(|&s| s <= pos);
        self.clauses.get(i).copied().unwrap_or(self.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_that_begins_a_longer_word_is_not_a_boundary() {
        let text = "中国—东盟国家人工智能应用合作中心";
        let w = Words::of(text);
        let ying = text.find('应').unwrap();
        assert!(w.is_boundary(ying), "应用 is a word");
        assert!(!w.is_boundary(ying + '应'.len_utf8()), "用 does not begin a word here");
        let t = "中国—塞尔维亚自由贸易协定";
        let w = Words::of(t);
        assert!(!w.is_boundary(t.find('由').unwrap()));
    }

    #[test]
    fn governing_verbs_are_function_words() {
        let text = "加深中塔科技合作委员会";
        let w = Words::of(text);
        assert_eq!(w.word_at(0).map(|(_, c)| c), Some(WordClass::Function));
        let (end, _) = w.word_at(0).unwrap();
        assert_eq!(&text[..end], "加深");
        assert_eq!(w.word_before(end), Some((0, WordClass::Function)));
    }

    #[test]
    fn punctuation_bounds_words_without_segmenting() {
        let text = "双方同意，推动合作。";
        let w = Words::of(text);
        let comma = text.find('，').unwrap();
        assert!(w.is_boundary(comma) && w.is_boundary(comma + '，'.len_utf8()));
        assert!(w.is_boundary(text.len()));
    }
}
