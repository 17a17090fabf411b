//! Content negotiation: the `Accept` header (or a `format` parameter, for
//! browsers and spreadsheets) against the formats the endpoint offers.

use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::QueryResultsFormat;

/// SPARQL results formats offered, the first being the default.
pub const RESULT_FORMATS: [QueryResultsFormat; 4] =
    [QueryResultsFormat::Json, QueryResultsFormat::Xml, QueryResultsFormat::Csv, QueryResultsFormat::Tsv];

/// RDF formats offered for graphs, the first being the default.
pub const GRAPH_FORMATS: [RdfFormat; 4] =
    [RdfFormat::Turtle, RdfFormat::NTriples, RdfFormat::JsonLd { profile: oxigraph::io::JsonLdProfileSet::empty() }, RdfFormat::RdfXml];

/// One media range of an `Accept` header with its quality.
#[derive(Debug, Clone, PartialEq)]
struct MediaRange {
    kind: String,
    subtype: String,
    quality: f32,
}

fn parse_accept(header: &str) -> Vec<MediaRange> {
    let mut ranges: Vec<MediaRange> = header
        .split(',')
        .filter_map(|part| {
            let mut params = part.split(';');
            let (kind, subtype) = params.next()?.trim().split_once('/')?;
            let quality = params
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            Some(MediaRange { kind: kind.trim().to_ascii_lowercase(), subtype: subtype.trim().to_ascii_lowercase(), quality })
        })
        .filter(|r| r.quality > 0.0)
        .collect();
    // Stable: among equal qualities the client's order stands.
    ranges.sort_by(|a, b| b.quality.total_cmp(&a.quality));
    ranges
}

/// The offered item the `Accept` header prefers, `offered[0]` when the header
/// is absent, or `None` when it accepts none of them.
pub fn choose<T: Copy>(accept: Option<&str>, offered: &[T], media_type: impl Fn(T) -> &'static str) -> Option<T> {
    let Some(header) = accept.filter(|h| !h.trim().is_empty()) else { return offered.first().copied() };
    for range in parse_accept(header) {
        let hit = offered.iter().copied().find(|&item| {
            // Some offered types carry parameters ("text/csv; charset=utf-8").
            let bare = media_type(item).split(';').next().unwrap_or_default().trim();
            let (kind, subtype) = bare.split_once('/').unwrap_or_default();
            (range.kind == "*" || range.kind == kind) && (range.subtype == "*" || range.subtype == subtype)
        });
        if hit.is_some() {
            return hit;
        }
    }
    None
}

/// The usual extension for names clients put in `format` (SPARQLWrapper sends `turtle`).
fn extension_for(name: &str) -> &str {
    match name.to_ascii_lowercase().as_str() {
        "turtle" => "ttl",
        "ntriples" | "n-triples" => "nt",
        "json-ld" => "jsonld",
        "rdfxml" | "rdf+xml" | "rdf/xml" => "rdf",
        _ => name,
    }
}

/// The results format named by a `format` parameter (json, xml, csv, tsv or a media type).
pub fn result_format_named(name: &str) -> Option<QueryResultsFormat> {
    QueryResultsFormat::from_extension(extension_for(name))
        .or_else(|| QueryResultsFormat::from_media_type(name))
        .filter(|f| RESULT_FORMATS.contains(f))
}

/// The graph format named by a `format` parameter (ttl, nt, jsonld, rdf or a media type).
pub fn graph_format_named(name: &str) -> Option<RdfFormat> {
    let name = if name.eq_ignore_ascii_case("xml") { "rdf" } else { name };
    RdfFormat::from_extension(extension_for(name))
        .or_else(|| RdfFormat::from_media_type(name))
        .filter(|f| GRAPH_FORMATS.iter().any(|g| g.media_type() == f.media_type()))
}

/// The media types offered, for a 406 message.
pub fn offered_media_types() -> String {
    RESULT_FORMATS
        .iter()
        .map(|f| f.media_type())
        .chain(GRAPH_FORMATS.iter().map(|f| f.media_type()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(accept: Option<&str>) -> Option<QueryResultsFormat> {
        choose(accept, &RESULT_FORMATS, |f| f.media_type())
    }

    #[test]
    fn absent_or_wildcard_accept_gets_the_default() {
        assert_eq!(results(None), Some(QueryResultsFormat::Json));
        assert_eq!(results(Some("*/*")), Some(QueryResultsFormat::Json));
        assert_eq!(results(Some("")), Some(QueryResultsFormat::Json));
    }

    #[test]
    fn quality_outranks_order_and_order_breaks_ties() {
        assert_eq!(results(Some("application/sparql-results+json;q=0.5, text/csv")), Some(QueryResultsFormat::Csv));
        assert_eq!(results(Some("text/tab-separated-values, text/csv")), Some(QueryResultsFormat::Tsv));
        assert_eq!(results(Some("text/*;q=0.9, application/sparql-results+xml;q=0.8")), Some(QueryResultsFormat::Csv));
    }

    #[test]
    fn refused_or_unknown_types_are_not_chosen() {
        assert_eq!(results(Some("text/csv;q=0, image/png")), None);
        assert_eq!(results(Some("text/csv;q=0, */*;q=0.1")), Some(QueryResultsFormat::Json));
    }

    #[test]
    fn graphs_negotiate_their_own_formats() {
        let pick = |a| choose(Some(a), &GRAPH_FORMATS, |f| f.media_type()).map(|f| f.media_type());
        assert_eq!(pick("application/n-triples"), Some("application/n-triples"));
        assert_eq!(pick("application/ld+json"), Some("application/ld+json"));
        assert_eq!(pick("text/turtle;charset=utf-8"), Some("text/turtle"));
        assert_eq!(graph_format_named("nt").map(|f| f.media_type()), Some("application/n-triples"));
        assert_eq!(result_format_named("tsv"), Some(QueryResultsFormat::Tsv));
        assert_eq!(graph_format_named("turtle").map(|f| f.media_type()), Some("text/turtle"));
        assert_eq!(graph_format_named("xml").map(|f| f.media_type()), Some("application/rdf+xml"));
        assert_eq!(result_format_named("xml"), Some(QueryResultsFormat::Xml));
    }
}
