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

/// A one-character stop word that begins a word of the name does not cut it
/// (应 in 应对, 由 in 自由, 对 in 对话), while a whole one does.
#[test]
fn word_boundaries_decide_where_a_name_begins() {
    let x = extract(RU, "双方支持建立中俄应对气候变化合作中心，愿推进中国—欧亚经济联盟自由贸易协定谈判。双方对中俄人文合作委员会的工作表示满意。");
    let orgs = texts(&x, EntityType::Organization);
    assert!(orgs.contains(&"中俄应对气候变化合作中心".to_owned()), "{orgs:?}");
    assert!(orgs.contains(&"中俄人文合作委员会".to_owned()), "the stop 对 before the name is no part of it: {orgs:?}");
    let treaties = texts(&x, EntityType::Treaty);
    assert!(treaties.iter().any(|t| t.ends_with("自由贸易协定") && t.contains("欧亚经济联盟")), "{treaties:?}");
}

/// A verb or verbal noun that governs a name is not part of it; before common
/// words it belongs to the name (a body for law enforcement).
#[test]
fn governing_verbs_stay_out_of_names() {
    let x = extract(
        "中华人民共和国和蒙古国联合声明",
        "双方同意加深中蒙边境口岸合作委员会的工作，推动中蒙俄经济走廊建设，支持两国成立执法安全合作分委会。",
    );
    let orgs = texts(&x, EntityType::Organization);
    assert!(orgs.contains(&"中蒙边境口岸合作委员会".to_owned()), "{orgs:?}");
    assert!(!orgs.iter().any(|o| o.starts_with("加深")), "{orgs:?}");
    assert!(orgs.contains(&"执法安全合作分委会".to_owned()), "{orgs:?}");
    assert!(texts(&x, EntityType::Project).contains(&"中蒙俄经济走廊".to_owned()));
}

/// Generic phrases are not names: a category of common words before a head
/// (恐怖组织, 边境口岸, 物流基地), a bare head, a list of heads.
#[test]
fn generic_phrases_are_not_names() {
    let x = extract(
        "中华人民共和国和吉尔吉斯共和国联合声明",
        "双方将共同打击恐怖组织和极端组织，加强边境口岸和物流基地建设，推动各委员会、协会开展工作，落实相关理念和倡议。",
    );
    for t in [EntityType::Organization, EntityType::Project, EntityType::Treaty] {
        assert!(texts(&x, t).is_empty(), "{t:?}: {:?}", texts(&x, t));
    }
}

/// Names with a quotation inside (“金砖”国际电影节) or made of one with its
/// head (“丝路之友”系列活动), editions of series (2028年世博会), and kinds of
/// names the samples never had: crises, theme years, wars, groups of friends.
#[test]
fn names_of_kinds_the_samples_never_had() {
    let x = extract(
        "中华人民共和国和南非共和国联合声明",
        "双方愿办好“金砖”国际电影节和“丝路之友”系列活动，欢迎南方举办中南文化年，支持2028年世博会。\
         双方回顾了朝鲜战争的历史，就乌克兰危机交换意见，支持全球发展倡议之友小组的工作。",
    );
    let events = texts(&x, EntityType::Event);
    for e in ["“金砖”国际电影节", "“丝路之友”系列活动", "中南文化年", "2028年世博会", "朝鲜战争", "乌克兰危机"] {
        assert!(events.contains(&e.to_owned()), "{e} not in {events:?}");
    }
    assert!(texts(&x, EntityType::Organization).contains(&"全球发展倡议之友小组".to_owned()));
}

/// Persons after any office title: a transliteration, or a Chinese name with a
/// common surname; a title before common words names nobody.
#[test]
fn persons_after_office_titles() {
    let x = extract(
        "中华人民共和国和斯里兰卡民主社会主义共和国联合声明",
        "全国人大常委会副委员长李鸿忠会见斯里兰卡议长贾加特·维克拉马拉特纳，外交部长会见团长。联合国秘书长安东尼奥·古特雷斯致信祝贺。",
    );
    let persons = texts(&x, EntityType::Person);
    for p in ["李鸿忠", "贾加特·维克拉马拉特纳", "安东尼奥·古特雷斯"] {
        assert!(persons.contains(&p.to_owned()), "{p} not in {persons:?}");
    }
    assert!(!persons.iter().any(|p| p.contains("团长") || p.contains("会见")), "{persons:?}");
}

/// Dash-joined names: a framework with a body in it, a dialogue between two
/// places; a pair inside a longer name is no name of its own.
#[test]
fn pairs_of_names_joined_by_a_dash() {
    let x = extract(
        "中华人民共和国和新加坡共和国联合声明",
        "双方愿在中国—东盟、东亚峰会等框架内加强协调，支持贝尔格莱德—普里什蒂纳对话，推动中国—新加坡—东盟数字合作走廊建设。",
    );
    let orgs = texts(&x, EntityType::Organization);
    assert!(orgs.contains(&"中国—东盟".to_owned()), "{orgs:?}");
    assert!(orgs.contains(&"贝尔格莱德—普里什蒂纳对话".to_owned()), "{orgs:?}");
    assert!(!orgs.iter().any(|o| o == "中国—新加坡—东盟"), "{orgs:?}");
}

/// Citations with verbs and kinds the samples lacked: 实施, 维护, 支持, 完善;
/// a list, a concept, a report, a position; nested 〈〉 titles.
#[test]
fn citation_verbs_and_kinds_of_other_shapes() {
    let x = extract(
        RU,
        "双方将全面实施《中俄经贸合作重点领域清单》，共同维护《联合国海洋法公约》，支持《亚洲安全观构想》，完善《关于〈睦邻友好合作条约〉实施情况的报告》，协调《中俄关于全球治理的共同立场》。",
    );
    let got: Vec<(&str, Option<&str>, &str)> = x.citations.iter().map(|c| (c.title.as_str(), c.verb.as_deref(), c.kind.as_str())).collect();
    for (title, verb, kind) in [
        ("中俄经贸合作重点领域清单", Some("实施"), "list"),
        ("联合国海洋法公约", Some("维护"), "convention"),
        ("亚洲安全观构想", Some("支持"), "concept"),
        ("关于〈睦邻友好合作条约〉实施情况的报告", Some("完善"), "report"),
        // Nested: the verb after it inside the outer title.
        ("睦邻友好合作条约", Some("实施"), "treaty"),
        // 协调 does not govern a document the way 签署 or 实施 does.
        ("中俄关于全球治理的共同立场", None, "position"),
    ] {
        assert!(got.contains(&(title, verb, kind)), "《{title}》 {verb:?} {kind} not in {got:?}");
    }
}

/// A state's name before a known body's name is two names, not one
/// (乌兹别克斯坦上合组织民间外交中心 is no "乌兹别克斯坦上合组织"); a leader
/// named after a state and an office title is a person, whether the name is
/// transliterated or Chinese.
#[test]
fn a_state_before_a_known_body_and_leaders_after_office_titles() {
    let x = extract(RU, "双方欢迎乌兹别克斯坦上合组织民间外交中心的工作。吉尔吉斯共和国总理阿迪尔别克·卡瑟马利耶夫和蒙古国总统乌赫那·呼日勒苏赫出席会议。");
    let orgs = texts(&x, EntityType::Organization);
    assert!(orgs.contains(&"乌兹别克斯坦上合组织民间外交中心".to_owned()), "{orgs:?}");
    assert!(!orgs.contains(&"乌兹别克斯坦上合组织".to_owned()), "{orgs:?}");
    let persons = texts(&x, EntityType::Person);
    for name in ["阿迪尔别克·卡瑟马利耶夫", "乌赫那·呼日勒苏赫"] {
        assert!(persons.contains(&name.to_owned()), "{name} not in {persons:?}");
    }
}
