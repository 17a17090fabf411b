//! Ready SPARQL queries: the ones shipped in `queries/` (compiled in) and any
//! `.rq` file the user has in a `queries/` folder of the working directory.
//! Each file starts with `# title: …` and comment lines saying what it answers.

use std::path::Path;

use crate::analysis::suggest::{did_you_mean, hint, Candidate};

include!(concat!(env!("OUT_DIR"), "/queries.rs"));

/// One ready query.
#[derive(Debug, Clone)]
pub struct ReadyQuery {
    pub name: String,
    pub title: String,
    pub text: String,
}

impl ReadyQuery {
    /// The comment lines under the title: what the query answers and how to adapt it.
    pub fn description(&self) -> String {
        self.text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .filter(|l| !l.starts_with("# title:"))
            .map(|l| l.trim_start_matches('#').trim())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn parse(name: &str, text: &str) -> ReadyQuery {
    let title = text
        .lines()
        .find_map(|l| l.strip_prefix("# title:"))
        .map(|t| t.trim().to_owned())
        .unwrap_or_default();
    ReadyQuery { name: name.to_owned(), title, text: text.to_owned() }
}

/// The built-in queries, then local ones in `./queries/` (a local file with a
/// built-in's name replaces it).
pub fn all() -> anyhow::Result<Vec<ReadyQuery>> {
    let mut out: Vec<ReadyQuery> = BUILT_IN.iter().map(|(n, t)| parse(n, t)).collect();
    if let Ok(dir) = std::fs::read_dir("queries") {
        for entry in dir.filter_map(Result::ok) {
            let path = entry.path();
            if path.extension().is_some_and(|x| x == "rq") {
                let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                let text = std::fs::read_to_string(&path)?;
                out.retain(|q| q.name != name);
                out.push(parse(&name, &text));
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The SPARQL text for what the user typed: a `.rq` file, a ready query's
/// name, or inline SPARQL.
pub fn resolve(query: &str) -> anyhow::Result<String> {
    let trimmed = query.trim();
    let path = Path::new(trimmed);
    if trimmed.ends_with(".rq") || (path.is_file() && !trimmed.contains('{')) {
        return std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("cannot read query file {trimmed}: {e}"));
    }
    if !trimmed.contains(char::is_whitespace) {
        let ready = all()?;
        if let Some(q) = ready.iter().find(|q| q.name == trimmed) {
            return Ok(q.text.clone());
        }
        let candidates: Vec<Candidate> = ready.iter().map(|q| Candidate { shown: q.name.clone(), names: vec![q.name.clone(), q.title.clone()], weight: 0.0 }).collect();
        anyhow::bail!("no ready query named {trimmed:?}{} (see `diplograph query --list`)", hint(&did_you_mean(trimmed, &candidates, 3)));
    }
    Ok(trimmed.to_owned())
}
