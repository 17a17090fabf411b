//! The reader and the extractor never panic, whatever the input. These are
//! the fuzz targets, on the stable toolchain: CI runs a short pass (200 cases
//! per property); a long one sets PROPTEST_CASES (see README, "Scale and
//! robustness"). The inputs include the extractor's own masking tokens
//! (⟦Organization#57⟧), very long digit runs where dates are read, and
//! paragraphs naming thousands of entities.
//!
//! A panic inside the pipeline is contained (it costs one document and is
//! reported as "internal error"): these properties fail on that report too.

mod common;

use common::pipeline;
use diplograph::extract::bounds::{CO_MENTIONED_PER_PARAGRAPH, RELATIONS_PER_DOCUMENT};
use proptest::prelude::*;

/// Cases per property: PROPTEST_CASES, or 200.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(200)
}

fn no_internal_error(problem: &str) {
    assert!(!problem.contains("internal error"), "a contained panic: {problem}");
}

/// Reads and extracts `text`; offsets hold and nothing panicked.
fn run(text: &str) {
    match pipeline().extract_input("fuzz.txt", text.as_bytes()) {
        Ok(file) => {
            for p in &file.problems {
                no_internal_error(&p.problem);
            }
            let len = file.source.text.chars().count() as u32;
            for x in &file.extractions {
                for m in &x.mentions {
                    assert!(m.start <= m.end && m.end <= len);
                }
                for r in &x.relations {
                    assert!(r.start <= r.end && r.end <= len);
                }
            }
        }
        Err(e) => no_internal_error(&e.problem),
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
                pipeline().try_extract(d).unwrap_or_else(|panic| panic!("extraction panicked: {panic}"));
            }
        }
        Err(e) => {
            assert!(!e.problem.is_empty());
            no_internal_error(&e.problem);
        }
    }
}

/// Tokens the extractor writes into its masked sentences, and look-alikes.
fn token() -> impl Strategy<Value = String> {
    let kind = prop_oneof![Just("Organization".to_owned()), Just("Party".to_owned()), Just("Both".to_owned()), Just("Date".to_owned()), "[A-Za-z]{0,12}"];
    let number = prop_oneof!["[0-9]{1,3}", "[0-9]{19,40}", Just(String::new()), Just("-1".to_owned())];
    (kind, number, any::<bool>()).prop_map(|(k, n, closed)| format!("⟦{k}#{n}{}", if closed { "⟧" } else { "" }))
}

/// A long run of digits of one of the scripts dates are read in.
fn digit_run() -> impl Strategy<Value = String> {
    prop_oneof!["[0-9]{20,3000}", "[０-９]{20,500}", "[〇零一二三四五六七八九]{20,500}", "[一二三四五六七八九十百千]{5,200}"]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        read_bytes(&bytes);
    }

    #[test]
    fn html_like_text(s in "(<[pP][^>]{0,20}>|</[pP]>|<br/?>|&[a-z#0-9]{1,8};|&lt;br&gt;|<script>|</script>|<!--|-->|[中哈方《》〈〉，。 \u{3000}\n]|[0-9a-z]){0,300}") {
        read_bytes(s.as_bytes());
    }

    #[test]
    fn random_text_from_statement_alphabet(s in "[中华人民共和国哈萨克斯坦方双《》〈〉“”（）。，、；：\n 0-9年月日至—·的和与在举行签署联合声明组织委员会管道峰会第届次a-zA-Z<>&;⟦⟧#]{0,400}") {
        run(&s);
    }

    #[test]
    fn arbitrary_unicode(s in "\\PC{0,300}") {
        run(&s);
    }

    /// Statement sentences with the extractor's tokens where names stand.
    #[test]
    fn the_extractors_own_tokens_in_statements(parts in proptest::collection::vec(prop_oneof![
        token(),
        Just("中华人民共和国和哈萨克斯坦共和国联合声明\n".to_owned()),
        Just("中方支持上海合作组织".to_owned()),
        Just("双方欢迎".to_owned()),
        Just("、".to_owned()),
        Just("和".to_owned()),
        Just("。".to_owned()),
        Just("\n".to_owned()),
        Just("《".to_owned()),
        Just("》".to_owned()),
        Just("#".to_owned()),
    ], 0..40)) {
        run(&parts.concat());
    }

    /// Digit runs of any length where dates, ordinals and anniversaries are read.
    #[test]
    fn long_digit_runs_where_dates_are_read(digits in digit_run(), place in 0usize..8) {
        let d = &digits;
        let sentence = match place {
            0 => format!("本声明于{d}年{d}月{d}日在北京签署。"),
            1 => format!("双方于{d}年签署《条约》。"),
            2 => format!("建交{d}年来，成立{d}周年。"),
            3 => format!("第{d}届论坛于今年{d}月{d}日举行。"),
            4 => format!("{d}-{d}-{d}"),
            5 => format!("（新华社北京{d}月{d}日电）"),
            6 => format!("{d}—{d}年合作计划"),
            _ => d.clone(),
        };
        run(&format!("中华人民共和国和哈萨克斯坦共和国联合声明\n{sentence}\n本声明于2024年7月3日在阿斯塔纳签署。\n"));
    }
}

/// A paragraph naming thousands of entities: co-mentions and relation lists
/// stay bounded (the pairs of 4,000 entities would be 8 million). Each case
/// is heavy, so there is one per hundred cases of the other properties (a
/// runner of its own: PROPTEST_CASES would set the `proptest!` count).
#[test]
fn paragraphs_naming_thousands_of_entities() {
    let config = ProptestConfig { cases: (cases() / 100).max(4), ..ProptestConfig::default() };
    let mut runner = proptest::test_runner::TestRunner::new(config);
    runner
        .run(&(1000usize..4000, 0usize..3), |(n, shape)| {
            let items: Vec<String> = (0..n)
                .map(|i| match shape {
                    0 => format!("《条约{i}》"),
                    1 => format!("第{i}届中哈合作论坛"),
                    _ => format!("中哈第{i}合作委员会"),
                })
                .collect();
            let text = format!("中华人民共和国和哈萨克斯坦共和国联合声明\n中方、哈方支持{}。\n", items.join("、"));
            let file = pipeline().extract_input("many.txt", text.as_bytes()).unwrap();
            let per_paragraph = CO_MENTIONED_PER_PARAGRAPH * (CO_MENTIONED_PER_PARAGRAPH - 1) / 2;
            for x in &file.extractions {
                let co_mentions = x.relations.iter().filter(|r| r.predicate == "co_mention").count();
                prop_assert!(co_mentions <= 2 * per_paragraph, "{co_mentions} co-mentions from {n} entities");
                prop_assert!(x.relations.len() - co_mentions <= RELATIONS_PER_DOCUMENT);
            }
            Ok(())
        })
        .unwrap();
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
    // The extractor's own masking token, and one whose number overflows.
    run("中华人民共和国和哈萨克斯坦共和国联合声明\n中方支持上海合作组织、⟦Organization#57⟧。\n");
    run(&format!("中华人民共和国和哈萨克斯坦共和国联合声明\n中方支持上海合作组织、⟦Organization#{}⟧。\n", "9".repeat(23)));
    run(&format!("中华人民共和国和哈萨克斯坦共和国联合声明\n双方于{0}年{0}月{0}日签署。\n", "1".repeat(23)));
}

/// Work is linear in the input: a paragraph of 8,000 titles (150 KB) once
/// gave 4.2 GB of output; 320,000 one-title lines took 100 s.
#[test]
fn pairing_stays_linear() {
    let titles: String = (0..8000).map(|i| format!("《条约{i}》，")).collect();
    let started = std::time::Instant::now();
    let file = pipeline().extract_input("titles.txt", titles.as_bytes()).unwrap();
    let json: usize = file.extractions.iter().map(|x| serde_json::to_vec(x).unwrap().len()).sum();
    assert!(json < 50 * titles.len(), "{json} bytes of output from {} bytes", titles.len());
    assert!(file.notes.iter().any(|n| n.contains("co-mentions pair the")), "the bound reached is said: {:?}", file.notes);

    let lines: String = (0..100_000).map(|i| format!("《条约{i}》\n")).collect();
    pipeline().extract_input("lines.txt", lines.as_bytes()).unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(60), "{:?}", started.elapsed());
}

