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

fn blocks(name: &str, text: &str) -> Vec<(diplograph::document::paragraph::ParaKind, String)> {
    pipeline().read_bytes(name, text.as_bytes()).unwrap().blocks.into_iter().map(|b| (b.role, b.text)).collect()
}

/// A newspaper feed item: the page banner before the item's title, the title
/// again as the page heading, the masthead with its edition line, a date
/// header under the title. Furniture is never content: one document whose
/// title has no banner, no citation of the paper, and the header's date and
/// place as signing date and place.
#[test]
fn newspaper_feed_item_furniture_is_not_content() {
    let html = "[11版：国际] 中华人民共和国和智利共和国关于深化全面战略伙伴关系的联合声明\n\
        <div class=\"article\"><h1>中华人民共和国和智利共和国关于深化全面战略伙伴关系的联合声明</h1>\n\
        <h2>（二〇二五年四月十五日，圣地亚哥）</h2>\n\
        <p class=\"sec\"><span>《光明日报》（<span>2025年04月16日</span>&nbsp;第&nbsp;11&nbsp;版）</span></p>\n\
        <p>　　应智利共和国总统加夫列尔·博里奇邀请，中华人民共和国国务院总理于2025年4月13日至16日对智利共和国进行正式访问。</p>\n\
        <p>　　双方同意进一步加强在联合国、亚太经合组织等多边框架内的协调。</p></div>";
    let file = pipeline().read_bytes("feed.html", html.as_bytes()).unwrap();
    assert_eq!(file.documents.len(), 1, "{:?}", file.blocks);
    let d = &file.documents[0].meta;
    assert_eq!(d.title, "中华人民共和国和智利共和国关于深化全面战略伙伴关系的联合声明");
    assert_eq!(d.kind, "joint statement");
    assert_eq!(d.signed_date.as_deref(), Some("2025-04-15"));
    assert_eq!(d.signed_place.as_deref(), Some("圣地亚哥"));
    let text = file.documents[0].text.as_str();
    assert!(!text.contains("光明日报") && !text.contains("11版"), "{text}");
    assert_eq!(text.matches("关于深化全面战略伙伴关系的联合声明").count(), 1, "the title once: {text}");
    let x = pipeline().extract(&file.documents[0]);
    assert!(x.citations.is_empty(), "{:?}", x.citations);
}

/// A title broken over two centred lines is one title.
#[test]
fn a_title_over_two_lines_is_one_title() {
    let text = "中华人民共和国和蒙古国\n关于新时代推进全面战略伙伴关系的联合声明\n\
        应蒙古国总统邀请，中华人民共和国主席于2019年6月14日对蒙古国进行国事访问。\n\
        双方同意深化各领域合作。\n";
    let d = docs(text);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].title, "中华人民共和国和蒙古国关于新时代推进全面战略伙伴关系的联合声明");
    assert_eq!(d[0].parties.len(), 2);
}

/// The visit preamble and the talks paragraph come before the opening
/// formula (…（以下称“双方”）): all of it is one statement.
#[test]
fn the_visit_preamble_belongs_to_the_statement_after_it() {
    let text = "中华人民共和国和越南社会主义共和国联合声明\n\
        应越南共产党中央委员会总书记邀请，中共中央总书记、国家主席于2023年12月12日至13日对越南进行国事访问。\n\
        中华人民共和国和越南社会主义共和国（以下简称“双方”）一致认为，两党两国关系不断发展。\n\
        双方同意加强各领域合作。\n\
        二〇二三年十二月十三日于河内\n";
    let d = docs(text);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].signed_date.as_deref(), Some("2023-12-13"));
}

/// A signature block printed before the date line, office and name on
/// separate lines, is a signature block (not body text), and the document's
/// parties come from it.
#[test]
fn signature_lines_before_the_date_line() {
    let text = "中华人民共和国和柬埔寨王国联合声明\n\
        双方同意推动构建新时代中柬命运共同体。\n\
        中华人民共和国国务院总理\n李强\n柬埔寨王国首相\n洪玛奈\n\
        二〇二三年九月十六日于北京\n";
    let b = blocks("t.txt", text);
    use diplograph::document::paragraph::ParaKind;
    let roles: Vec<ParaKind> = b.iter().map(|(r, _)| *r).collect();
    assert_eq!(roles, [ParaKind::Title, ParaKind::Body, ParaKind::Signature, ParaKind::Signature, ParaKind::Signature, ParaKind::Signature, ParaKind::Signing], "{b:?}");
}

/// A dateline without a year gets the year of the document's own dates.
#[test]
fn a_dateline_takes_its_year_from_the_document() {
    let text = "中华人民共和国和巴西联邦共和国联合声明\n\
        应巴西联邦共和国总统邀请，中华人民共和国主席于2024年11月19日至21日对巴西进行国事访问。\n\
        双方愿在2030年前实现贸易额翻番。\n\
        （新华社巴西利亚11月20日电）\n";
    let d = docs(text);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].dateline_date.as_deref(), Some("2024-11-20"));
    assert_eq!(d[0].signed_date, None, "a dateline is not a signing");
}

/// A news article in traditional characters that reports a statement: read as
/// an article (not an untitled document of unknown kind) with the statement's
/// parties; its names are the same entities as in simplified text, and every
/// mention quotes the source as written, at its offsets.
#[test]
fn a_traditional_news_article_about_a_statement() {
    let text = "中國同越南發表聯合聲明 雙方同意深化合作\n\
        【本報訊】國家主席習近平在河內同越南共產黨中央委員會總書記舉行會談。\n\
        雙方發表《中華人民共和國和越南社會主義共和國關於進一步深化全面戰略合作夥伴關係的聯合聲明》，同意加強在聯合國和亞太經合組織框架內的協調。\n";
    let file = pipeline().read_bytes("article.txt", text.as_bytes()).unwrap();
    assert_eq!(file.documents.len(), 1, "{:?}", file.blocks);
    let d = &file.documents[0];
    assert_eq!(d.meta.kind, "article");
    assert_eq!(d.meta.title, "中國同越南發表聯合聲明 雙方同意深化合作");
    let en: Vec<_> = d.meta.parties.iter().filter_map(|p| p.en.clone()).collect();
    assert!(en.contains(&"China".to_owned()) && en.contains(&"Vietnam".to_owned()), "{en:?}");
    let x = pipeline().extract(d);
    let chars: Vec<char> = text.chars().collect();
    let xi = x.mentions.iter().find(|m| m.text == "習近平").expect("the leader, as written");
    assert_eq!(xi.entity, "习近平");
    assert_eq!(chars[xi.start as usize..xi.end as usize].iter().collect::<String>(), "習近平");
    let un = x.mentions.iter().find(|m| m.text == "聯合國").expect("the UN, as written");
    assert_eq!(un.entity, "联合国");
    let c = &x.citations[0];
    assert!(c.title.starts_with("中華人民共和國和越南"), "the cited title as written: {}", c.title);
    assert_eq!(c.verb.as_deref(), Some("发表"), "verbs are read in simplified form");
}

/// A multilateral communiqué issued by a body: its parties are the states
/// that sign (not the observers or the host named in the text), its issuer
/// is the body its title opens with, and a date alone under the signatures
/// is its signing date.
#[test]
fn a_multilateral_communique_names_its_signatories_and_issuer() {
    let text = "金砖国家外长会晤联合公报\n\
        2023年6月1日，金砖国家外长在开普敦举行会晤，埃及、沙特阿拉伯和阿根廷外长作为嘉宾出席。\n\
        外长们重申支持多边主义。\n\
        巴西联邦共和国外交部长\n毛罗·维埃拉\n俄罗斯联邦外交部长\n谢尔盖·拉夫罗夫\n印度共和国外交部长\n苏杰生\n\
        中华人民共和国外交部长\n王毅\n南非共和国国际关系与合作部长\n潘多尔\n\
        2023年6月1日\n";
    let d = docs(text);
    assert_eq!(d.len(), 1, "{d:#?}");
    let mut en: Vec<_> = d[0].parties.iter().filter_map(|p| p.en.clone()).collect();
    en.sort();
    assert_eq!(en, ["Brazil", "China", "India", "Russia", "South Africa"]);
    assert_eq!(d[0].signed_date.as_deref(), Some("2023-06-01"));
    assert_eq!(d[0].signed_place, None);
    assert_eq!(d[0].issuer.as_ref().map(|i| i.name.as_str()), Some("金砖国家"));
}

/// Without signatures, the states in the attendance sentence are the parties,
/// up to where observers are listed.
#[test]
fn without_signatures_the_attending_states_are_the_parties() {
    let text = "上海合作组织成员国外交部长理事会会议新闻公报\n\
        2022年7月29日，上海合作组织成员国外交部长理事会会议在塔什干举行。\n\
        哈萨克斯坦共和国、中华人民共和国、吉尔吉斯共和国、俄罗斯联邦、塔吉克斯坦共和国和乌兹别克斯坦共和国外交部长出席会议，伊朗伊斯兰共和国和白俄罗斯共和国作为观察员国出席。\n\
        外长们就国际和地区形势交换了意见。\n";
    let d = docs(text);
    assert_eq!(d.len(), 1, "{d:#?}");
    let mut en: Vec<_> = d[0].parties.iter().filter_map(|p| p.en.clone()).collect();
    en.sort();
    assert_eq!(en, ["China", "Kazakhstan", "Kyrgyzstan", "Russia", "Tajikistan", "Uzbekistan"]);
}
