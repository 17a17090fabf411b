//! IRIs of the ontology (`ontology/diplograph.ttl`) and of the vocabularies it reuses.

use oxigraph::model::NamedNode;

/// The diplograph ontology namespace.
pub const DG: &str = "https://w3id.org/diplograph/ontology#";
/// Where documents, entities and the entity graph live.
pub const ID: &str = "https://w3id.org/diplograph/id/";

pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const SCHEMA: &str = "https://schema.org/";
pub const ELI: &str = "http://data.europa.eu/eli/ontology#";
pub const CITO: &str = "http://purl.org/spar/cito/";
pub const ORG: &str = "http://www.w3.org/ns/org#";
pub const PROV: &str = "http://www.w3.org/ns/prov#";
pub const NIF: &str = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#";
pub const ITSRDF: &str = "http://www.w3.org/2005/11/its/rdf#";
pub const DCTERMS: &str = "http://purl.org/dc/terms/";
pub const WD: &str = "http://www.wikidata.org/entity/";

/// Prefixes predeclared for SPARQL queries and used in Turtle exports.
pub const PREFIXES: &[(&str, &str)] = &[
    ("dg", DG),
    ("dgid", ID),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("xsd", XSD),
    ("owl", OWL),
    ("skos", SKOS),
    ("schema", SCHEMA),
    ("eli", ELI),
    ("cito", CITO),
    ("org", ORG),
    ("prov", PROV),
    ("nif", NIF),
    ("itsrdf", ITSRDF),
    ("dcterms", DCTERMS),
    ("wd", WD),
];

/// `PREFIX` lines for the top of a query.
pub fn sparql_prologue() -> String {
    PREFIXES.iter().map(|(p, iri)| format!("PREFIX {p}: <{iri}>\n")).collect()
}

pub fn iri(ns: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ns}{local}"))
}

pub fn dg(local: &str) -> NamedNode {
    iri(DG, local)
}

/// The graph holding entity descriptions shared by all documents.
pub fn entities_graph() -> NamedNode {
    iri(ID, "graph/entities")
}

/// The graph holding the relationship levels and acts (SKOS, from
/// `ontology/relationship-levels.ttl`), which declarations point at.
pub fn levels_graph() -> NamedNode {
    iri(ID, "graph/levels")
}

/// The concept of a relationship act (establish, upgrade…) in that scheme.
pub fn relationship_act(act: &str) -> NamedNode {
    iri(ID, &format!("act/{act}"))
}

/// A document's IRI, which is also the name of its graph.
pub fn document(doc: &str) -> NamedNode {
    iri(ID, &format!("doc/{doc}"))
}

/// The document id of a document IRI or graph name (inverse of [`document`]).
pub fn document_id(iri: &str) -> Option<&str> {
    iri.strip_prefix(ID)?.strip_prefix("doc/")
}

/// An entity's IRI from its id (`party/中华人民共和国`).
pub fn entity(id: &str) -> NamedNode {
    iri(ID, id)
}

/// The id of an entity IRI (inverse of [`entity`]).
pub fn entity_id(iri: &str) -> Option<&str> {
    iri.strip_prefix(ID)
}

/// The ontology class of an entity type.
pub fn class_of(t: crate::model::EntityType) -> NamedNode {
    dg(t.as_str())
}

/// The property for a relation predicate: `supports` → dg:supports,
/// `member_of` → org:memberOf, `other:part_of` → org:subOrganizationOf,
/// `other:first_president_of` → dg:firstPresidentOf.
pub fn relation_property(predicate: &str) -> NamedNode {
    match predicate {
        "member_of" => iri(ORG, "memberOf"),
        "other:part_of" => iri(ORG, "subOrganizationOf"),
        "located_in" => dg("locatedIn"),
        p => dg(&camel(p.strip_prefix("other:").unwrap_or(p))),
    }
}

/// The relation predicate of a property IRI (inverse of [`relation_property`]).
pub fn relation_predicate(property: &str) -> String {
    if property == format!("{ORG}memberOf") {
        return "member_of".into();
    }
    if property == format!("{ORG}subOrganizationOf") {
        return "other:part_of".into();
    }
    let local = property.strip_prefix(DG).unwrap_or(property);
    let mut out = String::new();
    for c in local.chars() {
        if c.is_uppercase() {
            out.push('_');
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' || c == '-' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_ids_round_trip() {
        assert_eq!(document_id(document("cn-kz-2019-09-11-joint-statement-4f0c29d1").as_str()), Some("cn-kz-2019-09-11-joint-statement-4f0c29d1"));
        assert_eq!(document_id(entities_graph().as_str()), None);
    }

    #[test]
    fn predicates_map_to_properties_and_back() {
        for p in ["supports", "wants_to_join", "member_of", "other:part_of", "held_on", "co_mention"] {
            let iri = relation_property(p);
            let back = relation_predicate(iri.as_str());
            assert_eq!(back.trim_start_matches("other:"), p.trim_start_matches("other:"), "{p}");
        }
        assert_eq!(relation_property("wants_to_join").as_str(), "https://w3id.org/diplograph/ontology#wantsToJoin");
    }
}
