//! `diplograph documents`: the documents found in the inputs.

use std::io::Write;

use clap::Args;
use diplograph::pipeline::ReadFile;
use diplograph::Pipeline;

use super::output::{self, CliResult, Outcome};
use super::InputArgs;

#[derive(Args)]
#[command(after_help = "Examples:\n  diplograph documents corpus/\n  diplograph documents --json corpus/000_b5c8c0237f700ace.txt\n  iconv -f utf-8 -t gbk corpus/000_b5c8c0237f700ace.txt | diplograph documents --encoding gbk -")]
pub struct DocumentsArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Print JSON Lines, one object per document, instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Show how each file's layout was read: every paragraph with its role
    /// (title, opening, body, signing, furniture...) and the document it went to.
    #[arg(long)]
    pub layout: bool,
}

pub fn run(args: DocumentsArgs) -> CliResult {
    let pipeline = Pipeline::new(&args.input.pipeline_config())?;
    let mut out = output::stdout();
    if !args.json && !args.layout {
        writeln!(out, "{:<44} {:<24} {:<18} {:<11} {:<8} TITLE", "DOC", "SOURCE:SPANS", "PARTIES", "SIGNED", "PLACE")?;
    }
    let problems = pipeline.read_paths(&args.input.paths, &output::Reporter::messages_only(), |file| {
        if args.layout {
            return print_layout(&mut out, &file, args.json);
        }
        for doc in &file.documents {
            let m = &doc.meta;
            if args.json {
                serde_json::to_writer(&mut out, m)?;
                writeln!(out)?;
            } else {
                let spans: Vec<String> = m.spans.iter().map(|[s, e]| format!("{s}-{e}")).collect();
                let source = m.source.rsplit('/').next().unwrap_or(&m.source);
                let parties: Vec<&str> = m.parties.iter().map(|p| p.en.as_deref().unwrap_or(&p.name)).collect();
                let title = if m.title_in_text { m.title.clone() } else { format!("[{}]", m.title) };
                writeln!(
                    out,
                    "{:<44} {:<24} {:<18} {:<11} {:<8} {}",
                    m.doc,
                    format!("{}:{}", diplograph::zh::clip(source, 10), spans.join(",")),
                    parties.join("–"),
                    m.signed_date.as_deref().unwrap_or("-"),
                    m.signed_place.as_deref().unwrap_or("-"),
                    title
                )?;
            }
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(if problems == 0 { Outcome::Success } else { Outcome::PartialInputs })
}

fn print_layout(out: &mut impl Write, file: &ReadFile, json: bool) -> anyhow::Result<()> {
    if json {
        for b in &file.blocks {
            let doc = b.document.map(|i| file.documents[i].meta.doc.as_str());
            serde_json::to_writer(&mut *out, &serde_json::json!({"source": file.source.name, "start": b.start, "end": b.end, "role": b.role, "document": doc, "text": b.text}))?;
            writeln!(out)?;
        }
        return Ok(());
    }
    writeln!(out, "{}", file.source.name)?;
    for b in &file.blocks {
        let doc = b.document.map_or("-".to_owned(), |i| (i + 1).to_string());
        writeln!(out, "  {:>6}-{:<6} {:<3} {:<10} {}", b.start, b.end, doc, format!("{:?}", b.role), diplograph::zh::clip(&b.text, 60))?;
    }
    Ok(())
}
