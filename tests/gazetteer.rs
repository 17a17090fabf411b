//! The built-in gazetteer as data: every category complete by count, every entry
//! labelled, no alias that is a fragment of prose, no name claimed by two entries
//! of different types unless the ambiguity is intended. These fail when a data
//! file breaks, loses a category or gains a greedy alias.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use diplograph::knowledge::gazetteer::{Gazetteer, GazetteerEntry, DEFAULT_GAZETTEER};
use diplograph::model::EntityType;

fn builtin() -> Gazetteer {
    Gazetteer::load(&[] as &[&str]).expect("the built-in gazetteer loads")
}

fn of_type(g: &Gazetteer, t: EntityType) -> Vec<&GazetteerEntry> {
    g.entries().iter().filter(|e| e.entity_type == t).collect()
}

fn kind(e: &GazetteerEntry) -> &str {
    e.kind.as_deref().unwrap_or("")
}

/// Names that two entries of different types may share on purpose.
const ALLOWED_ACROSS_TYPES: &[&str] = &[];

#[test]
fn every_file_is_registered_and_parses() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ontology/gazetteer");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| format!("ontology/gazetteer/{}", e.file_name().to_string_lossy()))
        .filter(|n| n.ends_with(".toml"))
        .collect();
    let registered: BTreeSet<String> = DEFAULT_GAZETTEER.iter().map(|(n, _)| (*n).to_owned()).collect();
    assert_eq!(on_disk, registered, "every file in ontology/gazetteer/ is in DEFAULT_GAZETTEER");
    for (name, text) in DEFAULT_GAZETTEER {
        Gazetteer::from_sources(&[((*name).to_owned(), (*text).to_owned())]).unwrap_or_else(|e| panic!("{name}: {e}"));
        let first = text.lines().next().unwrap_or("");
        assert!(first.starts_with('#'), "{name} begins with a comment saying what it covers");
    }
}

#[test]
fn states_are_complete() {
    let g = builtin();
    let states: Vec<_> = of_type(&g, EntityType::Party).into_iter().filter(|e| kind(e) == "state").collect();
    // 193 UN members, Palestine, the Holy See, the Cook Islands and Niue.
    assert!(states.len() >= 197, "{} states", states.len());
    let mut codes = BTreeSet::new();
    for s in &states {
        let code = s.code.as_deref().unwrap_or_else(|| panic!("{} has no ISO code", s.canonical));
        assert!(code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase()), "{}: code {code}", s.canonical);
        assert!(codes.insert(code.to_owned()), "ISO code {code} used twice");
        for a in &s.abbrev {
            assert_eq!(a.chars().count(), 1, "{}: abbreviation {a} is one character", s.canonical);
        }
    }
    for name in ["中国", "俄罗斯", "巴勒斯坦", "梵蒂冈", "孟加拉国", "孟加拉", "南苏丹", "东帝汶", "北马其顿", "库克群岛"] {
        assert!(g.lookup_typed(name, EntityType::Party).is_some(), "{name} names a state");
    }
}

#[test]
fn every_state_has_its_capital() {
    let g = builtin();
    let with_capital: BTreeSet<&str> = of_type(&g, EntityType::Place)
        .into_iter()
        .filter(|e| kind(e) == "city")
        .filter_map(|e| e.of.as_deref())
        .collect();
    // City-states are their own capital; China does not take a side on Israel's and
    // Palestine's capital; Kingstown is written 金斯敦 like Kingston (Jamaica).
    let exempt = ["新加坡共和国", "摩纳哥公国", "梵蒂冈城国", "以色列国", "巴勒斯坦国", "圣文森特和格林纳丁斯"];
    let missing: Vec<&str> = of_type(&g, EntityType::Party)
        .into_iter()
        .filter(|e| kind(e) == "state")
        .map(|e| e.canonical.as_str())
        .filter(|c| !exempt.contains(c) && !with_capital.contains(c))
        .collect();
    assert!(missing.is_empty(), "states without a capital (a Place of kind city whose of is the state): {missing:?}");
}

#[test]
fn china_provinces_cities_and_organs_are_complete() {
    let g = builtin();
    let provinces = of_type(&g, EntityType::Place).into_iter().filter(|e| kind(e) == "province").count();
    assert!(provinces >= 27, "22 provinces and 5 autonomous regions (Taiwan is a region): {provinces}");
    for (short, long) in [("湖南", "湖南省"), ("广西", "广西壮族自治区"), ("新疆", "新疆维吾尔自治区"), ("香港", "香港特别行政区"), ("杭州", "杭州市"), ("温州", "温州市")] {
        let a = g.lookup_typed(short, EntityType::Place).unwrap_or_else(|| panic!("{short}"));
        let b = g.lookup_typed(long, EntityType::Place).unwrap_or_else(|| panic!("{long}"));
        assert_eq!(a, b, "{short} and {long} are one place");
    }
    let ministries = of_type(&g, EntityType::Organization)
        .into_iter()
        .filter(|e| kind(e) == "ministry" && e.of.as_deref() == Some("中华人民共和国"))
        .count();
    assert!(ministries >= 26, "the State Council's 26 constituent departments: {ministries}");
    for name in ["国家发展改革委", "中华人民共和国外交部", "科技部", "工信部", "海关总署", "国家移民管理局", "中联部", "中央宣传部", "全国人大外事委员会", "全国政协外事委员会", "中国人民解放军海军"] {
        assert!(g.lookup_typed(name, EntityType::Organization).is_some(), "{name}");
    }
}

#[test]
fn international_categories_are_complete() {
    let g = builtin();
    let org = |n: &str| g.lookup_typed(n, EntityType::Organization).is_some();
    // UN principal organs, the 15 specialized agencies (and the World Bank Group), funds and
    // programmes, regional commissions.
    for n in [
        "联合国大会", "安理会", "经社理事会", "托管理事会", "国际法院", "联合国秘书处", "粮农组织", "国际劳工组织", "教科文组织", "世卫组织",
        "WIPO", "国际电联", "万国邮联", "国际民航组织", "国际海事组织", "世界气象组织", "农发基金", "工发组织", "世界旅游组织", "基金组织",
        "世界银行", "国际开发协会", "国际金融公司", "开发计划署", "儿基会", "环境规划署", "人口基金", "难民署", "粮食署", "人居署", "贸发会议",
        "毒罪办", "妇女署", "艾滋病规划署", "亚太经社会", "非洲经委会", "欧洲经委会", "拉美经委会", "西亚经社会", "国际原子能机构", "世贸组织",
        "禁化武组织", "国际刑事法院",
    ] {
        assert!(org(n), "UN system: {n}");
    }
    for n in [
        "非盟", "欧盟", "东盟", "东盟秘书处", "南盟", "海合会", "阿盟", "伊合组织", "欧佩克", "金砖国家", "上合组织", "元首理事会",
        "上合组织外长理事会", "地区反恐怖机构", "上合组织实业家委员会", "上合组织银联体", "亚信", "独联体", "欧亚经济联盟", "集安组织", "亚太经合组织",
        "二十国集团", "七国集团", "东盟地区论坛", "澜湄合作", "中拉论坛", "中非合作论坛", "中阿合作论坛", "中国—中亚机制", "中国—中东欧国家合作",
        "博鳌亚洲论坛", "拉共体", "美洲国家组织", "南方共同市场", "太平洋岛国论坛", "英联邦", "法语国家组织", "北约", "各国议会联盟", "东盟议会联盟",
        "国际刑警组织", "达沃斯论坛", "新开发银行", "亚投行", "丝路基金", "国际调解院",
    ] {
        assert!(org(n), "regional and international: {n}");
    }
    for n in ["东伊运", "伊黎伊斯兰国", "基地组织", "巴基斯坦塔利班运动", "巴塔", "俾路支解放军"] {
        let id = g.lookup_typed(n, EntityType::Organization).unwrap_or_else(|| panic!("{n}"));
        assert_eq!(kind(g.entry(id)), "terrorist", "{n}");
    }
}

#[test]
fn legislatures_parties_people_events_treaties_projects_by_count() {
    let g = builtin();
    let orgs = of_type(&g, EntityType::Organization);
    let legislatures: BTreeSet<&str> =
        orgs.iter().filter(|e| kind(e) == "legislature").filter_map(|e| e.of.as_deref()).collect();
    assert!(legislatures.len() >= 100, "states with a legislature: {}", legislatures.len());
    let ministries_abroad: BTreeSet<&str> = orgs
        .iter()
        .filter(|e| kind(e) == "ministry" && e.canonical.contains("外") && e.of.as_deref() != Some("中华人民共和国"))
        .filter_map(|e| e.of.as_deref())
        .collect();
    for state in ["印度共和国", "巴基斯坦伊斯兰共和国", "伊朗伊斯兰共和国", "白俄罗斯共和国", "越南社会主义共和国", "老挝人民民主共和国", "孟加拉人民共和国", "尼泊尔"] {
        assert!(ministries_abroad.contains(state), "foreign ministry of {state}");
    }
    let parties = orgs.iter().filter(|e| kind(e) == "party").count();
    assert!(parties >= 100, "political parties: {parties}");

    let people = of_type(&g, EntityType::Person);
    assert!(people.len() >= 800, "people: {}", people.len());
    let states_with_leaders: BTreeSet<&str> = people.iter().filter_map(|e| e.of.as_deref()).collect();
    assert!(states_with_leaders.len() >= 120, "states with a leader: {}", states_with_leaders.len());
    for p in &people {
        assert!(p.role.is_some(), "{} has a role", p.canonical);
    }
    let china = people.iter().filter(|e| e.of.as_deref() == Some("中华人民共和国")).count();
    assert!(china >= 150, "China's leaders: {china}");

    assert!(of_type(&g, EntityType::Event).len() >= 150, "events");
    assert!(of_type(&g, EntityType::Treaty).len() >= 200, "treaties");
    assert!(of_type(&g, EntityType::Project).len() >= 150, "projects");
    for (n, t) in [
        ("二战", EntityType::Event), ("新冠疫情", EntityType::Event), ("万隆会议", EntityType::Event), ("第三届进博会", EntityType::Event),
        ("北京冬奥会", EntityType::Event), ("中共二十大", EntityType::Event), ("G20峰会", EntityType::Event),
        ("联合国宪章", EntityType::Treaty), ("联大第2758号决议", EntityType::Treaty), ("禁止化学武器公约", EntityType::Treaty), ("RCEP", EntityType::Treaty),
        ("中尼铁路", EntityType::Project), ("北斗卫星导航系统", EntityType::Project), ("国际月球科研站", EntityType::Project), ("中国空间站", EntityType::Project),
    ] {
        assert!(g.lookup_typed(n, t).is_some(), "{n} as {t:?}");
    }
}

#[test]
fn every_entry_is_well_formed() {
    let g = builtin();
    let parties: BTreeSet<&str> = of_type(&g, EntityType::Party).into_iter().map(|e| e.canonical.as_str()).collect();
    for e in g.entries() {
        let label = e.english.as_deref().unwrap_or("");
        assert!(!label.trim().is_empty(), "{} has an English label", e.canonical);
        for a in &e.aliases {
            assert!(a.chars().count() >= 2, "{}: alias {a:?} is shorter than two characters", e.canonical);
            assert_ne!(a, &e.canonical, "{}: alias equals the canonical name", e.canonical);
            assert!(a.trim() == a && !a.is_empty(), "{}: alias {a:?} has stray spaces", e.canonical);
        }
        if e.entity_type != EntityType::Party {
            assert!(e.abbrev.is_empty() && e.code.is_none(), "{}: only states have abbreviations and codes", e.canonical);
        }
        if let Some(of) = &e.of {
            assert!(parties.contains(of.as_str()), "{}: of = {of} is not a state's canonical name", e.canonical);
        }
        if let Some(q) = &e.wikidata {
            assert!(q.starts_with('Q') && q[1..].chars().all(|c| c.is_ascii_digit()), "{}: wikidata {q}", e.canonical);
        }
    }
}

#[test]
fn no_duplicate_canonical_names_and_no_name_shared_across_types() {
    // Each (type, canonical) is one entry after merging; the files must not declare a
    // second entry whose canonical is another entry's alias of the same type.
    let g = builtin();
    let mut by_type: HashMap<EntityType, BTreeMap<&str, usize>> = HashMap::new();
    for (i, e) in g.entries().iter().enumerate() {
        let prev = by_type.entry(e.entity_type).or_default().insert(e.canonical.as_str(), i);
        assert!(prev.is_none(), "{} declared twice as {:?}", e.canonical, e.entity_type);
    }
    let mut shared = Vec::new();
    for e in g.entries() {
        for n in e.names() {
            let ids = g.lookup(n);
            let types: BTreeSet<_> = ids.iter().map(|&id| g.entry(id).entity_type).collect();
            if ids.len() > 1 && types.len() == 1 {
                shared.push(format!("{n}: {:?}", ids.iter().map(|&id| &g.entry(id).canonical).collect::<Vec<_>>()));
            }
            if types.len() > 1 && !ALLOWED_ACROSS_TYPES.contains(&n) {
                shared.push(format!("{n}: {:?}", ids.iter().map(|&id| (g.entry(id).entity_type, &g.entry(id).canonical)).collect::<Vec<_>>()));
            }
        }
    }
    shared.sort();
    shared.dedup();
    assert!(shared.is_empty(), "names that resolve to several entries: {shared:#?}");
}

#[test]
fn aliases_are_not_fragments_of_ordinary_prose() {
    // Phrases of diplomatic prose in which no name may be found: each was a greedy alias
    // once (多东 in 许多东南亚, 交行 in 外交行动, 法基 in 国际法基本原则, 保定 in 确保定期).
    let g = builtin();
    for phrase in [
        "中方同许多东南亚国家开展合作",
        "双方将加强外交行动协调",
        "遵守国际法基本原则",
        "确保定期举行会晤",
        "两国航空公司开通直航",
        "主张平等协商",
        "依法共同打击跨国犯罪",
        "各方应勇于担当",
        "提高克服困难的能力",
        "会议联合公报",
        "有关岛屿和礁",
        "爱国统一战线",
        "合作平台中发挥作用",
        "中方愿同江苏省和江西省",
        "阿拉伯和伊斯兰国家",
        "中国和南非共同努力",
    ] {
        let found: Vec<String> = g.find_names(phrase).map(|m| format!("{} ({})", &phrase[m.start..m.end], g.entry(m.entry).canonical)).collect();
        let allowed = ["中方", "中国", "东南亚", "江苏省", "江西省", "南非", "爱国", "国际法"];
        let bad: Vec<&String> = found.iter().filter(|f| !allowed.iter().any(|a| f.starts_with(&format!("{a} ")))).collect();
        assert!(bad.is_empty(), "{phrase}: {bad:?}");
    }
}
