//! The command line end to end: the README's first command on the embedded default
//! scenario, golden output, charts re-rendered from a saved summary, clear errors.

mod common;

use assert_cmd::Command;

fn fundsim() -> Command {
    Command::cargo_bin("fundsim").unwrap()
}

#[test]
fn default_deterministic_summary_is_golden() {
    let dir = tempfile::tempdir().unwrap();
    let out = fundsim()
        .args(["run", "--deterministic", "--no-charts", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("浙江省 Zhejiang — deterministic central path"));
    assert!(stdout.contains("2035"));
    let csv = std::fs::read_to_string(dir.path().join("summary.csv")).unwrap();
    common::golden("zhejiang-2020-deterministic.csv", csv.as_bytes());
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["scenario"], "zhejiang-2020");
    let inputs = manifest["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 9, "scenario, common rules and 7 datasets");
    assert!(
        inputs
            .iter()
            .all(|i| i["sha256"].as_str().unwrap().len() == 64)
    );
    assert!(
        manifest["reproduce"]
            .as_str()
            .unwrap()
            .contains("--deterministic")
    );
}

#[test]
fn monte_carlo_run_writes_summary_manifest_and_charts_that_rerender_identically() {
    let dir = tempfile::tempdir().unwrap();
    let out = fundsim()
        .args([
            "run",
            "zhoukou-2020",
            "--paths",
            "300",
            "--seed",
            "5",
            "--threads",
            "2",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("300 paths, seed 5"));
    assert!(stdout.contains("warning level"));
    let charts = dir.path().join("charts");
    assert_eq!(std::fs::read_dir(&charts).unwrap().count(), 42);
    // Re-render from the saved summary into a copy of the folder.
    let copy = tempfile::tempdir().unwrap();
    for f in ["summary.csv", "manifest.json"] {
        std::fs::copy(dir.path().join(f), copy.path().join(f)).unwrap();
    }
    fundsim().arg("chart").arg(copy.path()).assert().success();
    for e in std::fs::read_dir(&charts).unwrap() {
        let p = e.unwrap().path();
        let again = copy.path().join("charts").join(p.file_name().unwrap());
        assert!(
            std::fs::read(&p).unwrap() == std::fs::read(&again).unwrap(),
            "{} differs",
            p.display()
        );
    }
    // English labels on request.
    fundsim()
        .arg("chart")
        .arg(copy.path())
        .args(["--lang", "en"])
        .assert()
        .success();
    let svg = std::fs::read_to_string(copy.path().join("charts/months_resident.svg")).unwrap();
    assert!(svg.contains("Months of reserve"), "English title missing");
}

#[test]
fn same_seed_same_bytes_whatever_the_threads() {
    let run = |threads: &str| {
        let dir = tempfile::tempdir().unwrap();
        fundsim()
            .args([
                "run",
                "--paths",
                "500",
                "--no-charts",
                "--threads",
                threads,
                "--out",
            ])
            .arg(dir.path())
            .assert()
            .success();
        std::fs::read(dir.path().join("summary.csv")).unwrap()
    };
    assert!(run("1") == run("3"));
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let out = fundsim()
        .args(["check", "tests/fixtures/bad/rate_range.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with(
        "error: tests/fixtures/bad/rate_range.toml:4:1: employee.employer_rate: got 1.5, expected a rate between 0 and 1"
    ), "{err}");
    let out = fundsim()
        .args(["run", "no-such-file.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("no-such-file.toml: cannot read file")
    );
    let out = fundsim()
        .args(["chart", "/nonexistent-dir"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn show_json_exposes_the_resolved_inputs() {
    let out = fundsim().args(["show", "--json"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["years"].as_array().unwrap().len(), 16);
    assert_eq!(
        v["scenario"]["population"]["base"]["male"]
            .as_array()
            .unwrap()
            .len(),
        101
    );
    assert_eq!(v["per_year"]["resident.subsidy"]["values"][0], 923.0);
    assert!(
        v["per_year"]["resident.subsidy"]["source"]
            .as_str()
            .unwrap()
            .contains("923元")
    );
    assert!(v["derived"]["kappa_employee"].as_f64().unwrap() > 0.0);
    let text = fundsim().arg("show").output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("resident.subsidy") && text.contains("source:"));
}

#[test]
fn parquet_holds_the_same_rows_as_csv() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::RowAccessor;
    let dir = tempfile::tempdir().unwrap();
    fundsim()
        .args(["run", "--paths", "200", "--no-charts", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let csv = fundsim::export::read_csv(&dir.path().join("summary.csv")).unwrap();
    let file = std::fs::File::open(dir.path().join("summary.parquet")).unwrap();
    let reader = SerializedFileReader::new(file).unwrap();
    let rows: Vec<fundsim::export::TidyRow> = reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| {
            let r = r.unwrap();
            fundsim::export::TidyRow {
                scenario: r.get_string(0).unwrap().clone(),
                fund: r.get_string(1).unwrap().clone(),
                year: r.get_int(2).unwrap(),
                metric: r.get_string(3).unwrap().clone(),
                stat: r.get_string(4).unwrap().clone(),
                value: r.get_double(5).unwrap(),
            }
        })
        .collect();
    assert_eq!(rows.len(), csv.len());
    for (a, b) in rows.iter().zip(&csv) {
        assert_eq!(
            (&a.scenario, &a.fund, a.year, &a.metric, &a.stat),
            (&b.scenario, &b.fund, b.year, &b.metric, &b.stat)
        );
        assert!(
            a.value.to_bits() == b.value.to_bits() || (a.value.is_nan() && b.value.is_nan()),
            "{a:?} vs {b:?}"
        );
    }
}
