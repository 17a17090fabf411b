//! Network analysis, the treaty-reference chain and the Graphviz views on the sample corpus.

mod common;

use std::process::Command;

use common::{bin, corpus, require_python_module, require_tool};

/// A store with the sample corpus, built once per test binary.
fn store() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new(bin()).args(["ingest", "--quiet", "--store"]).arg(dir.path().join("kg.db")).arg(corpus()).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        dir
    })
    .path()
}

fn run(args: &[&str]) -> (String, String, Option<i32>) {
    let out = Command::new(bin()).args(args).arg("--store").arg(store().join("kg.db")).output().unwrap();
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned(), out.status.code())
}

fn chain_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["chain", "--format", "json"];
    all.extend_from_slice(args);
    let (out, err, code) = run(&all);
    assert_eq!(code, Some(0), "{err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn chain_of_2024_reaches_2019_and_2002_in_time_order() {
    let c = chain_json(&["中华人民共和国和哈萨克斯坦共和国联合声明", "--date", "2024-07-03"]);
    let entries = c["entries"].as_array().unwrap();
    let dates: Vec<&str> = entries.iter().filter_map(|e| e["work"]["date"].as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "time-ordered");
    let pos = |title: &str, date: &str| entries.iter().position(|e| e["work"]["title"] == title && e["work"]["date"] == date);
    let treaty = pos("中华人民共和国和哈萨克斯坦共和国睦邻友好合作条约", "2002-12-23").expect("2002 treaty in the chain");
    let statement = pos("中华人民共和国和哈萨克斯坦共和国联合声明", "2019-09-11").expect("2019 statement in the chain");
    assert!(treaty < statement);
    // The 2019 statement is a corpus document; what only it cites is reached through it.
    assert!(entries[statement]["work"]["doc"].is_string());
    let e2018 = pos("中华人民共和国和哈萨克斯坦共和国联合声明", "2018-06-07").expect("reached through 2019");
    assert_eq!(entries[e2018]["depth"], 2);
    // A document cited by both statements appears once, with both citers.
    assert_eq!(entries[treaty]["links"].as_array().unwrap().len(), 2);
    assert_eq!(entries.iter().filter(|e| e["work"]["date"] == "2002-12-23").count(), 1);
}

#[test]
fn reverse_chain_of_the_2002_treaty_lists_both_statements() {
    let c = chain_json(&["哈萨克斯坦共和国睦邻友好合作条约", "--reverse"]);
    let citers: Vec<&str> = c["entries"].as_array().unwrap().iter().filter_map(|e| e["work"]["date"].as_str()).collect();
    assert!(citers.contains(&"2019-09-11") && citers.contains(&"2024-07-03"), "{citers:?}");
}

#[test]
fn chain_text_and_ambiguity_messages() {
    let (out, _, code) = run(&["chain", "中华人民共和国和哈萨克斯坦共和国联合声明", "--date", "2019-09-11"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("builds on:") && out.contains("2002-12-23"), "{out}");
    let (_, err, code) = run(&["chain", "中华人民共和国和哈萨克斯坦共和国联合声明"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--date"), "{err}");
}

#[test]
fn analyze_ranks_the_parties_first_and_writes_back() {
    // Writing needs a store of its own (the other tests read the shared one).
    let own = tempfile::tempdir().unwrap();
    let db = own.path().join("kg.db");
    let status = Command::new(bin()).args(["ingest", "--quiet", "--store"]).arg(&db).arg(corpus()).output().unwrap().status;
    assert!(status.success());
    let run = |args: &[&str]| {
        let out = Command::new(bin()).args(args).arg("--store").arg(&db).output().unwrap();
        (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned(), out.status.code())
    };
    let (out, err, code) = run(&["analyze", "--json", "--top", "3", "--write"]);
    assert_eq!(code, Some(0), "{err}");
    let m: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(m[0]["label"], "中华人民共和国");
    for field in ["degree", "weighted_degree", "pagerank", "betweenness", "component", "community"] {
        assert!(m[0].get(field).is_some(), "{field}");
    }
    let (out, _, code) = run(&["query", "--format", "csv", "SELECT ?e WHERE { ?e dg:pageRank ?r } ORDER BY DESC(?r) LIMIT 1"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("中华人民共和国"), "measures are queryable: {out}");
    let (out, _, _) = run(&["analyze", "--type", "Organization", "--json", "--top", "5"]);
    let orgs: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(orgs.as_array().unwrap().iter().all(|o| o["type"] == "Organization"));
}

#[test]
fn path_between_entities_with_evidence() {
    let (out, err, code) = run(&["path", "习近平", "金砖国家", "--json"]);
    assert_eq!(code, Some(0), "{err}");
    let hops: serde_json::Value = serde_json::from_str(&out).unwrap();
    let hops = hops.as_array().unwrap();
    assert!(!hops.is_empty());
    assert_eq!(hops.first().unwrap()["from_label"], "习近平");
    assert_eq!(hops.last().unwrap()["to_label"], "金砖国家");
    assert!(hops.iter().all(|h| !h["evidence"].as_array().unwrap().is_empty() && h["evidence"][0]["sentence"].as_str().is_some_and(|s| !s.is_empty())));
    let (_, err, code) = run(&["path", "习近平", "不存在的实体"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no entity"));
}

#[test]
fn every_view_renders_with_dot_without_warnings() {
    let dir = tempfile::tempdir().unwrap();
    for (view, extra) in [
        ("network", vec![]),
        ("ego", vec!["--entity", "哈萨克斯坦共和国", "--radius", "2", "--typed"]),
        ("chain", vec!["--entity", "cn-kz-2024-07-03-joint-statement"]),
        ("citations", vec![]),
    ] {
        let mut args = vec!["dot", "--view", view];
        args.extend(extra);
        let (dot, err, code) = run(&args);
        assert_eq!(code, Some(0), "{view}: {err}");
        assert!(dot.starts_with("digraph"), "{view}");
        let path = dir.path().join(format!("{view}.dot"));
        std::fs::write(&path, &dot).unwrap();
        match Command::new("dot").arg("-Tsvg").arg(&path).output() {
            Ok(out) => {
                assert!(out.status.success(), "{view}: {}", String::from_utf8_lossy(&out.stderr));
                assert!(out.stderr.is_empty(), "{view} warns: {}", String::from_utf8_lossy(&out.stderr));
                assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
            }
            Err(_) => assert!(std::env::var_os("CI").is_none(), "Graphviz must be installed in CI"),
        }
    }
}

/// Two statements that cite each other: the older one citing the newer is
/// flagged as citing a later document, and the loop is flagged, not followed.
#[test]
fn later_citations_and_cycles_are_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let a = "中华人民共和国和蒙古国联合声明\n应中华人民共和国主席习近平邀请，蒙古国总统对中国进行国事访问。\n双方重申恪守2021年5月1日签署的《中华人民共和国和蒙古国联合声明》。\n本声明于2020年3月1日在北京签署。\n";
    let b = "中华人民共和国和蒙古国联合声明\n应蒙古国总统邀请，中华人民共和国主席习近平对蒙古国进行国事访问。\n双方重申恪守2020年3月1日签署的《中华人民共和国和蒙古国联合声明》。\n本声明于2021年5月1日在乌兰巴托签署。\n";
    std::fs::write(dir.path().join("a.txt"), a).unwrap();
    std::fs::write(dir.path().join("b.txt"), b).unwrap();
    let db = dir.path().join("kg.db");
    let out = Command::new(bin()).args(["ingest", "--quiet", "--store"]).arg(&db).arg(dir.path().join("a.txt")).arg(dir.path().join("b.txt")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let chain = |date: &str| -> serde_json::Value {
        let out = Command::new(bin()).args(["chain", "--format", "json", "联合声明", "--date", date, "--store"]).arg(&db).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let from_2020 = chain("2020-03-01");
    let link = &from_2020["entries"][0]["links"][0];
    assert_eq!(from_2020["entries"][0]["work"]["date"], "2021-05-01");
    assert_eq!(link["cites_later_document"], true);
    assert_eq!(from_2020["entries"].as_array().unwrap().len(), 1, "a later document is not followed");

    let from_2021 = chain("2021-05-01");
    let entries = from_2021["entries"].as_array().unwrap();
    let back = entries.iter().find(|e| e["work"]["date"] == "2021-05-01").expect("the loop back to the start is shown");
    assert!(back["links"].as_array().unwrap().iter().any(|l| l["closes_cycle"] == true || l["cites_later_document"] == true));
}

fn analyze_json(extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["analyze", "--json", "--top", "100000"];
    args.extend_from_slice(extra);
    let (out, err, code) = run(&args);
    assert_eq!(code, Some(0), "{err}");
    serde_json::from_str(&out).unwrap()
}

/// The corpus documents, their signing dates and how many works each cites.
fn documents() -> Vec<(String, Option<String>, usize)> {
    let (out, err, code) = run(&["query", "--format", "tsv", "SELECT ?d ?date (COUNT(DISTINCT ?w) AS ?n) WHERE { GRAPH ?d { ?d a dg:Document OPTIONAL { ?d eli:date_document ?date } OPTIONAL { ?d cito:cites ?w } } } GROUP BY ?d ?date"]);
    assert_eq!(code, Some(0), "{err}");
    out.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let unquote = |s: &str| s.split("^^").next().unwrap().trim_matches(|c| c == '"' || c == '<' || c == '>').to_owned();
            let id = unquote(f[0]).rsplit('/').next().unwrap().to_owned();
            (id, Some(unquote(f[1])).filter(|d| !d.is_empty()), unquote(f[2]).parse().unwrap())
        })
        .collect()
}

/// The width and height, in pixels at 96 dpi, of an SVG that `dot` drew.
fn rendered_size(dot: &str) -> (f64, f64) {
    let mut child = Command::new("dot").arg("-Tsvg").stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), dot.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success() && out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let svg = String::from_utf8(out.stdout).unwrap();
    let tag = &svg[svg.find("<svg ").expect("an svg element")..];
    let tag = &tag[..tag.find('>').unwrap()];
    let attribute = |name: &str| -> f64 {
        let value = &tag[tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3..];
        value[..value.find("pt\"").unwrap()].parse().unwrap()
    };
    // Graphviz sizes SVG in points; a PNG at its default 96 dpi has 4/3 as many pixels.
    (attribute("width") * 4.0 / 3.0, attribute("height") * 4.0 / 3.0)
}

/// Each view, as the README draws it and with its default caps, stays
/// within 4,000 pixels on its longer side on the corpus: the busiest entity's
/// ego view, the chain of the document citing most, the citations of all
/// documents and of the most frequent partner, the top of the network.
#[test]
fn every_view_stays_within_4000_pixels() {
    if !require_tool("dot") {
        return;
    }
    let measures = analyze_json(&[]);
    let hub = measures.iter().max_by_key(|m| m["degree"].as_u64().unwrap()).unwrap()["id"].as_str().unwrap().to_owned();
    let partner = measures.iter().filter(|m| m["type"] == "Party").nth(1).unwrap()["id"].as_str().unwrap().to_owned();
    let citing_most = documents().into_iter().max_by_key(|d| d.2).unwrap().0;
    let views: Vec<Vec<&str>> = vec![
        vec!["--view", "network"],
        vec!["--view", "network", "--top", "40", "--typed"],
        vec!["--view", "ego", "--entity", &hub],
        vec!["--view", "ego", "--entity", &hub, "--radius", "2"],
        vec!["--view", "chain", "--entity", &citing_most],
        vec!["--view", "citations"],
        vec!["--view", "citations", "--partner", &partner],
    ];
    for view in views {
        let mut args = vec!["dot"];
        args.extend(&view);
        let (dot, err, code) = run(&args);
        assert_eq!(code, Some(0), "{view:?}: {err}");
        let (w, h) = rendered_size(&dot);
        assert!(w.max(h) <= 4000.0, "{view:?} renders {w:.0} × {h:.0} px");
    }
}

/// The ego view holds the entity and at most --neighbours others, its most
/// strongly linked ones.
#[test]
fn the_ego_view_keeps_the_strongest_neighbours() {
    let measures = analyze_json(&[]);
    let hub = measures.iter().max_by_key(|m| m["degree"].as_u64().unwrap()).unwrap();
    assert!(hub["degree"].as_u64().unwrap() > 5, "the corpus has a hub");
    let (dot, _, code) = run(&["dot", "--view", "ego", "--entity", hub["id"].as_str().unwrap(), "--neighbours", "5"]);
    assert_eq!(code, Some(0));
    let nodes = dot.lines().filter(|l| l.contains("shape=") && !l.contains("graph [")).count();
    assert_eq!(nodes, 6, "{dot}");
}

/// Louvain communities: modularity is reported, and no community holds more
/// than a third of the entities (the corpus's network is not one clump).
#[test]
fn communities_split_the_network_and_report_modularity() {
    let (out, err, code) = run(&["analyze", "--top", "1"]);
    assert_eq!(code, Some(0), "{err}");
    let line = out.lines().find(|l| l.contains("modularity")).expect("modularity reported");
    let modularity: f64 = line.split("modularity ").nth(1).unwrap().split(';').next().unwrap().parse().unwrap();
    assert!(modularity > 0.3, "{line}");
    let measures = analyze_json(&[]);
    let mut sizes = std::collections::HashMap::new();
    for m in &measures {
        *sizes.entry(m["community"].as_u64().unwrap()).or_insert(0usize) += 1;
    }
    let largest = sizes.values().max().copied().unwrap();
    assert!(largest * 3 <= measures.len(), "a community of {largest} out of {} entities", measures.len());
    assert!(line.contains(&format!("largest holds {largest} entities")), "{line}");
}

/// --types keeps entities of those types; --typed drops co-mentions (and the
/// entities left without links); --since/--until keep the links of those years.
#[test]
fn network_filters_narrow_what_is_read() {
    let all = analyze_json(&[]);
    let parties = analyze_json(&["--types", "Party,Organization"]);
    assert!(!parties.is_empty() && parties.len() < all.len());
    assert!(parties.iter().all(|m| m["type"] == "Party" || m["type"] == "Organization"));

    let typed = analyze_json(&["--typed"]);
    assert!(!typed.is_empty() && typed.len() < all.len(), "some entities are only co-mentioned");
    let (dot, _, _) = run(&["dot", "--view", "network", "--typed"]);
    assert!(dot.contains(" -> ") && !dot.contains("style=dashed"), "no co-mention edges: {dot}");
    let (dot, _, _) = run(&["dot", "--view", "network"]);
    assert!(dot.lines().filter(|l| l.contains(" -> ")).all(|l| l.contains("label=")), "every edge is labelled");

    // The latest year's documents alone state fewer links than all of them.
    let docs = documents();
    let latest: i32 = docs.iter().filter_map(|d| d.1.as_deref()?.get(..4)?.parse().ok()).max().unwrap();
    let recent = analyze_json(&["--since", &latest.to_string()]);
    assert!(!recent.is_empty() && recent.len() < all.len());
    let degree = |ms: &[serde_json::Value]| ms.iter().map(|m| m["degree"].as_u64().unwrap()).sum::<u64>();
    assert!(degree(&recent) < degree(&all));
    assert!(analyze_json(&["--until", &(latest - 1000).to_string()]).is_empty(), "nothing is that old");
    let (_, err, code) = run(&["analyze", "--since", "2024", "--until", "2019"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--since"), "{err}");
    let (_, err, code) = run(&["analyze", "--types", "Galaxy"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("Galaxy"), "{err}");

    // A typed path's every hop has typed evidence.
    let (out, err, code) = run(&["path", "习近平", "上海合作组织", "--typed", "--json"]);
    assert_eq!(code, Some(0), "{err}");
    let hops: serde_json::Value = serde_json::from_str(&out).unwrap();
    for hop in hops.as_array().unwrap() {
        let evidence = hop["evidence"].as_array().unwrap();
        assert!(!evidence.is_empty() && evidence.iter().all(|e| e["predicate"] != "co_mention"), "{hop}");
    }
}

/// networkx reads both network exports, with every entity, link and
/// attribute that analyze reports.
#[test]
fn networkx_reads_the_graphml_and_gexf_exports() {
    if !require_python_module("networkx") {
        return;
    }
    let measures = analyze_json(&[]);
    let links: u64 = measures.iter().map(|m| m["degree"].as_u64().unwrap()).sum::<u64>() / 2;
    let china = measures.iter().find(|m| m["label"] == "中华人民共和国").expect("China is in the corpus");
    let dir = tempfile::tempdir().unwrap();
    for (format, reader) in [("graphml", "read_graphml"), ("gexf", "read_gexf")] {
        let file = dir.path().join(format!("network.{format}"));
        let (_, err, code) = run(&["export", "--format", format, "-o", file.to_str().unwrap()]);
        assert_eq!(code, Some(0), "{err}");
        let script = format!(
            "import json, sys, networkx as nx\n\
             g = nx.{reader}(sys.argv[1])\n\
             c = g.nodes[sys.argv[2]]\n\
             years = [d['first_year'] <= d['last_year'] for _, _, d in g.edges(data=True) if 'first_year' in d]\n\
             print(json.dumps({{'nodes': g.number_of_nodes(), 'edges': g.number_of_edges(), 'china': {{k: c.get(k) for k in ['label', 'english', 'type', 'wikidata', 'degree', 'pagerank', 'community']}}, \
             'predicates': sorted({{d['predicate'] for _, _, d in g.edges(data=True)}}), 'years_ordered': all(years), 'dated': len(years), 'weights': min(d['weight'] for _, _, d in g.edges(data=True))}}))"
        );
        let out = Command::new("python3").args(["-c", &script]).arg(&file).arg(china["id"].as_str().unwrap()).output().unwrap();
        assert!(out.status.success(), "{format}: {}", String::from_utf8_lossy(&out.stderr));
        let read: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(read["nodes"], measures.len(), "{format}");
        assert_eq!(read["edges"], links, "{format}");
        let c = &read["china"];
        assert_eq!(c["label"], "中华人民共和国", "{format}");
        assert_eq!(c["english"], "China", "{format}");
        assert_eq!(c["type"], "Party", "{format}");
        assert_eq!(c["wikidata"], "Q148", "{format}");
        assert_eq!(c["degree"], china["degree"], "{format}");
        assert_eq!(c["community"], china["community"], "{format}");
        assert!((c["pagerank"].as_f64().unwrap() - china["pagerank"].as_f64().unwrap()).abs() < 1e-12, "{format}");
        let predicates: Vec<&str> = read["predicates"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
        assert!(predicates.contains(&"co_mention") && predicates.contains(&"supports"), "{format}: {predicates:?}");
        assert_eq!(read["years_ordered"], true);
        assert!(read["dated"].as_u64().unwrap() > 0, "links carry their years");
        assert!(read["weights"].as_f64().unwrap() >= 1.0);
    }
}

/// A name that fits several works lists them (it once picked one of two
/// treaties silently); a name that fits none gets the closest names.
#[test]
fn ambiguous_names_list_candidates_and_unknown_ones_get_suggestions() {
    let dir = tempfile::tempdir().unwrap();
    let treaty = "中华人民共和国和俄罗斯联邦睦邻友好合作条约\n中华人民共和国和俄罗斯联邦（以下简称“缔约双方”），根据两国人民的历史传统，决定发展睦邻友好合作关系。\n第一条　缔约双方根据公认的国际法原则发展长期稳定的战略协作伙伴关系。\n本条约于二〇〇一年七月十六日在莫斯科签订，一式两份，每份均用中文和俄文写成。\n";
    let file = dir.path().join("treaty.txt");
    std::fs::write(&file, treaty).unwrap();
    let db = dir.path().join("kg.db");
    let out = Command::new(bin()).args(["ingest", "--quiet", "--store"]).arg(&db).arg(corpus()).arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let run = |args: &[&str]| {
        let out = Command::new(bin()).args(args).arg("--store").arg(&db).output().unwrap();
        (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned(), out.status.code())
    };
    let (_, err, code) = run(&["chain", "睦邻友好合作条约", "--reverse"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("cn-ru-2001-07-16-treaty-") && err.contains("2002-12-23") && err.contains("--date"), "both treaties are listed: {err}");
    let (out, err, code) = run(&["chain", "睦邻友好合作条约", "--reverse", "--date", "2002-12-23"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("2019-09-11") && out.contains("2024-07-03"), "{out}");

    let (_, err, code) = run(&["path", "SCO", "习近平"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("did you mean") && err.contains("上海合作组织 (Shanghai Cooperation Organisation)"), "{err}");
    let (_, err, _) = run(&["path", "习近平", "哈萨克"]);
    assert!(err.contains("did you mean one of: 哈萨克斯坦共和国 (Kazakhstan)"), "{err}");
    let (_, err, _) = run(&["dot", "--view", "ego", "--entity", "阿塞拜"]);
    assert!(err.contains("did you mean") && err.contains("阿塞拜疆共和国"), "{err}");
    let (_, err, code) = run(&["chain", "哈萨克斯坦联合声明"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("did you mean") && err.contains("中华人民共和国和哈萨克斯坦共和国联合声明"), "{err}");
    // The beginning of an id names the document it begins.
    let (out, err, code) = run(&["chain", "cn-kz-2019-09-11"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("2002-12-23"), "{out}");
}

/// A path's hop shows a co-mention by what names both of its ends: the
/// sentence naming both, or, for two entities named only in different
/// sentences of one paragraph, those two sentences.
#[test]
fn co_mention_evidence_names_both_ends() {
    let dir = tempfile::tempdir().unwrap();
    let text = "中华人民共和国和蒙古国联合声明\n双方欢迎亚洲基础设施投资银行的工作。蒙方支持上海合作组织。\n双方同意加强合作，蒙方感谢上海合作组织秘书处和亚洲基础设施投资银行。\n本声明于2020年3月1日在北京签署。\n";
    std::fs::write(dir.path().join("a.txt"), text).unwrap();
    let db = dir.path().join("kg.db");
    let out = Command::new(bin()).args(["ingest", "--quiet", "--store"]).arg(&db).arg(dir.path().join("a.txt")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let path = |a: &str, b: &str| -> serde_json::Value {
        let out = Command::new(bin()).args(["path", a, b, "--json", "--store"]).arg(&db).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    // Named in one sentence of the second paragraph: that sentence is the evidence.
    let hops = path("上海合作组织秘书处", "亚洲基础设施投资银行");
    let evidence = hops[0]["evidence"].as_array().unwrap();
    assert!(!evidence.is_empty(), "{hops}");
    for e in evidence {
        let s = e["sentence"].as_str().unwrap();
        assert!(s.contains("上海合作组织秘书处") && s.contains("亚洲基础设施投资银行"), "{s}");
    }
    // Named only in different sentences of the first paragraph: both sentences.
    let hops = path("上海合作组织", "亚洲基础设施投资银行");
    let evidence = hops[0]["evidence"].as_array().unwrap();
    assert!(evidence.iter().any(|e| e["sentence"] == "双方欢迎亚洲基础设施投资银行的工作。 … 蒙方支持上海合作组织。"), "{hops}");
    for e in evidence {
        let s = e["sentence"].as_str().unwrap();
        assert!(s.contains("上海合作组织") && s.contains("亚洲基础设施投资银行"), "{s}");
    }
}
