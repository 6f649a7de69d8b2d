//! `fundsim rebase`: write a scenario that starts from a later year's actual figures
//! (MODEL.md §13 *Re-basing*): a short TOML file that `extends` the old scenario, and a data
//! file beside it with the population and life table at the new base year.

use super::{Result, bail, load};
use crate::evaluation::actuals::Actuals;
use crate::evaluation::rebase::{self, Rebase};
use crate::export::write_atomic;
use crate::resolve::Model;
use crate::scenario::source::EMBEDDED;
use anyhow::Context;
use std::fmt::Write;
use std::path::{Component, Path, PathBuf};

/// Flags of `fundsim rebase`.
#[derive(Debug, Clone, clap::Args)]
pub struct RebaseArgs {
    /// Scenario file or embedded id.
    pub scenario: String,
    /// Actual figures (CSV: fund,year,metric,value,unit,source); default: the scenario's
    /// `actuals` key.
    #[arg(long)]
    pub actuals: Option<String>,
    /// New base year (default: the latest year with an actual balance, else the latest
    /// actual year).
    #[arg(long)]
    pub to: Option<i32>,
    /// The new scenario file; its data file is written beside it as `<stem>.data.csv`.
    #[arg(long)]
    pub out: PathBuf,
}

/// The actual figures for model `m`: `--actuals`, else the scenario's `actuals` key.
pub fn read_actuals(flag: Option<&str>, m: &Model) -> Result<Actuals> {
    let Some(file) = flag
        .map(str::to_string)
        .or_else(|| m.scenario.actuals.clone())
    else {
        bail!(
            "no actual figures: expected --actuals FILE or an `actuals = \"FILE\"` key in the scenario (CSV columns fund,year,metric,value,unit,source)"
        );
    };
    let s = &m.scenario.region;
    Ok(Actuals::read(&file, s.base_year, s.horizon)?)
}

/// `to` relative to the folder `from_dir` (both made absolute first), for a file written
/// in `from_dir` that names `to`.
pub fn relative_to(from_dir: &Path, to: &Path) -> Result<String> {
    let norm = |p: &Path| -> Result<Vec<String>> {
        let abs = std::path::absolute(p).with_context(|| format!("{}", p.display()))?;
        let mut out: Vec<String> = Vec::new();
        for c in abs.components() {
            match c {
                Component::ParentDir => {
                    out.pop();
                }
                Component::CurDir => {}
                other => out.push(other.as_os_str().to_string_lossy().into_owned()),
            }
        }
        Ok(out)
    };
    let (a, b) = (norm(from_dir)?, norm(to)?);
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".into(); a.len() - common];
    parts.extend(b[common..].iter().cloned());
    Ok(parts.join("/"))
}

/// How the new file names the old scenario: an embedded name as it is, a path relative to
/// the new file's folder.
pub fn extends_path(old: &str, new_dir: &Path) -> Result<String> {
    if old.starts_with(EMBEDDED) {
        return Ok(old.to_string());
    }
    relative_to(new_dir, Path::new(old))
}

/// Write a re-based scenario `toml_path` and its data file `<stem>.data.csv` for the old
/// scenario loaded from `name`. Both are first written under temporary names and loaded back
/// with `overrides`; only a scenario that loads is put in place, so a failure leaves nothing
/// behind. Returns the loaded model.
pub fn write_rebased(
    r: &Rebase,
    name: &str,
    toml_path: &Path,
    header: &[String],
    overrides: &[String],
) -> Result<Model> {
    let dir = toml_path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let stem = toml_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| r.id.clone());
    let extends = extends_path(name, dir)?;
    let data_name = format!("{stem}.data.csv");
    let pid = std::process::id();
    let (tmp_data, tmp_toml) = (
        format!(".{stem}.{pid}.data.csv"),
        dir.join(format!(".{stem}.{pid}.toml")),
    );
    let cleanup = || {
        let _ = std::fs::remove_file(dir.join(&tmp_data));
        let _ = std::fs::remove_file(&tmp_toml);
    };
    let loaded = write_atomic(&dir.join(&tmp_data), r.data_csv().as_bytes())
        .and_then(|_| write_atomic(&tmp_toml, r.toml(&extends, &tmp_data, header).as_bytes()))
        .map_err(anyhow::Error::from)
        .and_then(|_| {
            let s = crate::scenario::load(&tmp_toml.display().to_string(), overrides)
                .map_err(anyhow::Error::msg)?;
            Model::new(&s).map_err(anyhow::Error::msg)
        });
    let m = match loaded {
        Ok(m) => m,
        Err(e) => {
            cleanup();
            return Err(e.context(format!(
                "the re-based scenario {} does not load; nothing was written",
                toml_path.display()
            )));
        }
    };
    let placed = std::fs::rename(dir.join(&tmp_data), dir.join(&data_name))
        .map_err(anyhow::Error::from)
        .and_then(|_| {
            write_atomic(toml_path, r.toml(&extends, &data_name, header).as_bytes())
                .map_err(anyhow::Error::from)
        });
    cleanup();
    placed.with_context(|| format!("{}: writing", toml_path.display()))?;
    Ok(m)
}

/// The replaced inputs as a terminal table.
pub fn replaced_table(r: &Rebase) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "re-based {} ({}) at {} as {}:",
        r.from.0, r.from.1, r.year, r.id
    );
    for x in &r.replaced {
        let _ = writeln!(
            o,
            "  {:<36} {:>16.6e} → {:<16.6e} {}",
            x.key,
            x.old,
            x.param.value_at(r.year),
            x.param.source.as_deref().unwrap_or("")
        );
    }
    let _ = writeln!(o, "  {:<36} {}", "population.base", r.population_source);
    for c in &r.caveats {
        let _ = writeln!(o, "caveat: {c}");
    }
    o
}

/// `fundsim rebase SCENARIO [--actuals FILE] [--to YEAR] --out NEW.toml`.
pub fn rebase(a: &RebaseArgs) -> Result<String> {
    let (name, m) = load(Some(&a.scenario), &[])?;
    let actuals = read_actuals(a.actuals.as_deref(), &m)?;
    let s = &m.scenario.region;
    let year =
        a.to.unwrap_or_else(|| rebase::default_year(&actuals.rows, s.base_year, s.horizon));
    let r = rebase::rebase(&m, &actuals.rows, year).map_err(anyhow::Error::msg)?;
    if a.out.extension().is_none_or(|e| e != "toml") {
        bail!(
            "--out {}: expected a file name ending in .toml",
            a.out.display()
        );
    }
    let header = vec![
        format!("Written by {}", super::command_line()),
        format!(
            "Actual figures: {} (sha256 {})",
            actuals.file, actuals.input.sha256
        ),
    ];
    write_rebased(&r, &name, &a.out, &header, &[])?;
    let mut text = replaced_table(&r);
    let data = a.out.with_file_name(format!(
        "{}.data.csv",
        a.out
            .file_stem()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default()
    ));
    text.push_str(&super::wrote(&[a.out.clone(), data]));
    Ok(text)
}
