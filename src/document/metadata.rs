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
    original: Option<&str>,
    paragraphs: &[(usize, usize, ParaKind)],
    headline: Option<String>,
    spans: Vec<[u32; 2]>,
    source: &str,
    classifier: &ParagraphClassifier,
) -> DocumentMeta {
    let lexicon = classifier.lexicon();
    let gazetteer = classifier.gazetteer();
    let para = |k: ParaKind| paragraphs.iter().find(|p| p.2 == k).map(|&(s, e, _)| text.as_str()[s..e].trim());
    // Titles are kept as written (traditional characters too); the rest is read simplified.
    let written = original.unwrap_or(text.as_str());
    let body_start = paragraphs.iter().find(|p| matches!(p.2, ParaKind::Preamble | ParaKind::Opening | ParaKind::Body)).map(|&(s, e, _)| text.as_str()[s..e].trim());

    // A title may run over consecutive lines (its parts are joined).
    let title_parts: Vec<&str> = paragraphs
        .iter()
        .skip_while(|p| p.2 != ParaKind::Title)
        .take_while(|p| matches!(p.2, ParaKind::Title | ParaKind::Furniture))
        .filter(|p| p.2 == ParaKind::Title)
        .map(|&(s, e, _)| written[s..e].trim())
        .collect();
    let title_line = (!title_parts.is_empty()).then(|| classifier.title_core(&title_parts.concat()).to_owned()).or(headline);

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
    // Without a signing formula, a date header under the title gives the date and place.
    if signed_date.is_none() {
        if let Some(c) = para(ParaKind::DateHeader).and_then(|line| classifier.date_header().captures(line)) {
            signed_date = c.name("date").and_then(|d| normalize_date(d.as_str(), None));
            signed_place = c.name("place").map(|p| p.as_str().trim().to_owned()).filter(|p| !p.is_empty());
        }
    }
    let signed_year = signed_date.as_deref().and_then(year_of);

    // Dateline: its month and day get the year of the signing, else of the document's own dates.
    let (mut dateline, mut dateline_date) = (None, None);
    if let Some(line) = para(ParaKind::Dateline) {
        if let Some(c) = classifier.dateline().captures(line) {
            dateline = Some(line.trim_matches(['（', '）', '(', ')', ' ']).to_owned());
            let year = signed_year.or_else(|| year_of_text(text.as_str()));
            dateline_date = c.name("date").and_then(|d| normalize_date(d.as_str(), year));
        }
    }

    // Parties: those who sign, when a signature block names two or more
    // (a multilateral text names others, hosts and observers, too); else those
    // named in the title, the opening and the signatures; else those attending;
    // else the two named most.
    let mut signatories: Vec<usize> = Vec::new();
    for &(s, e, k) in paragraphs {
        if k == ParaKind::Signature {
            add_new(&mut signatories, parties_in(&text.as_str()[s..e], gazetteer));
        }
    }
    let mut party_ids: Vec<usize> = Vec::new();
    if signatories.len() >= 2 {
        party_ids = signatories;
    } else {
        if let Some(t) = &title_line {
            add_new(&mut party_ids, parties_in(&crate::zh::script::to_simplified(t), gazetteer));
        }
        if let Some(first) = body_start {
            add_new(&mut party_ids, parties_of_opening(first, gazetteer, &lexicon.documents.leader_roles));
        }
        add_new(&mut party_ids, signatories);
    }
    if party_ids.is_empty() {
        add_new(&mut party_ids, attending_parties(paragraphs, text.as_str(), gazetteer, &lexicon.documents));
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

    // Kind: from the title, else from the signing formula's noun; a text that
    // is none itself but speaks of a statement (两国发表联合声明…) is an
    // article, titled by its headline.
    let mut title_line = title_line;
    let kind = title_line
        .as_deref()
        .and_then(|t| lexicon.kind_of(t))
        .map(str::to_owned)
        .or_else(|| para(ParaKind::Signing).and_then(|l| kind_from_signing(l, parties.len())));
    let kind = match kind {
        Some(kind) => kind,
        None if speaks_of_a_document(text.as_str(), lexicon) => {
            title_line = title_line.or_else(|| headline_of(paragraphs, written, lexicon.documents.title_max_chars));
            "article".to_owned()
        }
        None => "unknown".to_owned(),
    };

    let (title, title_in_text) = match title_line {
        Some(t) if !t.is_empty() => (t, true),
        _ => (compose_title(&parties, lexicon.word_for_kind(&kind).unwrap_or("文件")), false),
    };

    let opening_text: String = body_start.unwrap_or(text.as_str()).chars().take(200).collect();
    let work = TitleKey::of(&crate::zh::script::to_simplified(&title), gazetteer, &codes).treaty_id(signed_date.as_deref());
    let doc = ids::document_id(&codes, signed_date.as_deref(), &kind, &work, &opening_text);

    let issuer = issuer_of(&crate::zh::script::to_simplified(&title), gazetteer);
    DocumentMeta {
        issuer,
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

/// The year a text speaks from: that of its first full date (the visit in the
/// preamble: 于2026年5月24日至28日), else the year its month-level dates name
/// most often. Years alone (到2030年) are targets, not the present.
fn year_of_text(text: &str) -> Option<i32> {
    let dates = crate::zh::dates::find_dates(text, None);
    let values = || dates.iter().filter_map(|d| d.value.as_deref());
    if let Some(day) = values().find(|v| v.len() >= 10) {
        return year_of(day);
    }
    let mut counts: std::collections::BTreeMap<i32, usize> = Default::default();
    for v in values().filter(|v| v.len() >= 7) {
        if let Some(y) = year_of(v) {
            *counts.entry(y).or_default() += 1;
        }
    }
    counts.into_iter().max_by_key(|&(y, n)| (n, y)).map(|(y, _)| y)
}

/// Whether a text names a kind of document a statement can be (联合声明, 公报, 条约).
fn speaks_of_a_document(text: &str, lexicon: &crate::knowledge::Lexicon) -> bool {
    lexicon.documents.kinds.iter().filter(|k| lexicon.documents.document_kinds.contains(&k.kind)).any(|k| k.word.chars().count() >= 2 && text.contains(k.word.as_str()))
}

/// An article's headline: its first paragraph, when it is short and no sentence.
fn headline_of(paragraphs: &[(usize, usize, ParaKind)], text: &str, max_chars: usize) -> Option<String> {
    let &(s, e, _) = paragraphs.first()?;
    let line = text[s..e].trim();
    (line.chars().count() <= max_chars && !line.contains(['。', '；'])).then(|| line.to_owned())
}

/// The organization a title opens with, the longest one named there.
fn issuer_of(title: &str, g: &Gazetteer) -> Option<PartyRef> {
    let entry = title
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .take(40)
        .filter_map(|end| g.lookup_typed(&title[..end], EntityType::Organization))
        .last()?;
    let e = g.entry(entry);
    Some(PartyRef { name: e.canonical.clone(), en: e.english.clone(), id: ids::entity_id(EntityType::Organization, &e.canonical, None) })
}

fn add_new(into: &mut Vec<usize>, ids: Vec<usize>) {
    for id in ids {
        if !into.contains(&id) {
            into.push(id);
        }
    }
}

/// Party entries named in full, in order of first appearance; a state's
/// organ named with the state's name (巴西联邦共和国外交部长) names the state.
fn parties_in(text: &str, g: &Gazetteer) -> Vec<usize> {
    let mut out = Vec::new();
    for m in g.find_names(text) {
        let e = g.entry(m.entry);
        let party = match e.entity_type {
            EntityType::Party => Some(m.entry),
            _ => e.of.as_deref().and_then(|state| g.lookup_typed(state, EntityType::Party)).filter(|&p| {
                let named = &text[m.start..m.end];
                g.entry(p).names().any(|n| named.starts_with(n))
            }),
        };
        if let Some(p) = party.filter(|p| !out.contains(p)) {
            out.push(p);
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

/// The parties of an attendance clause (…总理…、…总统…出席会议): three or
/// more, in a clause that says they attend and does not call them observers
/// or guests.
fn attending_parties(paragraphs: &[(usize, usize, ParaKind)], text: &str, g: &Gazetteer, d: &crate::knowledge::lexicon::DocumentLexicon) -> Vec<usize> {
    for &(s, e, _) in paragraphs {
        for clause in text[s..e].split(['。', '；', '，']) {
            let attends = d.attendance_cues.iter().any(|c| clause.contains(c.as_str()));
            let members = !d.non_member_cues.iter().any(|c| clause.contains(c.as_str()));
            let named = parties_in(clause, g);
            if attends && members && named.len() >= 3 {
                return named;
            }
        }
    }
    Vec::new()
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
