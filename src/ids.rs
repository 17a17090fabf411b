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
            // Only the first names found can start the title (matches come in order).
            if let Some(m) = gazetteer.find_names(rest).take_while(|m| m.start == 0).find(|m| gazetteer.entry(m.entry).entity_type == EntityType::Party) {
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

/// A document id: party codes, signing date (or "undated"), kind, and a
/// short digest of what tells same-day documents of one pair apart — the
/// document's title key (its work id), and when undated its opening text too:
/// `cn-kz-2019-09-11-joint-statement-4f0c29d1`. A joint statement and a
/// treaty signed on one day, or two statements of one day, differ in it.
pub fn document_id(party_codes: &[String], date: Option<&str>, kind: &str, work: &str, opening_text: &str) -> String {
    let mut parts: Vec<String> = party_codes.iter().map(|c| c.to_lowercase()).collect();
    if parts.is_empty() {
        parts.push("doc".into());
    }
    parts.push(date.unwrap_or("undated").to_owned());
    parts.push(slug(kind));
    parts.push(match date {
        Some(_) => short_hash(work),
        None => short_hash(&format!("{work}\n{opening_text}")),
    });
    parts.join("-")
}

/// Where a document was found: its source's name and the start of its
/// first span there. Two documents never share both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentPlace {
    pub source: String,
    pub start: u32,
}

/// A document whose id another document already had, and the id it got instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdCollision {
    /// The id both documents would have had.
    pub id: String,
    /// The source of the document that keeps `id`.
    pub kept_by: String,
    /// The id given to the later document.
    pub new_id: String,
}

impl IdCollision {
    /// What to tell the user, of the document titled `title` found in `source`.
    pub fn message(&self, source: &str, title: &str) -> String {
        let other = if self.kept_by == source { "another document of this file".to_owned() } else { format!("a document of {}", self.kept_by) };
        format!("document {} (《{title}》) has the id of {other}; both are kept, this one as {}", self.id, self.new_id)
    }
}

/// Keeps document ids unique. A document whose id is taken gets the id
/// followed by a digest of its place (source and offset), which is the same
/// on every run; the collision is returned, to be reported.
#[derive(Debug, Default)]
pub struct UniqueDocumentIds {
    /// Id → the source of the document holding it.
    holders: std::collections::HashMap<String, String>,
}

impl UniqueDocumentIds {
    /// Claims `id` for the document at `place`. `held_elsewhere` names the
    /// source holding `id` outside this set (a store), if any.
    pub fn claim(&mut self, id: &str, place: &DocumentPlace, held_elsewhere: impl Fn(&str) -> Option<String>) -> Result<(), IdCollision> {
        let holder = |ids: &Self, id: &str| ids.holders.get(id).cloned().or_else(|| held_elsewhere(id));
        let Some(kept_by) = holder(self, id) else {
            self.holders.insert(id.to_owned(), place.source.clone());
            return Ok(());
        };
        let mut new_id = format!("{id}-{}", short_hash(&format!("{}#{}", place.source, place.start)));
        while holder(self, &new_id).is_some() {
            new_id = format!("{new_id}-{}", short_hash(&new_id));
        }
        self.holders.insert(new_id.clone(), place.source.clone());
        Err(IdCollision { id: id.to_owned(), kept_by, new_id })
    }
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
        let codes = ["CN".to_owned(), "KZ".to_owned()];
        let id = document_id(&codes, Some("2019-09-11"), "joint statement", "treaty/cn-kz-联合声明-2019-09-11", "x");
        assert!(id.starts_with("cn-kz-2019-09-11-joint-statement-"), "{id}");
        assert_eq!(id.len(), "cn-kz-2019-09-11-joint-statement-".len() + 8);
        assert_eq!(id, document_id(&codes, Some("2019-09-11"), "joint statement", "treaty/cn-kz-联合声明-2019-09-11", "other opening"));
        let undated = document_id(&["CN".into(), "AZ".into()], None, "joint statement", "w", "开头");
        assert!(undated.starts_with("cn-az-undated-joint-statement-"));
        assert_eq!(undated, document_id(&["CN".into(), "AZ".into()], None, "joint statement", "w", "开头"));
        assert_ne!(undated, document_id(&["CN".into(), "AZ".into()], None, "joint statement", "w", "另一个开头"));
    }

    #[test]
    fn same_day_documents_of_one_pair_differ_by_title() {
        let g = sample();
        let codes = ["CN".to_owned(), "KZ".to_owned()];
        let id_of = |title: &str| {
            let work = TitleKey::of(title, &g, &codes).treaty_id(Some("2019-09-11"));
            document_id(&codes, Some("2019-09-11"), "joint statement", &work, "")
        };
        let statement = id_of("中华人民共和国和哈萨克斯坦共和国联合声明");
        let on_cooperation = id_of("中华人民共和国和哈萨克斯坦共和国关于深化合作的联合声明");
        assert_ne!(statement, on_cooperation);
        // The same title written short or in full is the same document.
        assert_eq!(id_of("中华人民共和国和哈萨克斯坦共和国经贸合作发展规划"), id_of("中哈经贸合作发展规划"));
    }

    #[test]
    fn a_taken_id_gets_a_digest_of_its_place_the_same_on_every_run() {
        let place = |source: &str, start| DocumentPlace { source: source.into(), start };
        let nowhere = |_: &str| None;
        let mut ids = UniqueDocumentIds::default();
        assert_eq!(ids.claim("cn-kz-x", &place("a.txt", 0), nowhere), Ok(()));
        let collision = ids.claim("cn-kz-x", &place("b.html", 10), nowhere).unwrap_err();
        assert_eq!(collision.kept_by, "a.txt");
        assert!(collision.new_id.starts_with("cn-kz-x-") && collision.new_id != "cn-kz-x");
        // The same file's second copy of a document, further on, gets another id.
        let again = ids.claim("cn-kz-x", &place("b.html", 500), nowhere).unwrap_err();
        assert_ne!(again.new_id, collision.new_id);

        // Another run, where a store holds the id for a.txt: the same new id.
        let mut next_run = UniqueDocumentIds::default();
        let held = |id: &str| (id == "cn-kz-x").then(|| "a.txt".to_owned());
        assert_eq!(next_run.claim("cn-kz-x", &place("b.html", 10), held).unwrap_err(), collision);
    }
}
