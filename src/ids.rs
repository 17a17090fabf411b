//! Stable identifiers. Every id is a pure function of names and dates found
//! in the text, so the same input gives the same ids on every run and machine.

use sha2::{Digest, Sha256};

use crate::knowledge::Gazetteer;
use crate::model::EntityType;

/// Keeps letters, digits and ideographs; anything else becomes one `-`.
pub fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Short hex digest of `s`, for ids that need a tie-breaker.
pub fn short_hash(s: &str) -> String {
    let digest = Sha256::digest(s.as_bytes());
    digest[..4].iter().map(|b| format!("{b:02x}")).collect()
}

/// `type/slug-of-canonical[-date]`.
pub fn entity_id(t: EntityType, canonical: &str, date: Option<&str>) -> String {
    match date {
        Some(d) => format!("{}/{}-{}", t.slug(), slug(canonical), d),
        None => format!("{}/{}", t.slug(), slug(canonical)),
    }
}

/// What identifies a cited document regardless of how its title is written:
/// the parties it names (as codes, sorted) and the rest of the title with
/// connecting words removed. 《中哈经贸合作发展规划》 and
/// 《中华人民共和国政府和哈萨克斯坦共和国政府经贸合作发展规划》 share a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleKey {
    pub parties: Vec<String>,
    pub rest: String,
}

impl TitleKey {
    /// Reads the leading party names (full, short or a compound such as 中哈)
    /// of `title`. `context` lists party codes of the citing document, which
    /// disambiguate one-character abbreviations (阿 is Azerbaijan in one text).
    pub fn of(title: &str, gazetteer: &Gazetteer, context: &[String]) -> Self {
        let mut rest = title.trim();
        let mut parties: Vec<String> = Vec::new();
        loop {
            rest = rest.trim_start_matches(['和', '与', '同', '、', '及']);
            if let Some(m) = gazetteer.find_names(rest).find(|m| m.start == 0 && gazetteer.entry(m.entry).entity_type == EntityType::Party) {
                let e = gazetteer.entry(m.entry);
                parties.push(e.code.clone().unwrap_or_else(|| slug(&e.canonical)));
                rest = &rest[m.end..];
                rest = rest.strip_prefix("政府").unwrap_or(rest);
                continue;
            }
            break;
        }
        if parties.is_empty() {
            let codes = compound_codes(rest, gazetteer, context);
            if codes.len() >= 2 {
                let skip: usize = rest.chars().take(codes.len()).map(char::len_utf8).sum();
                rest = &rest[skip..];
                parties = codes;
            }
        }
        parties.sort();
        parties.dedup();
        let mut rest = rest.to_owned();
        for filler in ["关于", "的", "两国政府间", "政府间", "两国"] {
            rest = rest.replace(filler, "");
        }
        Self { parties, rest }
    }

    /// The id of the treaty entity for this key, separated by date when dated.
    pub fn treaty_id(&self, date: Option<&str>) -> String {
        let mut name = self.parties.join("-").to_lowercase();
        if !name.is_empty() {
            name.push('-');
        }
        name.push_str(&self.rest);
        entity_id(EntityType::Treaty, &name, date)
    }
}

/// Party codes of a leading compound of abbreviations (中哈 → CN, KZ).
pub fn compound_codes(text: &str, gazetteer: &Gazetteer, context: &[String]) -> Vec<String> {
    let mut codes = Vec::new();
    for c in text.chars().take(6) {
        let candidates = gazetteer.parties_by_abbrev(c);
        let code_of = |id: &usize| gazetteer.entry(*id).code.clone();
        let chosen = candidates
            .iter()
            .filter_map(code_of)
            .find(|code| context.contains(code))
            .or_else(|| if candidates.len() == 1 { candidates.first().and_then(code_of) } else { None });
        match chosen {
            Some(code) if !codes.contains(&code) => codes.push(code),
            _ => break,
        }
    }
    codes
}

/// A document id: party codes, signing date (or "undated" plus a digest of
/// the opening text) and kind: `cn-kz-2019-09-11-joint-statement`.
pub fn document_id(party_codes: &[String], date: Option<&str>, kind: &str, opening_text: &str) -> String {
    let mut parts: Vec<String> = party_codes.iter().map(|c| c.to_lowercase()).collect();
    if parts.is_empty() {
        parts.push("doc".into());
    }
    match date {
        Some(d) => parts.push(d.to_owned()),
        None => parts.push("undated".into()),
    }
    parts.push(slug(kind));
    if date.is_none() {
        parts.push(short_hash(opening_text));
    }
    parts.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::gazetteer::tests::sample;

    #[test]
    fn slugs_keep_ideographs() {
        assert_eq!(slug("“十四五”规划"), "十四五-规划");
        assert_eq!(slug("UNFCCC COP29"), "unfccc-cop29");
    }

    #[test]
    fn abbreviated_and_full_titles_share_a_key() {
        let g = sample();
        let a = TitleKey::of("中华人民共和国政府和哈萨克斯坦共和国政府经贸合作发展规划", &g, &[]);
        let b = TitleKey::of("中哈经贸合作发展规划", &g, &[]);
        assert_eq!(a, b);
        assert_eq!(a.parties, ["CN", "KZ"]);
        assert_eq!(a.treaty_id(None), b.treaty_id(None));
    }

    #[test]
    fn same_title_different_dates_are_different() {
        let g = sample();
        let k = TitleKey::of("中华人民共和国和哈萨克斯坦共和国联合声明", &g, &[]);
        assert_ne!(k.treaty_id(Some("2019-09-11")), k.treaty_id(Some("2023-05-17")));
    }

    #[test]
    fn title_without_parties_keeps_its_words() {
        let g = sample();
        let k = TitleKey::of("联合国气候变化框架公约", &g, &[]);
        assert!(k.parties.is_empty());
        assert_eq!(k.treaty_id(None), "treaty/联合国气候变化框架公约");
    }

    #[test]
    fn document_ids_are_readable_and_stable() {
        let id = document_id(&["CN".into(), "KZ".into()], Some("2019-09-11"), "joint statement", "x");
        assert_eq!(id, "cn-kz-2019-09-11-joint-statement");
        let undated = document_id(&["CN".into(), "AZ".into()], None, "joint statement", "开头");
        assert!(undated.starts_with("cn-az-undated-joint-statement-"));
        assert_eq!(undated, document_id(&["CN".into(), "AZ".into()], None, "joint statement", "开头"));
    }
}
