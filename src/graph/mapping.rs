//! The RDF mapping: one document's extraction to quads.
//!
//! Everything a document says lives in its own named graph (the document's
//! IRI): metadata, spans, sentences, mentions, citations, relations with
//! their evidence, and the surface forms it uses for entities. What an
//! entity *is* (type, preferred label, English label, Wikidata link) is the
//! same whichever document names it, so it goes to the shared entity graph,
//! where re-inserting it changes nothing.

use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};

use super::vocab::{self, dg, iri, CITO, DCTERMS, ELI, ITSRDF, NIF, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, WD, XSD};
use crate::extract::Extraction;
use crate::ids::short_hash;
use crate::model::{Entity, EntityType};

/// The quads of one document: its own graph, and entity descriptions.
#[derive(Debug, Clone)]
pub struct DocumentQuads {
    pub graph: NamedNode,
    pub source: String,
    pub quads: Vec<Quad>,
    pub entity_quads: Vec<Quad>,
}

struct Sink {
    graph: GraphName,
    quads: Vec<Quad>,
}

impl Sink {
    fn add(&mut self, s: &NamedNode, p: NamedNode, o: impl Into<Term>) {
        self.quads.push(Quad::new(NamedOrBlankNode::from(s.clone()), p, o, self.graph.clone()));
    }

    /// The node's range of source code points (nif:beginIndex, nif:endIndex).
    fn add_range(&mut self, s: &NamedNode, start: u32, end: u32) {
        self.add(s, iri(NIF, "beginIndex"), int(start));
        self.add(s, iri(NIF, "endIndex"), int(end));
    }
}

fn zh(s: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(s, "zh")
}

fn en(s: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(s, "en")
}

/// Offsets and counts. (xsd:integer: oxigraph stores every integer type as
/// xsd:integer, so the shapes require xsd:integer with a minimum of 0.)
fn int(n: u32) -> Literal {
    Literal::from(i64::from(n))
}

/// A normalized date as a typed literal: xsd:date, xsd:gYearMonth or xsd:gYear.
pub fn date_literal(value: &str) -> Option<Literal> {
    let datatype = match value.len() {
        10 => "date",
        7 => "gYearMonth",
        4 => "gYear",
        _ => return None,
    };
    Some(Literal::new_typed_literal(value, iri(XSD, datatype)))
}

/// Maps one extraction to quads. `source_digest` is the digest of the
/// source file as read (see `Pipeline::source_digest`), by which a later
/// ingest knows the file unchanged.
pub fn document_quads(x: &Extraction, source_digest: Option<&str>) -> DocumentQuads {
    let doc = vocab::document(&x.meta.doc);
    let mut g = Sink { graph: GraphName::NamedNode(doc.clone()), quads: Vec::new() };
    let mut e = Sink { graph: GraphName::NamedNode(vocab::entities_graph()), quads: Vec::new() };
    let m = &x.meta;
    let a = iri(RDF, "type");

    g.add(&doc, a.clone(), dg("Document"));
    g.add(&doc, a.clone(), iri(NIF, "Context"));
    g.add(&doc, iri(SCHEMA, "name"), zh(&m.title));
    g.add(&doc, iri(DCTERMS, "identifier"), Literal::new_simple_literal(&m.doc));
    g.add(&doc, dg("titleInText"), Literal::from(m.title_in_text));
    g.add(&doc, dg("kind"), Literal::new_simple_literal(&m.kind));
    g.add(&doc, dg("sourceFile"), Literal::new_simple_literal(&m.source));
    if let Some(digest) = source_digest {
        g.add(&doc, dg("sourceDigest"), Literal::new_simple_literal(digest));
    }
    for p in &m.parties {
        g.add(&doc, dg("party"), vocab::entity(&p.id));
    }
    if let Some(d) = m.signed_date.as_deref().and_then(date_literal) {
        g.add(&doc, iri(ELI, "date_document"), d);
    }
    if let Some(place) = &m.signed_place {
        g.add(&doc, dg("signedPlace"), zh(place));
    }
    if let Some(dl) = &m.dateline {
        g.add(&doc, dg("dateline"), zh(dl));
    }
    if let Some(issuer) = &m.issuer {
        g.add(&doc, dg("issuedBy"), vocab::entity(&issuer.id));
    }
    g.add(&doc, dg("work"), vocab::entity(&m.work));
    for (i, [s, t]) in m.spans.iter().enumerate() {
        let span = NamedNode::new_unchecked(format!("{}#span-{i}", doc.as_str()));
        g.add(&doc, dg("hasSpan"), span.clone());
        g.add(&span, a.clone(), dg("Span"));
        g.add_range(&span, *s, *t);
        g.add(&span, dg("order"), int(i as u32));
    }
    // The document's own treaty entity, so citations of it meet it.
    describe(&mut e, &Entity { id: m.work.clone(), entity_type: EntityType::Treaty, canonical: m.title.clone(), english: None, wikidata: None, date: m.signed_date.clone(), kind: Some(m.kind.clone()) });

    let sentence_iri = |i: usize| -> NamedNode {
        let s = &x.sentences[i.min(x.sentences.len().saturating_sub(1))];
        NamedNode::new_unchecked(format!("{}#s-{}-{}", doc.as_str(), s.start, s.end))
    };
    for (i, s) in x.sentences.iter().enumerate() {
        let si = sentence_iri(i);
        g.add(&si, a.clone(), iri(NIF, "Sentence"));
        g.add(&si, iri(NIF, "anchorOf"), zh(&s.text));
        g.add_range(&si, s.start, s.end);
        g.add(&si, iri(NIF, "referenceContext"), doc.clone());
    }

    for ent in &x.entities {
        describe(&mut e, ent);
    }
    for mention in &x.mentions {
        // Dates and entity mentions may share a range; their IRIs differ.
        let tag = if mention.id.is_some() { "m" } else { "d" };
        let mi = NamedNode::new_unchecked(format!("{}#{tag}-{}-{}", doc.as_str(), mention.start, mention.end));
        g.add(&mi, a.clone(), dg("Mention"));
        g.add(&mi, a.clone(), iri(NIF, "Phrase"));
        g.add(&mi, iri(NIF, "anchorOf"), zh(&mention.text));
        g.add_range(&mi, mention.start, mention.end);
        g.add(&mi, iri(NIF, "referenceContext"), doc.clone());
        g.add(&mi, iri(NIF, "sentence"), sentence_iri(mention.sentence));
        g.add(&mi, dg("mentionType"), vocab::class_of(mention.entity_type));
        match (&mention.id, &mention.value) {
            (Some(id), _) => {
                let ent = vocab::entity(id);
                g.add(&mi, iri(ITSRDF, "taIdentRef"), ent.clone());
                if mention.text != mention.entity {
                    g.add(&ent, iri(SKOS, "altLabel"), zh(&mention.text));
                }
            }
            (None, Some(v)) => add_date_value(&mut g, &mi, v),
            (None, None) => {}
        }
    }
    for c in &x.citations {
        let ci = NamedNode::new_unchecked(format!("{}#c-{}-{}", doc.as_str(), c.start, c.end));
        let treaty = vocab::entity(&c.id);
        g.add(&doc, iri(CITO, "cites"), treaty.clone());
        g.add(&ci, a.clone(), dg("Citation"));
        g.add(&ci, dg("citingDocument"), doc.clone());
        g.add(&ci, dg("citedWork"), treaty);
        g.add(&ci, dg("citedTitle"), zh(&c.title));
        if let Some(d) = c.date.as_deref().and_then(date_literal) {
            g.add(&ci, dg("citedDate"), d);
        }
        if let Some(v) = &c.verb {
            g.add(&ci, dg("verb"), zh(v));
        }
        g.add(&ci, dg("citationKind"), Literal::new_simple_literal(&c.kind));
        g.add_range(&ci, c.start, c.end);
        g.add(&ci, iri(PROV, "wasDerivedFrom"), sentence_iri(c.sentence));
    }
    let mut edges = NetworkEdges::default();
    for r in &x.relations {
        let subject = vocab::entity(&r.subject);
        if !r.predicate.ends_with("_on") {
            edges.add(&r.subject, &r.predicate, &r.object, r.count.unwrap_or(1));
        }
        if r.predicate == "co_mention" {
            let ci = NamedNode::new_unchecked(format!("{}#co-{}", doc.as_str(), short_hash(&format!("{}|{}", r.subject, r.object))));
            g.add(&ci, a.clone(), dg("CoMention"));
            g.add(&ci, dg("entity"), subject);
            g.add(&ci, dg("entity"), vocab::entity(&r.object));
            g.add(&ci, dg("count"), int(r.count.unwrap_or(1)));
            g.add(&ci, iri(PROV, "wasDerivedFrom"), sentence_iri(r.sentence));
            if let Some(other) = r.other_sentence {
                g.add(&ci, iri(PROV, "wasDerivedFrom"), sentence_iri(other));
            }
            continue;
        }
        let property = vocab::relation_property(&r.predicate);
        // `…_on` relations (held_on) point at a date; the others at an entity.
        let object: Term = if r.predicate.ends_with("_on") {
            date_literal(&r.object).map_or_else(|| Literal::new_simple_literal(&r.object).into(), Term::from)
        } else {
            vocab::entity(&r.object).into()
        };
        g.quads.push(Quad::new(subject.clone(), property.clone(), object.clone(), g.graph.clone()));
        let ri = statement_iri(&doc, &r.subject, &r.predicate, &r.object);
        g.add(&ri, a.clone(), iri(RDF, "Statement"));
        g.add(&ri, iri(RDF, "subject"), subject);
        g.add(&ri, iri(RDF, "predicate"), property);
        g.add(&ri, iri(RDF, "object"), object);
        g.add_range(&ri, r.start, r.end);
        g.add(&ri, iri(PROV, "wasDerivedFrom"), sentence_iri(r.sentence));
    }
    for d in &x.relationships {
        let di = NamedNode::new_unchecked(format!("{}#level-{}-{}-{}", doc.as_str(), d.start, d.end, short_hash(&format!("{}|{}", d.level, d.act))));
        g.add(&di, a.clone(), dg("RelationshipDeclaration"));
        g.add(&di, dg("declaredIn"), doc.clone());
        for p in &d.parties {
            g.add(&di, dg("between"), vocab::entity(p));
        }
        g.add(&di, dg("level"), NamedNode::new_unchecked(d.level.clone()));
        g.add(&di, dg("act"), vocab::relationship_act(&d.act));
        if let Some(date) = d.date.as_deref().and_then(date_literal) {
            g.add(&di, dg("date"), date);
        }
        g.add(&di, dg("recalled"), Literal::from(d.recalled));
        g.add(&di, dg("phrase"), zh(&d.phrase));
        g.add_range(&di, d.start, d.end);
        g.add(&di, iri(PROV, "wasDerivedFrom"), sentence_iri(d.sentence));
    }
    for v in &x.visits {
        let key = format!("{}|{:?}|{:?}|{:?}|{:?}", v.kind, v.visitor, v.visitor_party, v.host, v.event);
        let vi = NamedNode::new_unchecked(format!("{}#visit-{}-{}-{}", doc.as_str(), v.start, v.end, short_hash(&key)));
        g.add(&vi, a.clone(), dg("Visit"));
        g.add(&vi, dg("reportedIn"), doc.clone());
        g.add(&vi, dg("visitKind"), Literal::new_simple_literal(&v.kind));
        let links = [("visitor", &v.visitor), ("visitorParty", &v.visitor_party), ("host", &v.host), ("hostParty", &v.host_party), ("attended", &v.event)];
        for (property, id) in links {
            if let Some(id) = id {
                g.add(&vi, dg(property), vocab::entity(id));
            }
        }
        for place in &v.places {
            g.add(&vi, dg("place"), vocab::entity(place));
        }
        // A range (2024-07-02/2024-07-04) gives its two ends; a date, both the same.
        if let Some(date) = &v.date {
            let (from, to) = date.split_once('/').unwrap_or((date, date));
            if let (Some(from), Some(to)) = (date_literal(from), date_literal(to)) {
                g.add(&vi, dg("startDate"), from);
                g.add(&vi, dg("endDate"), to);
            }
        }
        g.add_range(&vi, v.start, v.end);
        g.add(&vi, iri(PROV, "wasDerivedFrom"), sentence_iri(v.sentence));
    }
    g.add(&doc, dg("networkEdges"), Literal::new_simple_literal(edges.to_string()));
    DocumentQuads { graph: doc, source: m.source.clone(), quads: g.quads, entity_quads: e.quads }
}

/// The rdf:Statement node of a relation in its document's graph: a function
/// of the relation, so that its evidence can be found from the network's
/// digest without a search.
pub fn statement_iri(doc: &NamedNode, subject: &str, predicate: &str, object: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{}#r-{}", doc.as_str(), short_hash(&format!("{subject}|{predicate}|{object}"))))
}

/// A document's edges of the relation network, as the one string of
/// `dg:networkEdges`: a line per edge, `subject⇥predicate⇥object⇥weight`
/// (entity ids; a relation's name or `co_mention`; 1 for a relation, the
/// paragraph count for a co-mention). The same edges as the document's
/// rdf:Statement and dg:CoMention nodes, in one term instead of a million
/// quads across a corpus, so that `analyze` reads the network quickly.
#[derive(Default)]
pub struct NetworkEdges(std::collections::BTreeMap<(String, String, String), u32>);

impl NetworkEdges {
    /// Adds an edge; a repeated one keeps its first weight, as the store
    /// keeps one node per (subject, predicate, object).
    pub fn add(&mut self, subject: &str, predicate: &str, object: &str, weight: u32) {
        self.0.entry((subject.to_owned(), predicate.to_owned(), object.to_owned())).or_insert(weight);
    }

    /// The edges, sorted: (subject, predicate, object) and weight.
    pub fn iter(&self) -> impl Iterator<Item = (&(String, String, String), u32)> {
        self.0.iter().map(|(k, &w)| (k, w))
    }

    /// Parses the string form; lines that are not four fields are skipped.
    pub fn parse(text: &str) -> impl Iterator<Item = (&str, &str, &str, u32)> {
        text.lines().filter_map(|line| {
            let mut f = line.split('\t');
            let (s, p, o, w) = (f.next()?, f.next()?, f.next()?, f.next()?.parse().ok()?);
            Some((s, p, o, w))
        })
    }
}

impl std::fmt::Display for NetworkEdges {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for ((s, p, o), w) in &self.0 {
            writeln!(f, "{s}\t{p}\t{o}\t{w}")?;
        }
        Ok(())
    }
}

fn add_date_value(g: &mut Sink, mention: &NamedNode, value: &str) {
    match value.split_once('/') {
        Some((from, to)) => {
            if let Some(l) = date_literal(from) {
                g.add(mention, dg("intervalStart"), l);
            }
            if let Some(l) = date_literal(to) {
                g.add(mention, dg("intervalEnd"), l);
            }
        }
        None => {
            if let Some(l) = date_literal(value) {
                g.add(mention, dg("dateValue"), l);
            }
        }
    }
    g.add(mention, dg("normalizedDate"), Literal::new_simple_literal(value));
}

/// An entity's description: type, labels, Wikidata link, kind, date.
fn describe(e: &mut Sink, ent: &Entity) {
    let s = vocab::entity(&ent.id);
    e.add(&s, iri(RDF, "type"), vocab::class_of(ent.entity_type));
    e.add(&s, iri(SKOS, "prefLabel"), zh(&ent.canonical));
    e.add(&s, iri(DCTERMS, "identifier"), Literal::new_simple_literal(&ent.id));
    if let Some(english) = &ent.english {
        e.add(&s, iri(RDFS, "label"), en(english));
    }
    if let Some(q) = &ent.wikidata {
        e.add(&s, iri(OWL, "sameAs"), iri(WD, q));
    }
    if let Some(k) = &ent.kind {
        e.add(&s, dg("kind"), Literal::new_simple_literal(k));
    }
    if let Some(d) = ent.date.as_deref().and_then(date_literal) {
        e.add(&s, iri(SCHEMA, "datePublished"), d);
    }
}

#[cfg(test)]
mod tests {
    use super::NetworkEdges;

    #[test]
    fn network_edges_read_back_as_written_and_keep_the_first_weight() {
        let mut edges = NetworkEdges::default();
        edges.add("party/中国", "supports", "org/上海合作组织", 1);
        edges.add("party/中国", "co_mention", "party/哈萨克斯坦", 3);
        edges.add("party/中国", "co_mention", "party/哈萨克斯坦", 5);
        let text = edges.to_string();
        let read: Vec<_> = NetworkEdges::parse(&text).collect();
        assert_eq!(read, vec![("party/中国", "co_mention", "party/哈萨克斯坦", 3), ("party/中国", "supports", "org/上海合作组织", 1)]);
    }

    #[test]
    fn malformed_digest_lines_are_skipped() {
        let read: Vec<_> = NetworkEdges::parse("a\tsupports\tb\t1\nbroken line\na\tco_mention\tc\tmany\n").collect();
        assert_eq!(read, vec![("a", "supports", "b", 1)]);
    }
}
