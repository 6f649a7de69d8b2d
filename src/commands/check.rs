//! `fundsim check`: validate scenario files without running them (MODEL.md §2).

use super::{Result, bail, load};

/// Flags of `fundsim check`.
#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// Scenario files.
    #[arg(required = true)]
    pub scenarios: Vec<String>,
}

/// `fundsim check`: one `ok:` line per valid file on stdout, one error line per invalid file
/// on stderr; fails when any file is invalid. With one file, its error is the only line.
pub fn check(a: &CheckArgs) -> Result<String> {
    let ok = |sc: &str| -> Result<String> {
        let (_, m) = load(Some(sc), &[])?;
        let s = &m.scenario.region;
        Ok(format!(
            "ok: {sc} ({}, {}–{})\n",
            s.id, s.base_year, s.horizon
        ))
    };
    if let [one] = a.scenarios.as_slice() {
        return ok(one);
    }
    let mut text = String::new();
    let mut failed = 0;
    for sc in &a.scenarios {
        match ok(sc) {
            Ok(line) => text.push_str(&line),
            Err(e) => {
                eprintln!("error: {e:#}");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        print!("{text}");
        bail!(
            "{failed} of {} scenario files failed validation",
            a.scenarios.len()
        );
    }
    Ok(text)
}
