//! Word boundaries, from jieba's dictionary segmentation.
//!
//! Name recognizers scan left from a telling suffix (…委员会, …走廊) and must
//! stop where a name stops: at a whole stop word, never at a character that
//! only begins a longer word (应 in 应用, 由 in 自由), and not on a verb or
//! adverb that governs the name (加深…, 推动…). A dictionary segmenter knows
//! those words; lists of exceptions would not.

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
    match tag {
        "vn" => WordClass::VerbalNoun,
        "ns" | "nr" | "nrt" | "nrfg" => WordClass::Proper,
        "x" => WordClass::Unknown,
        t if t.starts_with('v') || t.starts_with('d') || t.starts_with('p') || t.starts_with('c') || t.starts_with('u') || t.starts_with('r') => {
            WordClass::Function
        }
        _ => WordClass::Other,
    }
}

/// The words of a text, as byte ranges, in order, covering the text.
#[derive(Debug, Clone, Default)]
pub struct Words {
    /// Start byte of each word; a sentinel at the end holds the text length.
    starts: Vec<usize>,
    classes: Vec<WordClass>,
}

impl Words {
    /// Segments `text` (dictionary words only: unknown sequences stay single
    /// characters, so a foreign name is never glued to the verb before it).
    pub fn of(text: &str) -> Self {
        let tags = JIEBA.tag(text, false);
        let mut starts = Vec::with_capacity(tags.len() + 1);
        let mut classes = Vec::with_capacity(tags.len());
        let mut at = 0;
        for t in &tags {
            starts.push(at);
            classes.push(class_of(t.tag));
            at += t.word.len();
        }
        starts.push(text.len());
        Self { starts, classes }
    }

    /// Whether a word begins (or the text ends) at byte `pos`.
    pub fn is_boundary(&self, pos: usize) -> bool {
        self.starts.binary_search(&pos).is_ok()
    }

    /// The word that begins at `pos`: its end and class.
    pub fn word_at(&self, pos: usize) -> Option<(usize, WordClass)> {
        let i = self.starts.binary_search(&pos).ok()?;
        Some((*self.starts.get(i + 1)?, *self.classes.get(i)?))
    }

    /// The word that ends at `pos`: its start and class.
    pub fn word_before(&self, pos: usize) -> Option<(usize, WordClass)> {
        let i = self.starts.binary_search(&pos).ok()?.checked_sub(1)?;
        Some((self.starts[i], self.classes[i]))
    }

    /// The first word boundary at or after `pos`.
    pub fn next_boundary(&self, pos: usize) -> usize {
        let i = self.starts.partition_point(|&s| s < pos);
        self.starts.get(i).copied().unwrap_or(pos)
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
    }
}
