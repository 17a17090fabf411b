//! The SPARQL page: an editor whose queries run on the endpoint with the
//! prefixes predeclared, the ready queries to start from, results as a
//! sortable table (drawn by workbench.js) and downloads in every format the
//! endpoint offers.

use std::fmt::Write;

use super::layout::{esc, section};
use crate::graph::vocab::PREFIXES;
use crate::queries::ReadyQuery;
use crate::serve::{GRAPH_FORMATS, RESULT_FORMATS};

const EXAMPLE: &str = "SELECT ?type (COUNT(DISTINCT ?e) AS ?entities) WHERE {\n  GRAPH <https://w3id.org/diplograph/id/graph/entities> { ?e a ?type }\n}\nGROUP BY ?type\nORDER BY DESC(?entities)";

/// JSON for a `<script type="application/json">` block: `<` escaped, so
/// that no text can close the block.
fn json_block(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c")
}

/// The page's body. `text` is the query to show (else the ready query
/// `ready`, else an example); `run` runs it as the page opens.
pub fn page(ready_queries: &[ReadyQuery], text: Option<&str>, ready: Option<&str>, run: bool) -> String {
    let chosen = ready.and_then(|name| ready_queries.iter().find(|q| q.name == name));
    let text = text.map(str::to_owned).or_else(|| chosen.map(|q| q.text.clone())).unwrap_or_else(|| EXAMPLE.to_owned());
    let mut options = String::from("<option value=\"\">a ready query…</option>");
    for q in ready_queries {
        let selected = if chosen.is_some_and(|c| c.name == q.name) { " selected" } else { "" };
        let _ = write!(options, "<option value=\"{}\"{selected}>{} — {}</option>", esc(&q.name), esc(&q.name), esc(&q.title));
    }
    let mut formats = String::new();
    for f in RESULT_FORMATS {
        let _ = write!(formats, "<option value=\"{ext}\">{name} (SELECT, ASK)</option>", ext = f.file_extension(), name = f.name());
    }
    for f in GRAPH_FORMATS {
        let _ = write!(formats, "<option value=\"{ext}\">{name} (CONSTRUCT, DESCRIBE)</option>", ext = f.file_extension(), name = f.name());
    }
    let prefixes: String = PREFIXES.iter().map(|(p, _)| format!("<code>{}:</code> ", esc(p))).collect();
    let data = serde_json::json!({
        "queries": ready_queries.iter().map(|q| serde_json::json!({"name": q.name, "title": q.title, "description": q.description(), "text": q.text})).collect::<Vec<_>>(),
        "prefixes": PREFIXES.iter().map(|(p, iri)| serde_json::json!([p, iri])).collect::<Vec<_>>(),
        "run": run,
    });
    let editor = format!(
        "<form id=\"sparql-form\" action=\"/sparql\" method=\"get\">\
         <p><label>Start from <select id=\"ready\">{options}</select></label> <span id=\"ready-description\" class=\"note\"></span></p>\
         <textarea id=\"query\" name=\"query\" rows=\"14\" spellcheck=\"false\">{text}</textarea>\
         <p class=\"note\">Predeclared prefixes: {prefixes}— the default graph is the union of all graphs.</p>\
         <p><button id=\"run\" type=\"submit\" name=\"run\" value=\"1\">Run</button> \
         <label>Download as <select name=\"format\">{formats}</select></label> <button id=\"download\" type=\"submit\">Download</button></p></form>\
         <script type=\"application/json\" id=\"workbench-data\">{data}</script>",
        text = esc(&text),
        data = json_block(&data),
    );
    let results = "<div id=\"status\" class=\"note\" role=\"status\"></div><div id=\"results\" class=\"scroll\"></div>";
    section("editor", "Query", &editor) + &section("answer", "Results", results)
}

#[cfg(test)]
mod tests {
    #[test]
    fn no_text_can_close_the_data_block() {
        let block = super::json_block(&serde_json::json!({"text": "</script><script>alert(1)</script>"}));
        assert!(!block.contains("</"), "{block}");
        let back: serde_json::Value = serde_json::from_str(&block).unwrap();
        assert_eq!(back["text"], "</script><script>alert(1)</script>");
    }
}
