//! Documents in other layouts than the samples.

mod common;

use common::pipeline;

fn docs(text: &str) -> Vec<diplograph::model::DocumentMeta> {
    pipeline().read_bytes("t.txt", text.as_bytes()).unwrap().documents.into_iter().map(|d| d.meta).collect()
}

#[test]
fn one_paragraph_per_line_with_chinese_numeral_signing_line() {
    let text = "中华人民共和国和土库曼斯坦关于全面深化战略伙伴关系的联合声明\n\
        应中华人民共和国主席习近平邀请，土库曼斯坦总统谢尔达尔·别尔德穆哈梅多夫于2023年1月5日至6日对中华人民共和国进行国事访问。\n\
        双方同意，加快推进中国—中亚天然气管道D线建设。\n\
        二〇二三年一月六日于北京\n";
    let d = docs(text);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].title, "中华人民共和国和土库曼斯坦关于全面深化战略伙伴关系的联合声明");
    assert!(d[0].title_in_text);
    assert_eq!(d[0].kind, "joint statement");
    assert_eq!(d[0].signed_date.as_deref(), Some("2023-01-06"));
    assert_eq!(d[0].signed_place.as_deref(), Some("北京"));
    let en: Vec<_> = d[0].parties.iter().map(|p| p.en.clone().unwrap_or_default()).collect();
    assert_eq!(en, ["China", "Turkmenistan"]);
}

#[test]
fn signature_block_padded_with_spaces() {
    let text = "中华人民共和国和乌兹别克斯坦共和国联合声明\n\n\
        \u{3000}\u{3000}应乌兹别克斯坦共和国总统沙夫卡特·米尔济约耶夫邀请，中华人民共和国主席习近平对乌兹别克斯坦共和国进行国事访问。\n\
        \u{3000}\u{3000}双方愿共同推进中吉乌铁路项目。\n\
        \u{3000}\u{3000}本声明于二〇二二年九月十五日在撒马尔罕签署，一式两份。\n\
        中华人民共和国主席                    乌兹别克斯坦共和国总统\n\
        习    近    平                          沙夫卡特·米尔济约耶夫\n";
    let d = docs(text);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].signed_date.as_deref(), Some("2022-09-15"));
    assert_eq!(d[0].signed_place.as_deref(), Some("撒马尔罕"));
    assert_eq!(d[0].parties.len(), 2);
}

#[test]
fn untitled_statement_gets_a_composed_title_flagged_as_such() {
    let text = "应中华人民共和国主席习近平邀请，蒙古国总统乌赫那·呼日勒苏赫于2022年11月27日至29日对中华人民共和国进行国事访问。\n\
        双方同意，进一步深化全面战略伙伴关系。\n\
        本声明于2022年11月28日在北京签署。\n";
    let d = docs(text);
    assert_eq!(d.len(), 1);
    assert!(!d[0].title_in_text);
    assert_eq!(d[0].title, "中华人民共和国和蒙古国联合声明");
    assert_eq!(d[0].kind, "joint statement");
}

#[test]
fn missing_metadata_is_null_not_guessed() {
    let text = "关于加强合作的联合声明\n双方同意加强在各领域的合作，推动两国关系不断发展。双方将继续保持高层交往。\n";
    let d = docs(text);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].signed_date, None);
    assert_eq!(d[0].signed_place, None);
    assert_eq!(d[0].dateline, None);
}

#[test]
fn two_titled_documents_in_one_file() {
    let text = "中华人民共和国和越南社会主义共和国联合声明\n应越南共产党中央委员会总书记邀请，中华人民共和国主席习近平对越南进行国事访问。\n双方同意加强合作。\n本声明于2023年12月13日在河内签署。\n\
        中华人民共和国和老挝人民民主共和国联合声明\n应中华人民共和国主席习近平邀请，老挝人民民主共和国主席通伦·西苏里对中国进行国事访问。\n双方同意推进中老铁路建设。\n本声明于2023年10月21日在北京签署。\n";
    let d = docs(text);
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].signed_place.as_deref(), Some("河内"));
    assert_eq!(d[1].signed_date.as_deref(), Some("2023-10-21"));
    assert!(d[0].spans[0][1] <= d[1].spans[0][0]);
}

#[test]
fn xinhua_dateline_at_the_start_does_not_end_the_document() {
    let text = "新华社北京5月19日电\n中华人民共和国和哈萨克斯坦共和国联合声明\n应中华人民共和国主席习近平邀请，哈萨克斯坦共和国总统托卡耶夫对中国进行国事访问。\n双方同意加强合作。\n";
    let d = docs(text);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].title, "中华人民共和国和哈萨克斯坦共和国联合声明");
}

/// A saved ministry web page: navigation, publication stamp, font widget,
/// a Xinhua dateline first, a signing line in Chinese numerals, a footer.
#[test]
fn raw_web_page_is_one_document_without_its_furniture() {
    let html = std::fs::read(common::root().join("tests/data/web_page.html")).unwrap();
    let file = pipeline().read_bytes("web_page.html", &html).unwrap();
    assert_eq!(file.documents.len(), 1, "{:#?}", file.documents.iter().map(|d| &d.meta).collect::<Vec<_>>());
    let d = &file.documents[0];
    assert_eq!(d.meta.title, "中华人民共和国和塔吉克斯坦共和国关于新时代全面战略合作伙伴关系的联合声明");
    assert_eq!(d.meta.signed_date.as_deref(), Some("2024-07-05"));
    assert_eq!(d.meta.signed_place.as_deref(), Some("杜尚别"));
    assert_eq!(d.meta.dateline.as_deref(), Some("新华社杜尚别7月5日电"));
    let text = d.text.as_str();
    for furniture in ["首页", "字体", "打印本页", "版权所有", "21:30", "来源"] {
        assert!(!text.contains(furniture), "{furniture} left in the text");
    }
    let x = pipeline().extract(d);
    let nested = x.citations.iter().find(|c| c.title.starts_with('〈')).expect("title nested in a title");
    assert_eq!(nested.verb.as_deref(), Some("落实"));
    assert!(x.citations.iter().any(|c| c.title == "中塔睦邻友好合作条约"));
}

/// A declaration of six parties, listed before （以下简称“各方”）.
#[test]
fn multilateral_declaration() {
    let text = std::fs::read(common::root().join("tests/data/multilateral.txt")).unwrap();
    let file = pipeline().read_bytes("multilateral.txt", &text).unwrap();
    assert_eq!(file.documents.len(), 1);
    let m = &file.documents[0].meta;
    assert_eq!(m.kind, "declaration");
    assert_eq!(m.parties.len(), 6);
    assert_eq!(m.parties[0].name, "中华人民共和国");
    assert_eq!(m.signed_date.as_deref(), Some("2023-05-19"));
    assert_eq!(m.signed_place.as_deref(), Some("西安"));
    let x = pipeline().extract(&file.documents[0]);
    let places: Vec<&str> = x.mentions.iter().filter(|m| m.entity_type == diplograph::model::EntityType::Place).map(|m| m.text.as_str()).collect();
    assert!(places.contains(&"西安") && !places.contains(&"中国西安"), "{places:?}");
    assert!(!x.mentions.iter().any(|m| m.text == "一次峰会"));
    assert!(x.relations.iter().any(|r| r.predicate == "held_on" && r.object == "2023-05-18/2023-05-19"));
}
