//! SPARQL over the store: predeclared prefixes, the union of all graphs as
//! the default graph, and result formatting.

use std::io::Write;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Term};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression, PropertyPathExpression};
use spargebra::{GraphUpdateOperation, SparqlParser};

use super::vocab::PREFIXES;

/// A query that could not be parsed: the parser's message, with its
/// position, and the line it is on with a caret under the place.
#[derive(Debug, thiserror::Error)]
#[error("the SPARQL query is not valid: {0}")]
pub struct QuerySyntaxError(pub String);

/// How many levels a query or update may nest. oxigraph parses, plans and
/// evaluates nested patterns and expressions recursively, up to about 5 kB
/// of stack per level, so an unbounded depth overflows the stack and ends
/// the process; every kind of nesting runs in 2 MB at 256 levels (a test
/// checks each).
pub const MAX_NESTING: usize = 256;

/// A query or update nested deeper than [`MAX_NESTING`].
#[derive(Debug, thiserror::Error)]
#[error(
    "the SPARQL operation nests {depth} levels deep, over the limit of {limit}: every group, subquery, \
     bracket and function call is a level, and so is every further UNION branch, OPTIONAL, MINUS, FILTER, \
     BIND, operand of a chain of operators (&&, ||, +…), property path step and triple pattern of one group"
)]
pub struct TooDeep {
    pub depth: usize,
    pub limit: usize,
}

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

fn parser() -> SparqlParser {
    PREFIXES.iter().fold(SparqlParser::new(), |p, (prefix, iri)| p.with_prefix(*prefix, *iri).expect("valid prefix IRIs"))
}

fn evaluator(cancellation: Option<&CancellationToken>) -> SparqlEvaluator {
    let e = SparqlEvaluator::new();
    match cancellation {
        Some(token) => e.with_cancellation_token(token.clone()),
        None => e,
    }
}

/// Parses `text` with `parse` after checking how deeply its brackets nest
/// (the parser recurses once per bracket), then refuses the result if its
/// patterns nest deeper than [`MAX_NESTING`] (the evaluator recurses once per
/// operator). Either refusal is [`TooDeep`].
fn parse_within_nesting_limit<T>(
    text: &str,
    parse: impl FnOnce(&str) -> Result<T, spargebra::SparqlSyntaxError>,
    patterns: impl Fn(&T) -> Vec<&GraphPattern>,
) -> anyhow::Result<T> {
    let too_deep = |depth| if depth > MAX_NESTING { Err(TooDeep { depth, limit: MAX_NESTING }) } else { Ok(()) };
    too_deep(bracket_depth(text))?;
    let parsed = parse(text).map_err(|e| QuerySyntaxError::new(text, e.to_string()))?;
    too_deep(nesting_depth(patterns(&parsed)))?;
    Ok(parsed)
}

/// How deeply the brackets of a SPARQL text nest, not counting those inside
/// comments, strings and IRIs.
fn bracket_depth(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        i = match bytes[i] {
            b'{' | b'(' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
                i + 1
            }
            b'}' | b')' | b']' => {
                depth = depth.saturating_sub(1);
                i + 1
            }
            b'#' => bytes[i..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |n| i + n),
            // An escaped character of a prefixed name, such as ex:a\(b.
            b'\\' => i + 2,
            b'"' | b'\'' => after_string(bytes, i),
            b'<' => after_iri(bytes, i).unwrap_or(i + 1),
            _ => i + 1,
        };
    }
    deepest
}

/// The index after the string literal opening at `start`: '…', "…", '''…''' or """…""".
fn after_string(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let delimiter = if bytes[start..].starts_with(&[quote; 3]) { &bytes[start..start + 3] } else { &bytes[start..start + 1] };
    let mut i = start + delimiter.len();
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            i += 2;
        } else if bytes[i..].starts_with(delimiter) {
            return i + delimiter.len();
        } else if bytes[i] == b'\n' && delimiter.len() == 1 {
            return i;
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// The index after the IRI opening at `start`, or `None` when this `<` is a comparison.
fn after_iri(bytes: &[u8], start: usize) -> Option<usize> {
    let length = bytes[start + 1..].iter().position(|&b| b == b'>' || b <= b' ' || b"<\"{}|^`\\".contains(&b))?;
    (bytes[start + 1 + length] == b'>').then_some(start + length + 2)
}

/// One node of a query's algebra, for walking it without recursion.
enum Node<'a> {
    Pattern(&'a GraphPattern),
    Expression(&'a Expression),
    Path(&'a PropertyPathExpression),
}

/// How deeply `patterns` nest, counted as oxigraph recurses over them: one
/// level per operator, and one per triple pattern of a basic graph pattern
/// (they are joined one after another). Walked with an explicit stack, so
/// that any depth can be measured.
fn nesting_depth<'a>(patterns: impl IntoIterator<Item = &'a GraphPattern>) -> usize {
    let mut pending: Vec<(Node<'a>, usize)> = patterns.into_iter().map(|p| (Node::Pattern(p), 1)).collect();
    let mut deepest = 0;
    while let Some((node, depth)) = pending.pop() {
        deepest = deepest.max(depth);
        let mut below = |child: Node<'a>| pending.push((child, depth + 1));
        match node {
            Node::Pattern(pattern) => match pattern {
                GraphPattern::Bgp { patterns } => deepest = deepest.max(depth + patterns.len().saturating_sub(1)),
                GraphPattern::Path { path, .. } => below(Node::Path(path)),
                GraphPattern::Join { left, right }
                | GraphPattern::Lateral { left, right }
                | GraphPattern::Union { left, right }
                | GraphPattern::Minus { left, right } => {
                    below(Node::Pattern(left));
                    below(Node::Pattern(right));
                }
                GraphPattern::LeftJoin { left, right, expression } => {
                    below(Node::Pattern(left));
                    below(Node::Pattern(right));
                    if let Some(e) = expression {
                        below(Node::Expression(e));
                    }
                }
                GraphPattern::Filter { expr, inner } => {
                    below(Node::Expression(expr));
                    below(Node::Pattern(inner));
                }
                GraphPattern::Extend { inner, expression, .. } => {
                    below(Node::Expression(expression));
                    below(Node::Pattern(inner));
                }
                GraphPattern::OrderBy { inner, expression } => {
                    below(Node::Pattern(inner));
                    for order in expression {
                        let (OrderExpression::Asc(e) | OrderExpression::Desc(e)) = order;
                        below(Node::Expression(e));
                    }
                }
                GraphPattern::Group { inner, aggregates, .. } => {
                    below(Node::Pattern(inner));
                    for (_, aggregate) in aggregates {
                        if let AggregateExpression::FunctionCall { expr, .. } = aggregate {
                            below(Node::Expression(expr));
                        }
                    }
                }
                GraphPattern::Graph { inner, .. }
                | GraphPattern::Service { inner, .. }
                | GraphPattern::Project { inner, .. }
                | GraphPattern::Distinct { inner }
                | GraphPattern::Reduced { inner }
                | GraphPattern::Slice { inner, .. } => below(Node::Pattern(inner)),
                GraphPattern::Values { .. } => {}
            },
            Node::Expression(expression) => match expression {
                Expression::NamedNode(_) | Expression::Literal(_) | Expression::Variable(_) | Expression::Bound(_) => {}
                Expression::Or(a, b)
                | Expression::And(a, b)
                | Expression::Equal(a, b)
                | Expression::SameTerm(a, b)
                | Expression::Greater(a, b)
                | Expression::GreaterOrEqual(a, b)
                | Expression::Less(a, b)
                | Expression::LessOrEqual(a, b)
                | Expression::Add(a, b)
                | Expression::Subtract(a, b)
                | Expression::Multiply(a, b)
                | Expression::Divide(a, b) => {
                    below(Node::Expression(a));
                    below(Node::Expression(b));
                }
                Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => below(Node::Expression(a)),
                Expression::If(a, b, c) => {
                    for e in [a, b, c] {
                        below(Node::Expression(e));
                    }
                }
                Expression::In(a, list) => {
                    below(Node::Expression(a));
                    list.iter().for_each(|e| below(Node::Expression(e)));
                }
                Expression::Coalesce(list) | Expression::FunctionCall(_, list) => list.iter().for_each(|e| below(Node::Expression(e))),
                Expression::Exists(pattern) => below(Node::Pattern(pattern)),
            },
            Node::Path(path) => match path {
                PropertyPathExpression::NamedNode(_) | PropertyPathExpression::NegatedPropertySet(_) => {}
                PropertyPathExpression::Reverse(a)
                | PropertyPathExpression::ZeroOrMore(a)
                | PropertyPathExpression::OneOrMore(a)
                | PropertyPathExpression::ZeroOrOne(a) => below(Node::Path(a)),
                PropertyPathExpression::Sequence(a, b) | PropertyPathExpression::Alternative(a, b) => {
                    below(Node::Path(a));
                    below(Node::Path(b));
                }
            },
        }
    }
    deepest
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
/// A query nested deeper than [`MAX_NESTING`] is refused with [`TooDeep`].
pub fn run_with<'a>(store: &'a Store, query: &str, options: &RunOptions) -> anyhow::Result<QueryResults<'a>> {
    prepare_query(query, options)?.run(store)
}

/// A query parsed, checked and given its dataset: [`run_with`] in two steps.
pub struct PreparedQuery(oxigraph::sparql::PreparedSparqlQuery);

/// The first step of [`run_with`]: everything but the evaluation.
pub fn prepare_query(query: &str, options: &RunOptions) -> anyhow::Result<PreparedQuery> {
    let mut prepared = evaluator(options.cancellation.as_ref()).for_query(parse_query(query)?);
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
    Ok(PreparedQuery(prepared))
}

impl PreparedQuery {
    /// Evaluates the query on `store`.
    pub fn run(self, store: &Store) -> anyhow::Result<QueryResults<'_>> {
        self.0.on_store(store).execute().map_err(evaluation_error)
    }
}

/// Parses a query with the ontology's prefixes, refusing one nested deeper
/// than [`MAX_NESTING`].
fn parse_query(query: &str) -> anyhow::Result<spargebra::Query> {
    parse_within_nesting_limit(query, |text| parser().parse_query(text), |q| {
        let (spargebra::Query::Select { pattern, .. }
        | spargebra::Query::Construct { pattern, .. }
        | spargebra::Query::Describe { pattern, .. }
        | spargebra::Query::Ask { pattern, .. }) = q;
        vec![pattern]
    })
}

/// Runs a SPARQL 1.1 Update with the ontology's prefixes. An update nested
/// deeper than [`MAX_NESTING`] is refused with [`TooDeep`].
pub fn update(store: &Store, update: &str, cancellation: Option<&CancellationToken>) -> anyhow::Result<()> {
    prepare_update(update, cancellation)?.run(store)
}

/// An update parsed and checked: [`update`] in two steps.
pub struct PreparedUpdate {
    update: oxigraph::sparql::PreparedSparqlUpdate,
    cancellation: Option<CancellationToken>,
}

/// The first step of [`update`]: everything but the evaluation.
pub fn prepare_update(update: &str, cancellation: Option<&CancellationToken>) -> anyhow::Result<PreparedUpdate> {
    let parsed = parse_within_nesting_limit(update, |text| parser().parse_update(text), |u| {
        u.operations
            .iter()
            .filter_map(|op| match op {
                GraphUpdateOperation::DeleteInsert { pattern, .. } => Some(&**pattern),
                _ => None,
            })
            .collect()
    })?;
    Ok(PreparedUpdate { update: evaluator(cancellation).for_update(parsed), cancellation: cancellation.cloned() })
}

impl PreparedUpdate {
    /// Applies the update to `store`.
    pub fn run(self, store: &Store) -> anyhow::Result<()> {
        // Cancellation reaches updates wrapped in an opaque error: ask the token.
        self.update.on_store(store).execute().map_err(|e| match &self.cancellation {
            Some(token) if token.is_cancelled() => Cancelled.into(),
            _ => anyhow::Error::from(e),
        })
    }
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

/// A cell of a [`Row`] as a person reads it ([`display_term`]); empty when unbound.
pub fn cell(t: &Option<Term>) -> String {
    t.as_ref().map(display_term).unwrap_or_default()
}

/// A cell of a [`Row`] as a person reads it; `None` when unbound or empty.
pub fn optional_cell(t: &Option<Term>) -> Option<String> {
    t.as_ref().map(display_term).filter(|s| !s.is_empty())
}

/// The document id of a cell holding a document's graph name; empty otherwise.
pub fn document_cell(t: &Option<Term>) -> String {
    match t {
        Some(Term::NamedNode(g)) => super::vocab::document_id(g.as_str()).unwrap_or_default().to_owned(),
        _ => String::new(),
    }
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
    fn brackets_in_comments_strings_and_iris_do_not_nest() {
        assert_eq!(bracket_depth("SELECT * WHERE { ?s ?p ?o FILTER(?o = 1) }"), 2);
        assert_eq!(bracket_depth("ASK { ?s ?p \"{{{(((\" } # {{{{\n"), 1);
        assert_eq!(bracket_depth("ASK { ?s ?p '''\n((((\n''' . ?s ?p 'it\\'s (((' }"), 1);
        assert_eq!(bracket_depth("ASK { <http://x/a_(b)> ?p <http://x/((((> }"), 1);
        // A comparison is not an IRI: the brackets after it count.
        assert_eq!(bracket_depth("ASK { FILTER(1 < (2)) }"), 3);
        assert_eq!(bracket_depth(&format!("ASK {}{}", "{".repeat(300), "}".repeat(300))), 300);
    }

    /// A query nested the given number of steps deep.
    type Nesting = fn(usize) -> String;

    /// Queries of every kind of nesting: each grows one level per step.
    /// Joined patterns share a variable: oxigraph takes minutes to plan
    /// hundreds of unrelated ones (a worker's deadline bounds that).
    fn nestings() -> Vec<(&'static str, Nesting)> {
        vec![
            ("groups", |n| format!("SELECT * WHERE {}?s ?p ?o{}", "{".repeat(n), "}".repeat(n))),
            ("subqueries", |n| format!("SELECT * WHERE {}?s ?p ?o{}", "{ SELECT * WHERE { ".repeat(n), "} }".repeat(n))),
            ("UNION", |n| format!("SELECT * WHERE {{ {{?s ?p ?o}} {} }}", "UNION {?s ?p ?o} ".repeat(n))),
            ("group elements", |n| format!("SELECT * WHERE {{ {} }}", (0..n).map(|i| format!("{{?v{i} ?p{i} ?v{}}} ", i + 1)).collect::<String>())),
            ("OPTIONAL", |n| format!("SELECT * WHERE {{ ?s ?p ?o {} }}", "OPTIONAL {?s ?p ?o} ".repeat(n))),
            ("FILTER EXISTS", |n| format!("SELECT * WHERE {{ ?s ?p ?o {}{} }}", "FILTER EXISTS { ?s ?p ?o ".repeat(n), "}".repeat(n))),
            ("BIND", |n| format!("SELECT * WHERE {{ ?s ?p ?o {} }}", (0..n).map(|i| format!("BIND(1 AS ?b{i}) ")).collect::<String>())),
            ("triple patterns", |n| format!("SELECT * WHERE {{ {} }}", (0..n).map(|i| format!("?v{i} ?p{i} ?v{} . ", i + 1)).collect::<String>())),
            ("operators", |n| format!("SELECT (1{} AS ?x) WHERE {{}}", "+1".repeat(n))),
            ("function calls", |n| format!("SELECT ({}1{} AS ?x) WHERE {{}}", "STR(".repeat(n), ")".repeat(n))),
            ("path steps", |n| format!("SELECT * WHERE {{ ?s <http://a>{} ?o }}", "/<http://a>".repeat(n))),
            ("collections", |n| format!("SELECT * WHERE {{ ?s ?p {}1{} }}", "(".repeat(n), ")".repeat(n))),
            ("blank nodes", |n| format!("SELECT * WHERE {{ ?s ?p {}1{} }}", "[ <http://a> ".repeat(n), "]".repeat(n))),
        ]
    }

    /// The documented bound: anything within the limit runs in a 2 MB stack
    /// (a thread's default), and one step more is refused.
    #[test]
    fn every_kind_of_nesting_at_the_limit_runs_in_two_megabytes_of_stack() {
        let run = std::thread::Builder::new().stack_size(2 << 20).spawn(|| {
            let store = Store::new().unwrap();
            let a = NamedNode::new("http://a").unwrap();
            store.insert(oxigraph::model::QuadRef::new(&a, &a, &a, GraphName::DefaultGraph.as_ref())).unwrap();
            for (kind, query) in nestings() {
                let (mut within, mut over) = (1, 2 * MAX_NESTING);
                while over - within > 1 {
                    let middle = (within + over) / 2;
                    if parse_query(&query(middle)).is_ok() {
                        within = middle
                    } else {
                        over = middle
                    }
                }
                assert!(within + 8 >= MAX_NESTING / 2, "{kind}: only {within} steps are allowed");
                let results = run(&store, &query(within)).unwrap_or_else(|e| panic!("{kind} at {within} steps: {e}"));
                serialize_results(results, Serialization { results: QueryResultsFormat::Json, graph: RdfFormat::Turtle }, None, Vec::new()).unwrap();
                let refused = run(&store, &query(over)).err().unwrap_or_else(|| panic!("{kind} at {over} steps is refused"));
                assert!(refused.is::<TooDeep>(), "{kind}: {refused}");
            }
        });
        run.unwrap().join().expect("no stack overflow");
    }

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
