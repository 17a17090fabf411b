//! SPARQL over the store: predeclared prefixes, the union of all graphs as
//! the default graph, and result formatting.

use std::io::Write;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Term};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator};
use oxigraph::store::Store;

use super::vocab::PREFIXES;

/// A query that could not be parsed: the parser's message, with its
/// position, and the line it is on with a caret under the place.
#[derive(Debug, thiserror::Error)]
#[error("the SPARQL query is not valid: {0}")]
pub struct QuerySyntaxError(pub String);

impl QuerySyntaxError {
    /// The parser's `message` about `text`, with the line and column it
    /// names shown (`error at 3:14: expected …`).
    pub fn new(text: &str, message: String) -> Self {
        let place = message
            .strip_prefix("error at ")
            .and_then(|rest| rest.split_once(':').zip(rest.split_once(": ")))
            .and_then(|((line, _), (at, _))| Some((line.parse::<usize>().ok()?, at.split_once(':')?.1.parse::<usize>().ok()?)));
        let shown = place.and_then(|(line, column)| Some(format!("{message}\n{}", show_place(text.lines().nth(line.checked_sub(1)?)?, line, column))));
        Self(shown.unwrap_or(message))
    }
}

/// `line` (number `number`) and a caret under `column` (1-based, in
/// characters), clipped to a window around it; control characters shown as spaces.
fn show_place(line: &str, number: usize, column: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    const AROUND: usize = 40;
    let chars: Vec<char> = line.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let at = column.saturating_sub(1).min(chars.len());
    let from = at.saturating_sub(AROUND);
    let to = (at + AROUND).min(chars.len());
    let before: String = chars[from..at].iter().collect();
    let window: String = chars[from..to].iter().collect();
    let (open, close) = (if from > 0 { "…" } else { "" }, if to < chars.len() { "…" } else { "" });
    let indent: usize = open.chars().chain(before.chars()).map(|c| c.width().unwrap_or(0)).sum();
    let gutter = number.to_string();
    format!("  {gutter} | {open}{window}{close}\n  {} | {}^", " ".repeat(gutter.len()), " ".repeat(indent))
}

/// The operation was cancelled through its token (a timeout, for the endpoint).
#[derive(Debug, thiserror::Error)]
#[error("the SPARQL operation was cancelled")]
pub struct Cancelled;

/// How to run one operation beyond its text.
#[derive(Clone, Default)]
pub struct RunOptions {
    /// The default graph's graphs (SPARQL Protocol `default-graph-uri`);
    /// empty means the union of all graphs, unless the query names its own.
    pub default_graphs: Vec<NamedNode>,
    /// The named graphs the query may see (`named-graph-uri`); empty means all.
    pub named_graphs: Vec<NamedNode>,
    /// Cancelling this token stops the evaluation with [`Cancelled`].
    pub cancellation: Option<CancellationToken>,
}

fn evaluator(cancellation: Option<&CancellationToken>) -> SparqlEvaluator {
    let mut e = SparqlEvaluator::new();
    for (p, iri) in PREFIXES {
        e = e.with_prefix(*p, *iri).expect("valid prefix IRIs");
    }
    match cancellation {
        Some(token) => e.with_cancellation_token(token.clone()),
        None => e,
    }
}

fn evaluation_error(e: QueryEvaluationError) -> anyhow::Error {
    match e {
        QueryEvaluationError::Cancelled => Cancelled.into(),
        other => other.into(),
    }
}

/// Runs `query` with the ontology's prefixes and every graph as the default graph.
pub fn run<'a>(store: &'a Store, query: &str) -> anyhow::Result<QueryResults<'a>> {
    run_with(store, query, &RunOptions::default())
}

/// Runs `query` with the dataset and cancellation of `options`. A dataset the
/// query declares itself (FROM, FROM NAMED) is kept unless `options` sets one.
pub fn run_with<'a>(store: &'a Store, query: &str, options: &RunOptions) -> anyhow::Result<QueryResults<'a>> {
    let mut prepared =
        evaluator(options.cancellation.as_ref()).parse_query(query).map_err(|e| QuerySyntaxError::new(query, e.to_string()))?;
    let declares_dataset = !prepared.dataset().is_default_dataset();
    let dataset = prepared.dataset_mut();
    if !options.default_graphs.is_empty() {
        dataset.set_default_graph(options.default_graphs.iter().cloned().map(GraphName::from).collect());
    } else if !declares_dataset {
        dataset.set_default_graph_as_union();
    }
    if !options.named_graphs.is_empty() {
        dataset.set_available_named_graphs(options.named_graphs.iter().cloned().map(NamedOrBlankNode::from).collect());
    }
    prepared.on_store(store).execute().map_err(evaluation_error)
}

/// Runs a SPARQL 1.1 Update with the ontology's prefixes.
pub fn update(store: &Store, update: &str, cancellation: Option<&CancellationToken>) -> anyhow::Result<()> {
    let prepared = evaluator(cancellation).parse_update(update).map_err(|e| QuerySyntaxError::new(update, e.to_string()))?;
    // Cancellation reaches updates wrapped in an opaque error: ask the token.
    prepared.on_store(store).execute().map_err(|e| match cancellation {
        Some(token) if token.is_cancelled() => Cancelled.into(),
        _ => anyhow::Error::from(e),
    })
}

/// The IRIs bound to `var` in the solutions of a SELECT query.
pub fn select_iris(store: &Store, query: &str, var: &str) -> anyhow::Result<Vec<NamedNode>> {
    let QueryResults::Solutions(solutions) = run(store, query)? else { anyhow::bail!("expected a SELECT query") };
    let mut out = Vec::new();
    for s in solutions {
        if let Some(Term::NamedNode(n)) = s?.get(var) {
            out.push(n.clone());
        }
    }
    Ok(out)
}

/// The integer in `?n` of the first solution of a COUNT query.
pub fn count(store: &Store, query: &str) -> anyhow::Result<usize> {
    let QueryResults::Solutions(mut solutions) = run(store, query)? else { anyhow::bail!("expected a SELECT query") };
    match solutions.next() {
        Some(s) => match s?.get("n") {
            Some(Term::Literal(l)) => Ok(l.value().parse()?),
            _ => Ok(0),
        },
        None => Ok(0),
    }
}

/// One solution: a term (or nothing) per variable, in the query's order.
pub type Row = Vec<Option<Term>>;

/// The variables and rows of a SELECT query.
pub fn select_rows(store: &Store, query: &str) -> anyhow::Result<(Vec<String>, Vec<Row>)> {
    let QueryResults::Solutions(solutions) = run(store, query)? else { anyhow::bail!("expected a SELECT query") };
    let vars: Vec<String> = solutions.variables().iter().map(|v| v.as_str().to_owned()).collect();
    let mut rows = Vec::new();
    for s in solutions {
        let s = s?;
        rows.push(vars.iter().map(|v| s.get(v.as_str()).cloned()).collect());
    }
    Ok((vars, rows))
}

/// How to print results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ResultFormat {
    Table,
    Csv,
    Tsv,
    Json,
    Xml,
}

/// A result with more solutions or triples than the caller allows.
#[derive(Debug, thiserror::Error)]
#[error("the result has more than {limit} solutions or triples")]
pub struct TooManyResults {
    pub limit: usize,
}

/// The standard serializations of a result: one for solutions and booleans,
/// one for graphs (CONSTRUCT, DESCRIBE).
#[derive(Debug, Clone, Copy)]
pub struct Serialization {
    pub results: QueryResultsFormat,
    pub graph: RdfFormat,
}

/// Writes `results` in a standard format, stopping with [`TooManyResults`]
/// after `limit` solutions or triples and with [`Cancelled`] if the
/// evaluation is cancelled while the results are drawn.
pub fn serialize_results<W: Write>(
    results: QueryResults<'_>,
    format: Serialization,
    limit: Option<usize>,
    out: W,
) -> anyhow::Result<W> {
    let limit = limit.unwrap_or(usize::MAX);
    let over = |n: usize| if n > limit { Err(TooManyResults { limit }) } else { Ok(()) };
    Ok(match results {
        QueryResults::Solutions(solutions) => {
            let mut w = QueryResultsSerializer::from_format(format.results)
                .serialize_solutions_to_writer(out, solutions.variables().to_vec())?;
            for (i, s) in solutions.enumerate() {
                over(i + 1)?;
                w.serialize(&s.map_err(evaluation_error)?)?;
            }
            w.finish()?
        }
        QueryResults::Boolean(b) => QueryResultsSerializer::from_format(format.results).serialize_boolean_to_writer(out, b)?,
        QueryResults::Graph(triples) => {
            let mut s = RdfSerializer::from_format(format.graph);
            for (p, iri) in PREFIXES {
                s = s.with_prefix(*p, *iri)?;
            }
            let mut w = s.for_writer(out);
            for (i, t) in triples.enumerate() {
                over(i + 1)?;
                w.serialize_triple(&t.map_err(evaluation_error)?)?;
            }
            w.finish()?
        }
    })
}

/// Prints query results: solutions and booleans in `format`, graphs as Turtle.
pub fn write_results<W: Write>(results: QueryResults<'_>, format: ResultFormat, mut out: W) -> anyhow::Result<W> {
    let standard = match format {
        ResultFormat::Csv => QueryResultsFormat::Csv,
        ResultFormat::Tsv => QueryResultsFormat::Tsv,
        ResultFormat::Json => QueryResultsFormat::Json,
        ResultFormat::Xml => QueryResultsFormat::Xml,
        ResultFormat::Table => match results {
            QueryResults::Solutions(solutions) => {
                let vars: Vec<String> = solutions.variables().iter().map(|v| v.as_str().to_owned()).collect();
                let mut rows: Vec<Vec<String>> = Vec::new();
                for s in solutions {
                    let s = s?;
                    rows.push(vars.iter().map(|v| s.get(v.as_str()).map(display_term).unwrap_or_default()).collect());
                }
                write_table(&mut out, &vars, &rows)?;
                return Ok(out);
            }
            QueryResults::Boolean(b) => {
                writeln!(out, "{b}")?;
                return Ok(out);
            }
            // Graphs have no table form: Turtle.
            graph => return serialize_results(graph, Serialization { results: QueryResultsFormat::Json, graph: RdfFormat::Turtle }, None, out),
        },
    };
    serialize_results(results, Serialization { results: standard, graph: RdfFormat::Turtle }, None, out)
}

/// A term as a person reads it: literals by value, our IRIs by id, others prefixed.
pub fn display_term(t: &Term) -> String {
    match t {
        Term::Literal(l) => l.value().to_owned(),
        Term::NamedNode(n) => {
            let iri = n.as_str();
            if let Some(id) = super::vocab::entity_id(iri) {
                return id.to_owned();
            }
            for (p, ns) in PREFIXES {
                if let Some(local) = iri.strip_prefix(ns) {
                    return format!("{p}:{local}");
                }
            }
            format!("<{iri}>")
        }
        other => other.to_string(),
    }
}

fn write_table<W: Write>(out: &mut W, vars: &[String], rows: &[Vec<String>]) -> std::io::Result<()> {
    use unicode_width::UnicodeWidthStr;
    const MAX: usize = 60;
    let clip = |s: &str| -> String {
        if s.width() <= MAX {
            return s.to_owned();
        }
        let mut w = 0;
        let mut out = String::new();
        for c in s.chars() {
            w += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if w > MAX - 1 {
                break;
            }
            out.push(c);
        }
        out + "…"
    };
    let cells: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| clip(c)).collect()).collect();
    let widths: Vec<usize> = (0..vars.len()).map(|i| cells.iter().map(|r| r[i].width()).chain([vars[i].width()]).max().unwrap_or(0)).collect();
    let line = |out: &mut W, items: &[String]| -> std::io::Result<()> {
        let padded: Vec<String> = items.iter().zip(&widths).map(|(s, w)| format!("{s}{}", " ".repeat(w - s.width()))).collect();
        writeln!(out, "{}", padded.join("  ").trim_end())
    };
    line(out, vars)?;
    line(out, &widths.iter().map(|w| "─".repeat(*w)).collect::<Vec<_>>())?;
    for r in &cells {
        line(out, r)?;
    }
    writeln!(out, "({} row{})", rows.len(), if rows.len() == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syntax_error_shows_its_line_with_a_caret_under_the_place() {
        let store = Store::new().unwrap();
        let error = run(&store, "SELECT ?d\nWHERE { ?d ?p }").err().unwrap().to_string();
        let lines: Vec<&str> = error.lines().collect();
        // The parser stops after the closing brace, at column 16 of line 2.
        assert!(lines[0].contains("error at 2:16"), "{error}");
        assert_eq!(lines[1], "  2 | WHERE { ?d ?p }");
        assert_eq!(lines[2], format!("    | {}^", " ".repeat(15)), "the caret under column 16");
    }

    #[test]
    fn a_long_line_is_clipped_around_the_place_and_wide_characters_count_twice() {
        let line = format!("{}联合声明X{}", "a".repeat(100), "b".repeat(100));
        let shown = show_place(&line, 7, 105);
        let rows: Vec<&str> = shown.lines().collect();
        assert!(rows[0].starts_with("  7 | …") && rows[0].ends_with('…'), "{shown}");
        let caret = rows[1].find('^').unwrap();
        let x = rows[0].find('X').unwrap();
        // Up to X: 40 characters, of which four are two columns wide.
        assert_eq!(unicode_width::UnicodeWidthStr::width(&rows[0][..x]), caret, "{shown}");
    }
}
