//! Regression tests of issue 11 ("no panic, no hang, no silent nonsense, no lost or mixed
//! output"), one per numbered point, and of the two scenario-reader items of issue 12 done
//! with it (money units, `--set` recorded as the source). Point 7 (output sets under
//! faults) is `tests/faults.rs`; the mutation harness is `tests/mutation.rs`.

use assert_cmd::Command;
use fundsim::resolve::Model;
use fundsim::scenario;
use std::path::Path;

const TINY: &str = "tests/fixtures/tiny.toml";

fn fundsim() -> Command {
    Command::cargo_bin("fundsim").unwrap()
}

/// Run fundsim; expect exit 2 and exactly one line on stderr (after any warnings), which is
/// returned.
fn fails(args: &[&str]) -> String {
    let o = fundsim().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| !l.starts_with("warning: "))
        .collect();
    assert_eq!(lines.len(), 1, "{args:?}: {err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    lines[0].to_string()
}

/// [`fails`] with `--out` into a fresh folder, which must not exist afterwards.
fn fails_writing_nothing(args: &[&str]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let mut all = args.to_vec();
    all.extend(["--out", out.to_str().unwrap()]);
    let e = fails(&all);
    assert!(!out.exists(), "{args:?} wrote {}", out.display());
    e
}

fn sets(s: &[&str]) -> Vec<String> {
    s.iter().map(|x| x.to_string()).collect()
}

/// The error of loading and resolving `file` with `--set` overrides.
fn load_error(file: &str, set: &[&str]) -> String {
    match scenario::load(file, &sets(set)) {
        Err(e) => e.to_string(),
        Ok(s) => match Model::new(&s) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("{file} {set:?} was accepted"),
        },
    }
}

fn model(file: &str, set: &[&str]) -> Model {
    let s = scenario::load(file, &sets(set)).unwrap_or_else(|e| panic!("{e}"));
    Model::new(&s).unwrap_or_else(|e| panic!("{e}"))
}

fn run_error(m: &Model, paths: usize) -> String {
    let o = fundsim::run::RunOptions {
        deterministic_only: false,
        paths,
        seed: 1,
        threads: Some(1),
        progress: false,
    };
    fundsim::run::run(m, "t", &o).expect_err("the run should stop")
}

#[test]
fn p1_no_panics_sweep_count_overflow_and_thread_pool() {
    let e =
        fundsim::decision::sweep::parse_axis("employee.employer_rate=0:1e300:1e-300").unwrap_err();
    assert!(e.contains("values; expected at most 2500"), "{e}");
    let e = fundsim::decision::sweep::parse_axis("k=1:1.0000000000001:1e-14").unwrap_err();
    assert!(e.contains("neighbouring values are equal"), "{e}");
    let e = fails_writing_nothing(&[
        "sweep",
        TINY,
        "--param",
        "employee.employer_rate=0:1e300:1e-300",
        "--measure",
        "P(depleted)",
    ]);
    assert!(e.contains("expected at most 2500"), "{e}");
    let e = fails(&["run", TINY, "--threads", "5000", "--paths", "10"]);
    assert!(e.contains("--threads 5000: expected 1 to"), "{e}");
}

#[test]
fn p2_no_hangs_threads_and_solve_tolerance() {
    let e = fails(&["run", TINY, "--threads", "10000", "--paths", "10"]);
    assert!(e.contains("worker threads"), "{e}");
    // A tolerance below what a written value can resolve stops there, in a bounded number
    // of evaluations (a hang would time out the channel below, not the test run).
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let spec = fundsim::decision::solve::SolveSpec {
            scenario: TINY.into(),
            overrides: vec![],
            key: "employee.employer_rate".into(),
            lo: 0.0,
            hi: 0.3,
            target: fundsim::decision::target::parse_target(
                "P(months >= 6 for employee in every year 2021-2035) >= 0.5",
            )
            .unwrap(),
            maximize: false,
            tol: Some(1e-17),
            paths: 40,
            seed: 1,
        };
        let _ = tx.send(fundsim::decision::solve::solve(&spec, &|_| {}));
    });
    let s = rx
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("solve ended")
        .unwrap();
    assert!(s.at_resolution);
    assert!(s.steps.len() < 60, "{} evaluations", s.steps.len());
    assert!(s.steps.last().unwrap().x.to_string().len() <= 16);
}

#[test]
fn p3_every_simulating_command_checks_memory_first() {
    let huge = "1000000000";
    for args in [
        vec!["run", TINY, "--paths", huge],
        vec!["compare", TINY, TINY, "--paths", huge],
        vec![
            "sweep",
            TINY,
            "--param",
            "employee.employer_rate=0.06:0.08:0.01",
            "--measure",
            "P(depleted)",
            "--paths",
            huge,
        ],
        vec![
            "solve",
            TINY,
            "--param",
            "employee.employer_rate",
            "--range",
            "0:0.1",
            "--target",
            "P(depleted) <= 0.5",
            "--paths",
            huge,
        ],
        vec!["sensitivity", TINY, "--paths", huge],
        vec!["backtest", "china-2020", "--paths", huge],
        vec![
            "evaluate",
            "china-2020",
            "--plan",
            "plans/china-warning-lines.toml",
            "--paths",
            huge,
        ],
    ] {
        let e = fails(&args);
        assert!(
            e.contains("of memory is available; expected fewer paths"),
            "{e}"
        );
    }
    // What compare keeps grows with the options (each keeps months per fund and year).
    let per = fundsim::decision::compare::bytes_per_path;
    assert!(per(8, 16) > 4 * per(2, 16) - 200);
    assert!(
        fundsim::commands::record_bytes(16)
            == 16 * std::mem::size_of::<fundsim::engine::YearRecord>()
    );
}

#[test]
fn p4_no_silent_non_finite_output() {
    // Predicted from the inputs: refused before running, naming the key (and year).
    let e = load_error(
        TINY,
        &[
            "employee.cost_active=0",
            "employee.cost_retiree=0",
            "employee.account_rate=0",
        ],
    );
    assert!(
        e.contains("employee.cost_active") && e.contains("cost_retiree are 0"),
        "{e}"
    );
    let e = load_error(TINY, &["population.base=0"]);
    assert!(e.contains("population.base: the population is 0"), "{e}");
    let e = load_error(TINY, &["employee.cost_active=1e308"]);
    assert!(e.contains("got 1e308, expected a cost per person"), "{e}");
    let e = load_error(
        TINY,
        &["membership.employee_scale={ 2020 = 1, 2030 = 1, 2031 = 0 }"],
    );
    assert!(
        e.starts_with("--set membership.employee_scale: membership.employee_scale: in 2031 the employee fund has no members"),
        "{e}"
    );
    let e = load_error(TINY, &["membership.coverage=0.3"]);
    assert!(
        e.contains("the resident fund has no members (coverage 0.3"),
        "{e}"
    );
    // Found on a path: the run stops at the first one with year, fund and quantity.
    let m = model(TINY, &["drivers.migration.level=-1e9"]);
    let e = run_error(&m, 20);
    assert_eq!(
        e,
        "deterministic central path, 2021: the population is 0: everyone died or left (life table, net migration); expected a population in every year"
    );
    let m = model(TINY, &["drivers.medical_growth.sigma=10"]);
    let e = run_error(&m, 200);
    assert!(
        e.starts_with("Monte Carlo path ") && e.contains("spending is") && e.contains("below 0"),
        "{e}"
    );
    // The same through the CLI: one line, no output set.
    let e = fails_writing_nothing(&[
        "run",
        TINY,
        "--paths",
        "200",
        "--set",
        "drivers.medical_growth.sigma=10",
    ]);
    assert!(e.contains("Monte Carlo path"), "{e}");
    // The evaluation commands simulate through the same check.
    for args in [
        vec!["backtest", "china-2020"],
        vec![
            "evaluate",
            "china-2020",
            "--plan",
            "plans/china-warning-lines.toml",
        ],
    ] {
        let mut all = args.clone();
        all.extend(["--paths", "200", "--set", "drivers.medical_growth.sigma=10"]);
        let e = fails_writing_nothing(&all);
        assert!(e.contains("Monte Carlo path"), "{args:?}: {e}");
    }
}

#[test]
fn p5_no_silently_ignored_input() {
    // `after = "wage"` / `"cost"` only where the engine indexes.
    for key in [
        "employee.employer_rate",
        "membership.coverage",
        "drivers.migration.level",
        "employee.reimbursement",
    ] {
        let e = load_error(TINY, &[&format!("{key}.after=wage")]);
        assert!(
            e.contains("is not indexed to the path's wage or cost index"),
            "{key}: {e}"
        );
    }
    for key in [
        "employee.pension",
        "employee.base_balance",
        "employee.contribution_base",
    ] {
        let e = load_error(TINY, &[&format!("{key}.after=cost")]);
        assert!(e.contains("so `after` would have no effect"), "{key}: {e}");
    }
    let m = model(TINY, &["resident.premium.after=wage"]);
    assert_eq!(
        m.resident.premium.index,
        Some(fundsim::param::IndexKind::Wage)
    );
    // A constant with growth grows from the base year (it used to stay flat).
    let m = model(
        TINY,
        &["resident.premium={ value = 300, after = { growth = 0.1 } }"],
    );
    assert!((m.resident.premium.values[2] - 363.0).abs() < 1e-9);
    // Growth may not take a value out of its range.
    let e = load_error(TINY, &["employee.employer_rate.after.growth=0.2"]);
    assert!(
        e.contains("employee.employer_rate.after: growing by 0.2 a year after 2020, it reaches"),
        "{e}"
    );
    // The sex ratio at birth may be dated, and it is applied per year.
    // (Zhejiang: its life table differs by sex, so the split of births shows in the totals.)
    let zj = "scenarios/zhejiang-2020.toml";
    let flat = model(zj, &["population.sex_ratio_at_birth=1.05"]);
    let dated = model(
        zj,
        &["population.sex_ratio_at_birth={ 2020 = 1.05, 2030 = 1.2 }"],
    );
    assert_eq!(flat.birth_share[10], flat.birth_share[0]);
    assert!((dated.birth_share[10][0] - 1.2 / 2.2).abs() < 1e-12);
    let (a, _) = fundsim::engine::deterministic(&flat);
    let (b, _) = fundsim::engine::deterministic(&dated);
    assert_ne!(a[15].population, b[15].population);
    // Read-but-unused keys: kept (sources) or warned about (degrees of freedom).
    let m = model(
        TINY,
        &[
            "drivers.mortality.source=\"LC fit\"",
            "drivers.degrees_of_freedom=5",
        ],
    );
    assert_eq!(
        m.scenario.drivers.mortality_source.as_deref(),
        Some("LC fit")
    );
    assert!(
        m.scenario.warnings[0].contains("drivers.degrees_of_freedom = 5 is not used"),
        "{:?}",
        m.scenario.warnings
    );
    // The warning is recorded in the manifest of the decision and evaluation tools too.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("bt");
    let o = fundsim()
        .args(["backtest", "china-2020", "--paths", "50", "--no-charts"])
        .args(["--set", "drivers.degrees_of_freedom=5", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let man: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert!(
        man["warnings"][0]
            .as_str()
            .is_some_and(|w| w.contains("degrees_of_freedom = 5 is not used")),
        "{man}"
    );
}

#[test]
fn p6_an_option_may_write_a_parameter_in_another_form() {
    let dir = tempfile::tempdir().unwrap();
    let tiny = std::fs::canonicalize(TINY).unwrap().display().to_string();
    let shapes = std::fs::canonicalize("tests/fixtures/shapes.csv").unwrap();
    let ones = vec!["2.0"; 101].join(", ");
    let opt = dir.path().join("o.toml");
    std::fs::write(
        &opt,
        format!(
            "extends = {tiny:?}\n[employee]\nemployer_rate = {{ 2020 = 0.08, 2030 = 0.06 }}\n\
             cost_active = {{ male = [{ones}], female = [{ones}] }}\n\
             [resident]\npremium = {{ values = {{ 2020 = 300, 2030 = 400 }} }}\n\
             subsidy = {{ value = 650, source = \"option\" }}\n"
        ),
    )
    .unwrap();
    let o = opt.display().to_string();
    let m = model(&o, &[]);
    let s = &m.scenario;
    assert!((s.employee.employer_rate.value_at(2025) - 0.07).abs() < 1e-12);
    assert_eq!(s.employee.cost_active.male[50], 2.0);
    assert_eq!(s.employee.cost_active.origin, "inline");
    assert_eq!(s.resident.premium.value_at(2025), 350.0);
    assert_eq!(s.resident.subsidy.value_at(2035), 650.0);
    assert_eq!(s.resident.subsidy.source.as_deref(), Some("option"));
    // The same through --set: a CSV over inline ages, a constant over dated values.
    let m = model(
        &o,
        &[
            &format!(
                "employee.cost_active={{ csv = {:?}, male = \"cost\", female = \"cost\" }}",
                shapes.display().to_string()
            ),
            "employee.employer_rate=0.075",
        ],
    );
    assert_eq!(m.scenario.employee.cost_active.male[0], 1.0);
    assert_eq!(m.scenario.employee.employer_rate.value_at(2030), 0.075);
    // In the same form dated values still add to the listed years (the shipped options).
    let m = model(&o, &["resident.premium={ 2035 = 500 }"]);
    assert_eq!(m.scenario.resident.premium.value_at(2020), 300.0);
    assert_eq!(m.scenario.resident.premium.value_at(2035), 500.0);
}

#[test]
fn p8_outputs_do_not_lie_by_format() {
    let e = fails(&["run", TINY, "--paths", "1"]);
    assert!(e.contains("--paths 1: expected at least 2 paths"), "{e}");
    // compare.csv through a CSV writer, compare.md escaped: odd option names stay whole.
    let models = [
        model(TINY, &[]),
        model(TINY, &["employee.employer_rate=0.07"]),
    ];
    let options: Vec<_> = ["base", "a,\"b\"|c"]
        .iter()
        .zip(models)
        .map(|(l, m)| fundsim::decision::compare::OptionSpec {
            label: l.to_string(),
            model: m,
        })
        .collect();
    let c = fundsim::decision::compare::compare(&options, 50, 1, &[2025]).unwrap();
    let csv = c.to_csv();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let mut odd = 0;
    for r in rdr.records() {
        let r = r.unwrap();
        assert_eq!(r.len(), 7);
        odd += usize::from(&r[0] == "a,\"b\"|c");
    }
    assert_eq!(odd, c.rows.len() / 2);
    let md = c.to_markdown();
    let cells = |l: &str| l.replace("\\|", "").matches('|').count();
    let table: Vec<&str> = md.lines().filter(|l| l.starts_with('|')).collect();
    assert!(table.iter().all(|l| cells(l) == cells(table[0])), "{md}");
    // `fundsim chart DIR` refuses an edited or truncated summary.csv.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    let o = out.to_str().unwrap();
    fundsim()
        .args(["run", TINY, "--paths", "20", "--no-charts", "--out", o])
        .assert()
        .success();
    fundsim().args(["chart", o]).assert().success();
    let csv_path = out.join("summary.csv");
    let text = std::fs::read_to_string(&csv_path).unwrap();
    std::fs::write(&csv_path, &text[..text.len() / 2]).unwrap();
    let e = fails(&["chart", o]);
    assert!(e.contains("the file was truncated or edited"), "{e}");
    std::fs::write(&csv_path, text.replacen(",value,", ",value,1", 1)).unwrap();
    let e = fails(&["chart", o]);
    assert!(e.contains("the file was truncated or edited"), "{e}");
}

#[test]
fn p9_messages_are_one_line_one_cause_with_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let shapes = std::fs::read_to_string("tests/fixtures/shapes.csv").unwrap();
    std::fs::write(d.join("bad.csv"), shapes.replacen("1.08", "1.x8", 1)).unwrap();
    let csv_set = format!(
        "resident.cost={{ csv = {:?}, male = \"cost\", female = \"cost\" }}",
        d.join("bad.csv").display().to_string()
    );
    let e = load_error(TINY, &[&csv_set]);
    assert_eq!(
        e,
        format!(
            "--set resident.cost: resident.cost.csv: {}:6:51: column `cost`: got \"1.x8\", expected a cost per person per year (or a shape) between 0 and 100000000",
            d.join("bad.csv").display()
        )
    );
    let mut bytes = std::fs::read(TINY).unwrap();
    let at = bytes.windows(2).position(|w| w == b"Ti").unwrap();
    bytes[at] = 0xff;
    std::fs::write(d.join("latin.toml"), &bytes).unwrap();
    let e = fails(&["check", d.join("latin.toml").to_str().unwrap()]);
    assert!(e.ends_with(":5:12: byte 0xff is not UTF-8 text; expected a file saved as UTF-8 (GBK and other encodings are not read)"), "{e}");
    let tiny = std::fs::read_to_string(TINY).unwrap();
    std::fs::write(
        d.join("nl.toml"),
        tiny.replace("id = \"tiny\"", "id = \"a\\nb\""),
    )
    .unwrap();
    let e = fails(&["check", d.join("nl.toml").to_str().unwrap()]);
    assert!(e.ends_with("region.id: got \"a\\nb\", expected 1 to 64 letters, digits, '-' or '_' (it names output folders)"), "{e}");
    let long = "x".repeat(300);
    std::fs::write(
        d.join("long.toml"),
        tiny.replace("\"tiny\"", &format!("\"{long}\"")),
    )
    .unwrap();
    let e = fails(&["check", d.join("long.toml").to_str().unwrap()]);
    assert!(
        e.contains("… (300 characters), expected 1 to 64") && e.len() < 300,
        "{e}"
    );
    let e = fails(&[
        "sweep",
        TINY,
        "--param",
        "k=1e-300:1e-301:1",
        "--measure",
        "P(depleted)",
    ]);
    assert!(e.contains("LO (1e-300) is above HI (1e-301)"), "{e}");
    // An I/O error says its cause once, and what was expected.
    std::fs::write(d.join("file"), b"x").unwrap();
    let under = d.join("file").join("out");
    let e = fails(&[
        "run",
        TINY,
        "--paths",
        "10",
        "--out",
        under.to_str().unwrap(),
    ]);
    assert_eq!(e.matches("(os error").count(), 1, "{e}");
    assert!(e.contains("; expected a folder fundsim can write"), "{e}");
}

#[test]
fn p10_and_12_5_money_units() {
    let o = fundsim()
        .args([
            "run",
            "--deterministic",
            "--no-charts",
            "--set",
            "employee.base_balance=300",
            "--out",
            tempfile::tempdir()
                .unwrap()
                .path()
                .join("u")
                .to_str()
                .unwrap(),
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success());
    assert!(
        err.contains("employee.base_balance: 300 yuan is 6.67e-8 months")
            && err
                .contains("If it is in 亿元, write { value = 300, unit = \"亿元\" } (6.67 months)"),
        "{err}"
    );
    let m = model(
        "scenarios/zhejiang-2020.toml",
        &[
            "employee.base_balance={ value = 900, unit = \"亿元\" }",
            "resident.premium={ value = 0.0615, unit = \"万元\" }",
        ],
    );
    assert_eq!(m.employee.base_balance, 9e10);
    let dated = model(
        TINY,
        &["resident.other_income={ values = { 2020 = 1, 2030 = 3 }, unit = \"亿元\" }"],
    );
    assert_eq!(dated.resident.other_income.values[5], 2e8);
    assert!((m.resident.premium.values[0] - 615.0).abs() < 1e-9);
    assert!(m.scenario.warnings.is_empty(), "{:?}", m.scenario.warnings);
    let m = model("scenarios/zhejiang-2020.toml", &["resident.premium=0.0615"]);
    assert!(
        m.scenario.warnings[0].contains("unit = \"万元\""),
        "{:?}",
        m.scenario.warnings
    );
    let e = load_error(
        TINY,
        &["employee.employer_rate={ value = 8, unit = \"亿元\" }"],
    );
    assert!(
        e.contains("is not an amount of money, so it takes no unit"),
        "{e}"
    );
    let e = load_error(TINY, &["employee.pension={ value = 3, unit = \"美元\" }"]);
    assert!(
        e.contains("expected a money unit: \"yuan\", \"元\", \"万元\", \"亿元\""),
        "{e}"
    );
    // A value merged from another file keeps its own unit: units apply where written.
    let m = model(
        TINY,
        &[
            "resident.base_balance={ value = 2, unit = \"亿元\" }",
            "resident.base_balance.value=3e8",
        ],
    );
    assert_eq!(m.resident.base_balance, 3e8);
}

#[test]
fn p11_positions_of_a_200000_value_array_in_one_pass() {
    let n = 200_000;
    let mut text = String::from("# big\nx = [");
    for i in 0..n {
        text.push_str(if i + 1 < n { "1.5, " } else { "7" });
    }
    text.push_str("]\ny = [\n");
    for _ in 0..n {
        text.push_str("  2,\n");
    }
    text.push_str("]\n");
    let root = fundsim::scenario::tree::parse(&text, "big.toml").unwrap();
    let fundsim::scenario::tree::Kind::Table(t) = &root.kind else {
        unreachable!()
    };
    let fundsim::scenario::tree::Kind::Array(x) = &t["x"].kind else {
        unreachable!()
    };
    assert_eq!(
        x[n - 1].loc.to_string(),
        format!("big.toml:2:{}", 6 + 5 * (n - 1))
    );
    let fundsim::scenario::tree::Kind::Array(y) = &t["y"].kind else {
        unreachable!()
    };
    assert_eq!(y[n - 1].loc.to_string(), format!("big.toml:{}:3", 3 + n));
}

#[test]
fn p12_7_set_records_itself_as_the_source() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("s");
    fundsim()
        .args([
            "run",
            "--deterministic",
            "--no-charts",
            "--set",
            "employee.employer_rate=0.075",
            "--set",
            "resident.subsidy.after.growth=0.04",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    let man: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let src = |k: &str| man["resolved"]["per_year"][k]["source"].clone();
    assert_eq!(
        src("employee.employer_rate"),
        "set on the command line (--set employee.employer_rate)"
    );
    assert_eq!(
        src("resident.subsidy"),
        "set on the command line (--set resident.subsidy.after.growth)"
    );
    assert_ne!(src("resident.premium"), src("resident.subsidy"));
    // A source given on the command line with the value is kept.
    let m = model(
        TINY,
        &["employee.employer_rate={ value = 0.07, source = \"board decision\" }"],
    );
    assert_eq!(
        m.scenario.employee.employer_rate.source.as_deref(),
        Some("board decision")
    );
    let shown = fundsim()
        .args(["show", "--set", "employee.employer_rate=0.075"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&shown.stdout);
    let at = text.find("  employee.employer_rate\n").unwrap();
    assert!(
        text[at..].lines().nth(2).unwrap().trim()
            == "source: set on the command line (--set employee.employer_rate)",
        "{}",
        &text[at..at + 200]
    );
    assert!(Path::new(&out).join("summary.csv").exists());
}
