//! Per-age inputs (MODEL.md §3–6): a number (the same at every age), inline arrays of 101
//! values (ages 0..=100), or columns of a CSV file with an `age` column.
//!
//! ```toml
//! base = { csv = "../notebooks-data/zhejiang_2020_population.csv", source = "..." }
//! cost_active = { csv = "../notebooks-data/age_cost_curves.csv", male = "active_male", female = "active_female" }
//! improvement_weight = 1.0
//! ```

use super::read::{Check, Result, ScenarioError, Table, as_array, as_num, as_str, source_of};
use super::source::Files;
use super::tree::{Kind, Lines, Node, quote};
use serde::Serialize;

/// Number of single ages, 0..=100 (100 = 100+).
pub const AGES: usize = 101;

/// One value per age and sex (`male`, `female`), with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgeSex {
    /// Male values, ages 0..=100.
    pub male: Vec<f64>,
    /// Female values, ages 0..=100.
    pub female: Vec<f64>,
    /// How the values were given (file and columns, inline, or constant).
    pub origin: String,
    /// Source text, if given.
    pub source: Option<String>,
    /// Where it was set (file:line:column or `--set KEY`), for messages.
    #[serde(skip)]
    pub at: Option<String>,
}

impl AgeSex {
    /// Both sexes as `[male, female]`.
    pub fn by_sex(&self) -> [&[f64]; 2] {
        [&self.male, &self.female]
    }

    /// Sum over both sexes and all ages.
    pub fn total(&self) -> f64 {
        self.male.iter().chain(&self.female).sum()
    }
}

/// Read an age-by-sex input. `defaults` are the CSV column names used when `male`/`female`
/// are not given.
pub fn read_age_sex(
    node: &Node,
    key: &str,
    files: &Files,
    check: Check,
    defaults: (&str, &str),
) -> Result<AgeSex> {
    if let Kind::Num(..) = node.kind {
        let v = as_num(node, key, check)?;
        return Ok(AgeSex {
            male: vec![v; AGES],
            female: vec![v; AGES],
            origin: format!("constant {v}"),
            source: super::read::source_for(node, &[], None),
            at: Some(node.loc.to_string()),
        });
    }
    let t = Table::new(node, key)?;
    let source = source_of(&t, &[])?;
    let out = if let Some(csv) = t.opt("csv") {
        let file = Files::resolve(&csv.loc.file, as_str(csv, &t.key_path("csv"))?);
        let m = col_name(&t, "male", defaults.0)?;
        let f = col_name(&t, "female", defaults.1)?;
        let cols = read_csv_columns(files, &file, &[&m, &f], csv, &t.key_path("csv"), check)?;
        let [male, female]: [Vec<f64>; 2] = cols.try_into().expect("two columns asked");
        AgeSex {
            male,
            female,
            origin: format!("{file} [{m}, {f}]"),
            source,
            at: Some(node.loc.to_string()),
        }
    } else {
        let m = inline(&t, "male", check)?;
        let f = inline(&t, "female", check)?;
        AgeSex {
            male: m,
            female: f,
            origin: "inline".into(),
            source,
            at: Some(node.loc.to_string()),
        }
    };
    t.finish()?;
    Ok(out)
}

/// Read a one-per-age input (no sex). `default` is the CSV column used when `column` is not
/// given.
pub fn read_age(
    node: &Node,
    key: &str,
    files: &Files,
    check: Check,
    default: &str,
) -> Result<(Vec<f64>, String, Option<String>)> {
    match &node.kind {
        Kind::Num(..) => {
            let v = as_num(node, key, check)?;
            Ok((vec![v; AGES], format!("constant {v}"), None))
        }
        Kind::Array(_) => Ok((inline_values(node, key, check)?, "inline".into(), None)),
        _ => {
            let t = Table::new(node, key)?;
            let source = source_of(&t, &[])?;
            let csv = t.req("csv", "a CSV file name")?;
            let file = Files::resolve(&csv.loc.file, as_str(csv, &t.key_path("csv"))?);
            let c = col_name(&t, "column", default)?;
            let mut cols = read_csv_columns(files, &file, &[&c], csv, &t.key_path("csv"), check)?;
            t.finish()?;
            Ok((cols.remove(0), format!("{file} [{c}]"), source))
        }
    }
}

fn col_name(t: &Table<'_>, key: &'static str, default: &str) -> Result<String> {
    Ok(t.string(key)?.unwrap_or_else(|| default.to_string()))
}

fn inline(t: &Table<'_>, key: &'static str, check: Check) -> Result<Vec<f64>> {
    let n = t.req(key, "an array of 101 numbers (ages 0..=100)")?;
    inline_values(n, &t.key_path(key), check)
}

fn inline_values(n: &Node, key: &str, check: Check) -> Result<Vec<f64>> {
    let items = as_array(n, key, "an array of 101 numbers (ages 0..=100)")?;
    if items.len() != AGES {
        return Err(ScenarioError::at(
            n,
            key,
            format!(
                "got {} values, expected 101 (one per age 0..=100)",
                items.len()
            ),
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(age, v)| as_num(v, &format!("{key}[{age}]"), check))
        .collect()
}

/// Read columns of a CSV with an `age` column holding each age 0..=100 exactly once, in one
/// pass. Every error is one line: the scenario position and `key` that read the file, then
/// the CSV's `file:line:column`, the column name, the bad text and what was expected.
fn read_csv_columns(
    files: &Files,
    file: &str,
    cols: &[&str],
    at: &Node,
    key: &str,
    check: Check,
) -> Result<Vec<Vec<f64>>> {
    let err = |message: String| ScenarioError::at(at, key, message);
    let text = files.read(file).map_err(|e| err(e.message))?;
    let lines = Lines::new(&text);
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| err(format!("{file}: cannot read the header line ({e}); expected a CSV file with an `age` column")))?
        .clone();
    let find = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| {
                err(format!(
                    "{file} has no column `{name}`; its columns are: {}",
                    headers.iter().collect::<Vec<_>>().join(", ")
                ))
            })
    };
    let age_col = find("age")?;
    let idx: Vec<usize> = cols.iter().map(|c| find(c)).collect::<Result<_>>()?;
    let mut out = vec![vec![f64::NAN; AGES]; cols.len()];
    let mut seen = [false; AGES];
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let (line, col) = e.position().map_or((0, 0), |p| lines.at(p.byte() as usize));
                return Err(err(format!(
                    "{file}:{line}:{col}: not a CSV record ({e}); expected comma-separated values"
                )));
            }
        }
        let start = rec.position().map_or(0, |p| p.byte() as usize);
        // Field `k` starts after the `k`-th separator of the record's raw text.
        let field_at = |k: usize| -> (usize, usize) {
            let raw = &text[start..];
            let mut quoted = false;
            let mut seps = 0;
            for (i, ch) in raw.char_indices() {
                if seps == k {
                    return lines.at(start + i);
                }
                match ch {
                    '"' => quoted = !quoted,
                    ',' if !quoted => seps += 1,
                    '\n' if !quoted => break,
                    _ => {}
                }
            }
            lines.at(start + raw.find('\n').unwrap_or(raw.len()))
        };
        let need = idx.iter().copied().chain([age_col]).max().unwrap_or(0);
        if rec.len() <= need {
            let (line, col) = field_at(rec.len());
            return Err(err(format!(
                "{file}:{line}:{col}: the row has {} fields, expected {} as in the header",
                rec.len(),
                headers.len()
            )));
        }
        let age_txt = rec.get(age_col).unwrap_or("").trim();
        let age: usize = match age_txt.parse() {
            Ok(a) if a < AGES => a,
            _ => {
                let (line, col) = field_at(age_col);
                return Err(err(format!(
                    "{file}:{line}:{col}: column `age`: got {}, expected an age 0..=100",
                    quote(age_txt)
                )));
            }
        };
        if std::mem::replace(&mut seen[age], true) {
            let (line, col) = field_at(age_col);
            return Err(err(format!(
                "{file}:{line}:{col}: column `age`: age {age} appears twice; expected each age 0..=100 once"
            )));
        }
        for (k, &c) in idx.iter().enumerate() {
            let txt = rec.get(c).unwrap_or("").trim();
            let bad = |exp: String| {
                let (line, col) = field_at(c);
                err(format!(
                    "{file}:{line}:{col}: column `{}`: got {}, expected {exp}",
                    cols[k],
                    quote(txt)
                ))
            };
            let v: f64 = txt.parse().map_err(|_| bad(check.expected()))?;
            check.test(v).map_err(bad)?;
            out[k][age] = v;
        }
    }
    if let Some(missing) = seen.iter().position(|s| !s) {
        return Err(err(format!(
            "{file}: age {missing} is missing; expected each age 0..=100 once"
        )));
    }
    Ok(out)
}
