//! A partner's history (`diplograph timeline`, the partnership-history and
//! visits ready queries) on the bundled corpus, checked against what the
//! statements say: Kazakhstan's comprehensive strategic partnership of 2011,
//! the permanent one of 2019, its reaffirmation in 2024, and the two state
//! visits.

mod common;

use std::process::Command;

use common::{bin, ingested_store, ready_rows};
use diplograph::analysis::timeline::{timeline, What};
use diplograph::graph::GraphStore;

#[test]
fn kazakhstan_levels_and_visits_oldest_first() {
    let (_dir, path) = ingested_store();
    let store = GraphStore::open_read_only(&path).unwrap();
    let t = timeline(&store, "哈萨克斯坦").unwrap();
    assert_eq!(t.partner, "party/哈萨克斯坦共和国");
    assert_eq!(t.english.as_deref(), Some("Kazakhstan"));
    let levels: Vec<(&str, &str, &str, bool)> = t
        .entries
        .iter()
        .filter_map(|e| match &e.what {
            What::Level { level, act, recalled, .. } => Some((e.date.as_deref().unwrap_or(""), level.as_str(), act.as_str(), *recalled)),
            _ => None,
        })
        .collect();
    // 2011: the comprehensive strategic partnership (recalled by both statements).
    assert!(levels.contains(&("2011-06-13", "全面战略伙伴关系", "develop", true)), "{levels:#?}");
    // 2019: the permanent comprehensive strategic partnership, the 2019 statement's own.
    assert!(levels.iter().any(|l| l.0 == "2019-09-11" && l.1 == "永久全面战略伙伴关系" && !l.3), "{levels:#?}");
    // 2024: reaffirmed.
    assert!(levels.contains(&("2024-07-03", "永久全面战略伙伴关系", "reaffirm", false)), "{levels:#?}");
    let visits: Vec<(&str, &str, Option<&str>, Option<&str>)> = t
        .entries
        .iter()
        .filter_map(|e| match &e.what {
            What::Visit { visit_kind, visitor, host, .. } => Some((e.date.as_deref().unwrap_or(""), visit_kind.as_str(), visitor.as_deref(), host.as_deref())),
            _ => None,
        })
        .collect();
    assert!(visits.contains(&("2019-09-10", "state visit", Some("卡瑟姆若马尔特·托卡耶夫"), Some("习近平"))), "{visits:#?}");
    assert!(visits.contains(&("2024-07-02", "state visit", Some("习近平"), Some("卡瑟姆若马尔特·托卡耶夫"))), "{visits:#?}");
    // Oldest first, undated last.
    let dates: Vec<Option<&str>> = t.entries.iter().map(|e| e.date.as_deref()).collect();
    let first_undated = dates.iter().position(Option::is_none).unwrap_or(dates.len());
    assert!(dates[first_undated..].iter().all(Option::is_none));
    assert!(dates[..first_undated].windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    // The earlier agreements the statements cite, with their dates.
    assert!(t.entries.iter().any(|e| e.date.as_deref() == Some("2002-12-23") && matches!(&e.what, What::Cited { title, .. } if title.contains("睦邻友好合作条约"))));

    // The same partner by English name (any case) and by id; China is refused.
    assert_eq!(timeline(&store, "kazakhstan").unwrap().entries.len(), t.entries.len());
    assert_eq!(timeline(&store, "party/哈萨克斯坦共和国").unwrap().partner, t.partner);
    let err = timeline(&store, "中方").unwrap_err().to_string();
    assert!(err.contains("China"), "{err}");
    let err = timeline(&store, "法兰西共和国").unwrap_err().to_string();
    assert!(err.contains("哈萨克斯坦共和国"), "lists the partners: {err}");

    // The ready queries give the same facts.
    let history = ready_rows(&store, "partnership-history");
    assert!(history.iter().any(|r| r[1] == "哈萨克斯坦共和国" && r[2] == "2019-09-11" && r[3] == "永久全面战略伙伴关系"), "{history:#?}");
    assert!(history.iter().all(|r| r[0] != "party/中华人民共和国"), "the partner is never China");
    // `stats` counts the same declarations (one partner each beside China).
    let out = Command::new(bin()).args(["stats", "--store"]).arg(&path).output().unwrap();
    let stats = String::from_utf8(out.stdout).unwrap();
    let levels_line = stats.lines().find(|l| l.starts_with("levels")).expect("stats counts levels");
    assert_eq!(levels_line.split_whitespace().nth(1), Some(history.len().to_string().as_str()), "{stats}");
    assert!(stats.lines().any(|l| l.starts_with("visits")), "{stats}");
    let visits = ready_rows(&store, "visits");
    assert!(visits.iter().any(|r| r[0] == "哈萨克斯坦共和国" && r[1] == "2024" && r[2] == "state visit" && r[3] == "习近平"), "{visits:#?}");
}

/// `--format json` is the documented shape; `--format csv` parses as CSV with a header.
#[test]
fn timeline_formats() {
    let (_dir, store) = ingested_store();
    let out = Command::new(bin()).args(["timeline", "Tajikistan", "--format", "json", "--store"]).arg(&store).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["partner"], "party/塔吉克斯坦共和国");
    let entries = json["entries"].as_array().unwrap();
    let level = entries.iter().find(|e| e["kind"] == "level" && e["recalled"] == false).expect("a level");
    for key in ["date", "doc", "level", "level_en", "rank", "act", "phrase"] {
        assert!(!level[key].is_null(), "level entry has {key}: {level}");
    }
    let visit = entries.iter().find(|e| e["kind"] == "visit").expect("a visit");
    assert_eq!(visit["visit_kind"], "state visit");
    assert_eq!(visit["until"], "2026-05-14");
    let docs = entries.iter().filter(|e| e["kind"] == "document").count();
    assert_eq!(docs, 3, "the treaty and the joint statement of 2026, and the SCO communiqué of 2020 Tajikistan signs");

    let out = Command::new(bin()).args(["timeline", "塔吉克斯坦共和国", "--format", "csv", "--store"]).arg(&store).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("date,kind,doc,what"));
    assert_eq!(lines.count(), entries.len());

    let out = Command::new(bin()).args(["timeline", "no such state", "--store"]).arg(&store).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no party is named"));
}
