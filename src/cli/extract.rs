//! `diplograph extract`: mentions, citations and relations as JSON Lines.

use std::io::Write;

use clap::{Args, ValueEnum};
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
    let corpus = pipeline.extract_paths(&args.input.paths, false, &output::Reporter::messages_only());
    let mut out = output::stdout();
    let ExtractFormat::Jsonl = args.format;
    for x in &corpus.extractions {
        serde_json::to_writer(&mut out, x)?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(if corpus.problems == 0 { Outcome::Success } else { Outcome::PartialInputs })
}

fn explain(pipeline: &Pipeline, args: &ExtractArgs) -> CliResult {
    let mut out = output::stdout();
    let problems = pipeline.read_paths(&args.input.paths, &output::Reporter::messages_only(), |file| {
        for doc in &file.documents {
            writeln!(out, "{} ({})", doc.meta.doc, file.source.name)?;
            for e in pipeline.explain(doc) {
                writeln!(out, "  {:>6}-{:<6} {:<14} {:<12} {:<40} {}", e.start, e.end, e.recognizer, e.entity_type.as_str(), e.text, e.outcome)?;
            }
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(if problems == 0 { Outcome::Success } else { Outcome::PartialInputs })
}
