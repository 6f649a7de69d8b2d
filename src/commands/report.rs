//! `fundsim report DIR`: the report of a run, compare or evaluate folder as a self-contained
//! A4 HTML page, and on request a PDF (headless Chromium) and an editable Word document
//! (issue 10). Re-renders from the folder's files; nothing is simulated.

use super::output::OutputLock;
use super::{LangArg, Result, bail};
use crate::document::{self, content, docx, html, pdf};
use std::path::PathBuf;

/// Flags of `fundsim report`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// Output folder of fundsim run, compare or evaluate.
    pub dir: PathBuf,
    /// Language of the report.
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
    /// Also print report.pdf with headless Chromium (found on PATH).
    #[arg(long)]
    pub pdf: bool,
    /// Also write report.docx, an editable Word document.
    #[arg(long)]
    pub docx: bool,
}

fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// `fundsim report DIR [--lang zh|en] [--pdf] [--docx]`.
pub fn report(a: &ReportArgs) -> Result<String> {
    let dir = &a.dir;
    if !dir.is_dir() {
        bail!(
            "{}: no such folder; expected the output folder of fundsim run, compare or evaluate",
            dir.display()
        );
    }
    content::kind(dir).map_err(anyhow::Error::msg)?;
    let chromium = if a.pdf {
        match pdf::find_chromium() {
            Some(c) => Some(c),
            None => bail!("--pdf: {}", pdf::HOW_TO_GET),
        }
    } else {
        None
    };
    let lock = OutputLock::acquire(dir)?;
    let doc = content::build(lock.dir(), a.lang.into()).map_err(anyhow::Error::msg)?;
    let mut text = String::new();
    let page = html::render(&doc);
    let html_path = dir.join("report.html");
    crate::export::write_atomic(&html_path, page.as_bytes())?;
    text.push_str(&format!(
        "wrote {} ({})\n",
        html_path.display(),
        size(page.len())
    ));
    if a.docx {
        let bytes = docx::render(&doc).map_err(anyhow::Error::msg)?;
        let p = dir.join("report.docx");
        crate::export::write_atomic(&p, &bytes)?;
        text.push_str(&format!("wrote {} ({})\n", p.display(), size(bytes.len())));
    }
    if let Some(chromium) = chromium {
        let p = dir.join("report.pdf");
        let tmp = dir.join(format!(".report.pdf.{}.tmp", std::process::id()));
        let printed = pdf::print(&chromium, &html_path, &tmp);
        if let Err(e) = printed {
            let _ = std::fs::remove_file(&tmp);
            bail!("--pdf: {e}");
        }
        std::fs::rename(&tmp, &p)?;
        let n = std::fs::metadata(&p).map_or(0, |m| m.len() as usize);
        text.push_str(&format!(
            "wrote {} ({}, {} A4 pages)\n",
            p.display(),
            size(n),
            document::pdf_pages(&std::fs::read(&p)?)
        ));
    }
    drop(lock);
    Ok(text)
}
