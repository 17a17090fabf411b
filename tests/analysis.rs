//! Network analysis, the treaty-reference chain and the Graphviz views on the sample corpus.

mod common;

use std::process::Command;

use common::{bin, corpus};

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
    let c = chain_json(&["睦邻友好合作条约", "--reverse"]);
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
        ("ego", vec!["--entity", "哈萨克斯坦共和国", "--radius", "1"]),
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
