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
}

pub fn run(args: ExtractArgs) -> CliResult {
    let pipeline = Pipeline::new(&args.input.pipeline_config())?;
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
