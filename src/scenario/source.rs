//! Where scenario and data files are read from: the file system, or the copies embedded in
//! the binary (the default scenario and the datasets it uses), so the first README command
//! needs no path. Every file read is hashed for the manifest.

use super::read::{Result, ScenarioError};
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::path::{Component, Path, PathBuf};

/// Prefix of the names of embedded files.
pub const EMBEDDED: &str = "embedded:";

/// Files compiled into the binary: `(repository-relative path, text)`.
pub static FILES: &[(&str, &str)] = &[
    (
        "scenarios/zhejiang-2020.toml",
        include_str!("../../scenarios/zhejiang-2020.toml"),
    ),
    (
        "scenarios/common/china-2020.toml",
        include_str!("../../scenarios/common/china-2020.toml"),
    ),
    (
        "scenarios/zhoukou-2020.toml",
        include_str!("../../scenarios/zhoukou-2020.toml"),
    ),
    (
        "scenarios/china-2020.toml",
        include_str!("../../scenarios/china-2020.toml"),
    ),
    (
        "scenarios/actuals/zhejiang-2022-2023.csv",
        include_str!("../../scenarios/actuals/zhejiang-2022-2023.csv"),
    ),
    (
        "scenarios/actuals/china-2021-2022.csv",
        include_str!("../../scenarios/actuals/china-2021-2022.csv"),
    ),
    (
        "notebooks-data/china_2020_population.csv",
        include_str!("../../notebooks-data/china_2020_population.csv"),
    ),
    (
        "notebooks-data/employee_participation_china.csv",
        include_str!("../../notebooks-data/employee_participation_china.csv"),
    ),
    (
        "notebooks-data/zhejiang_2020_population.csv",
        include_str!("../../notebooks-data/zhejiang_2020_population.csv"),
    ),
    (
        "notebooks-data/zhoukou_2020_population.csv",
        include_str!("../../notebooks-data/zhoukou_2020_population.csv"),
    ),
    (
        "notebooks-data/zhejiang_2020_life_table.csv",
        include_str!("../../notebooks-data/zhejiang_2020_life_table.csv"),
    ),
    (
        "notebooks-data/china_2020_life_table.csv",
        include_str!("../../notebooks-data/china_2020_life_table.csv"),
    ),
    (
        "notebooks-data/fertility_shape.csv",
        include_str!("../../notebooks-data/fertility_shape.csv"),
    ),
    (
        "notebooks-data/migration_shape.csv",
        include_str!("../../notebooks-data/migration_shape.csv"),
    ),
    (
        "notebooks-data/employee_participation.csv",
        include_str!("../../notebooks-data/employee_participation.csv"),
    ),
    (
        "notebooks-data/employee_participation_zhoukou.csv",
        include_str!("../../notebooks-data/employee_participation_zhoukou.csv"),
    ),
    (
        "notebooks-data/contribution_base_relativity.csv",
        include_str!("../../notebooks-data/contribution_base_relativity.csv"),
    ),
    (
        "notebooks-data/age_cost_curves.csv",
        include_str!("../../notebooks-data/age_cost_curves.csv"),
    ),
];

/// The default scenario (embedded).
pub const DEFAULT_SCENARIO: &str = "embedded:scenarios/zhejiang-2020.toml";

/// One input file read while loading a scenario, for the manifest.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct InputFile {
    /// Name as resolved (a path, or `embedded:...`).
    pub name: String,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: usize,
}

/// Reads files and records their hashes.
#[derive(Debug, Default)]
pub struct Files {
    read: RefCell<Vec<InputFile>>,
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

impl Files {
    /// A new reader.
    pub fn new() -> Self {
        Self::default()
    }

    /// Resolve `rel` against the file `from` (a path or an embedded name; `--set` and other
    /// pseudo-origins resolve against the working directory). An `embedded:` name stays as
    /// it is (a re-based scenario may extend an embedded one).
    pub fn resolve(from: &str, rel: &str) -> String {
        if rel.starts_with(EMBEDDED) {
            return rel.to_string();
        }
        if let Some(inner) = from.strip_prefix(EMBEDDED) {
            let dir = Path::new(inner).parent().unwrap_or(Path::new(""));
            return format!("{EMBEDDED}{}", normalize(&dir.join(rel)).display());
        }
        if Path::new(rel).is_absolute() || from.starts_with("--") {
            return rel.to_string();
        }
        let dir = Path::new(from).parent().unwrap_or(Path::new(""));
        dir.join(rel).display().to_string()
    }

    /// Read a file's text, recording its hash.
    pub fn read(&self, name: &str) -> Result<String> {
        let text = if let Some(inner) = name.strip_prefix(EMBEDDED) {
            FILES
                .iter()
                .find(|(p, _)| *p == inner)
                .map(|(_, t)| t.to_string())
                .ok_or_else(|| {
                    let list: Vec<&str> = FILES.iter().map(|f| f.0).collect();
                    ScenarioError::plain(format!(
                        "{name}: no such embedded file; embedded files are: {}",
                        list.join(", ")
                    ))
                })?
        } else {
            let bytes = std::fs::read(name).map_err(|e| {
                ScenarioError::plain(format!(
                    "{name}: cannot read file: {e}; expected a readable file"
                ))
            })?;
            utf8(name, bytes)?
        };
        let mut seen = self.read.borrow_mut();
        if !seen.iter().any(|f| f.name == name) {
            seen.push(InputFile {
                name: name.to_string(),
                sha256: hex(&Sha256::digest(text.as_bytes())),
                bytes: text.len(),
            });
        }
        Ok(text)
    }

    /// The files read so far.
    pub fn inputs(&self) -> Vec<InputFile> {
        self.read.borrow().clone()
    }
}

/// The text of a file's bytes: UTF-8 (a leading byte-order mark is dropped), or an error at
/// the line and column of the first byte that is not.
fn utf8(name: &str, bytes: Vec<u8>) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(mut t) => {
            if t.starts_with('\u{feff}') {
                t.drain(..3);
            }
            Ok(t)
        }
        Err(e) => {
            let ok = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = std::str::from_utf8(&bytes[..ok]).expect("valid up to here");
            let (line, col) = super::tree::position(prefix, ok);
            Err(ScenarioError::plain(format!(
                "{name}:{line}:{col}: byte 0x{:02x} is not UTF-8 text; expected a file saved as UTF-8 (GBK and other encodings are not read)",
                bytes[ok]
            )))
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Resolve a scenario argument: a path on disk, or the id of an embedded scenario such as
/// `zhoukou-2020`; `None` gives the default.
pub fn scenario_name(arg: Option<&str>) -> String {
    match arg {
        None => DEFAULT_SCENARIO.to_string(),
        Some(a) if Path::new(a).exists() => a.to_string(),
        Some(a) => {
            let want = format!("scenarios/{}.toml", a.trim_end_matches(".toml"));
            if FILES.iter().any(|(p, _)| *p == want) {
                format!("{EMBEDDED}{want}")
            } else {
                a.to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_relative_paths() {
        assert_eq!(
            Files::resolve("embedded:scenarios/a.toml", "../notebooks-data/x.csv"),
            "embedded:notebooks-data/x.csv"
        );
        assert_eq!(Files::resolve("dir/a.toml", "b.toml"), "dir/b.toml");
        assert_eq!(Files::resolve("--set", "b.csv"), "b.csv");
    }
}
