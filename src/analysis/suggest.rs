//! "Did you mean": the names closest to one that names nothing, so that a
//! near miss (孟加拉 for 孟加拉国, SCO for the Shanghai Cooperation
//! Organisation) gets an answer instead of a bare "no such entity".

use std::collections::HashSet;

/// Something that can be named: how to show it, the names it goes by, and
/// how much it matters (among equally close names, the weightier first).
#[derive(Debug, Clone)]
pub struct Candidate {
    pub shown: String,
    pub names: Vec<String>,
    pub weight: f64,
}

/// Up to `limit` candidates named like `query`, best first: a name equal to
/// it but for case; one whose English words' initials spell it (SCO); one
/// that contains the query (beginning with it first) or is contained in it,
/// Latin names by whole words; then one sharing most pairs of neighbouring
/// characters with it.
pub fn did_you_mean(query: &str, candidates: &[Candidate], limit: usize) -> Vec<String> {
    let query = query.trim().to_lowercase();
    if query.chars().count() < 2 {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &Candidate)> = candidates
        .iter()
        .filter_map(|c| {
            let best = c.names.iter().map(|n| closeness(&query, n)).fold(0.0, f64::max);
            (best > 0.0).then_some((best, c))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| b.1.weight.total_cmp(&a.1.weight)).then_with(|| a.1.shown.cmp(&b.1.shown)));
    let mut seen = HashSet::new();
    scored.into_iter().filter(|(_, c)| seen.insert(c.shown.as_str())).take(limit).map(|(_, c)| c.shown.clone()).collect()
}

/// ` (did you mean …?)` for an error message, or nothing.
pub fn hint(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!("; did you mean {one}?"),
        many => format!("; did you mean one of: {}?", many.join(", ")),
    }
}

/// How close `name` is to `query` (lower-case): 4 equal, 3 initials, above
/// 2 when one contains the other, else (for a query of four characters or
/// more) the share of character pairs in common when it is at least half;
/// 0 when not close.
fn closeness(query: &str, name: &str) -> f64 {
    let name = name.to_lowercase();
    if name == query {
        return 4.0;
    }
    let latin = query.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ');
    if latin && query.chars().all(|c| c.is_ascii_alphabetic()) && initials(&name) == query {
        return 3.0;
    }
    let (q, n) = (query.chars().count(), name.chars().count());
    let contains = if latin { name.starts_with(query) || words(&name).any(|w| w == query) } else { name.contains(query) };
    if n >= 2 && (contains || query.contains(&name)) {
        let begins = if name.starts_with(query) { 0.5 } else { 0.0 };
        return 2.0 + begins + q.min(n) as f64 / q.max(n) as f64 / 2.0;
    }
    let pairs = |s: &str| -> HashSet<(char, char)> {
        let chars: Vec<char> = s.chars().collect();
        chars.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let (a, b) = (pairs(query), pairs(&name));
    if a.len() < 3 {
        // Too short for shared pairs to mean much (sco and moscow share two).
        return 0.0;
    }
    let dice = 2.0 * a.intersection(&b).count() as f64 / (a.len() + b.len()).max(1) as f64;
    if dice >= 0.5 { dice } else { 0.0 }
}

fn words(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// The initials of an English name's words, short connecting words left out
/// (Shanghai Cooperation Organisation → sco).
fn initials(name: &str) -> String {
    const CONNECTORS: &[&str] = &["of", "and", "the", "for", "on", "in", "to"];
    words(name).filter(|w| !CONNECTORS.contains(w)).filter_map(|w| w.chars().next()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(shown: &str, names: &[&str]) -> Candidate {
        Candidate { shown: shown.to_owned(), names: names.iter().map(|n| (*n).to_owned()).collect(), weight: 0.0 }
    }

    #[test]
    fn near_misses_find_their_entity() {
        let all = [
            candidate("孟加拉国", &["孟加拉国", "Bangladesh"]),
            candidate("上海合作组织", &["上海合作组织", "Shanghai Cooperation Organisation", "上合组织"]),
            candidate("上海合作组织2035年前发展战略", &["上海合作组织2035年前发展战略", "SCO Development Strategy until 2035"]),
            candidate("哈萨克斯坦共和国", &["哈萨克斯坦共和国", "Kazakhstan"]),
            candidate("公正哈萨克斯坦", &["公正哈萨克斯坦", "Just Kazakhstan"]),
            candidate("莫斯科", &["莫斯科", "Moscow"]),
        ];
        assert_eq!(did_you_mean("孟加拉", &all, 3), ["孟加拉国"]);
        assert_eq!(did_you_mean("SCO", &all, 3), ["上海合作组织", "上海合作组织2035年前发展战略"], "initials first, then a name with the word; not Moscow");
        assert_eq!(did_you_mean("哈萨克", &all, 1), ["哈萨克斯坦共和国"], "a name beginning with it first");
        assert_eq!(did_you_mean("kazakstan", &all, 3), ["哈萨克斯坦共和国", "公正哈萨克斯坦"], "a misspelling");
        assert_eq!(did_you_mean("china", &[candidate("中华人民共和国", &["中华人民共和国", "China"])], 3), ["中华人民共和国"], "case");
        assert!(did_you_mean("联合国", &all, 3).is_empty(), "nothing close");
        assert!(did_you_mean("x", &all, 3).is_empty(), "too short to suggest from");
        assert_eq!(hint(&did_you_mean("孟加拉", &all, 3)), "; did you mean 孟加拉国?");
    }
}
