//! `diplograph eval`: score extraction against a gold standard.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use diplograph::eval::{evaluate, load_gold, Score};
use diplograph::Pipeline;

use super::output::{self, CliResult, Outcome};
use super::InputArgs;

#[derive(Args)]
#[command(after_help = "The gold file follows the schema of shared/gold/seeds.json (documents, entities,\ntreaty_citations, dates, relations; `optional` and `alt_types` are honoured).\n\nExamples:\n  diplograph eval --gold ../shared/gold/seeds.json corpus/\n  diplograph eval --gold ../shared/gold/seeds.json --json corpus/ | jq .entities")]
pub struct EvalArgs {
    /// The gold-standard JSON file.
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
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
    let gold = load_gold(&args.gold)?;
    let pipeline = Pipeline::new(&args.input.pipeline_config())?;
    let corpus = pipeline.extract_paths(&args.input.paths, true, &output::Reporter::messages_only());
    let report = evaluate(&gold, &corpus.extractions, &corpus.sources);
    let mut out = output::stdout();
    if args.json {
        output::write_json(&mut out, &report)?;
    } else {
        let line = |out: &mut dyn Write, name: &str, s: &Score| writeln!(out, "{name:<14} {:>6.3} {:>6.3} {:>6.3} {:>5} {:>5} {:>5}", s.precision, s.recall, s.f1, s.tp, s.fp, s.fn_);
        writeln!(out, "{:<14} {:>6} {:>6} {:>6} {:>5} {:>5} {:>5}", "", "P", "R", "F1", "TP", "FP", "FN")?;
        for (t, s) in &report.entities {
            line(&mut out, t, s)?;
        }
        line(&mut out, "citations", &report.citations)?;
        line(&mut out, "dates", &report.dates)?;
        line(&mut out, "relations", &report.relations)?;
        writeln!(out)?;
        writeln!(out, "citation verbs right: {}/{}; kinds right: {}/{}", report.citation_verbs_correct, report.citations.tp, report.citation_kinds_correct, report.citations.tp)?;
        writeln!(out, "date values right: {}/{}", report.date_values_correct, report.dates.tp)?;
        writeln!(out, "citations resolved to the right corpus document: {}/{}", report.resolutions.0, report.resolutions.1)?;
        let meta: Vec<String> = report.metadata.iter().map(|(k, (ok, n))| format!("{k} {ok}/{n}")).collect();
        writeln!(out, "metadata: {}", meta.join(", "))?;
        for (title, list) in [("missed", &report.missed), ("spurious", &report.spurious)] {
            writeln!(out, "\n{title} ({}):", list.len())?;
            for f in list.iter().take(args.show) {
                writeln!(out, "  {:<12} {:<12} {}", f.doc, f.kind, f.item)?;
            }
        }
    }
    out.flush()?;
    Ok(if corpus.problems == 0 { Outcome::Success } else { Outcome::PartialInputs })
}
