//! The sample corpus against the hand-annotated gold standard.

mod common;

use std::collections::HashMap;

use common::{corpus, gold, gold_path, pipeline};
use diplograph::eval::{evaluate, load_gold};
use diplograph::extract::{resolve_citations, Extraction};
use diplograph::source::collect_inputs;

fn extract_corpus() -> (Vec<Extraction>, HashMap<String, String>) {
    let (inputs, errors) = collect_inputs(&[corpus()]);
    assert!(errors.is_empty(), "{errors:?}");
    let mut xs = Vec::new();
    let mut sources = HashMap::new();
    for input in &inputs {
        let file = pipeline().read(input).unwrap();
        xs.extend(file.documents.iter().map(|d| pipeline().extract(d)));
        sources.insert(file.source.name.clone(), file.source.text.clone());
    }
    resolve_citations(&mut xs);
    (xs, sources)
}

fn file_name(p: &str) -> &str {
    p.rsplit('/').next().unwrap()
}

/// `documents` finds exactly the three gold documents, with their spans in
/// reading order, parties, signing dates and places.
#[test]
fn documents_match_the_gold_metadata() {
    let gold = gold();
    let (inputs, _) = collect_inputs(&[corpus()]);
    let found: Vec<_> = inputs.iter().flat_map(|i| pipeline().read(i).unwrap().documents).map(|d| d.meta).collect();
    let golds = gold["documents"].as_array().unwrap();
    assert_eq!(found.len(), golds.len(), "{:#?}", found);
    for g in golds {
        let spans: Vec<[u32; 2]> = serde_json::from_value(g["char_spans"].clone()).unwrap();
        let m = found
            .iter()
            .find(|m| file_name(&m.source) == g["file"].as_str().unwrap() && m.spans == spans)
            .unwrap_or_else(|| panic!("no document with spans {spans:?} in {}: {found:#?}", g["file"]));
        let parties: Vec<&str> = m.parties.iter().map(|p| p.en.as_deref().unwrap()).collect();
        let gold_parties: Vec<&str> = g["parties"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
        assert_eq!(parties, gold_parties, "{}", g["id"]);
        assert_eq!(m.signed_date.as_deref(), g["signed_date"].as_str(), "{}", g["id"]);
        assert_eq!(m.signed_place.as_deref(), g["signed_place"].as_str(), "{}", g["id"]);
        assert_eq!(m.title, g["title"].as_str().unwrap(), "{}", g["id"]);
        assert_eq!(m.title_in_text, g["title_in_text"].as_bool().unwrap(), "{}", g["id"]);
    }
}

/// The rotated China–Kazakhstan statement reads in order: its text runs
/// from 应哈萨克斯坦共和国总统 to the signature, and the cut word is whole again.
#[test]
fn the_rotated_document_is_repaired() {
    let (inputs, _) = collect_inputs(&[corpus().join("000_b5c8c0237f700ace.txt")]);
    let file = pipeline().read(&inputs[0]).unwrap();
    let kz = file.documents.iter().find(|d| d.meta.signed_date.as_deref() == Some("2024-07-03")).unwrap();
    let text = kz.text.as_str();
    assert!(text.starts_with("应哈萨克斯坦共和国总统卡瑟姆若马尔特·托卡耶夫邀请"), "{}", &text[..60]);
    assert!(text.contains("支持两国邮政快递企业开展跨境寄递业务合作，促进跨境电子商务发展。"));
    assert!(text.find("本声明于二〇二四年七月三日").unwrap() > text.find("跨境寄递业务合作").unwrap());
}

/// The thresholds the extractor is held to on the sample corpus.
#[test]
fn extraction_meets_the_gold_thresholds() {
    let gold = load_gold(&gold_path()).unwrap();
    let (xs, sources) = extract_corpus();
    let report = evaluate(&gold, &xs, &sources);
    let f1 = |t: &str| report.entities[t].f1;
    for (t, min) in [("Party", 0.95), ("Organization", 0.95), ("Treaty", 0.95), ("Project", 0.90), ("Event", 0.90), ("Place", 0.90), ("Person", 0.90)] {
        assert!(f1(t) >= min, "{t}: F1 {:.3} < {min}\nmissed: {:#?}\nspurious: {:#?}", f1(t), report.missed, report.spurious);
    }
    assert_eq!(report.citations.f1, 1.0, "citations: {:#?}", report.missed);
    assert!(report.dates.f1 >= 0.97, "dates F1 {:.3}: {:#?}", report.dates.f1, report.missed);
    assert_eq!(report.date_values_correct, report.dates.tp, "every found date is normalized correctly");
    assert_eq!(report.resolutions, (1, 1), "the 2024 citation of the 2019 statement resolves to it");
    for (field, (ok, n)) in &report.metadata {
        assert_eq!(ok, n, "metadata field {field}");
    }
}

/// Every mention's offsets point at its text in the source file.
#[test]
fn mention_offsets_index_the_source_file() {
    let (xs, sources) = extract_corpus();
    for x in &xs {
        let chars: Vec<char> = sources[&x.meta.source].chars().collect();
        for m in &x.mentions {
            let quoted: String = chars[m.start as usize..m.end as usize].iter().collect();
            assert_eq!(quoted, m.text, "{} at {}..{}", x.meta.doc, m.start, m.end);
        }
        for c in &x.citations {
            let quoted: String = chars[c.start as usize..c.end as usize].iter().collect();
            assert_eq!(quoted, c.title);
        }
    }
}

/// Two spellings of Tokayev are one person; 中方 and 中华人民共和国 are one party.
#[test]
fn surface_forms_resolve_to_one_entity() {
    let (xs, _) = extract_corpus();
    let ids_of = |text: &str| -> std::collections::BTreeSet<String> {
        xs.iter().flat_map(|x| &x.mentions).filter(|m| m.text == text).filter_map(|m| m.id.clone()).collect()
    };
    let a = ids_of("卡瑟姆若马尔特·托卡耶夫");
    let b = ids_of("卡西姆若马尔特·克梅列维奇·托卡耶夫");
    assert_eq!(a.len(), 1);
    assert_eq!(a, b);
    assert_eq!(ids_of("中方"), ids_of("中华人民共和国"));
    assert_eq!(ids_of("哈方"), ids_of("哈萨克斯坦共和国"));
}

/// Statements that share a title but not a date are different treaties.
#[test]
fn same_title_different_dates_are_different_entities() {
    let (xs, _) = extract_corpus();
    let ids: std::collections::BTreeSet<&str> = xs
        .iter()
        .flat_map(|x| &x.citations)
        .filter(|c| c.title == "中华人民共和国和哈萨克斯坦共和国联合声明")
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ids.len(), 4, "2017, 2018, 2019 and 2023 statements: {ids:?}");
}
