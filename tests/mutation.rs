//! Mutation harness (issue 11; README "Errors and guarantees"): the shipped scenarios, their
//! common file, the option files and the datasets, mutated by a small seeded generator, run
//! through `fundsim run`. Every case must end in one of two ways:
//!
//! * exit 0, with every value of `summary.csv` a finite number (and nothing but warnings on
//!   stderr), or
//! * exit 2 with exactly one error line on stderr that says where: a `file:line:col`, a
//!   `--set KEY`, a file name, or the path and year of a run.
//!
//! Never a panic, a hang (each case has a time limit), a signal, or a non-finite number.
//!
//! `FUNDSIM_MUTATIONS=N` sets the number of cases (default [`CI_CASES`], a few seconds on two
//! cores); `FUNDSIM_MUTATION_SEED=S` shifts the seeds; `FUNDSIM_MUTATION_VERBOSE=1` prints
//! every refusal; `FUNDSIM_MUTATION_BIN=PATH` puts another build under the same cases. A
//! failing case prints its seed and what broke, and its mutated file is kept under
//! `target/tmp/mutation-failures/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Cases run by `cargo test` (CI).
const CI_CASES: u64 = 800;
/// Longest a case may take before it counts as a hang.
const CASE_LIMIT: Duration = Duration::from_secs(60);

/// SplitMix64: a tiny reproducible generator (one per case, seeded by the case number).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A token of a TOML or CSV text that a mutation can replace.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Number,
    Str,
}

/// Byte spans of numbers and quoted strings outside comments.
fn tokens(text: &str) -> Vec<(Tok, usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                out.push((Tok::Str, start, i));
            }
            c if c.is_ascii_digit()
                || (matches!(c, b'-' | b'+') && b.get(i + 1).is_some_and(u8::is_ascii_digit)) =>
            {
                let prev = if i > 0 { b[i - 1] } else { b' ' };
                let start = i;
                i += 1;
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'.' | b'_' | b'+' | b'-'))
                {
                    i += 1;
                }
                if !(prev.is_ascii_alphabetic() || prev == b'_') {
                    out.push((Tok::Number, start, i));
                }
            }
            _ => i += 1,
        }
    }
    out
}

const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1",
    "0.5",
    "2.5",
    "1e308",
    "-1e308",
    "1e-300",
    "nan",
    "inf",
    "-inf",
    "1e15",
    "99999999999999999999",
    "2100",
    "1949",
    "\"x\"",
    "true",
    "[1, 2]",
    "{ a = 1 }",
    "{ value = 300, unit = \"亿元\" }",
    "{ value = 0.5, after = \"wage\" }",
    "{ values = { 2020 = 1, 2030 = 2 }, after = { growth = 0.3 } }",
    "{ 2020 = 0.5, 2040 = 1 }",
];

const STRINGS: &[&str] = &[
    "\"\"",
    "\"x\"",
    "\"a\\nb\"",
    "\"../../nowhere.csv\"",
    "\"wage\"",
    "\"亿元\"",
    "\"student-t\"",
    "1",
];

/// One mutation of a scenario (TOML) text.
fn mutate_toml(text: &str, rng: &mut Rng) -> String {
    let toks = tokens(text);
    let lines: Vec<&str> = text.lines().collect();
    let li = rng.below(lines.len());
    let line_edit = |f: &mut dyn FnMut(&mut Vec<String>, usize)| {
        let mut ls: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        if !ls.is_empty() {
            f(&mut ls, li);
        }
        ls.join("\n") + "\n"
    };
    match rng.below(16) {
        0..=6 => {
            let nums: Vec<_> = toks.iter().filter(|t| t.0 == Tok::Number).collect();
            let Some(&&(_, a, b)) = (!nums.is_empty()).then(|| rng.pick(&nums)) else {
                return text.to_string();
            };
            let orig: f64 = text[a..b].replace('_', "").parse().unwrap_or(1.0);
            // A key (a year in a dated table) only becomes another number.
            let is_key = text[b..].trim_start().starts_with('=');
            let factor = [1e8, 1e-8, 1e4, 1e-4, -1.0, 0.0, 10.0, 0.1, 2.0][rng.below(9)];
            let new = if rng.below(2) == 0 {
                format!("{:e}", orig * factor)
            } else if is_key {
                ["2019", "2036", "2025", "0", "-1"][rng.below(5)].to_string()
            } else {
                rng.pick(NUMBERS).to_string()
            };
            format!("{}{new}{}", &text[..a], &text[b..])
        }
        7 | 8 => {
            let strs: Vec<_> = toks.iter().filter(|t| t.0 == Tok::Str).collect();
            let Some(&&(_, a, b)) = (!strs.is_empty()).then(|| rng.pick(&strs)) else {
                return text.to_string();
            };
            let new = if rng.below(4) == 0 {
                format!("\"{}\"", "z".repeat(300))
            } else {
                rng.pick(STRINGS).to_string()
            };
            format!("{}{new}{}", &text[..a], &text[b..])
        }
        9 => line_edit(&mut |ls, i| {
            ls.remove(i);
        }),
        10 => line_edit(&mut |ls, i| {
            let l = ls[i].clone();
            ls.insert(i, l);
        }),
        11 => line_edit(&mut |ls, i| {
            let j = (i + 1).min(ls.len() - 1);
            ls.swap(i, j);
        }),
        12 => line_edit(&mut |ls, i| {
            // A typo in a key, or an unknown key.
            match ls[i].find(" =") {
                Some(k) if k > 1 => ls[i].remove(k - 1),
                _ => {
                    ls.insert(i, "surprise = 1".to_string());
                    ' '
                }
            };
        }),
        13 => {
            // Truncate at a character boundary.
            let mut cut = rng.below(text.len());
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text[..cut].to_string()
        }
        14 => {
            // Bytes that are not UTF-8 (or a NUL) somewhere.
            let mut at = rng.below(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let junk = ["\u{0}", "\u{feff}", "\r", "\t\t", "= =", "[[x]]"][rng.below(6)];
            format!("{}{junk}{}", &text[..at], &text[at..])
        }
        _ => line_edit(&mut |ls, i| {
            // An attribute on a parameter table.
            if let Some(k) = ls[i].find("{ ") {
                let attr = [
                    "after = \"wage\", ",
                    "after = \"cost\", ",
                    "unit = \"亿元\", ",
                    "unit = \"万元\", ",
                    "after = { growth = 0.9 }, ",
                    "source = \"x\", ",
                ][i % 6];
                ls[i].insert_str(k + 2, attr);
            }
        }),
    }
}

/// One mutation of a dataset (CSV) text.
fn mutate_csv(text: &str, rng: &mut Rng) -> String {
    let mut ls: Vec<String> = text.lines().map(str::to_string).collect();
    let i = 1 + rng.below(ls.len().saturating_sub(1));
    match rng.below(7) {
        0..=2 => {
            let cells: Vec<String> = ls[i].split(',').map(str::to_string).collect();
            let k = rng.below(cells.len());
            let new = [
                "", "x", "-1", "1e308", "nan", "inf", "1,5", "\"2\"", "101", "0",
            ][rng.below(10)];
            let mut cells = cells;
            cells[k] = new.to_string();
            ls[i] = cells.join(",");
        }
        3 => {
            ls.remove(i);
        }
        4 => {
            let l = ls[i].clone();
            ls.insert(i, l);
        }
        5 => {
            ls[0] = ls[0].replacen(',', ";", 1);
        }
        _ => {
            ls[0].insert(0, '\u{feff}');
        }
    }
    ls.join("\n") + "\n"
}

/// `--set` overrides a case may add.
const SETS: &[&str] = &[
    "employee.employer_rate",
    "resident.premium",
    "resident.subsidy",
    "membership.employee_scale",
    "membership.coverage",
    "drivers.migration.level",
    "drivers.interest.sigma",
    "drivers.medical_growth.mean",
    "population.sex_ratio_at_birth",
    "employee.base_balance",
    "resident.base_spending",
    "region.horizon",
    "employee.cost_active",
    "warning.reserve_lines",
];

/// Overrides that are valid but extreme: they pass the reader and stress the engine.
const EXTREMES: &[&str] = &[
    "membership.employee_scale={ 2020 = 1, 2030 = 1, 2031 = 0 }",
    "membership.employee_scale=10",
    "membership.coverage={ 2020 = 0.9, 2035 = 0 }",
    "membership.coverage=0",
    "drivers.migration.level=-5e7",
    "drivers.migration.level=2e9",
    "drivers.migration.sigma=10",
    "drivers.medical_growth.sigma=10",
    "drivers.wage_growth.sigma=10",
    "drivers.interest.sigma=10",
    "drivers.interest.mean=0.5",
    "drivers.medical_growth.mean={ 2021 = 1, 2035 = 1 }",
    "drivers.wage_growth.mean=-0.5",
    "drivers.fertility.mean=0",
    "drivers.fertility.sigma=10",
    "drivers.mortality.drift=-0.5",
    "drivers.mortality.sigma=10",
    "drivers.epidemic={ probability = 1, median = 5, sigma = 10 }",
    "employee.collection=0",
    "resident.collection=0",
    "employee.employer_rate=0",
    "employee.account_rate=1",
    "employee.pension_link=2",
    "employee.reimbursement=0.01",
    "employee.cost_active=0",
    "employee.cost_retiree=0",
    "employee.base_balance=-1e15",
    "employee.base_balance={ value = 300, unit = \"亿元\" }",
    "resident.base_spending=1",
    "resident.premium={ value = 0, after = \"wage\" }",
    "resident.subsidy={ values = { 2020 = 1e8 }, after = { growth = 1 } }",
    "resident.critical_illness_premium=1e8",
    "population.life_table=1",
    "population.life_table=0",
    "population.improvement_weight=5",
    "population.sex_ratio_at_birth={ 2020 = 0.8, 2035 = 1.5 }",
    "region.horizon=2120",
    "warning.confidence=0",
    "warning.confidence=1",
    "employee.reforms=[{ start = 2021, effect = -0.9 }, { start = 2022, effect = -0.9 }]",
];

/// The scenario a case runs and its extra arguments.
struct Case {
    seed: u64,
    file: PathBuf,
    args: Vec<String>,
    mutated: PathBuf,
}

/// Build case `seed` in `root` (a copy of `scenarios/` and `notebooks-data/`).
fn make_case(root: &Path, seed: u64) -> Case {
    let mut rng = Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0xF00D);
    let sc = root.join("scenarios");
    let bases = ["zhejiang-2020.toml", "zhoukou-2020.toml"];
    let base = *rng.pick(&bases);
    let rounds = 1 + rng.below(3);
    let mut args = Vec::new();
    // The text of `path` after `rounds` mutations.
    let mutated_toml = |path: &Path, rng: &mut Rng| {
        let mut t = std::fs::read_to_string(path).unwrap();
        for _ in 0..rounds {
            t = mutate_toml(&t, rng);
        }
        t
    };
    let (file, mutated) = match rng.below(12) {
        // A regional scenario.
        0..=3 => {
            let t = mutated_toml(&sc.join(base), &mut rng);
            let f = sc.join(format!("m{seed}.toml"));
            std::fs::write(&f, t).unwrap();
            (f.clone(), f)
        }
        // The common national file under a regional one.
        4 | 5 => {
            let t = mutated_toml(&sc.join("common/china-2020.toml"), &mut rng);
            let common = sc.join(format!("common/m{seed}.toml"));
            std::fs::write(&common, t).unwrap();
            let top = std::fs::read_to_string(sc.join(base))
                .unwrap()
                .replace("common/china-2020.toml", &format!("common/m{seed}.toml"));
            let f = sc.join(format!("m{seed}.toml"));
            std::fs::write(&f, top).unwrap();
            (f, common)
        }
        // An option file.
        6 => {
            let opts: Vec<PathBuf> = std::fs::read_dir(sc.join("options"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| {
                    p.extension().is_some_and(|e| e == "toml")
                        && !p.file_name().unwrap().to_string_lossy().starts_with('m')
                })
                .collect();
            let mut opts = opts;
            opts.sort();
            let opt = rng.pick(&opts).clone();
            let t = mutated_toml(&opt, &mut rng);
            let f = sc.join(format!("options/m{seed}.toml"));
            std::fs::write(&f, t).unwrap();
            (f.clone(), f)
        }
        // A dataset.
        7 | 8 => {
            let data = root.join("notebooks-data");
            let csvs = [
                "zhejiang_2020_population.csv",
                "zhejiang_2020_life_table.csv",
                "fertility_shape.csv",
                "migration_shape.csv",
                "employee_participation.csv",
                "contribution_base_relativity.csv",
                "age_cost_curves.csv",
            ];
            let name = *rng.pick(&csvs);
            let mut t = std::fs::read_to_string(data.join(name)).unwrap();
            for _ in 0..rounds {
                t = mutate_csv(&t, &mut rng);
            }
            let csv = data.join(format!("m{seed}.csv"));
            std::fs::write(&csv, t).unwrap();
            let common = std::fs::read_to_string(sc.join("common/china-2020.toml"))
                .unwrap()
                .replace(name, &format!("m{seed}.csv"));
            std::fs::write(sc.join(format!("common/m{seed}.toml")), common).unwrap();
            let top = std::fs::read_to_string(sc.join("zhejiang-2020.toml"))
                .unwrap()
                .replace(name, &format!("m{seed}.csv"))
                .replace("common/china-2020.toml", &format!("common/m{seed}.toml"));
            let f = sc.join(format!("m{seed}.toml"));
            std::fs::write(&f, top).unwrap();
            (f, csv)
        }
        // A command-line override.
        _ => {
            for _ in 0..rounds {
                if rng.below(2) == 0 {
                    let key = rng.pick(SETS);
                    let v = rng.pick(NUMBERS);
                    args.push(format!("--set={key}={v}"));
                } else {
                    args.push(format!("--set={}", rng.pick(EXTREMES)));
                }
            }
            (sc.join(base), sc.join(base))
        }
    };
    if rng.below(4) == 0 {
        args.push("--deterministic".into());
    }
    Case {
        seed,
        file,
        args,
        mutated,
    }
}

/// Whether an error line says where the problem is.
fn positioned(line: &str) -> bool {
    let has_line_col = line.split(": ").any(|part| {
        let mut it = part.rsplitn(3, ':');
        let (c, l) = (it.next(), it.next());
        it.next().is_some()
            && c.is_some_and(|c| !c.is_empty() && c.chars().all(|x| x.is_ascii_digit()))
            && l.is_some_and(|l| !l.is_empty() && l.chars().all(|x| x.is_ascii_digit()))
    });
    has_line_col
        || line.contains("--set ")
        || line.contains(".toml: ")
        || line.contains(".csv: ")
        || line.contains("deterministic central path, ")
        || line.contains("Monte Carlo path ")
}

/// A case's seed, verdict (`ok`, `refused`, or how it broke the contract) and mutated file.
type Outcome = (u64, Result<&'static str, String>, PathBuf);

/// Run one case; `Err` describes how it broke the contract.
fn run_case(bin: &Path, root: &Path, c: &Case) -> Result<&'static str, String> {
    let out = root.join("out").join(format!("m{}", c.seed));
    let mut cmd = Command::new(bin);
    cmd.current_dir(root)
        .arg("run")
        .arg(&c.file)
        .args([
            "--paths",
            "48",
            "--seed",
            "3",
            "--no-charts",
            "--threads",
            "1",
        ])
        .arg("--out")
        .arg(&out)
        .args(&c.args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| format!("spawn: {e}"))?;
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().map_err(|e| e.to_string())? {
            break s;
        }
        if start.elapsed() > CASE_LIMIT {
            let _ = child.kill();
            return Err(format!("hang: still running after {CASE_LIMIT:?}"));
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let o = child.wait_with_output().map_err(|e| e.to_string())?;
    let verdict = judge(status.code(), &o.stderr, &out);
    let _ = std::fs::remove_dir_all(&out);
    verdict
}

/// The verdict on one finished case (see the module docs).
fn judge(code: Option<i32>, stderr: &[u8], out: &Path) -> Result<&'static str, String> {
    let stderr = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    let errors: Vec<&&str> = lines
        .iter()
        .filter(|l| !l.starts_with("warning: "))
        .collect();
    match code {
        Some(0) => {
            if !errors.is_empty() {
                return Err(format!(
                    "exit 0 with other than warnings on stderr: {stderr}"
                ));
            }
            let csv = std::fs::read_to_string(out.join("summary.csv"))
                .map_err(|e| format!("exit 0 but no summary.csv: {e}"))?;
            for (n, row) in csv.lines().enumerate().skip(1) {
                let v = row.rsplit(',').next().unwrap_or("");
                match v.parse::<f64>() {
                    Ok(x) if x.is_finite() => {}
                    _ => return Err(format!("summary.csv line {}: value {v:?}", n + 1)),
                }
            }
            Ok("ok")
        }
        Some(2) => {
            if errors.len() != 1 || !errors[0].starts_with("error: ") {
                return Err(format!(
                    "exit 2 with {} lines other than warnings: {stderr}",
                    errors.len()
                ));
            }
            if !positioned(errors[0]) {
                return Err(format!("error line without a position: {}", errors[0]));
            }
            if out.join("summary.csv").exists() {
                return Err("exit 2 but an output set was written".into());
            }
            if std::env::var_os("FUNDSIM_MUTATION_VERBOSE").is_some() {
                eprintln!("{}", errors[0]);
            }
            Ok("refused")
        }
        other => Err(format!("exit {other:?} (panic or signal): {stderr}")),
    }
}

#[test]
fn mutated_scenarios_run_or_fail_with_one_positioned_line() {
    let cases: u64 = std::env::var("FUNDSIM_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CI_CASES);
    let shift: u64 = std::env::var("FUNDSIM_MUTATION_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    // Another build can be put under the same cases (e.g. to see that an older one fails).
    let bin = std::env::var_os("FUNDSIM_MUTATION_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_fundsim")));
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    for dir in [
        "scenarios",
        "scenarios/common",
        "scenarios/options",
        "notebooks-data",
    ] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                std::fs::copy(&p, root.join(dir).join(p.file_name().unwrap())).unwrap();
            }
        }
    }
    let start = Instant::now();
    let next = std::sync::atomic::AtomicU64::new(0);
    let results: Vec<Vec<Outcome>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= cases {
                            break out;
                        }
                        let c = make_case(root, i + shift);
                        let r = run_case(&bin, root, &c);
                        out.push((c.seed, r, c.mutated));
                    }
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let all: Vec<_> = results.into_iter().flatten().collect();
    let ok = all.iter().filter(|r| r.1 == Ok("ok")).count();
    let refused = all.iter().filter(|r| r.1 == Ok("refused")).count();
    let failures: Vec<_> = all.iter().filter(|r| r.1.is_err()).collect();
    let keep = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mutation-failures");
    for (seed, r, file) in &failures {
        let _ = std::fs::create_dir_all(&keep);
        let _ = std::fs::copy(
            file,
            keep.join(format!(
                "seed-{seed}-{}",
                file.file_name().unwrap().to_string_lossy()
            )),
        );
        eprintln!(
            "case {seed} ({}): {}",
            file.display(),
            r.as_ref().unwrap_err()
        );
    }
    eprintln!(
        "{} mutated cases in {:.1} s: {ok} ran, {refused} refused with one line, {} broke the contract",
        all.len(),
        start.elapsed().as_secs_f64(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} cases failed (kept in {})",
        failures.len(),
        keep.display()
    );
    assert_eq!(all.len() as u64, cases);
    assert!(
        ok > 0 && refused > 0,
        "the generator should produce both outcomes"
    );
}
