use diplograph::document::paragraph::ParagraphClassifier;
fn main() {
    let p = diplograph::Pipeline::builtin().unwrap();
    let path = std::env::args().nth(1).unwrap();
    let f = p.read(&diplograph::source::InputRef::File(path.into())).unwrap();
    let c = ParagraphClassifier::new(&p.knowledge);
    for para in c.paragraphs(&f.source.clean) {
        let t = &f.source.clean.as_str()[para.start..para.end];
        if para.kind != diplograph::document::paragraph::ParaKind::Body {
            println!("{:>5} {:?} {}", para.owns_from, para.kind, t.chars().take(50).collect::<String>());
        }
    }
}
