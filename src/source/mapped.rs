//! Text whose every byte can be traced back to a code point offset in the
//! decoded source file.
//!
//! Every later stage works on `MappedText` so that any span it finds can be
//! reported in source coordinates (code points, as NIF and the gold files use).

/// A string plus, for every byte, the code point offset in the source it came
/// from. Characters produced from a longer source sequence (an HTML entity, an
/// escaped tag) record where that sequence ends, so a span's source end is exact.
#[derive(Debug, Clone, Default)]
pub struct MappedText {
    text: String,
    /// `origin[b]` = source code point offset of the character containing byte `b`;
    /// one extra entry at `text.len()` holds the source length.
    origin: Vec<u32>,
    /// Source end (exclusive) of characters whose source is longer than one
    /// code point, keyed by the byte offset of the character.
    wide: std::collections::HashMap<u32, u32>,
}

impl MappedText {
    /// The identity mapping: text that is its own source.
    pub fn identity(text: &str) -> Self {
        let mut origin = Vec::with_capacity(text.len() + 1);
        let mut cp = 0u32;
        for c in text.chars() {
            origin.extend(std::iter::repeat_n(cp, c.len_utf8()));
            cp += 1;
        }
        origin.push(cp);
        Self { text: text.to_owned(), origin, wide: Default::default() }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Source code point offset where the character at byte `b` starts.
    pub fn source_start(&self, b: usize) -> u32 {
        self.origin[b]
    }

    /// Source range `[start, end)` of the bytes `[s, e)` of this text.
    pub fn source_range(&self, s: usize, e: usize) -> (u32, u32) {
        if s >= e {
            let at = self.origin[s.min(self.text.len())];
            return (at, at);
        }
        let last = floor_char_boundary(&self.text, e - 1);
        let end = match self.wide.get(&(last as u32)) {
            Some(&end) => end,
            None => self.origin[last] + 1,
        };
        (self.origin[s], end)
    }

    /// The same mapping over `text`, which must have this text's length and
    /// character boundaries (characters replaced one for one, as by
    /// `zh::script::to_simplified`).
    pub fn with_text(&self, text: String) -> Self {
        assert_eq!(text.len(), self.text.len(), "a one-for-one replacement keeps the length");
        Self { text, origin: self.origin.clone(), wide: self.wide.clone() }
    }

    /// Byte offsets where the text goes back in the source: the character
    /// there comes from earlier in the source than the one before it.
    pub fn jumps_back(&self) -> Vec<usize> {
        // The bytes of one character share its origin, so comparing every
        // byte with the one before finds exactly the characters that jump.
        let origin = &self.origin[..self.text.len()];
        (1..origin.len()).filter(|&b| origin[b] < origin[b - 1]).collect()
    }

    /// The source length in code points (the offset just past the end).
    pub fn source_len(&self) -> u32 {
        *self.origin.last().unwrap_or(&0)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Builds a [`MappedText`] one character at a time.
#[derive(Debug, Default)]
pub struct MappedBuilder {
    out: MappedText,
}

impl MappedBuilder {
    pub fn with_capacity(n: usize) -> Self {
        let mut b = Self::default();
        b.out.text.reserve(n);
        b.out.origin.reserve(n + 1);
        b
    }

    /// Appends `c`, which comes from source code points `[src_start, src_end)`.
    pub fn push(&mut self, c: char, src_start: u32, src_end: u32) {
        let at = self.out.text.len() as u32;
        if src_end != src_start + 1 {
            self.out.wide.insert(at, src_end);
        }
        self.out.origin.extend(std::iter::repeat_n(src_start, c.len_utf8()));
        self.out.text.push(c);
    }

    /// Appends byte range `[s, e)` of `from`, keeping its mapping.
    pub fn push_mapped(&mut self, from: &MappedText, s: usize, e: usize) {
        if from.wide.is_empty() {
            // Every character maps to one source code point: copy both runs.
            self.out.text.push_str(&from.text[s..e]);
            self.out.origin.extend_from_slice(&from.origin[s..e]);
            return;
        }
        for (i, c) in from.text[s..e].char_indices() {
            let b = s + i;
            let (start, end) = from.source_range(b, b + c.len_utf8());
            self.push(c, start, end);
        }
    }

    pub fn as_str(&self) -> &str {
        &self.out.text
    }

    pub fn ends_with(&self, c: char) -> bool {
        self.out.text.ends_with(c)
    }

    pub fn is_empty(&self) -> bool {
        self.out.text.is_empty()
    }

    /// Drops trailing characters in `set`.
    pub fn trim_end_matches(&mut self, set: &[char]) {
        while let Some(c) = self.out.text.chars().next_back() {
            if !set.contains(&c) {
                break;
            }
            let at = self.out.text.len() - c.len_utf8();
            self.out.text.truncate(at);
            self.out.origin.truncate(at);
            self.out.wide.remove(&(at as u32));
        }
    }

    pub fn finish(mut self, source_len: u32) -> MappedText {
        self.out.origin.push(source_len);
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_maps_bytes_to_code_points() {
        let m = MappedText::identity("a中b");
        assert_eq!(m.source_range(0, 1), (0, 1));
        assert_eq!(m.source_range(1, 4), (1, 2));
        assert_eq!(m.source_range(4, 5), (2, 3));
        assert_eq!(m.source_len(), 3);
    }

    #[test]
    fn wide_characters_report_their_whole_source() {
        let mut b = MappedBuilder::default();
        b.push('&', 0, 5); // "&amp;"
        b.push('x', 5, 6);
        let m = b.finish(6);
        assert_eq!(m.source_range(0, 1), (0, 5));
        assert_eq!(m.source_range(0, 2), (0, 6));
    }

    #[test]
    fn a_text_put_together_out_of_source_order_jumps_back_where_the_pieces_meet() {
        let source = MappedText::identity("甲乙丙丁");
        let mut b = MappedBuilder::default();
        b.push_mapped(&source, 6, 12); // 丙丁
        b.push_mapped(&source, 0, 6); // 甲乙
        let m = b.finish(4);
        assert_eq!(m.as_str(), "丙丁甲乙");
        assert_eq!(m.jumps_back(), [6], "only where 甲 follows 丁");
        assert!(source.jumps_back().is_empty());
    }
}
