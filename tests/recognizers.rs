//! Each recognizer on sentences of other shapes than the samples: other
//! countries, organizations, projects and date forms, and text that must not match.

mod common;

use common::pipeline;
use diplograph::extract::Extraction;
use diplograph::model::EntityType;

/// Extracts a one-document text (a title line and the given body).
fn extract(title: &str, body: &str) -> Extraction {
    let text = format!("{title}\n{body}\n");
    let file = pipeline().read_bytes("t.txt", text.as_bytes()).unwrap();
    assert_eq!(file.documents.len(), 1, "{:?}", file.documents.iter().map(|d| &d.meta).collect::<Vec<_>>());
    pipeline().extract(&file.documents[0])
}

fn texts(x: &Extraction, t: EntityType) -> Vec<String> {
    let mut v: Vec<String> = x.mentions.iter().filter(|m| m.entity_type == t).map(|m| m.text.clone()).collect();
    v.dedup();
    v
}

const RU: &str = "中华人民共和国和俄罗斯联邦关于新时代全面战略协作伙伴关系的联合声明";

#[test]
fn parties_full_short_and_one_character_forms() {
    let x = extract(RU, "应俄罗斯联邦总统弗拉基米尔·普京邀请，中华人民共和国主席习近平对俄罗斯进行国事访问。俄方支持中方立场，欢迎更多俄罗斯企业来华投资，中方欢迎对俄合作。");
    let parties = texts(&x, EntityType::Party);
    for form in ["俄罗斯联邦", "中华人民共和国", "俄罗斯", "俄方", "中方", "华", "俄"] {
        assert!(parties.contains(&form.to_owned()), "{form} not in {parties:?}");
    }
    let ids: std::collections::BTreeSet<_> = x.mentions.iter().filter(|m| m.entity_type == EntityType::Party).filter_map(|m| m.id.clone()).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
}

#[test]
fn side_words_that_are_not_parties() {
    let x = extract(RU, "双方认为，各方应尊重地方利益，西方国家和对方的关切应予考虑。");
    // Only the title names parties; 双方, 各方, 地方, 西方, 对方 are not party forms.
    assert_eq!(texts(&x, EntityType::Party), ["中华人民共和国", "俄罗斯联邦"]);
}

#[test]
fn persons_after_party_and_title_even_when_unknown() {
    let x = extract(
        "中华人民共和国和巴西联邦共和国联合声明",
        "应中华人民共和国主席习近平邀请，巴西联邦共和国总统路易斯·伊纳西奥·卢拉·达席尔瓦于2023年4月12日至15日对中国进行国事访问。",
    );
    let persons = texts(&x, EntityType::Person);
    assert!(persons.contains(&"习近平".to_owned()));
    assert!(persons.contains(&"路易斯·伊纳西奥·卢拉·达席尔瓦".to_owned()), "{persons:?}");
    assert!(x.relations.iter().any(|r| r.predicate == "invites"));
}

#[test]
fn organizations_by_name_shape() {
    let x = extract(
        "中华人民共和国和塔吉克斯坦共和国联合声明",
        "双方同意在中塔政府间合作委员会框架下成立中塔合作委员会能源合作分委会。双方欢迎塔吉克斯坦共和国能源和水资源部同中华人民共和国国家能源局签署合作文件。双方支持杜尚别国立大学同新疆大学开展合作，欢迎塔方参加中国—南亚博览会。",
    );
    let orgs = texts(&x, EntityType::Organization);
    for name in ["中塔政府间合作委员会", "中塔合作委员会能源合作分委会", "塔吉克斯坦共和国能源和水资源部", "杜尚别国立大学", "新疆大学", "中国—南亚博览会"] {
        assert!(orgs.iter().any(|o| o == name), "{name} not in {orgs:?}");
    }
    assert!(x.relations.iter().any(|r| r.predicate == "other:part_of"), "nested committee is part of the larger one");
}

#[test]
fn generic_words_are_not_organizations() {
    let x = extract(RU, "双方将加强两国外交部门、主管部门和立法机构的交流。双方认为，全部问题应通过对话解决，内部事务不容干涉。");
    let orgs = texts(&x, EntityType::Organization);
    assert!(orgs.is_empty(), "{orgs:?}");
}

#[test]
fn projects_by_name_shape() {
    let x = extract(
        "中华人民共和国和巴基斯坦伊斯兰共和国联合声明",
        "双方同意推进中巴经济走廊建设，加快喀喇昆仑公路二期改线项目和瓜达尔新国际机场建设，推动卡拉奇核电站稳定运行，升级改造ML-1铁路干线，共同建设拉沙卡伊特别经济区和中巴瓜达尔港码头。",
    );
    let projects = texts(&x, EntityType::Project);
    for name in ["中巴经济走廊", "卡拉奇核电站"] {
        assert!(projects.iter().any(|p| p == name), "{name} not in {projects:?}");
    }
}

#[test]
fn events_with_ordinals_and_quoted_years() {
    let x = extract(
        "中华人民共和国和蒙古国联合声明",
        "双方欢迎2024年6月在乌兰巴托举行的中蒙政府间委员会第十八次会议。双方同意2025年举办第三届中蒙博览会，并将2024年确定为“中蒙旅游年”。",
    );
    let events = texts(&x, EntityType::Event);
    for name in ["中蒙政府间委员会第十八次会议", "第三届中蒙博览会", "中蒙旅游年"] {
        assert!(events.iter().any(|e| e == name), "{name} not in {events:?}");
    }
    assert!(x.relations.iter().any(|r| r.predicate == "held_on" && r.object == "2024-06"), "{:?}", x.relations.iter().filter(|r| r.predicate != "co_mention").collect::<Vec<_>>());
    assert!(texts(&x, EntityType::Place).contains(&"乌兰巴托".to_owned()));
}

#[test]
fn places_from_cues_when_unknown() {
    let x = extract(RU, "双方欢迎2023年在喀山举行的金砖国家峰会，支持2024年在叶卡捷琳堡举办博览会。");
    let places = texts(&x, EntityType::Place);
    assert!(places.contains(&"喀山".to_owned()), "{places:?}");
}

#[test]
fn cited_titles_with_dates_verbs_and_nesting() {
    let x = extract(
        RU,
        "双方重申恪守2001年7月16日签署的《中华人民共和国和俄罗斯联邦睦邻友好合作条约》，共同落实好《〈中俄睦邻友好合作条约〉实施纲要（2025—2028年）》，推动《区域全面经济伙伴关系协定》生效。",
    );
    let c = &x.citations;
    let treaty = c.iter().find(|c| c.title == "中华人民共和国和俄罗斯联邦睦邻友好合作条约").expect("treaty cited");
    assert_eq!(treaty.date.as_deref(), Some("2001-07-16"));
    assert_eq!(treaty.verb.as_deref(), Some("签署"));
    assert_eq!(treaty.kind, "treaty");
    let plan = c.iter().find(|c| c.title.starts_with('〈')).expect("outer title with a nested one");
    assert_eq!(plan.verb.as_deref(), Some("落实"));
    assert_eq!(plan.kind, "plan");
    assert!(c.iter().any(|c| c.title == "中俄睦邻友好合作条约"), "the nested title is a citation too");
    let rcep = c.iter().find(|c| c.title == "区域全面经济伙伴关系协定").unwrap();
    assert_eq!(rcep.verb, None, "推动 does not govern a title");
    assert_eq!(rcep.kind, "agreement");
}

#[test]
fn abbreviated_and_full_titles_are_one_treaty() {
    let x = extract(
        RU,
        "双方将落实《中华人民共和国政府和俄罗斯联邦政府关于发展远东合作的规划》，并继续落实《中俄关于发展远东合作的规划》。",
    );
    let ids: std::collections::BTreeSet<_> = x.citations.iter().map(|c| c.id.clone()).collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
}

#[test]
fn unbalanced_title_brackets_do_not_break_extraction() {
    let x = extract(RU, "双方同意落实《未闭合的标题，以及》错位的》符号《和〈〈嵌套。双方支持上海合作组织。");
    assert!(x.citations.iter().all(|c| !c.title.contains('\n')));
    assert!(texts(&x, EntityType::Organization).contains(&"上海合作组织".to_owned()));
}

#[test]
fn date_forms() {
    let x = extract(
        "中华人民共和国和白俄罗斯共和国联合声明",
        "双方同意于2026—2027年举办文化年，明年在明斯克举办论坛，去年的成果值得肯定。\n本声明于二〇二四年十二月三日在北京签署。",
    );
    let dates: Vec<(String, Option<String>)> = x.mentions.iter().filter(|m| m.entity_type == EntityType::Date).map(|m| (m.text.clone(), m.value.clone())).collect();
    for (surface, value) in [("2026—2027年", "2026/2027"), ("明年", "2025"), ("去年", "2023"), ("二〇二四年十二月三日", "2024-12-03")] {
        assert!(dates.contains(&(surface.to_owned(), Some(value.to_owned()))), "{surface} = {value} not in {dates:?}");
    }
}

#[test]
fn relations_of_other_shapes() {
    let x = extract(
        "中华人民共和国和阿拉伯埃及共和国联合声明",
        "埃方表明加入上海合作组织的意愿。中方支持埃方担任2025年至2026年非洲联盟轮值主席国。中方欢迎埃方积极参与中国国际进口博览会。",
    );
    let has = |p: &str| x.relations.iter().any(|r| r.predicate == p);
    assert!(has("wants_to_join"), "{:?}", x.relations);
    assert!(has("other:welcomed_to_participate_in"));
    assert!(has("supports"));
}

#[test]
fn a_user_gazetteer_adds_names_without_recompiling() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(&path, "[[entry]]\ntype = \"Project\"\ncanonical = \"北极丝绸之路走廊\"\nenglish = \"Polar corridor\"\naliases = [\"冰上通道\"]\n").unwrap();
    let config = diplograph::pipeline::PipelineConfig {
        knowledge: diplograph::knowledge::KnowledgeConfig { gazetteers: vec![path], lexicon: None },
        ..Default::default()
    };
    let p = diplograph::Pipeline::new(&config).unwrap();
    let file = p.read_bytes("t.txt", format!("{RU}\n双方将共同开发冰上通道。\n").as_bytes()).unwrap();
    let x = p.extract(&file.documents[0]);
    let m = x.mentions.iter().find(|m| m.text == "冰上通道").expect("alias from the user gazetteer");
    assert_eq!(m.entity, "北极丝绸之路走廊");
    assert_eq!(m.entity_type, EntityType::Project);
}

/// A statement with dense projects, agencies, events and nested titles.
#[test]
fn dense_statement_of_another_partner() {
    let text = std::fs::read(common::root().join("tests/data/russia.txt")).unwrap();
    let file = pipeline().read_bytes("russia.txt", &text).unwrap();
    let x = pipeline().extract(&file.documents[0]);
    let of = |t: EntityType| texts(&x, t);
    let projects = of(EntityType::Project);
    assert!(projects.contains(&"田湾核电站".to_owned()) && !projects.iter().any(|p| p.contains("项目和")), "{projects:?}");
    assert!(of(EntityType::Event).contains(&"第八届中俄博览会".to_owned()));
    let agency = x.mentions.iter().find(|m| m.text == "中国国家航天局").expect("agency");
    assert_eq!(agency.entity, "国家航天局", "China's agencies are keyed without the state's name");
    assert!(x.relations.iter().any(|r| r.predicate == "hosts" && r.object.contains("第十六次会晤")), "a date between verb and event");
    assert!(x.relations.iter().any(|r| r.predicate == "located_in" && r.object == "place/哈尔滨"));
    assert_eq!(x.citations.iter().find(|c| c.date.is_some()).unwrap().date.as_deref(), Some("2001-07-16"));
}
