//! Fault test (issue 11; README "Errors and guarantees"): a running `fundsim run` (and
//! `fundsim chart`) is killed with SIGKILL at random moments, and two runs are started into
//! one folder at once. After every round the output folder holds one complete, consistent
//! set — the previous one or the new one: `manifest.json`, a `summary.csv` whose row count
//! and SHA-256 are those the manifest records, `summary.parquet`, and all 30 chart files —
//! and after the next run no staging folder is left.
//!
//! `FUNDSIM_FAULT_ROUNDS=N` sets the number of kill rounds (default [`CI_ROUNDS`]).

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kill rounds run by `cargo test` (CI).
const CI_ROUNDS: u64 = 12;
/// Paths per run: long enough to be killed in every phase, short enough for CI.
const PATHS: &str = "2000";

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_fundsim"))
}

fn start_run(out: &Path, seed: u64) -> Child {
    Command::new(bin())
        .args([
            "run",
            "--paths",
            PATHS,
            "--seed",
            &seed.to_string(),
            "--out",
        ])
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The seed of the complete, consistent set in `dir`, or what is wrong with it.
fn consistent(dir: &Path) -> Result<u64, String> {
    let man: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join("manifest.json")).map_err(|e| format!("manifest.json: {e}"))?,
    )
    .map_err(|e| format!("manifest.json: {e}"))?;
    let csv = std::fs::read(dir.join("summary.csv")).map_err(|e| format!("summary.csv: {e}"))?;
    let rows = csv.iter().filter(|&&b| b == b'\n').count() - 1;
    let sha: String = Sha256::digest(&csv)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let want = &man["summary_csv"];
    if want["rows"].as_u64() != Some(rows as u64) || want["sha256"].as_str() != Some(&sha) {
        return Err(format!(
            "summary.csv ({rows} rows) is not the one the manifest records: {want}"
        ));
    }
    let pq = std::fs::metadata(dir.join("summary.parquet"))
        .map_err(|e| format!("summary.parquet: {e}"))?;
    if pq.len() < 1000 {
        return Err("summary.parquet is truncated".into());
    }
    let charts: Vec<String> = std::fs::read_dir(dir.join("charts"))
        .map_err(|e| format!("charts: {e}"))?
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let (png, svg) = (
        charts.iter().filter(|c| c.ends_with(".png")).count(),
        charts.iter().filter(|c| c.ends_with(".svg")).count(),
    );
    // Every kind of chart for every fund (a Monte Carlo run draws them all).
    let n = fundsim::chart::ChartKind::ALL.len() * fundsim::chart::FUNDS.len();
    if (png, svg, charts.len()) != (n, n, 2 * n) {
        return Err(format!(
            "charts: {png} PNG, {svg} SVG, {} files",
            charts.len()
        ));
    }
    let inside: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    if !inside.is_empty() {
        return Err(format!("hidden files inside the set: {inside:?}"));
    }
    man["seed"]
        .as_u64()
        .ok_or_else(|| "manifest.json has no seed".into())
}

/// Staging or set-aside folders beside or inside `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    let parent = dir.parent().unwrap();
    let mut v: Vec<String> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
        .collect();
    if let Ok(rd) = std::fs::read_dir(dir) {
        v.extend(
            rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with('.')),
        );
    }
    v
}

#[test]
fn killed_runs_leave_the_old_set_or_the_new_one() {
    let rounds: u64 = std::env::var("FUNDSIM_FAULT_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CI_ROUNDS);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let t0 = Instant::now();
    assert!(start_run(&out, 1).wait().unwrap().success());
    let full = t0.elapsed();
    let mut committed = consistent(&out).unwrap();
    assert_eq!(committed, 1);
    let mut rng: u64 = 0x5EED;
    let (mut old, mut new) = (0, 0);
    for r in 0..rounds {
        rng = rng
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        // Anywhere from the start to a little after a whole run.
        let delay = full.mul_f64((rng >> 11) as f64 / (1u64 << 53) as f64 * 1.2);
        let seed = 100 + r;
        let mut child = if r % 4 == 3 {
            // Re-rendering the charts of the folder, killed too.
            Command::new(bin())
                .arg("chart")
                .arg(&out)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        } else {
            start_run(&out, seed)
        };
        std::thread::sleep(delay);
        let _ = child.kill();
        child.wait().unwrap();
        let now =
            consistent(&out).unwrap_or_else(|e| panic!("round {r}, killed after {delay:?}: {e}"));
        assert!(
            now == committed || now == seed,
            "round {r}: the set belongs to seed {now}, expected {committed} or {seed}"
        );
        if now == committed {
            old += 1;
        } else {
            new += 1;
        }
        committed = now;
    }
    // The next complete run cleans what the killed ones left.
    assert!(start_run(&out, 999).wait().unwrap().success());
    assert_eq!(consistent(&out).unwrap(), 999);
    assert_eq!(leftovers(&out), Vec::<String>::new());
    eprintln!(
        "{rounds} kill rounds (a whole run takes {full:?}): {old} left the old set, {new} the new one"
    );
}

#[test]
fn two_runs_into_one_folder_do_not_mix() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    for pair in 0..3u64 {
        let (a, b) = (10 + 2 * pair, 11 + 2 * pair);
        let ca = start_run(&out, a);
        std::thread::sleep(Duration::from_millis(20 * pair));
        let cb = start_run(&out, b);
        let mut finished = Vec::new();
        for (seed, c) in [(a, ca), (b, cb)] {
            let o = c.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&o.stderr).into_owned();
            match o.status.code() {
                Some(0) => finished.push(seed),
                Some(2) => assert!(
                    err.contains("is being written by another fundsim process")
                        && err.lines().count() == 1,
                    "{err}"
                ),
                other => panic!("exit {other:?}: {err}"),
            }
        }
        let now = consistent(&out).unwrap();
        assert!(
            finished.contains(&now),
            "set of seed {now}, finished {finished:?}"
        );
    }
    assert_eq!(leftovers(&out), Vec::<String>::new());
}
