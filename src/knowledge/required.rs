//! The literal words a lexicon pattern cannot match without.
//!
//! Most of the lexicon's patterns look for something rare (a signing
//! formula, 以下称“双方”, a cue verb) in text that mostly lacks it. A regex
//! anchored at a line start, or opening with a class or a gap, cannot skip
//! ahead to its literals, so it reads every byte of every line; testing first
//! whether the line holds the words the pattern needs is far cheaper. The
//! words come from the pattern's syntax tree, so every pattern of the
//! lexicon, and every one a user adds, gets its filter.

use regex::Regex;
use regex_syntax::ast::{self, Ast, RepetitionKind, RepetitionRange};

/// What a text must hold for a pattern to match: every inner list names
/// words of which at least one must occur (支持 in `{S}支持{O}`; one of 和,
/// 与, 、 in `(?:和|与|、)`). Empty when the pattern needs no literal.
pub type Requirements = Vec<Vec<String>>;

/// The requirements of `pattern`, read from its syntax as written (an
/// alternation of words stays one, 举办|举行, not 举 then 办 or 行). None if
/// it does not parse or ignores case anywhere.
pub fn required_words(pattern: &str) -> Requirements {
    match ast::parse::Parser::new().parse(pattern) {
        Ok(tree) if !ignores_case(&tree) => of(&tree),
        _ => Vec::new(),
    }
}

fn ignores_case(tree: &Ast) -> bool {
    let sets = |flags: &ast::Flags| flags.items.iter().any(|i| matches!(i.kind, ast::FlagsItemKind::Flag(ast::Flag::CaseInsensitive)));
    match tree {
        Ast::Flags(f) => sets(&f.flags),
        Ast::Group(g) => matches!(&g.kind, ast::GroupKind::NonCapturing(f) if sets(f)) || ignores_case(&g.ast),
        Ast::Repetition(r) => ignores_case(&r.ast),
        Ast::Concat(c) => c.asts.iter().any(ignores_case),
        Ast::Alternation(a) => a.asts.iter().any(ignores_case),
        _ => false,
    }
}

fn of(tree: &Ast) -> Requirements {
    match tree {
        Ast::Literal(l) => vec![vec![l.c.to_string()]],
        Ast::Group(g) => of(&g.ast),
        Ast::Repetition(r) => {
            let at_least_once = match &r.op.kind {
                RepetitionKind::OneOrMore => true,
                RepetitionKind::Range(RepetitionRange::Exactly(n) | RepetitionRange::AtLeast(n) | RepetitionRange::Bounded(n, _)) => *n >= 1,
                _ => false,
            };
            if at_least_once {
                of(&r.ast)
            } else {
                Vec::new()
            }
        }
        // Characters in a row make one word.
        Ast::Concat(c) => {
            let mut out = Vec::new();
            let mut word = String::new();
            for part in &c.asts {
                match part {
                    Ast::Literal(l) => word.push(l.c),
                    _ => {
                        if !word.is_empty() {
                            out.push(vec![std::mem::take(&mut word)]);
                        }
                        out.extend(of(part));
                    }
                }
            }
            if !word.is_empty() {
                out.push(vec![word]);
            }
            out
        }
        // An alternation needs one of its branches: each branch's most telling
        // requirement (its longest word), when every branch has one.
        Ast::Alternation(a) => {
            let mut any: Vec<String> = Vec::new();
            for branch in &a.asts {
                let best = of(branch).into_iter().max_by_key(|words| words.iter().map(|w| w.chars().count()).min().unwrap_or(0));
                match best {
                    Some(words) => any.extend(words),
                    None => return Vec::new(),
                }
            }
            vec![any]
        }
        _ => Vec::new(),
    }
}

/// Whether `text` holds what `requirements` ask.
pub fn holds(requirements: &Requirements, text: &str) -> bool {
    requirements.iter().all(|any| any.iter().any(|w| text.contains(w.as_str())))
}

/// The requirements of many patterns, checked together: one pass over a
/// text finds every word any of them needs, then each pattern's test is a
/// few lookups.
#[derive(Debug, Clone)]
pub struct WordFilter {
    /// Each pattern's requirements, as indices into the words.
    requirements: Vec<Vec<Vec<usize>>>,
    /// Every word, found in one pass (pattern i of the automaton is word i).
    automaton: aho_corasick::AhoCorasick,
    words: usize,
}

/// Which of a [`WordFilter`]'s words each of some ranges of a text holds:
/// a bit per word and range.
#[derive(Debug, Clone)]
pub struct WordsByRange {
    stride: usize,
    bits: Vec<u64>,
}

/// Which of a [`WordFilter`]'s words one text or range holds.
#[derive(Debug, Clone, Copy)]
pub struct WordsPresent<'a>(&'a [u64]);

impl WordsByRange {
    /// The words of range `r`.
    pub fn get(&self, r: usize) -> WordsPresent<'_> {
        WordsPresent(&self.bits[r * self.stride..(r + 1) * self.stride])
    }
}

impl WordsPresent<'_> {
    fn has(&self, word: usize) -> bool {
        self.0[word / 64] & (1 << (word % 64)) != 0
    }
}

impl WordFilter {
    pub fn new(patterns: impl IntoIterator<Item = Requirements>) -> Self {
        let mut words: Vec<String> = Vec::new();
        let mut index = |w: String| {
            words.iter().position(|known| *known == w).unwrap_or_else(|| {
                words.push(w);
                words.len() - 1
            })
        };
        let requirements = patterns.into_iter().map(|p| p.into_iter().map(|any| any.into_iter().map(&mut index).collect()).collect()).collect();
        let automaton = aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&words)
            .expect("an automaton of literal words");
        Self { requirements, automaton, words: words.len() }
    }

    /// The words `text` holds (range 0).
    pub fn words_in(&self, text: &str) -> WordsByRange {
        self.words_in_ranges(text, &[(0, text.len())])
    }

    /// The words each of `ranges` of `text` holds (sorted byte ranges, not
    /// overlapping), from one pass over the text.
    pub fn words_in_ranges(&self, text: &str, ranges: &[(usize, usize)]) -> WordsByRange {
        let stride = self.words.div_ceil(64).max(1);
        let mut bits = vec![0u64; stride * ranges.len()];
        for m in self.automaton.find_overlapping_iter(text) {
            let r = ranges.partition_point(|&(_, e)| e < m.end());
            if ranges.get(r).is_some_and(|&(s, _)| s <= m.start()) {
                let w = m.pattern().as_usize();
                bits[r * stride + w / 64] |= 1 << (w % 64);
            }
        }
        WordsByRange { stride, bits }
    }

    /// Whether pattern `i` may match a text holding `present`.
    pub fn allows(&self, i: usize, present: WordsPresent) -> bool {
        self.requirements[i].iter().all(|any| any.iter().any(|&w| present.has(w)))
    }
}

/// A lexicon regex that first checks the words it needs.
#[derive(Debug, Clone)]
pub struct FilteredRegex {
    regex: Regex,
    requirements: Requirements,
}

impl FilteredRegex {
    pub fn new(regex: Regex) -> Self {
        let requirements = required_words(regex.as_str());
        Self { regex, requirements }
    }

    /// Whether `text` holds the words the regex needs (it may still not match).
    pub fn may_match(&self, text: &str) -> bool {
        holds(&self.requirements, text)
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.may_match(text) && self.regex.is_match(text)
    }

    pub fn captures<'t>(&self, text: &'t str) -> Option<regex::Captures<'t>> {
        self.may_match(text).then(|| self.regex.captures(text)).flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(p: &str) -> Requirements {
        required_words(p)
    }

    #[test]
    fn literals_outside_optional_parts_are_required() {
        assert_eq!(words("^(?:一、)?应[^。]{2,80}?(?:邀请|之邀)"), vec![vec!["应".to_owned()], vec!["邀请".to_owned(), "之邀".to_owned()]]);
        assert_eq!(words(r"\d+年(?:成功)?举办"), vec![vec!["年".to_owned()], vec!["举办".to_owned()]]);
        assert_eq!(words("(?:举办|举行)的"), [vec!["举办", "举行"], vec!["的"]]);
        assert!(words("(?i)copyright").is_empty(), "a word whose case is ignored is not required as written");
    }

    #[test]
    fn an_alternation_with_a_branch_that_needs_nothing_requires_nothing() {
        assert!(words(r"(?:签署|\d+)").is_empty());
        assert!(words(r"[甲乙]+").is_empty());
        assert!(words(r"\p{Han}").is_empty());
    }

    #[test]
    fn a_word_filter_allows_a_pattern_only_where_its_words_are() {
        let f = WordFilter::new([words("支持|维护"), words("应[^。]*邀请"), words(r"\d+")]);
        let found = f.words_in("双方支持对方。");
        assert!(f.allows(0, found.get(0)));
        assert!(!f.allows(1, found.get(0)), "neither 应 nor 邀请");
        assert!(f.allows(2, found.get(0)), "a pattern that needs no word is always allowed");
        let found = f.words_in("应邀请");
        assert!(!f.allows(0, found.get(0)) && f.allows(1, found.get(0)));
        let text = "双方支持。应邀请。";
        let by_sentence = f.words_in_ranges(text, &[(0, text.find('应').unwrap()), (text.find('应').unwrap(), text.len())]);
        assert!(f.allows(0, by_sentence.get(0)) && !f.allows(1, by_sentence.get(0)));
        assert!(!f.allows(0, by_sentence.get(1)) && f.allows(1, by_sentence.get(1)));
    }

    /// The filter may only skip what cannot match: on every line of the
    /// corpus, a lexicon pattern that matches is allowed by its words.
    #[test]
    fn the_filter_never_hides_a_match_of_a_lexicon_pattern() {
        let k = crate::knowledge::Knowledge::builtin().unwrap();
        let d = &k.lexicon.documents;
        let patterns: Vec<&String> = d.signing.iter().chain(&d.preamble).chain(&d.opening).chain(&k.lexicon.reader.cruft).collect();
        let regexes: Vec<regex::Regex> = patterns.iter().map(|p| regex::Regex::new(p).unwrap()).collect();
        let filter = WordFilter::new(patterns.iter().map(|p| required_words(p)));
        let (mut lines, mut matches) = (0, 0);
        for file in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus")).unwrap() {
            let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
            for line in text.lines() {
                lines += 1;
                let found = filter.words_in(line);
                for (i, re) in regexes.iter().enumerate() {
                    if re.is_match(line) {
                        matches += 1;
                        assert!(filter.allows(i, found.get(0)), "{} matches {line:?} but its words were not found", patterns[i]);
                    }
                }
            }
        }
        assert!(lines > 100 && matches > 10, "{lines} lines, {matches} matches: the corpus is there");
    }
}
