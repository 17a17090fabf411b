//! Paragraphs of clean text and what each one is (title, opening, signing...).

use regex::Regex;

use crate::knowledge::required::FilteredRegex;
use crate::knowledge::{Knowledge, Lexicon};
use crate::model::EntityType;
use crate::source::MappedText;

/// The role of a paragraph in a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ParaKind {
    /// A title line naming a kind of document.
    Title,
    /// A web-page headline (title plus page furniture); outside the document.
    Headline,
    /// The visit preamble that opens a statement (应…邀请，…进行国事访问).
    Preamble,
    /// The formula naming the parties (A和B（以下称“双方”）).
    Opening,
    /// The signing formula (本声明于…签署, 二〇二三年五月十八日于西安).
    Signing,
    /// A line of the signature block.
    Signature,
    /// A news dateline (（新华社阿斯塔纳7月3日电）).
    Dateline,
    /// A newspaper name on its own line (人民日报).
    Newspaper,
    /// A date (and place) in brackets under the title: （二〇二六年五月二十六日）.
    DateHeader,
    /// Page furniture inside a document's stretch: a title printed again.
    Furniture,
    Body,
}

/// One line of clean text.
#[derive(Debug, Clone)]
pub struct Paragraph {
    /// Byte range in the clean text.
    pub start: usize,
    pub end: usize,
    /// Source code point where the stretch this paragraph owns begins (its
    /// own start, or 0 for the first paragraph: separators and cruft before a
    /// paragraph belong to the one before it).
    pub owns_from: u32,
    pub kind: ParaKind,
}

/// The lexicon's paragraph patterns, compiled once per pipeline.
#[derive(Debug, Clone)]
pub struct ParagraphPatterns {
    /// Tested on every paragraph, each after the words it needs (邀请, 以下…称,
    /// 签): a `RegexSet` of them would read every byte of every paragraph.
    preamble: Vec<FilteredRegex>,
    opening: Vec<FilteredRegex>,
    signing: Vec<FilteredRegex>,
    dateline: Regex,
    date_header: Regex,
    stamp: Regex,
}

fn any_match(patterns: &[FilteredRegex], line: &str) -> bool {
    patterns.iter().any(|p| p.is_match(line))
}

fn filtered(patterns: &[String]) -> Vec<FilteredRegex> {
    Lexicon::compile(patterns).into_iter().map(FilteredRegex::new).collect()
}

impl ParagraphPatterns {
    pub fn new(lexicon: &Lexicon) -> Self {
        let d = &lexicon.documents;
        Self {
            preamble: filtered(&d.preamble),
            opening: filtered(&d.opening),
            signing: filtered(&d.signing),
            dateline: Regex::new(&d.dateline).expect("validated at load"),
            date_header: Regex::new(&d.date_header).expect("validated at load"),
            stamp: Regex::new(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}:\d{2}").unwrap(),
        }
    }
}

/// Classifies paragraphs with the knowledge and compiled patterns.
pub struct ParagraphClassifier<'k> {
    knowledge: &'k Knowledge,
    patterns: &'k ParagraphPatterns,
}

impl<'k> ParagraphClassifier<'k> {
    pub fn new(knowledge: &'k Knowledge, patterns: &'k ParagraphPatterns) -> Self {
        Self { knowledge, patterns }
    }

    /// The news-dateline pattern (its groups `place` and `date` are read for metadata).
    pub fn dateline(&self) -> &Regex {
        &self.patterns.dateline
    }

    /// The date-header pattern (groups `date` and `place`).
    pub fn date_header(&self) -> &Regex {
        &self.patterns.date_header
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.knowledge.lexicon
    }

    /// Splits clean text into classified paragraphs.
    pub fn paragraphs(&self, clean: &MappedText) -> Vec<Paragraph> {
        let text = clean.as_str();
        let mut out: Vec<Paragraph> = Vec::new();
        let mut pos = 0;
        for line in text.split('\n') {
            let (start, end) = (pos, pos + line.len());
            pos = end + 1;
            if line.trim().is_empty() {
                continue;
            }
            let owns_from = if out.is_empty() { 0 } else { clean.source_start(start) };
            let prev = out.last().map(|p| p.kind);
            out.push(Paragraph { start, end, owns_from, kind: self.classify(line, prev) });
        }
        self.join_split_titles(&mut out, text);
        self.mark_repeated_titles(&mut out, text);
        self.mark_signature_blocks(&mut out, text);
        out
    }

    /// A title broken over two lines (中华人民共和国和塔吉克斯坦共和国 /
    /// 关于…的联合声明): a short line without sentence punctuation that names a
    /// party, right before a title line, is the title's first part.
    fn join_split_titles(&self, paras: &mut [Paragraph], text: &str) {
        for i in 1..paras.len() {
            let (head, title) = (&paras[i - 1], &paras[i]);
            if head.kind != ParaKind::Body || title.kind != ParaKind::Title {
                continue;
            }
            let head_text = text[head.start..head.end].trim();
            let joined = format!("{head_text}{}", text[title.start..title.end].trim());
            let names_party = self.knowledge.gazetteer.find_names(head_text).any(|m| self.knowledge.gazetteer.entry(m.entry).entity_type == EntityType::Party);
            if names_party && !head_text.contains(['。', '，', '；', '：']) && self.is_title_like(&joined) {
                paras[i - 1].kind = ParaKind::Title;
            }
        }
    }

    /// A title printed again (a feed item's title, then the page's heading) is furniture.
    fn mark_repeated_titles(&self, paras: &mut [Paragraph], text: &str) {
        let mut last_title: Option<&str> = None;
        for p in paras.iter_mut() {
            let line = text[p.start..p.end].trim();
            match p.kind {
                ParaKind::Title | ParaKind::Headline => {
                    let core = self.title_core(line);
                    if last_title.is_some_and(|t| t == core || t.ends_with(core)) {
                        p.kind = ParaKind::Furniture;
                    } else {
                        last_title = Some(core);
                    }
                }
                ParaKind::DateHeader | ParaKind::Furniture | ParaKind::Newspaper => {}
                _ => last_title = None,
            }
        }
    }

    /// The signature block before a signing formula or a dateline
    /// (中华人民共和国主席 / 习近平 / 塔吉克斯坦共和国总统 / 埃莫马利·拉赫蒙 / 二〇二六年五月十二日于北京):
    /// short lines naming parties, offices and people.
    fn mark_signature_blocks(&self, paras: &mut [Paragraph], text: &str) {
        for i in 0..paras.len() {
            if !matches!(paras[i].kind, ParaKind::Signing | ParaKind::Dateline) {
                continue;
            }
            let mut first = i;
            while first > 0 && i - first < 16 {
                let p = &paras[first - 1];
                if !matches!(p.kind, ParaKind::Body | ParaKind::Signature) || !self.is_signature_line(text[p.start..p.end].trim()) {
                    break;
                }
                first -= 1;
            }
            // One short line alone is a closing phrase, not a block.
            if i - first >= 2 {
                for p in &mut paras[first..i] {
                    p.kind = ParaKind::Signature;
                }
            }
        }
    }

    fn classify(&self, line: &str, prev: Option<ParaKind>) -> ParaKind {
        let d = &self.knowledge.lexicon.documents;
        let line = line.trim();
        if self.patterns.dateline.is_match(line) {
            return ParaKind::Dateline;
        }
        if self.patterns.date_header.is_match(line) {
            return ParaKind::DateHeader;
        }
        if d.newspapers.iter().any(|n| line == n || (line.starts_with(n.as_str()) && line.chars().count() <= n.chars().count() + 24 && line.contains('版'))) {
            return ParaKind::Newspaper;
        }
        if any_match(&self.patterns.signing, line) {
            return ParaKind::Signing;
        }
        if matches!(prev, Some(ParaKind::Signing | ParaKind::Signature)) && self.is_signature_line(line) {
            return ParaKind::Signature;
        }
        if self.is_title_like(line) {
            return if self.is_headline(line) { ParaKind::Headline } else { ParaKind::Title };
        }
        if any_match(&self.patterns.preamble, line) {
            return ParaKind::Preamble;
        }
        if any_match(&self.patterns.opening, line) {
            return ParaKind::Opening;
        }
        ParaKind::Body
    }

    /// Short, no sentence punctuation, ends (before page furniture) in a document kind.
    fn is_title_like(&self, line: &str) -> bool {
        let lx = &self.knowledge.lexicon;
        if line.chars().count() > lx.documents.title_max_chars || line.contains(['。', '；', '，']) {
            return false;
        }
        let core = self.title_core(line);
        lx.kind_of(core).is_some_and(|k| lx.documents.document_kinds.iter().any(|dk| dk == k))
            && !core.starts_with("本")
    }

    /// A title line with page furniture around it: publication stamps, "（全文）", a leading number.
    fn is_headline(&self, line: &str) -> bool {
        self.patterns.stamp.is_match(line) || line.starts_with(|c: char| c.is_ascii_digit())
    }

    /// The title inside a title or headline line: furniture and leading junk removed.
    pub fn title_core<'a>(&self, line: &'a str) -> &'a str {
        let mut core = line.trim();
        if let Some(m) = self.patterns.stamp.find(core) {
            if m.start() > 0 {
                core = &core[..m.start()];
            }
        }
        for marker in &self.knowledge.lexicon.documents.headline_markers {
            if let Some(at) = core.find(marker.as_str()) {
                core = &core[..at];
            }
        }
        core.trim()
    }

    /// The title of a headline: from the first party name on, if a party is named
    /// after some leading words (2019永久全面战略合作伙伴中华人民共和国和…).
    pub fn headline_title(&self, line: &str) -> String {
        let core = self.title_core(line);
        let g = &self.knowledge.gazetteer;
        let first_party = g.find_names(core).find(|m| g.entry(m.entry).entity_type == EntityType::Party);
        match first_party {
            Some(m) if m.start > 0 => core[m.start..].to_owned(),
            _ => core.trim_start_matches(|c: char| c.is_ascii_digit()).to_owned(),
        }
    }

    fn is_signature_line(&self, line: &str) -> bool {
        let d = &self.knowledge.lexicon.documents;
        line.chars().count() <= 40
            && !line.contains(['。', '，', '；', '：', ':'])
            && (d.signature_markers.iter().any(|m| line.contains(m.as_str()))
                || d.leader_roles.iter().any(|r| line.contains(r.as_str()))
                || self.knowledge.gazetteer.find_names(line).next().is_some()
                || line.chars().count() <= 12)
    }

    /// Regexes of the signing formula (for metadata).
    pub fn signing_patterns(&self) -> &[FilteredRegex] {
        &self.patterns.signing
    }

    /// Whether a paragraph begins the way statement paragraphs usually do.
    pub fn plausible_start(&self, text: &str) -> bool {
        let d = &self.knowledge.lexicon.documents;
        let text = text.trim_start();
        d.paragraph_starters.iter().any(|s| text.starts_with(s.as_str()))
            || self.knowledge.gazetteer.find_names(text).next().is_some_and(|m| m.start == 0)
            || text.starts_with(|c: char| c.is_ascii_digit())
    }
}

impl ParagraphClassifier<'_> {
    pub fn gazetteer(&self) -> &crate::knowledge::Gazetteer {
        &self.knowledge.gazetteer
    }
}
