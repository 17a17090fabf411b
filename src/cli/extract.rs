//! `diplograph extract`: mentions, citations and relations as JSON Lines.

use std::io::Write;

use clap::{Args, ValueEnum};
use diplograph::extract::resolve_citations;
use diplograph::source::collect_inputs;
use diplograph::Pipeline;

use super::output::{self, CliResult, Outcome};
use super::InputArgs;

#[derive(Clone, Copy, ValueEnum)]
pub enum ExtractFormat {
    Jsonl,
}

#[derive(Args)]
#[command(after_help = "Each line is one document: the fields of `documents --json` plus mentions, citations,\nrelations, entities and sentences. Offsets are code points into the source file.\n\nExamples:\n  diplograph extract corpus/ > extraction.jsonl\n  diplograph extract corpus/ | jq -c '.citations[] | [.title, .date, .resolves_to]'")]
pub struct ExtractArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: ExtractFormat,
    /// Instead of the extraction, print every candidate mention each recognizer
    /// proposed and what became of it (chosen, or dropped and why): a table, or
    /// JSON Lines with --format jsonl.
    #[arg(long)]
    pub explain: bool,
}

pub fn run(args: ExtractArgs) -> CliResult {
    let pipeline = Pipeline::new(&args.input.pipeline_config())?;
    if args.explain {
        return explain(&pipeline, &args);
    }
    let corpus = super::extract_all(&pipeline, &args.input.paths, false);
    let (extractions, failed) = (corpus.extractions, corpus.failed);
    let mut out = output::stdout();
    let ExtractFormat::Jsonl = args.format;
    for x in &extractions {
        serde_json::to_writer(&mut out, x)?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(if failed == 0 { Outcome::Success } else { Outcome::PartialInputs })
}

fn explain(pipeline: &Pipeline, args: &ExtractArgs) -> CliResult {
    let (inputs, errors) = collect_inputs(&args.input.paths);
    let mut failed = errors.len();
    for e in &errors {
        output::warn(e);
    }
    let mut out = output::stdout();
    for input in &inputs {
        let file = match pipeline.read(input) {
            Ok(f) => f,
            Err(e) => {
                output::warn(&e);
                failed += 1;
                continue;
            }
        };
        for doc in &file.documents {
            writeln!(out, "{} ({})", doc.meta.doc, file.source.name)?;
            for e in pipeline.explain(doc) {
                writeln!(out, "  {:>6}-{:<6} {:<14} {:<12} {:<40} {}", e.start, e.end, e.recognizer, e.entity_type.as_str(), e.text, e.outcome)?;
            }
        }
    }
    out.flush()?;
    Ok(if failed == 0 { Outcome::Success } else { Outcome::PartialInputs })
}

/// Every extraction of a run, with the decoded sources when asked for.
pub struct CorpusExtraction {
    pub extractions: Vec<diplograph::extract::Extraction>,
    pub sources: std::collections::HashMap<String, String>,
    /// How many inputs could not be read.
    pub failed: usize,
}

/// Reads and extracts every input, reporting the ones that fail; citations
/// are resolved across all of them.
pub fn extract_all(pipeline: &Pipeline, paths: &[std::path::PathBuf], keep_sources: bool) -> CorpusExtraction {
    let (inputs, errors) = collect_inputs(paths);
    let mut failed = errors.len();
    for e in &errors {
        output::warn(e);
    }
    let mut extractions = Vec::new();
    let mut sources = std::collections::HashMap::new();
    for input in &inputs {
        match pipeline.read(input) {
            Ok(file) => {
                for w in &file.source.warnings {
                    output::warn(format!("{}: {w}", file.source.name));
                }
                extractions.extend(file.documents.iter().map(|d| pipeline.extract(d)));
                if keep_sources {
                    sources.insert(file.source.name.clone(), file.source.text);
                }
            }
            Err(e) => {
                output::warn(&e);
                failed += 1;
            }
        }
    }
    resolve_citations(&mut extractions);
    CorpusExtraction { extractions, sources, failed }
}
