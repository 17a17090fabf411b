//! Splitting a file's paragraphs into documents, and putting a rotated
//! document back into reading order.
//!
//! Boundaries come from the signals statements carry: a title line, an
//! opening formula, and the end block (signing formula, signature, dateline,
//! newspaper name) after which anything new is another document. A document
//! whose last segment ends mid-sentence is the first half of a rotated text;
//! its second half is the run of paragraphs that ends with an end block just
//! before it, starting where the parties spoken of change (or, failing that,
//! at a paragraph that begins mid-sentence).

use std::collections::HashSet;

use super::paragraph::{ParaKind, Paragraph, ParagraphClassifier};
use crate::zh::ends_sentence;

/// A run of paragraphs `[first, last]` of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub first: usize,
    pub end: usize,
}

/// A document as runs of paragraphs in reading order, plus the headline
/// paragraph before it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRuns {
    pub runs: Vec<Run>,
    pub headline: Option<usize>,
}

#[derive(Debug, Clone)]
struct Segment {
    run: Run,
    headline: Option<usize>,
    starts_doc: bool,
    ends_doc: bool,
}

/// Groups paragraphs into documents.
pub fn segment(paras: &[Paragraph], text: &str, classifier: &ParagraphClassifier, party_sets: &[HashSet<usize>]) -> Vec<DocumentRuns> {
    let segments = split(paras);
    repair_rotation(segments, paras, text, classifier, party_sets)
}

fn split(paras: &[Paragraph]) -> Vec<Segment> {
    let mut segments: Vec<Segment> = Vec::new();
    let mut current: Option<Segment> = None;
    let mut pending_headline: Option<usize> = None;
    let mut has_body = false;
    let mut ended = false;

    let mut has_opening = false;
    for (i, p) in paras.iter().enumerate() {
        let starts_new = match p.kind {
            ParaKind::Headline => true,
            ParaKind::Title | ParaKind::Preamble => has_body || ended || current.is_none(),
            // The visit preamble (应…邀请，…进行国事访问) comes before the
            // opening formula of the same statement: an opening starts a new
            // document only after one that has its own opening, or has ended.
            ParaKind::Opening => (has_body && has_opening) || ended || current.is_none(),
            ParaKind::Body => ended || current.is_none(),
            ParaKind::Dateline | ParaKind::DateHeader | ParaKind::Furniture => current.is_none(),
            ParaKind::Signing | ParaKind::Signature | ParaKind::Newspaper => current.is_none(),
        };
        if starts_new {
            if let Some(seg) = current.take() {
                segments.push(seg);
            }
            has_body = false;
            has_opening = false;
            ended = false;
            if p.kind == ParaKind::Headline {
                pending_headline = Some(i);
                continue;
            }
            current = Some(Segment {
                run: Run { first: i, end: i + 1 },
                headline: pending_headline.take(),
                starts_doc: matches!(p.kind, ParaKind::Title | ParaKind::Preamble | ParaKind::Opening | ParaKind::Dateline),
                ends_doc: false,
            });
        }
        let seg = current.as_mut().expect("a segment is open");
        seg.run.end = i + 1;
        match p.kind {
            ParaKind::Opening => {
                has_body = true;
                has_opening = true;
            }
            ParaKind::Body | ParaKind::Preamble => has_body = true,
            // A signing formula or a paper's name closes a document only after its text.
            ParaKind::Signing | ParaKind::Newspaper if has_body => {
                ended = true;
                seg.ends_doc = true;
            }
            // A dateline closes a document only after its text (Xinhua puts one first too).
            ParaKind::Dateline if has_body => {
                ended = true;
                seg.ends_doc = true;
            }
            _ => {}
        }
    }
    if let Some(seg) = current {
        segments.push(seg);
    }
    // A headline with nothing after it is a document of its own only if nothing else is.
    segments
}

fn is_truncated(seg: &Segment, paras: &[Paragraph], text: &str) -> bool {
    let last = &paras[seg.run.end - 1];
    !seg.ends_doc && !ends_sentence(&text[last.start..last.end])
}

fn repair_rotation(
    segments: Vec<Segment>,
    paras: &[Paragraph],
    text: &str,
    classifier: &ParagraphClassifier,
    party_sets: &[HashSet<usize>],
) -> Vec<DocumentRuns> {
    let mut docs: Vec<DocumentRuns> =
        segments.iter().map(|s| DocumentRuns { runs: vec![s.run], headline: s.headline }).collect();
    let mut merged_away = vec![false; segments.len()];

    for k in 0..segments.len() {
        let head = &segments[k];
        if !head.starts_doc || !is_truncated(head, paras, text) {
            continue;
        }
        // The cut-off second half ends with an end block and comes before the first half.
        let Some(j) = (0..k).rev().find(|&j| !merged_away[j] && segments[j].ends_doc) else { continue };
        let tail_seg = &segments[j];
        let head_parties = parties_of(&party_sets[head.run.first..head.run.end.min(head.run.first + 2)]);
        let tail = if !tail_seg.starts_doc {
            Some(tail_seg.run)
        } else {
            split_point(tail_seg.run, paras, text, classifier, party_sets, &head_parties)
                .map(|b| Run { first: b, end: tail_seg.run.end })
        };
        let Some(tail) = tail else { continue };
        if tail.first == tail_seg.run.first {
            merged_away[j] = true;
        } else {
            docs[j].runs = vec![Run { first: tail_seg.run.first, end: tail.first }];
        }
        docs[k].runs.push(tail);
    }
    docs.into_iter().zip(merged_away).filter(|(_, gone)| !gone).map(|(d, _)| d).collect()
}

fn parties_of(sets: &[HashSet<usize>]) -> HashSet<usize> {
    sets.iter().flatten().copied().collect()
}

/// Where, inside `run` (a whole document followed by another's second half),
/// the second half begins.
fn split_point(
    run: Run,
    paras: &[Paragraph],
    text: &str,
    classifier: &ParagraphClassifier,
    party_sets: &[HashSet<usize>],
    head_parties: &HashSet<usize>,
) -> Option<usize> {
    let own_parties = parties_of(&party_sets[run.first..(run.first + 2).min(run.end)]);
    let only_head: HashSet<usize> = head_parties.difference(&own_parties).copied().collect();
    let only_own: HashSet<usize> = own_parties.difference(head_parties).copied().collect();
    let count = |i: usize, set: &HashSet<usize>| party_sets[i].intersection(set).count();

    // The boundary must leave the document's own opening in place and keep
    // the end block in the second half.
    let last_end_block = (run.first..run.end).find(|&i| matches!(paras[i].kind, ParaKind::Signing | ParaKind::Dateline | ParaKind::Newspaper))?;
    let candidates = (run.first + 2)..=last_end_block;
    let mut best: Option<(usize, (usize, bool, usize))> = None;
    for b in candidates {
        let cost: usize = (run.first..b).map(|i| count(i, &only_head)).sum::<usize>()
            + (b..run.end).map(|i| count(i, &only_own)).sum::<usize>();
        let plausible = classifier.plausible_start(&text[paras[b].start..paras[b].end]);
        let key = (cost, plausible, b);
        if best.is_none_or(|(_, k)| key < k) {
            best = Some((b, key));
        }
    }
    let (b, (cost, plausible, _)) = best?;
    // Without a party change or a mid-sentence start there is no evidence of a cut.
    let evidence = (!only_head.is_empty() || !only_own.is_empty()) && cost == 0 || !plausible;
    evidence.then_some(b)
}
