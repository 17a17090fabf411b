//! Document metadata: title, kind, parties, signing date and place, dateline.
//! What the text does not say stays `None`; nothing is guessed.

use crate::ids::{self, TitleKey};
use crate::knowledge::Gazetteer;
use crate::model::{DocumentMeta, EntityType, PartyRef};
use crate::source::MappedText;
use crate::zh::dates::{normalize_date, year_of};

use super::paragraph::{ParaKind, ParagraphClassifier};

/// The code of China, which Chinese-language statements list first.
const CHINA: &str = "CN";

pub fn describe(
    text: &MappedText,
    paragraphs: &[(usize, usize, ParaKind)],
    headline: Option<String>,
    spans: Vec<[u32; 2]>,
    source: &str,
    classifier: &ParagraphClassifier,
) -> DocumentMeta {
    let lexicon = classifier.lexicon();
    let gazetteer = classifier.gazetteer();
    let para = |k: ParaKind| paragraphs.iter().find(|p| p.2 == k).map(|&(s, e, _)| text.as_str()[s..e].trim());
    let body_start = paragraphs.iter().find(|p| matches!(p.2, ParaKind::Opening | ParaKind::Body)).map(|&(s, e, _)| text.as_str()[s..e].trim());

    let title_line = para(ParaKind::Title).map(|t| classifier.title_core(t).to_owned()).or(headline);

    // Signing formula: date and place.
    let (mut signed_date, mut signed_place) = (None, None);
    if let Some(line) = para(ParaKind::Signing) {
        for re in classifier.signing_patterns() {
            if let Some(c) = re.captures(line) {
                signed_date = signed_date.or_else(|| c.name("date").and_then(|d| normalize_date(d.as_str().trim(), None)));
                signed_place = signed_place.or_else(|| c.name("place").map(|p| p.as_str().trim().to_owned()).filter(|p| !p.is_empty()));
            }
        }
    }
    let signed_year = signed_date.as_deref().and_then(year_of);

    // Dateline.
    let (mut dateline, mut dateline_date) = (None, None);
    if let Some(line) = para(ParaKind::Dateline) {
        if let Some(c) = classifier.dateline().captures(line) {
            dateline = Some(line.trim_matches(['（', '）', '(', ')', ' ']).to_owned());
            dateline_date = c.name("date").and_then(|d| normalize_date(d.as_str(), signed_year));
        }
    }

    // Parties: named in the title, the opening, and the signature block.
    let mut party_ids: Vec<usize> = Vec::new();
    if let Some(t) = &title_line {
        add_new(&mut party_ids, parties_in(t, gazetteer));
    }
    if let Some(first) = body_start {
        add_new(&mut party_ids, parties_of_opening(first, gazetteer, &lexicon.documents.leader_roles));
    }
    for &(s, e, k) in paragraphs {
        if k == ParaKind::Signature {
            add_new(&mut party_ids, parties_in(&text.as_str()[s..e], gazetteer));
        }
    }
    if party_ids.is_empty() {
        add_new(&mut party_ids, most_named_parties(text.as_str(), gazetteer));
    }
    party_ids.sort_by_key(|&id| gazetteer.entry(id).code.as_deref() != Some(CHINA));
    let parties: Vec<PartyRef> = party_ids
        .iter()
        .map(|&id| {
            let e = gazetteer.entry(id);
            PartyRef { name: e.canonical.clone(), en: e.english.clone(), id: ids::entity_id(EntityType::Party, &e.canonical, None) }
        })
        .collect();
    let codes: Vec<String> = party_ids.iter().filter_map(|&id| gazetteer.entry(id).code.clone()).collect();

    // Kind: from the title, else from the signing formula's noun.
    let kind = title_line
        .as_deref()
        .and_then(|t| lexicon.kind_of(t))
        .map(str::to_owned)
        .or_else(|| para(ParaKind::Signing).and_then(|l| kind_from_signing(l, parties.len())))
        .unwrap_or_else(|| "unknown".to_owned());

    let (title, title_in_text) = match title_line {
        Some(t) if !t.is_empty() => (t, true),
        _ => (compose_title(&parties, lexicon.word_for_kind(&kind).unwrap_or("文件")), false),
    };

    let opening_text: String = body_start.unwrap_or(text.as_str()).chars().take(200).collect();
    let work = TitleKey::of(&title, gazetteer, &codes).treaty_id(signed_date.as_deref());
    let doc = ids::document_id(&codes, signed_date.as_deref(), &kind, &work, &opening_text);

    DocumentMeta {
        doc,
        source: source.to_owned(),
        spans,
        title,
        title_in_text,
        kind,
        parties,
        signed_date,
        signed_place,
        dateline,
        dateline_date,
        work,
    }
}

fn add_new(into: &mut Vec<usize>, ids: Vec<usize>) {
    for id in ids {
        if !into.contains(&id) {
            into.push(id);
        }
    }
}

/// Party entries named in full, in order of first appearance.
fn parties_in(text: &str, g: &Gazetteer) -> Vec<usize> {
    let mut out = Vec::new();
    for m in g.find_names(text) {
        if g.entry(m.entry).entity_type == EntityType::Party && !out.contains(&m.entry) {
            out.push(m.entry);
        }
    }
    out
}

/// Parties of the opening: before "（以下称“双方”）", or named with a
/// leader's title (应哈萨克斯坦共和国总统…邀请，中华人民共和国主席…).
fn parties_of_opening(first: &str, g: &Gazetteer, roles: &[String]) -> Vec<usize> {
    let sentence = first.split('。').next().unwrap_or(first);
    if let Some(at) = sentence.find("以下") {
        let named = parties_in(&sentence[..at], g);
        if named.len() >= 2 {
            return named;
        }
    }
    let mut out = Vec::new();
    for m in g.find_names(sentence) {
        let after = &sentence[m.end..];
        if g.entry(m.entry).entity_type == EntityType::Party
            && roles.iter().any(|r| after.starts_with(r.as_str()) || after.starts_with(&format!("政府{r}")))
            && !out.contains(&m.entry)
        {
            out.push(m.entry);
        }
    }
    out
}

/// The two parties named most often (at least twice), for texts without a formula.
fn most_named_parties(text: &str, g: &Gazetteer) -> Vec<usize> {
    let mut counts: std::collections::HashMap<usize, usize> = Default::default();
    for m in g.find_names(text) {
        if g.entry(m.entry).entity_type == EntityType::Party {
            *counts.entry(m.entry).or_default() += 1;
        }
    }
    let mut ranked: Vec<(usize, usize)> = counts.into_iter().filter(|&(_, n)| n >= 2).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.into_iter().take(2).map(|(id, _)| id).collect()
}

fn kind_from_signing(line: &str, parties: usize) -> Option<String> {
    let joint = parties >= 2;
    let kind = if line.contains("联合声明") || (line.contains("声明") && joint) {
        "joint statement"
    } else if line.contains("联合宣言") || (line.contains("宣言") && joint) {
        "joint declaration"
    } else if line.contains("公报") {
        "communique"
    } else if line.contains("条约") {
        "treaty"
    } else if line.contains("协定") || line.contains("协议") {
        "agreement"
    } else if line.contains("声明") {
        "statement"
    } else {
        return None;
    };
    Some(kind.to_owned())
}

/// 中华人民共和国和哈萨克斯坦共和国联合声明; three or more: A、B和C…
fn compose_title(parties: &[PartyRef], kind_word: &str) -> String {
    let names: Vec<&str> = parties.iter().map(|p| p.name.as_str()).collect();
    let joined = match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{}和{}", init.join("、"), last),
    };
    format!("{joined}{kind_word}")
}
