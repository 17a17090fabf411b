//! Prints the mentions of a text given on stdin (a development aid).
use std::io::Read;
fn main() {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).unwrap();
    let p = diplograph::Pipeline::builtin().unwrap();
    let file = p.read_bytes("stdin", text.as_bytes()).unwrap();
    for d in &file.documents {
        let x = p.extract(d);
        for m in &x.mentions {
            println!("{:<12} {:>5}-{:<5} {} -> {}", m.entity_type.as_str(), m.start, m.end, m.text, m.id.as_deref().unwrap_or(""));
        }
    }
}
