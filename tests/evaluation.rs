//! Evaluation against actual figures (MODEL.md §13): the back-test is calibrated on the
//! model's own paths, re-basing is the identity at the base year and hits the actuals at a
//! later year, statuses follow their thresholds, bad files are refused with their line, and
//! the shipped examples run.

use assert_cmd::Command;
use fundsim::decision::target::Cmp;
use fundsim::engine::{self, Paths};
use fundsim::evaluation::actuals::{Actual, Actuals};
use fundsim::evaluation::backtest::backtest;
use fundsim::evaluation::plan::{
    Condition, Indicator, Measure, Projection, Status, Thresholds, judge,
};
use fundsim::evaluation::rebase::rebase;
use fundsim::resolve::Model;
use fundsim::summary::metric_values;
use std::path::Path;

fn fundsim() -> Command {
    Command::cargo_bin("fundsim").unwrap()
}

fn model(file: &str) -> Model {
    Model::new(&fundsim::scenario::load(file, &[]).unwrap()).unwrap()
}

fn actual(fund: &str, year: i32, metric: &str, value: f64) -> Actual {
    Actual {
        fund: fund.into(),
        year,
        metric: metric.into(),
        value,
        printed: value,
        unit: "yuan".into(),
        source: "test".into(),
        line: 2,
    }
}

/// Figures taken from paths of the same scenario drawn with another seed rank uniformly
/// among the scenario's paths: 20 bins within a chi-square bound, ≈ 90% inside P5–P95, mean
/// rank ≈ 0.5. One figure per independent path, rotating over funds, metrics and years.
#[test]
fn ranks_of_the_models_own_outcomes_are_uniform() {
    let m = model("scenarios/zhejiang-2020.toml");
    let reference = engine::simulate(&m, 7, 0, 2000, &|_| {});
    let truth = engine::simulate(&m, 8, 0, 600, &|_| {});
    let figures = [
        ("employee", "balance", 2025),
        ("resident", "spending", 2023),
        ("combined", "months_reserve", 2030),
        ("region", "population", 2024),
        ("employee", "income", 2022),
        ("resident", "spending_growth", 2026),
        ("combined", "insured", 2028),
        ("region", "aged_60_plus", 2033),
    ];
    let n = truth.count;
    let mut bins = [0usize; 20];
    let (mut inside, mut sum) = (0usize, 0.0);
    let per_figure: Vec<Vec<f64>> = figures
        .iter()
        .map(|(f, metric, y)| metric_values(&truth, (y - 2020) as usize, f, metric))
        .collect();
    for p in 0..n {
        let k = p % figures.len();
        let (fund, metric, year) = figures[k];
        let a = actual(fund, year, metric, per_figure[k][p]);
        let b = backtest(&m, &reference, &[a]);
        let f = &b.figures[0];
        bins[((f.rank * 20.0) as usize).min(19)] += 1;
        inside += usize::from(f.inside_90());
        sum += f.rank;
    }
    let e = n as f64 / 20.0;
    let chi2: f64 = bins.iter().map(|&o| (o as f64 - e).powi(2) / e).sum();
    // 19 degrees of freedom: P(χ² > 43.82) = 0.001.
    assert!(
        chi2 < 43.82,
        "ranks not uniform: χ² = {chi2:.1}, bins {bins:?}"
    );
    let share = inside as f64 / n as f64;
    let se = (0.9 * 0.1 / n as f64).sqrt();
    assert!((share - 0.9).abs() < 4.0 * se, "inside P5–P95: {share}");
    let mean = sum / n as f64;
    assert!(
        (mean - 0.5).abs() < 4.0 * (1.0 / 12.0 / n as f64).sqrt(),
        "mean rank {mean}"
    );
}

fn run_summary(scenario: &Path, out: &Path) -> Vec<u8> {
    let o = fundsim()
        .args(["run", "--paths", "300", "--no-charts", "--out"])
        .arg(out)
        .arg(scenario)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read(out.join("summary.csv")).unwrap()
}

/// Re-basing at the base year with its own figures (no actual of that year exists) writes a
/// scenario whose Monte Carlo summary equals the original byte for byte.
#[test]
fn rebasing_at_the_base_year_is_the_identity() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("none.csv");
    std::fs::write(&empty, "fund,year,metric,value,unit,source\n").unwrap();
    for (file, actuals) in [
        ("scenarios/zhejiang-2020.toml", None),
        ("scenarios/zhoukou-2020.toml", Some(&empty)),
        ("scenarios/china-2020.toml", None),
    ] {
        let new = tmp.path().join("re").join("same.toml");
        let mut cmd = fundsim();
        cmd.args(["rebase", file, "--to", "2020", "--out"])
            .arg(&new);
        if let Some(a) = actuals {
            cmd.arg("--actuals").arg(a);
        }
        let o = cmd.output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let a = run_summary(Path::new(file), &tmp.path().join("a"));
        let b = run_summary(&new, &tmp.path().join("b"));
        assert!(a == b, "{file}: re-based summary differs");
    }
}

fn write_rebased(file: &str, m: &Model, actuals: &[Actual], year: i32, dir: &Path) -> Model {
    let r = rebase(m, actuals, year).unwrap();
    fundsim::commands::rebase::write_rebased(
        &r,
        file,
        &dir.join(format!("{}.toml", r.id)),
        &[],
        &[],
    )
    .unwrap()
}

/// Re-basing at a later year: that year's modelled balance and spending are the actuals,
/// the membership and population match the actual counts.
#[test]
fn rebasing_at_a_later_year_hits_the_actuals() {
    let tmp = tempfile::tempdir().unwrap();
    let m = model("scenarios/zhejiang-2020.toml");
    let (det, _) = engine::deterministic(&m);
    let c = det[2];
    let rows = [
        actual("employee", 2022, "balance", c.fund[0].balance * 0.93),
        actual("resident", 2022, "balance", c.fund[1].balance * 1.11),
        actual("employee", 2022, "spending", c.fund[0].spending * 1.05),
        actual("resident", 2022, "spending", c.fund[1].spending * 0.97),
        actual("employee", 2022, "insured", (c.actives + c.retirees) * 1.02),
        actual("resident", 2022, "insured", c.residents * 0.98),
        actual("region", 2022, "population", c.population * 1.01),
        actual("region", 2022, "aged_60_plus", c.aged_60_plus * 1.03),
        actual("employee", 2021, "balance", 1.0),
    ];
    let m2 = write_rebased("scenarios/zhejiang-2020.toml", &m, &rows, 2022, tmp.path());
    assert_eq!(m2.base_year, 2022);
    let r = engine::deterministic(&m2).0[0];
    assert_eq!(r.fund[0].balance, rows[0].value);
    assert_eq!(r.fund[1].balance, rows[1].value);
    assert_eq!(r.fund[0].spending, rows[2].value);
    assert_eq!(r.fund[1].spending, rows[3].value);
    let close = |a: f64, b: f64, what: &str| {
        assert!(((a - b) / b).abs() < 1e-9, "{what}: {a} vs {b}");
    };
    close(r.actives + r.retirees, rows[4].value, "employee members");
    close(r.residents, rows[5].value, "residents");
    close(r.population, rows[6].value, "population");
    close(r.aged_60_plus, rows[7].value, "aged 60+");
}

/// A parameter the old file gives as a bare year table without a source (`{ 2020 = …, … }`
/// over the base file's `{ value, source }` replaces it whole) is set anew by the re-based
/// file's `{ values = …, source = … }`: dated tables merge by year whatever their spelling
/// (README "Scenario files"), so the new file loads, the replaced value has its source and
/// the re-basing year's residents are the actual count.
#[test]
fn rebasing_sets_a_bare_year_table_anew() {
    let tmp = tempfile::tempdir().unwrap();
    let old = tmp.path().join("bare.toml");
    let base = std::path::absolute("scenarios/zhejiang-2020.toml").unwrap();
    std::fs::write(
        &old,
        format!(
            "extends = {:?}\n[membership]\ncoverage = {{ 2020 = 0.8607, 2025 = 0.87, 2035 = 0.88 }}\n",
            base.display().to_string()
        ),
    )
    .unwrap();
    let file = old.display().to_string();
    let m = model(&file);
    let p = &m.scenario.membership.coverage;
    assert_eq!((p.source.as_deref(), p.last_year()), (None, Some(2035)));
    let c = engine::deterministic(&m).0[2];
    let rows = [actual("resident", 2022, "insured", c.residents * 0.98)];
    let m2 = write_rebased(&file, &m, &rows, 2022, tmp.path());
    let p = &m2.scenario.membership.coverage;
    assert!(
        p.source.as_deref().is_some_and(|s| s.starts_with('×')),
        "{p:?}"
    );
    assert_eq!(p.last_year(), Some(2035));
    let r = engine::deterministic(&m2).0[0];
    assert!(((r.residents - rows[0].value) / rows[0].value).abs() < 1e-9);
}

/// Re-basing at a later year on no actual figure restarts from the central path with driver
/// states at their means, so the new central path continues the old one.
#[test]
fn rebasing_on_the_central_path_continues_it() {
    let tmp = tempfile::tempdir().unwrap();
    for file in ["scenarios/zhejiang-2020.toml", "scenarios/china-2020.toml"] {
        let m = model(file);
        let m2 = write_rebased(file, &m, &[], 2023, tmp.path());
        let (old, new) = (engine::deterministic(&m).0, engine::deterministic(&m2).0);
        for (j, n) in new.iter().enumerate() {
            let o = &old[j + 3];
            for (a, b, what) in [
                (n.population, o.population, "population"),
                (n.aged_60_plus, o.aged_60_plus, "aged 60+"),
                (n.retirees, o.retirees, "retirees"),
                (
                    n.fund[0].contributions,
                    o.fund[0].contributions,
                    "employee contributions",
                ),
                (n.fund[0].spending, o.fund[0].spending, "employee spending"),
                (n.fund[1].spending, o.fund[1].spending, "resident spending"),
                (n.fund[0].balance, o.fund[0].balance, "employee balance"),
                (n.fund[1].balance, o.fund[1].balance, "resident balance"),
                (n.subsidy_cost, o.subsidy_cost, "subsidy cost"),
            ] {
                assert!(
                    ((a - b) / b).abs() < 1e-9,
                    "{file} {}: {what} {a} vs {b}",
                    2023 + j
                );
            }
        }
    }
}

fn indicator(measure: Measure, condition: Condition, years: (i32, i32)) -> Indicator {
    Indicator {
        id: "x".into(),
        name: "x".into(),
        name_en: "x".into(),
        seeds: fundsim::targets::all()[..1].to_vec(),
        measure,
        condition,
        years,
        note: Default::default(),
    }
}

fn quantile(x: &[f64], q: f64) -> f64 {
    let mut v = x.to_vec();
    fundsim::summary::quantiles(&mut v, &[q])[0]
}

/// Each status on a constructed case: thresholds set at quantiles of the re-based paths give
/// the probabilities of each band; actual figures decide achieved and missed; an input is
/// by assumption.
#[test]
fn statuses_follow_the_thresholds() {
    let tmp = tempfile::tempdir().unwrap();
    let m = model("scenarios/zhejiang-2020.toml");
    let rows = vec![actual("employee", 2022, "balance", 1.0e11)];
    let m2 = write_rebased("scenarios/zhejiang-2020.toml", &m, &rows, 2022, tmp.path());
    let (p1, p2): (Paths, Paths) = (
        engine::simulate(&m, 1, 0, 1000, &|_| {}),
        engine::simulate(&m2, 1, 0, 1000, &|_| {}),
    );
    let (prev, reb) = (
        Projection {
            model: &m,
            paths: &p1,
        },
        Projection {
            model: &m2,
            paths: &p2,
        },
    );
    let t = Thresholds::default();
    let bal = || Measure::Metric {
        metric: "balance".into(),
        fund: "employee".into(),
    };
    let x2025 = metric_values(&p2, 3, "employee", "balance");
    let status = |c: Condition, years: (i32, i32)| {
        let v = judge(&indicator(bal(), c, years), &rows, 2022, &prev, &reb, t);
        (v.status, v.probability.map(|p| p.0))
    };
    let at = |q: f64| Condition::Cmp(Cmp::Ge, quantile(&x2025, q));
    let (s, p) = status(at(0.05), (2025, 2025));
    assert_eq!(s, Status::OnTrack, "p = {p:?}");
    let (s, p) = status(at(0.30), (2025, 2025));
    assert_eq!(s, Status::AtRisk, "p = {p:?}");
    let (s, p) = status(at(0.80), (2025, 2025));
    assert_eq!(s, Status::OffTrack, "p = {p:?}");
    assert!((p.unwrap() - 0.2).abs() < 0.002);
    // The 2022 actual (1.0e11) breaks "≥ 1.2e11" → missed, whatever the paths say.
    let (s, _) = status(Condition::Cmp(Cmp::Ge, 1.2e11), (2021, 2025));
    assert_eq!(s, Status::Missed);
    // A period over by the evaluation year, met by its actual → achieved.
    let (s, _) = status(Condition::Cmp(Cmp::Ge, 0.9e11), (2022, 2022));
    assert_eq!(s, Status::Achieved);
    // The same period with no actual → not assessed.
    let (s, _) = status(Condition::Cmp(Cmp::Ge, 0.9e11), (2021, 2021));
    assert_eq!(s, Status::NotAssessed);
    // An input: by assumption, with whether it meets the threshold.
    let input = |v: f64| {
        judge(
            &indicator(
                Measure::Input("employee.reimbursement".into()),
                Condition::Approx(v, 0.01),
                (2021, 2025),
            ),
            &rows,
            2022,
            &prev,
            &reb,
            t,
        )
    };
    let v = input(0.85);
    assert_eq!(v.status, Status::ByAssumption);
    assert_eq!(v.input, Some((0.85, true)));
    assert_eq!(input(0.70).input, Some((0.85, false)));
}

fn bad_file(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Every check on actual figures and plan files: one line naming the file and line, exit
/// status 2, and no output folder.
#[test]
fn bad_actual_and_plan_files_are_refused_with_their_line() {
    let tmp = tempfile::tempdir().unwrap();
    let head = "fundsim test\nfund,year,metric,value,unit,source\n";
    let head = &head["fundsim test\n".len()..];
    let actuals = [
        (
            "metric",
            "resident,2021,spendng,1,亿元,s\n",
            ":2:15: column `metric`",
        ),
        (
            "fund",
            "pension,2021,spending,1,亿元,s\n",
            ":2:1: column `fund`",
        ),
        (
            "year",
            "resident,2040,spending,1,亿元,s\n",
            ":2:10: column `year`",
        ),
        (
            "dup",
            "resident,2021,spending,1,亿元,s\nresident,2021,spending,2,亿元,s\n",
            ":3:1: column `fund`",
        ),
        (
            "nan",
            "resident,2021,spending,inf,亿元,s\n",
            ":2:24: column `value`",
        ),
        (
            "negative",
            "resident,2021,spending,-1,亿元,s\n",
            ":2:24: column `value`",
        ),
        (
            "unit",
            "resident,2021,spending,1,万人,s\n",
            ":2:26: column `unit`",
        ),
    ];
    for (name, body, expect) in actuals {
        let f = bad_file(tmp.path(), &format!("{name}.csv"), &format!("{head}{body}"));
        let out = tmp.path().join(format!("out-{name}"));
        let o = fundsim()
            .args([
                "evaluate",
                "scenarios/zhejiang-2020.toml",
                "--plan",
                "plans/zhejiang-14th-fyp.toml",
                "--actuals",
            ])
            .arg(&f)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains(&format!("{}{expect}", f.display())),
            "{name}: {err}"
        );
        assert_eq!(err.trim().lines().count(), 1, "{name}: {err}");
        assert!(!out.exists(), "{name}: output written");
    }
    let good = std::fs::read_to_string("plans/zhejiang-14th-fyp.toml").unwrap();
    let plans = [
        (
            "target",
            good.replacen(
                "threshold = \"zj_spending_growth_2025\"",
                "threshold = \"zj_spending_growth_2052\"",
                1,
            ),
            "indicator[0].threshold: got \"zj_spending_growth_2052\"",
        ),
        (
            "metric",
            good.replacen(
                "metric = \"spending_growth\"",
                "metric = \"spending_grwth\"",
                1,
            ),
            "indicator[0].metric: got \"spending_grwth\"",
        ),
        (
            "cmp",
            good.replacen("cmp = \"<\"", "cmp = \"=<\"", 1),
            "indicator[0].cmp: got \"=<\"",
        ),
        (
            "years",
            good.replacen("years = [2025, 2025]", "years = [2025, 2040]", 1),
            "indicator[3].years: got 2040",
        ),
        (
            "unknown",
            good.replacen(
                "note_en = \"the outpatient",
                "notes = \"\"\nnote_en = \"the outpatient",
                1,
            ),
            "indicator[0].notes: unknown key; did you mean `note`?",
        ),
        (
            "between",
            good.replacen(
                "threshold = [\"tj_months_reserve_min_2025\", \"tj_months_reserve_max_2025\"]",
                "threshold = [\"tj_months_reserve_min_2025\"]",
                1,
            ),
            "indicator[1].threshold: got 1 ids, expected 2",
        ),
        (
            "input",
            good.replacen(
                "input = \"employee.reimbursement\"",
                "input = \"employee.reimbursment\"",
                1,
            ),
            "indicator[5].input: got \"employee.reimbursment\"",
        ),
        (
            "unit",
            good.replacen(
                "threshold = \"zj_insured_2020\"",
                "threshold = \"zj_spending_growth_2025\"",
                1,
            ),
            "is in %, expected a figure in 万人",
        ),
    ];
    for (name, text, expect) in plans {
        assert_ne!(text, good, "{name}: the test edit did not apply");
        let f = bad_file(tmp.path(), &format!("{name}.toml"), &text);
        let out = tmp.path().join(format!("plan-{name}"));
        let o = fundsim()
            .args(["evaluate", "scenarios/zhejiang-2020.toml", "--plan"])
            .arg(&f)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains(&format!("{}:", f.display())),
            "{name}: no position: {err}"
        );
        assert!(err.contains(expect), "{name}: {err}");
        assert!(!out.exists(), "{name}: output written");
    }
}

/// The shipped examples run in one command each and leave a self-describing folder.
#[test]
fn shipped_evaluations_run() {
    let tmp = tempfile::tempdir().unwrap();
    for (scenario, plan, figures) in [
        ("china-2020", "plans/china-warning-lines.toml", 14),
        (
            "scenarios/zhejiang-2020.toml",
            "plans/zhejiang-14th-fyp.toml",
            4,
        ),
    ] {
        let out = tmp.path().join(scenario.replace('/', "_"));
        let o = fundsim()
            .args([
                "evaluate", scenario, "--plan", plan, "--paths", "400", "--out",
            ])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let csv = std::fs::read_to_string(out.join("evaluation.csv")).unwrap();
        assert_eq!(
            csv.lines()
                .filter(|l| l.starts_with("backtest,,") && l.contains(",rank,"))
                .count(),
            figures
        );
        assert!(
            csv.lines()
                .any(|l| l.starts_with("indicator,") && l.contains(",status,"))
        );
        let md = std::fs::read_to_string(out.join("evaluation.md")).unwrap();
        assert!(md.contains("## 一、规划指标评估"), "{md}");
        let man: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap())
                .unwrap();
        assert!(
            man["reproduce"]
                .as_str()
                .unwrap()
                .starts_with("fundsim evaluate")
        );
        let rebased = man["rebased"]["file"].as_str().unwrap();
        assert!(out.join(rebased).exists());
        for entry in man["contents"].as_array().unwrap() {
            let name = entry[0].as_str().unwrap();
            if !name.contains('<') && !name.contains('{') {
                assert!(out.join(name).exists(), "{name} listed but missing");
            }
        }
        assert!(out.join("charts/indicators.png").exists());
        // The re-based scenario written into the folder runs where it lies.
        let run = fundsim()
            .args(["run", "--deterministic", "--no-charts", "--out"])
            .arg(tmp.path().join("rerun"))
            .arg(out.join(rebased))
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    let o = fundsim()
        .args([
            "backtest",
            "china-2020",
            "--paths",
            "300",
            "--no-charts",
            "--lang",
            "en",
            "--out",
        ])
        .arg(tmp.path().join("bt"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let md = std::fs::read_to_string(tmp.path().join("bt/backtest.md")).unwrap();
    assert!(md.contains("| Fund | Metric | Year |"));
}

/// The `actuals` key names a file relative to the scenario that sets it, also embedded.
#[test]
fn the_actuals_key_resolves_against_its_scenario() {
    let s = fundsim::scenario::load("scenarios/china-2020.toml", &[]).unwrap();
    assert_eq!(
        s.actuals.as_deref(),
        Some("scenarios/actuals/china-2021-2022.csv")
    );
    let e = fundsim::scenario::load("embedded:scenarios/zhejiang-2020.toml", &[]).unwrap();
    let a = Actuals::read(e.actuals.as_deref().unwrap(), 2020, 2035).unwrap();
    assert_eq!(a.rows.len(), 4);
    assert_eq!(a.rows[3].value, 1424.0e4);
}

/// Every shipped plan reads against its region's scenario, and a plan for another region is
/// refused.
#[test]
fn shipped_plans_read_against_their_scenarios() {
    use fundsim::evaluation::plan::Plan;
    for (scenario, plan, n) in [
        (
            "scenarios/zhejiang-2020.toml",
            "plans/zhejiang-14th-fyp.toml",
            8,
        ),
        (
            "scenarios/zhoukou-2020.toml",
            "plans/zhoukou-14th-fyp.toml",
            4,
        ),
        (
            "scenarios/china-2020.toml",
            "plans/china-warning-lines.toml",
            4,
        ),
    ] {
        let p = Plan::read(plan, &model(scenario)).unwrap();
        assert_eq!(p.indicators.len(), n, "{plan}");
    }
    let e = Plan::read(
        "plans/zhoukou-14th-fyp.toml",
        &model("scenarios/china-2020.toml"),
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("plans/zhoukou-14th-fyp.toml:8:"), "{e}");
    assert!(
        e.contains("plan.region: got \"Zhoukou\", but the scenario is China"),
        "{e}"
    );
}

/// The evaluation charts meet the run charts' bar (issue #9): no annotation covers a plotted
/// series, titles state a finding, PNGs record 300 dpi and carry their title, SVGs carry
/// `<title>` and `<desc>` — for both shipped examples, in Chinese and English.
#[test]
fn evaluation_charts_keep_labels_off_data_and_say_their_finding() {
    use fundsim::chart::layout::{self, covering_labels};
    use fundsim::commands::backtest::EvalArgs;
    use fundsim::commands::evaluate::{EvaluateArgs, evaluate};
    use fundsim::commands::{DecisionArgs, LangArg};
    let tmp = tempfile::tempdir().unwrap();
    let mut labels = 0;
    for (scenario, plan) in [
        ("china-2020", "plans/china-warning-lines.toml"),
        ("zhejiang-2020", "plans/zhejiang-14th-fyp.toml"),
    ] {
        for lang in [LangArg::Zh, LangArg::En] {
            let out = tmp.path().join(format!("{scenario}-{lang:?}"));
            let args = EvaluateArgs {
                scenario: scenario.into(),
                plan: plan.into(),
                as_of: None,
                eval: EvalArgs {
                    actuals: None,
                    run: DecisionArgs {
                        paths: Some(200),
                        seed: None,
                        out: Some(out.clone()),
                        set: Vec::new(),
                    },
                    lang,
                    no_charts: false,
                },
                no_xlsx: true,
            };
            let (r, scenes) = layout::record(|| evaluate(&args));
            r.unwrap();
            let what = format!("{scenario} {lang:?}");
            assert!(scenes.len() > 4, "{what}: no plot recorded");
            let bad = covering_labels(&scenes);
            assert!(bad.is_empty(), "{what}: labels {bad:?} cover data");
            labels += scenes.iter().map(|s| s.labels.len()).sum::<usize>();
            let charts = out.join("charts");
            let mut n = 0;
            for e in std::fs::read_dir(&charts).unwrap() {
                let p = e.unwrap().path();
                match p.extension().and_then(|x| x.to_str()) {
                    Some("png") => {
                        let d = png::Decoder::new(std::io::BufReader::new(
                            std::fs::File::open(&p).unwrap(),
                        ));
                        let r = d.read_info().unwrap();
                        let info = r.info();
                        let dims = info.pixel_dims.expect("pHYs");
                        assert!((dims.xppu as f64 * 0.0254 - 300.0).abs() < 0.5, "{p:?}");
                        assert!(
                            info.utf8_text.iter().any(|t| t.keyword == "Title"),
                            "{p:?}: no title"
                        );
                        n += 1;
                    }
                    Some("svg") => {
                        let s = std::fs::read_to_string(&p).unwrap();
                        let t = &s[s.find("<title").unwrap()..s.find("</title>").unwrap()];
                        assert!(s.contains("<desc"), "{p:?}");
                        // The finding: a share of figures in range, a re-based median or
                        // the indicators' statuses.
                        let finding = ["5%–95%", "重新预测", "re-based", "项指标", "indicators"];
                        assert!(finding.iter().any(|f| t.contains(f)), "{p:?}: {t}");
                        let zh = t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
                        assert_eq!(zh, lang == LangArg::Zh, "{p:?}: {t}");
                    }
                    _ => {}
                }
            }
            assert!(n >= 3, "{what}: {n} PNGs");
        }
    }
    // Marker and value labels are recorded, so the check has something to check.
    assert!(labels > 60, "only {labels} labels recorded");
}
