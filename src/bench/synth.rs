//! A deterministic synthetic corpus for benchmarks: statements assembled from
//! real paragraphs of the sample corpus, with the partner state, dates,
//! committees, projects and citations varied per document, so entities and
//! citations grow with the corpus instead of repeating one text.

use std::path::Path;

use regex::Regex;

use crate::knowledge::Gazetteer;
use crate::model::EntityType;

pub(crate) const SAMPLES: &[&str] = &[include_str!("../../corpus/000_b5c8c0237f700ace.txt"), include_str!("../../corpus/001_3f228837207674b3.txt")];

const SECTORS: &[&str] = &["农业", "能源", "交通", "教育", "卫生", "科技", "金融", "人文", "海关", "旅游", "数字经济", "绿色发展"];
const PROJECT_KINDS: &[&str] = &["天然气管道", "跨境铁路", "工业园", "物流合作基地", "经济走廊", "水电站"];
const SITES: &[&str] = &["北部", "南部", "东部", "西部", "中部", "沿海", "边境"];

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct SynthStats {
    pub files: usize,
    pub docs: usize,
    pub bytes: u64,
}

struct Partner {
    full: String,
    short: String,
    abbrev: char,
}

/// Paragraphs of the sample statements that can stand in a body.
fn body_paragraphs() -> Vec<String> {
    let mut out = Vec::new();
    for text in SAMPLES {
        for p in text.split(['\n', '\u{3000}']) {
            let p = p.trim();
            if p.chars().count() >= 30 && p.ends_with('。') && !p.starts_with("本声明") && !p.starts_with('应') {
                out.push(p.to_owned());
            }
        }
    }
    out
}

fn partners(g: &Gazetteer) -> Vec<Partner> {
    let mut out: Vec<Partner> = g
        .entries()
        .iter()
        .filter(|e| e.entity_type == EntityType::Party && e.code.as_deref() != Some("CN"))
        .filter_map(|e| {
            let abbrev = e.abbrev.first()?.chars().next()?;
            Some(Partner { full: e.canonical.clone(), short: e.aliases.first().cloned().unwrap_or_else(|| e.canonical.clone()), abbrev })
        })
        .collect();
    out.sort_by(|a, b| a.full.cmp(&b.full));
    out
}

/// Writes `docs` statements, one per file, under `out` (in folders of 1,000).
pub fn generate(out: &Path, docs: usize, seed: u64, g: &Gazetteer) -> anyhow::Result<SynthStats> {
    let paragraphs = body_paragraphs();
    let partners = partners(g);
    anyhow::ensure!(!partners.is_empty() && !paragraphs.is_empty(), "no material to assemble statements from");
    let year = Regex::new(r"(19|20)\d\d年").unwrap();
    let kz = Regex::new(r"哈萨克斯坦共和国|阿塞拜疆共和国").unwrap();
    let kz_short = Regex::new(r"哈萨克斯坦|阿塞拜疆").unwrap();
    let side = Regex::new(r"[哈阿]方").unwrap();
    let compound = Regex::new(r"中[哈阿]").unwrap();
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut stats = SynthStats::default();
    // (partner index, date) of every statement so far, for citations.
    let mut history: Vec<(usize, String)> = Vec::with_capacity(docs);
    for i in 0..docs {
        let pi = rng.usize(..partners.len());
        let p = &partners[pi];
        let y = 1995 + rng.i32(0..30);
        let (m, d) = (rng.u32(1..=12), rng.u32(1..=28));
        let date = format!("{y:04}-{m:02}-{d:02}");
        let mut text = format!("中华人民共和国和{}联合声明\n\n", p.full);
        text.push_str(&format!("应{}总统邀请，中华人民共和国主席习近平于{y}年{m}月{d}日对{}进行国事访问。\n\n", p.full, p.full));
        // Earlier statements with the same partner are cited, so chains form.
        let earlier: Vec<&String> = history.iter().filter(|(q, dt)| *q == pi && dt < &date).map(|(_, dt)| dt).collect();
        if !earlier.is_empty() {
            let cited: Vec<String> = earlier
                .iter()
                .rev()
                .take(3)
                .map(|dt| {
                    let (cy, cm, cd) = (&dt[..4], dt[5..7].trim_start_matches('0'), dt[8..].trim_start_matches('0'));
                    format!("{cy}年{cm}月{cd}日签署的《中华人民共和国和{}联合声明》", p.full)
                })
                .collect();
            text.push_str(&format!("双方重申恪守{}。\n\n", cited.join("、")));
        }
        let shift = y - 2024;
        for _ in 0..rng.usize(8..16) {
            let para = &paragraphs[rng.usize(..paragraphs.len())];
            let para = year.replace_all(para, |c: &regex::Captures| {
                let n: i32 = c[0][..4].parse().unwrap_or(2024);
                format!("{}年", (n + shift).clamp(1950, 2100))
            });
            let para = kz.replace_all(&para, p.full.as_str());
            let para = kz_short.replace_all(&para, p.short.as_str());
            let para = side.replace_all(&para, format!("{}方", p.abbrev).as_str());
            let para = compound.replace_all(&para, format!("中{}", p.abbrev).as_str());
            text.push_str(&para);
            text.push_str("\n\n");
        }
        let sector = SECTORS[rng.usize(..SECTORS.len())];
        let kind = PROJECT_KINDS[rng.usize(..PROJECT_KINDS.len())];
        let site = SITES[rng.usize(..SITES.len())];
        text.push_str(&format!(
            "双方同意成立中{a}{sector}合作分委会，推进{short}{site}{kind}建设，欢迎{a}方参加第{n}届中国国际进口博览会。\n\n",
            a = p.abbrev,
            short = p.short,
            n = rng.u32(1..=8)
        ));
        text.push_str(&format!("本声明于{y}年{m}月{d}日在北京签署。\n"));

        let dir = out.join(format!("{:03}", i / 1000));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(format!("statement-{i:05}.txt")), &text)?;
        stats.files += 1;
        stats.docs += 1;
        stats.bytes += text.len() as u64;
        history.push((pi, date));
    }
    Ok(stats)
}
