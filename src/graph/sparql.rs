//! SPARQL over the store: predeclared prefixes, the union of all graphs as
//! the default graph, and result formatting.

use std::io::Write;

use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;

use super::vocab::PREFIXES;

/// A query that could not be parsed: the parser's message, with its position.
#[derive(Debug, thiserror::Error)]
#[error("the SPARQL query is not valid: {0}")]
pub struct QuerySyntaxError(pub String);

fn evaluator() -> SparqlEvaluator {
    let mut e = SparqlEvaluator::new();
    for (p, iri) in PREFIXES {
        e = e.with_prefix(*p, *iri).expect("valid prefix IRIs");
    }
    e
}

/// Runs `query` with the ontology's prefixes and every graph as the default graph.
pub fn run<'a>(store: &'a Store, query: &str) -> anyhow::Result<QueryResults<'a>> {
    let mut prepared = evaluator().parse_query(query).map_err(|e| QuerySyntaxError(e.to_string()))?;
    prepared.dataset_mut().set_default_graph_as_union();
    Ok(prepared.on_store(store).execute()?)
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

/// Prints query results: solutions and booleans in `format`, graphs as Turtle.
pub fn write_results<W: Write>(results: QueryResults<'_>, format: ResultFormat, mut out: W) -> anyhow::Result<W> {
    let standard = match format {
        ResultFormat::Csv => Some(QueryResultsFormat::Csv),
        ResultFormat::Tsv => Some(QueryResultsFormat::Tsv),
        ResultFormat::Json => Some(QueryResultsFormat::Json),
        ResultFormat::Xml => Some(QueryResultsFormat::Xml),
        ResultFormat::Table => None,
    };
    match results {
        QueryResults::Solutions(solutions) => match standard {
            Some(f) => {
                let mut w = QueryResultsSerializer::from_format(f).serialize_solutions_to_writer(out, solutions.variables().to_vec())?;
                for s in solutions {
                    w.serialize(&s?)?;
                }
                out = w.finish()?;
            }
            None => {
                let vars: Vec<String> = solutions.variables().iter().map(|v| v.as_str().to_owned()).collect();
                let mut rows: Vec<Vec<String>> = Vec::new();
                for s in solutions {
                    let s = s?;
                    rows.push(vars.iter().map(|v| s.get(v.as_str()).map(display_term).unwrap_or_default()).collect());
                }
                write_table(&mut out, &vars, &rows)?;
            }
        },
        QueryResults::Boolean(b) => match standard {
            Some(f) => out = QueryResultsSerializer::from_format(f).serialize_boolean_to_writer(out, b)?,
            None => writeln!(out, "{b}")?,
        },
        QueryResults::Graph(triples) => {
            let mut s = oxigraph::io::RdfSerializer::from_format(oxigraph::io::RdfFormat::Turtle);
            for (p, iri) in PREFIXES {
                s = s.with_prefix(*p, *iri)?;
            }
            let mut w = s.for_writer(out);
            for t in triples {
                w.serialize_triple(&t?)?;
            }
            out = w.finish()?;
        }
    }
    Ok(out)
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
