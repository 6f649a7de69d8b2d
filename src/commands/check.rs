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
/// on stderr; fails when any file is invalid.
pub fn check(a: &CheckArgs) -> Result<String> {
    let mut text = String::new();
    let mut failed = 0;
    for sc in &a.scenarios {
        match load(Some(sc), &[]) {
            Ok((_, m)) => text.push_str(&format!(
                "ok: {sc} ({}, {}–{})\n",
                m.scenario.region.id, m.scenario.region.base_year, m.scenario.region.horizon
            )),
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
