//! Reading files: encodings, HTML, bad inputs, directories, layouts.

mod common;

use common::{pipeline, write};
use diplograph::source::{collect_inputs, InputRef};

const STATEMENT: &str = "中华人民共和国和吉尔吉斯共和国联合声明\n\n应吉尔吉斯共和国总统萨德尔·扎帕罗夫邀请，中华人民共和国主席习近平于2023年5月17日至19日对吉尔吉斯共和国进行国事访问。\n\n双方重申，将继续在上海合作组织框架内加强合作。\n\n本声明于2023年5月18日在比什凯克签署。\n";

fn read_one(name: &str, bytes: &[u8]) -> diplograph::pipeline::ReadFile {
    pipeline().read_bytes(name, bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn assert_statement(file: &diplograph::pipeline::ReadFile) {
    assert_eq!(file.documents.len(), 1, "{:?}", file.documents.iter().map(|d| &d.meta).collect::<Vec<_>>());
    let m = &file.documents[0].meta;
    assert_eq!(m.title, "中华人民共和国和吉尔吉斯共和国联合声明");
    assert_eq!(m.signed_date.as_deref(), Some("2023-05-18"));
    assert_eq!(m.signed_place.as_deref(), Some("比什凯克"));
    let parties: Vec<&str> = m.parties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(parties, ["中华人民共和国", "吉尔吉斯共和国"]);
}

#[test]
fn utf8_with_and_without_bom() {
    assert_statement(&read_one("plain.txt", STATEMENT.as_bytes()));
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(STATEMENT.as_bytes());
    let file = read_one("bom.txt", &bom);
    assert_statement(&file);
    // Offsets count code points of the decoded text, so the BOM is not counted.
    assert_eq!(file.documents[0].meta.spans[0][0], 0);
}

#[test]
fn utf16_with_bom_both_byte_orders() {
    let mut le = vec![0xff, 0xfe];
    le.extend(STATEMENT.encode_utf16().flat_map(|u| u.to_le_bytes()));
    assert_statement(&read_one("le.txt", &le));
    let mut be = vec![0xfe, 0xff];
    be.extend(STATEMENT.encode_utf16().flat_map(|u| u.to_be_bytes()));
    assert_statement(&read_one("be.txt", &be));
}

#[test]
fn gbk_and_gb18030_are_detected() {
    let (gbk, _, _) = encoding_rs::GBK.encode(STATEMENT);
    let file = read_one("gbk.txt", &gbk);
    assert_eq!(file.source.encoding, "gb18030");
    assert_statement(&file);
}

#[test]
fn encoding_can_be_forced() {
    let (big5, _, _) = encoding_rs::BIG5.encode("中華人民共和國和吉爾吉斯共和國聯合聲明");
    let p = diplograph::Pipeline::new(&diplograph::pipeline::PipelineConfig { encoding: Some("big5".into()), ..Default::default() }).unwrap();
    let file = p.read_bytes("big5.txt", &big5).unwrap();
    assert!(file.source.text.starts_with("中華人民共和國"));
}

#[test]
fn html_page_becomes_paragraphs_with_source_offsets() {
    let html = "<!DOCTYPE html><html><head><title>x</title><script>var a = '<p>';</script></head><body>\
        <div class=\"nav\">首页 &gt; 外交</div>\
        <h1>中华人民共和国和吉尔吉斯共和国联合声明</h1>\
        <P style=\"text-indent:2em\">应吉尔吉斯共和国总统萨德尔·扎帕罗夫邀请，中华人民共和国主席习近平于2023年5月17日至19日对吉尔吉斯共和国进行国事访问。</P>\
        <P style=\"text-indent:2em\">双方重申，将继续在上海合作组织&nbsp;框架内加强合作。&lt;br&gt;双方同意加强人文交流。</P>\
        <p>本声明于2023年5月18日在比什凯克签署。</p></body></html>";
    let file = read_one("page.html", html.as_bytes());
    assert!(file.source.is_html);
    assert_statement(&file);
    let doc = &file.documents[0];
    // The escaped <br> split a paragraph; entities were decoded.
    assert!(doc.text.as_str().contains("框架内加强合作。\n双方同意"), "{}", doc.text.as_str());
    // Every character maps back to where it stands in the HTML source.
    let text = doc.text.as_str();
    let at = text.find("比什凯克").unwrap();
    let (s, e) = doc.text.source_range(at, at + "比什凯克".len());
    let chars: Vec<char> = html.chars().collect();
    assert_eq!(chars[s as usize..e as usize].iter().collect::<String>(), "比什凯克");
}

#[test]
fn empty_and_binary_files_are_reported_with_their_names() {
    let err = pipeline().read_bytes("empty.txt", b"").err().expect("empty file is an error");
    assert_eq!(err.path, "empty.txt");
    assert!(err.problem.contains("empty"), "{}", err.problem);
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";
    let err = pipeline().read_bytes("picture.txt", png).err().expect("binary is an error");
    assert!(err.problem.contains("binary"), "{}", err.problem);
    let err = pipeline().read_bytes("blank.txt", "\u{3000}\u{3000}\n  \n".as_bytes()).err().expect("no text");
    assert!(err.problem.contains("no text"), "{}", err.problem);
}

#[test]
fn a_directory_mixing_good_and_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "b_good.txt", STATEMENT.as_bytes());
    write(dir.path(), "a_empty.txt", b"");
    write(dir.path(), "c_binary.bin", &[0, 159, 146, 150, 0, 1, 2, 3]);
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(STATEMENT);
    write(&dir.path().join("sub"), "d_gbk.txt", &gbk);
    write(dir.path(), ".hidden.txt", STATEMENT.as_bytes());

    let (inputs, errors) = collect_inputs(&[dir.path().to_path_buf()]);
    assert!(errors.is_empty());
    let names: Vec<String> = inputs.iter().map(|i| i.display_name().rsplit('/').next().unwrap().to_owned()).collect();
    // Stable order (by name, directories in place), hidden files skipped.
    assert_eq!(names, ["a_empty.txt", "b_good.txt", "c_binary.bin", "d_gbk.txt"]);

    let mut good = 0;
    let mut bad = Vec::new();
    for input in &inputs {
        match pipeline().read(input) {
            Ok(f) => {
                assert_statement(&f);
                good += 1;
            }
            Err(e) => bad.push(e.path.rsplit('/').next().unwrap().to_owned()),
        }
    }
    assert_eq!(good, 2);
    assert_eq!(bad, ["a_empty.txt", "c_binary.bin"]);
}

#[test]
fn missing_path_is_reported_and_stdin_is_an_input() {
    let (inputs, errors) = collect_inputs(&["no/such/file.txt".into(), "-".into()]);
    assert_eq!(inputs, [InputRef::Stdin]);
    assert_eq!(errors.len(), 1);
    assert!(errors[0].path.contains("no/such/file.txt"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.txt", STATEMENT.as_bytes());
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    let (inputs, errors) = collect_inputs(&[dir.path().to_path_buf()]);
    assert_eq!(inputs.len(), 1);
    assert!(errors.iter().any(|e| e.problem.contains("loop")), "{errors:?}");
}
