//! Tidy export (MODEL.md §10): one row per value, `scenario, fund, year, metric, stat, value`,
//! written atomically (temporary file, then rename).

use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// One tidy row (MODEL.md §10).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TidyRow {
    /// Scenario name.
    pub scenario: String,
    /// `employee`, `resident`, `combined`, or `region` for population rows.
    pub fund: String,
    /// Calendar year.
    pub year: i32,
    /// Metric name (fixed list in MODEL.md §10).
    pub metric: String,
    /// `value` on the deterministic path; `mean`, `sd`, `p01` … `p99`, `se`, or a tier name.
    pub stat: String,
    /// The value.
    pub value: f64,
}

/// Errors while reading or writing exports.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// File-system failure, with the path.
    #[error("{path}: {cause}; expected a file that can be read and written")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause (not a `source`, so that its text is not printed twice).
        cause: std::io::Error,
    },
    /// A malformed summary file.
    #[error("{path}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |cause| ExportError::Io {
        path: path.to_path_buf(),
        cause,
    }
}

/// Write `bytes` to `path` atomically: a sibling temporary file, flushed, then renamed, so a
/// reader never sees a half-written output.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io_err(path))
}

/// Tidy rows as CSV text. Floats use Rust's shortest round-trip form, so the text is
/// stable and reading it back gives the same bits.
pub fn to_csv(rows: &[TidyRow]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::with_capacity(rows.len() * 48));
    w.write_record(["scenario", "fund", "year", "metric", "stat", "value"])
        .expect("writing to memory cannot fail");
    for r in rows {
        w.write_record([
            r.scenario.as_str(),
            r.fund.as_str(),
            &r.year.to_string(),
            r.metric.as_str(),
            r.stat.as_str(),
            &format_value(r.value),
        ])
        .expect("writing to memory cannot fail");
    }
    w.into_inner().expect("writing to memory cannot fail")
}

/// Records as CSV text (fields quoted where CSV needs it: commas, quotes, newlines).
pub fn csv_text<R, F>(records: impl IntoIterator<Item = R>) -> String
where
    R: IntoIterator<Item = F>,
    F: AsRef<[u8]>,
{
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for r in records {
        w.write_record(r).expect("writing to memory cannot fail");
    }
    String::from_utf8(w.into_inner().expect("writing to memory cannot fail"))
        .expect("fields are UTF-8")
}

/// Shortest round-trip text of a value; non-finite values as `NaN`, `inf`, `-inf`.
pub fn format_value(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf".into() } else { "-inf".into() }
    } else {
        format!("{v}")
    }
}

/// Tidy rows as a Parquet file (MODEL.md §10: "CSV and Parquet"): required columns
/// `scenario`, `fund`, `metric`, `stat` (UTF-8), `year` (INT32), `value` (DOUBLE), one row
/// group, Snappy pages. Same rows, same order as [`to_csv`].
pub fn to_parquet(rows: &[TidyRow]) -> Result<Vec<u8>, String> {
    use parquet::basic::Compression;
    use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use std::sync::Arc;

    let schema = parquet::schema::parser::parse_message_type(
        "message summary {
            REQUIRED BYTE_ARRAY scenario (UTF8);
            REQUIRED BYTE_ARRAY fund (UTF8);
            REQUIRED INT32 year;
            REQUIRED BYTE_ARRAY metric (UTF8);
            REQUIRED BYTE_ARRAY stat (UTF8);
            REQUIRED DOUBLE value;
        }",
    )
    .map_err(|e| e.to_string())?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by(format!("fundsim {}", env!("CARGO_PKG_VERSION")))
        .build();
    let err = |e: parquet::errors::ParquetError| e.to_string();
    let mut w =
        SerializedFileWriter::new(Vec::new(), Arc::new(schema), Arc::new(props)).map_err(err)?;
    let mut rg = w.next_row_group().map_err(err)?;
    let text = |f: fn(&TidyRow) -> &str| -> Vec<ByteArray> {
        rows.iter()
            .map(|r| ByteArray::from(f(r).as_bytes()))
            .collect()
    };
    let columns: [Vec<ByteArray>; 2] = [text(|r| &r.scenario), text(|r| &r.fund)];
    for col in &columns {
        let mut c = rg
            .next_column()
            .map_err(err)?
            .ok_or("schema has fewer columns")?;
        c.typed::<ByteArrayType>()
            .write_batch(col, None, None)
            .map_err(err)?;
        c.close().map_err(err)?;
    }
    let years: Vec<i32> = rows.iter().map(|r| r.year).collect();
    let mut c = rg
        .next_column()
        .map_err(err)?
        .ok_or("schema has fewer columns")?;
    c.typed::<Int32Type>()
        .write_batch(&years, None, None)
        .map_err(err)?;
    c.close().map_err(err)?;
    for col in [text(|r| &r.metric), text(|r| &r.stat)] {
        let mut c = rg
            .next_column()
            .map_err(err)?
            .ok_or("schema has fewer columns")?;
        c.typed::<ByteArrayType>()
            .write_batch(&col, None, None)
            .map_err(err)?;
        c.close().map_err(err)?;
    }
    let values: Vec<f64> = rows.iter().map(|r| r.value).collect();
    let mut c = rg
        .next_column()
        .map_err(err)?
        .ok_or("schema has fewer columns")?;
    c.typed::<DoubleType>()
        .write_batch(&values, None, None)
        .map_err(err)?;
    c.close().map_err(err)?;
    rg.close().map_err(err)?;
    w.into_inner().map_err(err)
}

/// Read a tidy `summary.csv` written by [`to_csv`].
pub fn read_csv(path: &Path) -> Result<Vec<TidyRow>, ExportError> {
    let bytes = std::fs::read(path).map_err(io_err(path))?;
    parse_csv(&bytes, path)
}

/// Parse the bytes of a tidy `summary.csv` (`path` names it in errors, with the line of a
/// bad record and what was expected).
pub fn parse_csv(bytes: &[u8], path: &Path) -> Result<Vec<TidyRow>, ExportError> {
    let mut rdr = csv::Reader::from_reader(bytes);
    let mut rows = Vec::new();
    for rec in rdr.deserialize::<TidyRow>() {
        let row = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            let why = match e.kind() {
                csv::ErrorKind::Deserialize { err, .. } => err.to_string(),
                csv::ErrorKind::UnequalLengths { len, .. } => format!("{len} fields"),
                _ => e.to_string(),
            };
            ExportError::Format {
                path: path.to_path_buf(),
                message: format!(
                    "line {line}: {why}; expected scenario,fund,year,metric,stat,value as fundsim writes them"
                ),
            }
        })?;
        rows.push(row);
    }
    Ok(rows)
}
