//! The reader and the extractor never panic, whatever the input. These are
//! the fuzz targets, on the stable toolchain: CI runs a short pass; a longer
//! one is `PROPTEST_CASES=20000 cargo test --test robustness`.

mod common;

use common::pipeline;
use proptest::prelude::*;

fn run(text: &str) {
    if let Ok(file) = pipeline().read_bytes("fuzz.txt", text.as_bytes()) {
        for d in &file.documents {
            let x = pipeline().extract(d);
            for m in &x.mentions {
                assert!(m.start <= m.end);
            }
        }
    }
}

/// Reads arbitrary bytes: decoding fails cleanly or yields text whose offsets hold.
fn read_bytes(bytes: &[u8]) {
    match pipeline().read_bytes("fuzz.bin", bytes) {
        Ok(file) => {
            let len = file.source.text.chars().count() as u32;
            for d in &file.documents {
                for [s, e] in &d.meta.spans {
                    assert!(s <= e && *e <= len);
                }
                let _ = pipeline().extract(d);
            }
        }
        Err(e) => assert!(!e.problem.is_empty()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(200), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        read_bytes(&bytes);
    }

    #[test]
    fn html_like_text(s in "(<[pP][^>]{0,20}>|</[pP]>|<br/?>|&[a-z#0-9]{1,8};|&lt;br&gt;|<script>|</script>|<!--|-->|[中哈方《》〈〉，。 \u{3000}\n]|[0-9a-z]){0,300}") {
        read_bytes(s.as_bytes());
    }

    #[test]
    fn random_text_from_statement_alphabet(s in "[中华人民共和国哈萨克斯坦方双《》〈〉“”（）。，、；：\n 0-9年月日至—·的和与在举行签署联合声明组织委员会管道峰会第届次a-zA-Z<>&;]{0,400}") {
        run(&s);
    }

    #[test]
    fn arbitrary_unicode(s in "\\PC{0,300}") {
        run(&s);
    }
}

#[test]
fn hostile_inputs() {
    run(&"《".repeat(5000));
    run(&"》".repeat(5000));
    run(&"《〈".repeat(2000));
    run(&format!("本声明于{}签署", "二〇".repeat(3000)));
    run(&"委员会".repeat(3000));
    run(&"和".repeat(10000));
    run(&"中华人民共和国".repeat(2000));
    run(&format!("{}联合声明", "a".repeat(200_000)));
    run("应\n邀请\n本声明于\n（新华社电）\n人民日报");
    run("\u{3000}\u{3000}\t|---|\n| | |\n<p>&lt;br&gt;</p>&#x4e2d;&#99999999;");
}
