//! The relation network for network tools: GraphML (Cytoscape, yEd,
//! networkx, igraph) and GEXF 1.2 (Gephi, networkx). Entities carry their
//! type, labels, Wikidata id and measures; links their main predicate, every
//! predicate, weight, and the first and last year of the documents stating
//! them. A link with a typed relation goes from that relation's subject.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use petgraph::visit::EdgeRef;

use super::measures::{Analysis, Measures};
use super::network::{Link, Network, CO_MENTION};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkFormat {
    GraphMl,
    Gexf,
}

/// An attribute's value type, as both formats name it.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Integer,
    Real,
}

impl Kind {
    /// The type's name: GraphML and GEXF both say `string`, `long`, `double`.
    fn name(self) -> &'static str {
        match self {
            Kind::Text => "string",
            Kind::Integer => "long",
            Kind::Real => "double",
        }
    }
}

const NODE_ATTRIBUTES: [(&str, Kind); 10] = [
    ("label", Kind::Text),
    ("english", Kind::Text),
    ("type", Kind::Text),
    ("wikidata", Kind::Text),
    ("degree", Kind::Integer),
    ("weighted_degree", Kind::Real),
    ("pagerank", Kind::Real),
    ("betweenness", Kind::Real),
    ("component", Kind::Integer),
    ("community", Kind::Integer),
];

const EDGE_ATTRIBUTES: [(&str, Kind); 7] = [
    ("predicate", Kind::Text),
    ("predicates", Kind::Text),
    ("weight", Kind::Real),
    ("relations", Kind::Integer),
    ("documents", Kind::Integer),
    ("first_year", Kind::Integer),
    ("last_year", Kind::Integer),
];

/// Text safe in an XML or HTML attribute or element: markup characters
/// escaped, characters XML 1.0 forbids (most control characters) dropped.
pub fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// One row of attribute values, `None` where a value is unknown.
type Values = Vec<Option<String>>;

fn node_values(m: &Measures, wikidata: Option<&str>) -> Values {
    vec![
        Some(m.label.clone()),
        m.english.clone(),
        Some(m.entity_type.as_str().to_owned()),
        wikidata.map(str::to_owned),
        Some(m.degree.to_string()),
        Some(m.weighted_degree.to_string()),
        Some(m.pagerank.to_string()),
        Some(m.betweenness.to_string()),
        Some(m.component.to_string()),
        Some(m.community.to_string()),
    ]
}

fn edge_values(link: &Link) -> Values {
    let predicates: BTreeSet<&str> = link.evidence.iter().map(|ev| ev.predicate.as_str()).collect();
    let main = link.typed().first().map_or(CO_MENTION, |ev| ev.predicate.as_str());
    let documents: BTreeSet<&str> = link.evidence.iter().map(|ev| ev.doc.as_str()).collect();
    let years = link.years();
    vec![
        Some(main.to_owned()),
        Some(predicates.into_iter().collect::<Vec<_>>().join(" ")),
        Some(link.weight.to_string()),
        Some(link.relations.to_string()),
        Some(documents.len().to_string()),
        years.map(|(first, _)| first.to_string()),
        years.map(|(_, last)| last.to_string()),
    ]
}

/// Writes the network with its measures in `format`.
pub fn write_network<W: Write>(net: &Network, analysis: &Analysis, format: NetworkFormat, mut w: W) -> std::io::Result<W> {
    let g = &net.graph;
    let measures: HashMap<&str, &Measures> = analysis.measures.iter().map(|m| (m.id.as_str(), m)).collect();
    let nodes: Vec<(&str, Values)> = g
        .node_indices()
        .filter_map(|n| Some((g[n].id.as_str(), node_values(measures.get(g[n].id.as_str())?, g[n].wikidata.as_deref()))))
        .collect();
    let edges: Vec<(&str, &str, Values)> = g
        .edge_references()
        .map(|e| {
            let (a, b) = (&g[e.source()].id, &g[e.target()].id);
            let from_object = e.weight().typed().first().is_some_and(|ev| &ev.subject == b);
            let (source, target) = if from_object { (b, a) } else { (a, b) };
            (source.as_str(), target.as_str(), edge_values(e.weight()))
        })
        .collect();
    match format {
        NetworkFormat::GraphMl => write_graphml(&mut w, &nodes, &edges)?,
        NetworkFormat::Gexf => write_gexf(&mut w, &nodes, &edges)?,
    }
    Ok(w)
}

fn write_graphml<W: Write>(w: &mut W, nodes: &[(&str, Values)], edges: &[(&str, &str, Values)]) -> std::io::Result<()> {
    writeln!(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(w, "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">")?;
    for (scope, attributes) in [("node", &NODE_ATTRIBUTES[..]), ("edge", &EDGE_ATTRIBUTES[..])] {
        for (name, kind) in attributes {
            writeln!(w, "  <key id=\"{scope}_{name}\" for=\"{scope}\" attr.name=\"{name}\" attr.type=\"{}\"/>", kind.name())?;
        }
    }
    writeln!(w, "  <graph id=\"diplograph\" edgedefault=\"undirected\">")?;
    let data = |w: &mut W, scope: &str, attributes: &[(&str, Kind)], values: &Values| -> std::io::Result<()> {
        for ((name, _), value) in attributes.iter().zip(values) {
            if let Some(v) = value {
                write!(w, "<data key=\"{scope}_{name}\">{}</data>", xml_text(v))?;
            }
        }
        Ok(())
    };
    for (id, values) in nodes {
        write!(w, "    <node id=\"{}\">", xml_text(id))?;
        data(w, "node", &NODE_ATTRIBUTES, values)?;
        writeln!(w, "</node>")?;
    }
    for (source, target, values) in edges {
        write!(w, "    <edge source=\"{}\" target=\"{}\">", xml_text(source), xml_text(target))?;
        data(w, "edge", &EDGE_ATTRIBUTES, values)?;
        writeln!(w, "</edge>")?;
    }
    writeln!(w, "  </graph>\n</graphml>")
}

fn write_gexf<W: Write>(w: &mut W, nodes: &[(&str, Values)], edges: &[(&str, &str, Values)]) -> std::io::Result<()> {
    writeln!(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(w, "<gexf xmlns=\"http://www.gexf.net/1.2draft\" version=\"1.2\">")?;
    writeln!(w, "  <meta><creator>diplograph</creator><description>relation network: entities and their typed relations and co-mentions</description></meta>")?;
    writeln!(w, "  <graph defaultedgetype=\"undirected\" mode=\"static\">")?;
    for (class, attributes) in [("node", &NODE_ATTRIBUTES[..]), ("edge", &EDGE_ATTRIBUTES[..])] {
        writeln!(w, "    <attributes class=\"{class}\">")?;
        for (i, (name, kind)) in attributes.iter().enumerate() {
            writeln!(w, "      <attribute id=\"{i}\" title=\"{name}\" type=\"{}\"/>", kind.name())?;
        }
        writeln!(w, "    </attributes>")?;
    }
    let attvalues = |w: &mut W, values: &Values| -> std::io::Result<()> {
        write!(w, "<attvalues>")?;
        for (i, value) in values.iter().enumerate() {
            if let Some(v) = value {
                write!(w, "<attvalue for=\"{i}\" value=\"{}\"/>", xml_text(v))?;
            }
        }
        write!(w, "</attvalues>")
    };
    writeln!(w, "    <nodes>")?;
    for (id, values) in nodes {
        let label = values[0].as_deref().unwrap_or(id);
        write!(w, "      <node id=\"{}\" label=\"{}\">", xml_text(id), xml_text(label))?;
        attvalues(w, values)?;
        writeln!(w, "</node>")?;
    }
    writeln!(w, "    </nodes>\n    <edges>")?;
    for (i, (source, target, values)) in edges.iter().enumerate() {
        let weight = values[2].as_deref().unwrap_or("1");
        write!(w, "      <edge id=\"{i}\" source=\"{}\" target=\"{}\" weight=\"{weight}\">", xml_text(source), xml_text(target))?;
        attvalues(w, values)?;
        writeln!(w, "</edge>")?;
    }
    writeln!(w, "    </edges>\n  </graph>\n</gexf>")
}

#[cfg(test)]
mod tests {
    use super::xml_text;

    #[test]
    fn markup_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(xml_text("<script>\"a\" & 'b'</script>\u{1}"), "&lt;script&gt;&quot;a&quot; &amp; &apos;b&apos;&lt;/script&gt;");
    }
}
