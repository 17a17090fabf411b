//! `diplograph eval`: score extraction against a gold standard.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use diplograph::eval::gold::Gold;
use diplograph::eval::{evaluate, load_gold, Report, Score};
use diplograph::Pipeline;

use super::output::{self, CliResult, Outcome};
use super::InputArgs;

#[derive(Args)]
#[command(after_help = "The gold file follows the schema of tests/data/seeds.json (documents, entities,\ntreaty_citations, dates, relations; `optional` and `alt_types` are honoured). Several\n--gold files are scored as one set.\n\nExamples:\n  diplograph eval --gold tests/data/seeds.json --gold tests/data/devset-gold.json corpus/\n  diplograph eval --gold tests/data/devset-gold.json --skip cn-bd-2026 --skip sco-2020-hog corpus/\n  diplograph eval --gold tests/data/seeds.json --json corpus/ | jq .entities")]
pub struct EvalArgs {
    /// A gold-standard JSON file; may be repeated.
    #[arg(long, value_name = "FILE", required = true)]
    pub gold: Vec<PathBuf>,
    /// Score only this gold document (by its id); may be repeated.
    #[arg(long, value_name = "ID")]
    pub only: Vec<String>,
    /// Leave this gold document out (documents set aside); may be repeated.
    #[arg(long, value_name = "ID")]
    pub skip: Vec<String>,
    #[command(flatten)]
    pub input: InputArgs,
    /// Print the whole report as JSON.
    #[arg(long)]
    pub json: bool,
    /// How many missed and spurious items to list (all with --json).
    #[arg(long, default_value_t = 60)]
    pub show: usize,
}

pub fn run(args: EvalArgs) -> CliResult {
    let golds = args.gold.iter().map(|p| load_gold(p)).collect::<anyhow::Result<Vec<Gold>>>()?;
    let mut gold = Gold::merge(golds)?;
    for id in args.only.iter().chain(&args.skip) {
        if !gold.documents.iter().any(|d| d.id == *id) {
            return Err(anyhow::anyhow!("no gold document has the id {id:?}").into());
        }
    }
    gold.retain_documents(|id| (args.only.is_empty() || args.only.iter().any(|o| o == id)) && !args.skip.iter().any(|s| s == id));
    let pipeline = Pipeline::new(&args.input.pipeline_config())?;
    let corpus = pipeline.extract_paths(&args.input.paths, true, &output::Reporter::messages_only());
    let report = evaluate(&gold, &corpus.extractions, &corpus.sources);
    let mut out = output::stdout();
    if args.json {
        output::write_json(&mut out, &report)?;
    } else {
        print_report(&mut out, &report, args.show)?;
    }
    out.flush()?;
    Ok(if corpus.problems == 0 { Outcome::Success } else { Outcome::PartialInputs })
}

fn print_report(out: &mut dyn Write, report: &Report, show: usize) -> std::io::Result<()> {
    let line = |out: &mut dyn Write, name: &str, s: &Score| writeln!(out, "{name:<14} {:>6.3} {:>6.3} {:>6.3} {:>5} {:>5} {:>5}", s.precision, s.recall, s.f1, s.tp, s.fp, s.fn_);
    writeln!(out, "{:<14} {:>6} {:>6} {:>6} {:>5} {:>5} {:>5}", "", "P", "R", "F1", "TP", "FP", "FN")?;
    for (t, s) in &report.entities {
        line(out, t, s)?;
    }
    line(out, "entities (all)", &report.entities_all)?;
    line(out, "citations", &report.citations)?;
    line(out, "dates", &report.dates)?;
    line(out, "relations", &report.relations)?;
    writeln!(out)?;
    writeln!(out, "citation verbs right: {}/{}; kinds right: {}/{}", report.citation_verbs_correct, report.citations.tp, report.citation_kinds_correct, report.citations.tp)?;
    writeln!(out, "date values right: {}/{}", report.date_values_correct, report.dates.tp)?;
    writeln!(out, "citations resolved to the right corpus document: {}/{}", report.resolutions.0, report.resolutions.1)?;
    let meta: Vec<String> = report.metadata.iter().map(|(k, (ok, n))| format!("{k} {ok}/{n}")).collect();
    writeln!(out, "metadata: {}", meta.join(", "))?;
    let (right, all) = report.documents_read_right();
    writeln!(out, "documents whose metadata is wholly right: {right}/{all}")?;
    let recall: Vec<String> = report.relation_recall.iter().map(|(p, (found, n))| format!("{p} {found}/{n}")).collect();
    writeln!(out, "relation recall by predicate: {}", recall.join(", "))?;

    writeln!(out, "\n{:<20} {:>8} {:>9} {:>8} {:>9}  metadata", "document", "entities", "citations", "dates", "relations")?;
    for (id, d) in &report.documents {
        let wrong = if d.metadata_wrong.is_empty() { "right".to_owned() } else { format!("wrong: {}", d.metadata_wrong.join(", ")) };
        writeln!(out, "{id:<20} {:>8.3} {:>9.3} {:>8.3} {:>9.3}  {wrong}", d.entities.f1, d.citations.f1, d.dates.f1, d.relations.recall)?;
    }
    for (title, list) in [("missed", &report.missed), ("spurious", &report.spurious)] {
        writeln!(out, "\n{title} ({}):", list.len())?;
        for f in list.iter().take(show) {
            writeln!(out, "  {:<12} {:<12} {}", f.doc, f.kind, f.item)?;
        }
    }
    Ok(())
}
