//! Typed relations: each is stated by its evidence, both ends named there, in
//! the sentence's direction. One test per kind of mistake relations used to
//! make, on sentences of other shapes than the statements they were found in.

mod common;

use common::pipeline;
use diplograph::extract::Extraction;

fn extract(title: &str, body: &str) -> Extraction {
    let text = format!("{title}\n{body}\n");
    let file = pipeline().read_bytes("t.txt", text.as_bytes()).unwrap();
    assert_eq!(file.documents.len(), 1);
    pipeline().extract(&file.documents[0])
}

/// (subject, predicate, object) with ids, typed relations only.
fn typed(x: &Extraction) -> Vec<(String, String, String)> {
    x.relations.iter().filter(|r| r.predicate != "co_mention").map(|r| (r.subject.clone(), r.predicate.clone(), r.object.clone())).collect()
}

fn has(x: &Extraction, s: &str, p: &str, o: &str) -> bool {
    typed(x).iter().any(|(rs, rp, ro)| rs == s && rp == p && ro == o)
}

const KZ: &str = "中华人民共和国和哈萨克斯坦共和国联合声明";
const CN: &str = "party/中华人民共和国";
const KZP: &str = "party/哈萨克斯坦共和国";

/// Every relation's evidence names both of its ends (or 双方 for a party).
#[test]
fn evidence_names_both_ends() {
    let x = extract(KZ, "哈方欢迎中方提出的全球发展倡议，中方支持哈方举办世界和传统宗教领袖大会。双方愿深化在上海合作组织框架内的合作。");
    let names = |id: &str| -> Vec<String> { x.mentions.iter().filter(|m| m.id.as_deref() == Some(id)).map(|m| m.text.clone()).collect() };
    let source = format!("{KZ}\n哈方欢迎中方提出的全球发展倡议，中方支持哈方举办世界和传统宗教领袖大会。双方愿深化在上海合作组织框架内的合作。\n");
    let chars: Vec<char> = source.chars().collect();
    assert!(!typed(&x).is_empty());
    for r in x.relations.iter().filter(|r| r.predicate != "co_mention" && !r.predicate.ends_with("_on")) {
        let evidence: String = chars[r.start as usize..r.end as usize].iter().collect();
        let named = |id: &str| names(id).iter().any(|n| evidence.contains(n.as_str())) || evidence.contains("双方");
        assert!(named(&r.subject) && named(&r.object), "{} {} {}: {evidence}", r.subject, r.predicate, r.object);
    }
}

/// A state inside the name of a meeting about it is not related to anything.
#[test]
fn a_name_inside_a_longer_name_is_not_an_end() {
    let x = extract(KZ, "双方支持召开阿富汗问题国际会议，欢迎举办中亚区域经济合作部长会议。");
    assert!(!typed(&x).iter().any(|(_, _, o)| o.contains("阿富汗") && !o.starts_with("event/")), "{:?}", typed(&x));
}

/// 支持以联合国为核心的国际体系 supports the system, not the United Nations.
#[test]
fn a_modifier_is_not_the_object() {
    let x = extract(KZ, "双方坚定支持以联合国为核心的国际体系，维护以国际法为基础的国际秩序。");
    assert!(!typed(&x).iter().any(|(_, _, o)| o.contains("联合国")), "{:?}", typed(&x));
}

/// 欢迎在上海合作组织框架内的合作 welcomes cooperation, not the organization.
#[test]
fn a_frame_is_not_the_object() {
    let x = extract(KZ, "双方欢迎在上海合作组织框架内开展的合作，支持在亚信框架下加强协作。");
    assert!(!typed(&x).iter().any(|(_, p, o)| o.contains("上海合作组织") || (p == "supports" && o.contains("亚"))), "{:?}", typed(&x));
}

/// A list of fields of cooperation hosts nothing.
#[test]
fn fields_of_cooperation_are_not_hosted() {
    let x = extract(KZ, "双方愿在经贸、能源、会展和博览会举办等领域深化合作。");
    assert!(!typed(&x).iter().any(|(_, p, _)| p == "hosts"), "{:?}", typed(&x));
}

/// The host is the party that holds the event, not the one that supports or
/// attends it: 中方支持哈方在阿拉木图设立… is Kazakhstan's, and a party taking
/// part in the other's fair does not host it.
#[test]
fn the_host_is_the_party_that_holds_it() {
    let x = extract(KZ, "中方支持哈方举办阿斯塔纳国际论坛。哈方欢迎中方企业参加中国国际进口博览会。");
    let hosts: Vec<_> = typed(&x).into_iter().filter(|(_, p, _)| p == "hosts").collect();
    assert!(hosts.iter().all(|(s, _, _)| s == KZP), "{hosts:?}");
    assert!(!hosts.iter().any(|(_, _, o)| o.contains("进口博览会")), "{hosts:?}");
    assert!(has(&x, CN, "supports", KZP) || has(&x, KZP, "hosts", &hosts.first().map(|h| h.2.clone()).unwrap_or_default()), "{:?}", typed(&x));
}

/// A signature table read across its columns pairs no leader with the other
/// party: each name goes with the office on its own line.
#[test]
fn a_signature_table_is_read_row_by_row() {
    let x = extract(KZ, "双方同意深化合作。\n本声明于二〇二四年七月三日在阿斯塔纳签署。\n中华人民共和国主席  哈萨克斯坦共和国总统\n习近平  卡瑟姆若马尔特·托卡耶夫");
    let heads: Vec<_> = typed(&x).into_iter().filter(|(_, p, _)| p == "other:head_of_state_of").collect();
    assert!(!heads.iter().any(|(s, _, o)| s.contains("习近平") && o == KZP), "{heads:?}");
}

/// 加入上海合作组织青年委员会 joins the council, not the organization.
#[test]
fn joining_a_body_of_an_organization_is_not_joining_it() {
    let x = extract(KZ, "哈方希望加入上海合作组织青年委员会，并加入中国—中亚合作论坛。");
    assert!(!has(&x, KZP, "wants_to_join", "org/上海合作组织"), "{:?}", typed(&x));
}

/// 双方 relations hold for both parties.
#[test]
fn relations_of_both_parties_hold_for_each() {
    let x = extract(KZ, "双方支持联合国在国际事务中发挥核心作用。");
    assert!(has(&x, CN, "supports", "org/联合国") && has(&x, KZP, "supports", "org/联合国"), "{:?}", typed(&x));
}

/// Hosting and chairing written as modifiers of the event (X主办的Y,
/// 在X主持下举行的Y), a body built at a place (在X建立Y), and a place named
/// after its state (中国新疆).
#[test]
fn hosts_chairs_and_places_written_as_modifiers() {
    let x = extract(KZ, "双方欢迎在哈方主持下以视频方式举行的上合组织成员国交通部长第五次会议，支持上合组织实业家委员会主办的第三届中亚投资博览会。中方愿在阿拉木图建立鲁班工坊。双方欢迎中国新疆同哈方开展合作。");
    let t = typed(&x);
    let id = |prefix: &str, part: &str| t.iter().flat_map(|(s, _, o)| [s, o]).find(|e| e.starts_with(prefix) && e.contains(part)).cloned().unwrap_or_else(|| panic!("no {prefix}…{part}… in {t:?}"));
    assert!(has(&x, KZP, "chairs", &id("event/", "交通部长")), "{t:?}");
    assert!(has(&x, &id("org/", "实业家委员会"), "hosts", &id("event/", "投资博览会")), "{t:?}");
    assert!(has(&x, &id("", "鲁班工坊"), "located_in", &id("place/", "阿拉木图")), "{t:?}");
    assert!(has(&x, &id("place/", "新疆"), "located_in", CN), "{t:?}");
}

/// Pairs listed in a row (A与B、C与D的交流) relate each pair, never across pairs.
#[test]
fn paired_lists_relate_each_pair_only() {
    let x = extract(KZ, "双方支持中国全国人大与哈萨克斯坦议会、中国全国政协与哈萨克斯坦国家社会委员会的交流合作。");
    let t = typed(&x);
    let coop: Vec<_> = t.iter().filter(|(_, p, _)| p == "cooperates_with").collect();
    let pair = |a: &str, b: &str| coop.iter().any(|(s, _, o)| (s.contains(a) && o.contains(b)) || (s.contains(b) && o.contains(a)));
    assert!(pair("全国人民代表大会", "哈萨克斯坦议会"), "{coop:?}");
    assert!(pair("政治协商会议", "哈萨克斯坦国家社会委员会"), "{coop:?}");
    assert!(!pair("全国人民代表大会", "政治协商会议") && !pair("哈萨克斯坦议会", "哈萨克斯坦国家社会委员会"), "{coop:?}");
    assert!(!pair("政治协商会议", "哈萨克斯坦议会"), "{coop:?}");
}

/// 支持习近平主席就…提出的主张 supports the proposal, not the person; a
/// proposal's title (X关于举行Y的倡议) does not make X the host of Y.
#[test]
fn the_agent_of_a_proposal_is_neither_supported_nor_a_host() {
    let x = extract(KZ, "哈方支持习近平主席就维护地区和平稳定提出的三点主张。双方欢迎哈萨克斯坦共和国关于举办第二届中亚文化论坛的倡议。");
    let t = typed(&x);
    assert!(!t.iter().any(|(_, p, o)| p == "supports" && o.starts_with("person/")), "{t:?}");
    assert!(!t.iter().any(|(_, p, _)| p == "hosts"), "{t:?}");
}

/// A prime minister heads a government, not a state; a treaty's own title
/// (…永久睦邻友好合作条约) states no cooperation; a body named after a prefix
/// (中国—东盟X) is not part of the organization in its name.
#[test]
fn offices_titles_and_joint_bodies_are_read_for_what_they_are() {
    let x = extract("中华人民共和国和哈萨克斯坦共和国永久睦邻友好合作条约", "缔约双方欢迎哈萨克斯坦共和国总理奥尔扎斯·别克特诺夫出席中国—东盟博览会。");
    let t = typed(&x);
    assert!(t.iter().any(|(s, p, o)| s.contains("别克特诺夫") && p == "other:premier_of" && o == KZP), "{t:?}");
    assert!(!t.iter().any(|(_, p, _)| p == "other:head_of_state_of"), "{t:?}");
    assert!(!t.iter().any(|(_, p, _)| p == "cooperates_with"), "{t:?}");
    assert!(!t.iter().any(|(_, p, o)| p == "other:part_of" && o.contains("东南亚国家联盟")), "{t:?}");
}
