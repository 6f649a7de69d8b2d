//! Decision tools (MODEL.md §11, issue #5): solve against a brute-force sweep, monotonicity
//! under common random numbers, comparing an option with itself, and clear errors.

use fundsim::decision::compare::{self, OptionSpec};
use fundsim::decision::solve::{self, SolveSpec};
use fundsim::decision::sweep::{self, Axis};
use fundsim::decision::target::{parse_measure, parse_target};
use fundsim::decision::{model, sensitivity};

const TINY: &str = "tests/fixtures/tiny.toml";
const TARGET: &str = "P(months >= 6 for employee in every year 2021-2030) >= 0.9";
const KEY: &str = "employee.employer_rate";

fn spec(lo: f64, hi: f64, maximize: bool, target: &str) -> SolveSpec {
    SolveSpec {
        scenario: TINY.into(),
        overrides: vec![],
        key: KEY.into(),
        lo,
        hi,
        target: parse_target(target).unwrap(),
        maximize,
        tol: Some(1e-4),
        paths: 400,
        seed: 11,
    }
}

#[test]
fn solve_agrees_with_a_brute_force_sweep() {
    let step = 0.005;
    let axis = sweep::parse_axis(&format!("{KEY}=0.10:0.25:{step}")).unwrap();
    let t = parse_target(TARGET).unwrap();
    let g = sweep::sweep(
        TINY,
        &[],
        std::slice::from_ref(&axis),
        &t.measure,
        400,
        11,
        &|_, _| {},
    )
    .unwrap();
    let first = (0..axis.values.len())
        .find(|&i| t.met(&g.at(i, 0)))
        .expect("the grid meets the target somewhere");
    assert!(first > 0, "the grid's lower end already meets the target");
    let s = solve::solve(&spec(0.10, 0.25, false, TARGET), &|_| {}).unwrap();
    let grid_answer = axis.values[first];
    assert!(
        s.value <= grid_answer + 1e-9 && s.value > grid_answer - step - 1e-9,
        "solve {} vs first grid point meeting the target {grid_answer} (step {step})",
        s.value
    );
    assert!(t.met(&s.achieved));
    assert!(s.achieved.se > 0.0 && s.achieved.se < 0.05);
    assert!(!s.at_end);
    // Each bracket halving: about log2(0.15 / 1e-4) ≈ 11 evaluations beyond the ends.
    assert!(s.steps.len() <= 2 + 12, "{} evaluations", s.steps.len());
}

#[test]
fn largest_value_with_max() {
    // P(depleted) falls with the employer rate: the largest rate with P(depleted) >= 0.5.
    let target = "P(depleted for employee by 2035) >= 0.5";
    let s = solve::solve(&spec(0.10, 0.25, true, target), &|_| {}).unwrap();
    let m = parse_target(target).unwrap();
    assert!(m.met(&s.achieved));
    let above = s.value + 2e-4;
    let mm = model(TINY, &[format!("{KEY}={above}")]).unwrap();
    let p = fundsim::decision::simulate(&mm, 11, 400);
    assert!(!m.met(&m.measure.eval(&mm, &p)), "{above} still meets it");
}

#[test]
fn indicators_move_monotonically_with_the_parameter() {
    let axis = sweep::parse_axis(&format!("{KEY}=0.08:0.20:0.01")).unwrap();
    for (text, increasing) in [
        ("P(months >= 6 for employee in every year 2021-2030)", true),
        ("median(months for employee in 2035)", true),
        ("mean(balance for combined in 2030)", true),
        ("P(depleted for employee by 2035)", false),
    ] {
        let m = parse_measure(text).unwrap();
        let g = sweep::sweep(
            TINY,
            &[],
            std::slice::from_ref(&axis),
            &m,
            300,
            5,
            &|_, _| {},
        )
        .unwrap();
        for w in g.values.windows(2) {
            let ok = if increasing {
                w[1].value >= w[0].value
            } else {
                w[1].value <= w[0].value
            };
            assert!(ok, "{text}: {} then {}", w[0].value, w[1].value);
        }
        assert_ne!(
            g.values[0].value,
            g.values.last().unwrap().value,
            "{text} does not move"
        );
    }
}

#[test]
fn two_dimensional_grid_and_csv() {
    let a = sweep::parse_axis(&format!("{KEY}=0.14:0.18:0.02")).unwrap();
    let b = sweep::parse_axis("resident.subsidy=600:800:100").unwrap();
    let m = parse_measure("median(months for combined in 2030)").unwrap();
    let g = sweep::sweep(TINY, &[], &[a, b], &m, 100, 3, &|_, _| {}).unwrap();
    assert_eq!(g.values.len(), 9);
    let csv = g.to_csv();
    assert!(
        csv.starts_with("employee.employer_rate,resident.subsidy,value,se\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 10);
    // More subsidy, more months (same paths).
    assert!(g.at(0, 2).value > g.at(0, 0).value);
}

#[test]
fn comparing_an_option_with_itself_gives_zero_differences() {
    let m = model(TINY, &[]).unwrap();
    let opts = vec![
        OptionSpec {
            label: "a".into(),
            model: m.clone(),
        },
        OptionSpec {
            label: "b".into(),
            model: m,
        },
    ];
    let c = compare::compare(&opts, 200, 9, &[2025, 2030, 2035]).unwrap();
    let b_rows: Vec<_> = c.rows.iter().filter(|r| r.option == "b").collect();
    assert!(b_rows.len() > 50);
    for r in b_rows {
        if r.value.is_nan() {
            assert!(r.diff.is_nan(), "{r:?}");
            continue;
        }
        assert_eq!(r.diff, 0.0, "{r:?}");
        assert!(r.se == 0.0 || r.se.is_nan(), "{r:?}");
    }
    let md = c.to_markdown();
    assert!(
        md.starts_with("| indicator | fund | year | a | b |"),
        "{md}"
    );
    assert!(
        c.to_csv()
            .starts_with("option,fund,year,indicator,value,diff,se_diff\n")
    );
}

#[test]
fn compare_differences_are_paired() {
    let base = model(TINY, &[]).unwrap();
    let more = model(TINY, &[format!("{KEY}=0.1")]).unwrap();
    let opts = vec![
        OptionSpec {
            label: "base".into(),
            model: base,
        },
        OptionSpec {
            label: "more".into(),
            model: more,
        },
    ];
    let c = compare::compare(&opts, 400, 9, &[2030]).unwrap();
    let r = c
        .rows
        .iter()
        .find(|r| r.option == "more" && r.indicator == "cum_employer_contrib_yi")
        .unwrap();
    assert!(r.diff > 0.0 && r.se < 0.05 * r.diff, "{r:?}");
    let r = c
        .rows
        .iter()
        .find(|r| {
            r.option == "more"
                && r.indicator == "median_months"
                && r.fund == "employee"
                && r.year == Some(2030)
        })
        .unwrap();
    assert!(r.diff > 0.0 && r.se.is_finite() && r.se < r.diff, "{r:?}");
}

#[test]
fn bad_targets_say_where_and_what() {
    let cases = [
        (
            "P(months >= 6 for residnt in every year 2021-2030) >= 0.9",
            19,
            "expected a fund (employee, resident or combined)",
        ),
        (
            "P(month >= 6 for resident) >= 0.9",
            3,
            "expected a metric (months, balance, growth, deficit or depleted)",
        ),
        (
            "P(months >= 6 for resident) >= 1.5",
            32,
            "expected a number between 0 and 1",
        ),
        ("P(months >= 6 for resident)", 28, "expected a comparison"),
        (
            "P(months for resident) >= 0.9",
            10,
            "a comparison (>=, >, <=, <) after `months`",
        ),
        ("P(depleted >= 1 for resident) >= 0.9", 3, "yes/no metric"),
        (
            "P(months >= 6 in every year 2030-2021) >= 0.9",
            34,
            "runs backwards",
        ),
        (
            "P(months >= 6 in each year 2021-2030) >= 0.9",
            18,
            "`every year`, `any year` or a year after `in`",
        ),
        ("median(months for resident) >= 6", 27, "`in YEAR`"),
        (
            "P(months >= 6 for resident # 2030) >= 0.9",
            28,
            "unexpected character `#`",
        ),
    ];
    for (text, col, msg) in cases {
        let e = parse_target(text).expect_err(text);
        assert!(e.message.contains(msg), "{text}: {}", e.message);
        assert_eq!(e.col, col, "{text}: {e}");
        let shown = e.to_string();
        assert!(
            shown.contains(&format!("column {col}")) && shown.contains(text),
            "{shown}"
        );
    }
}

#[test]
fn bad_ranges_and_keys_say_what_is_wrong() {
    let e = sweep::parse_axis("employee.employer_rate=0.1:0.05:0.01").unwrap_err();
    assert!(e.contains("LO (0.1) is above HI (0.05)"), "{e}");
    let e = sweep::parse_axis("employee.employer_rate=0.05:0.1:0").unwrap_err();
    assert!(e.contains("STEP (0) must be positive"), "{e}");
    let e = sweep::parse_axis("employee.employer_rate=0.05:0.1").unwrap_err();
    assert!(e.contains("expected LO:HI:STEP"), "{e}");
    let e = sweep::parse_axis("employee.employer_rate=a:0.1:0.01").unwrap_err();
    assert!(e.contains("LO `a` is not a number"), "{e}");
    let e = sweep::parse_axis("employee.employer_rate").unwrap_err();
    assert!(e.contains("expected KEY=LO:HI:STEP"), "{e}");
    let e = fundsim::decision::parse_range("0.2:0.1", "--range").unwrap_err();
    assert!(e.contains("LO (0.2) must be below HI (0.1)"), "{e}");

    // Unknown key: the scenario loader names it and suggests the right one.
    let m = parse_measure("median(months for employee in 2030)").unwrap();
    let ax = Axis {
        key: "employee.employer_rat".into(),
        values: vec![0.08],
    };
    let e = sweep::sweep(TINY, &[], &[ax], &m, 10, 1, &|_, _| {}).unwrap_err();
    assert!(
        e.contains("employee.employer_rat")
            && e.contains("unknown key")
            && e.contains("employer_rate"),
        "{e}"
    );

    // A value out of the key's range.
    let ax = Axis {
        key: KEY.into(),
        values: vec![1.5],
    };
    let e = sweep::sweep(TINY, &[], &[ax], &m, 10, 1, &|_, _| {}).unwrap_err();
    assert!(e.contains("employee.employer_rate=1.5"), "{e}");

    // Years outside the projection.
    let m = parse_measure("median(months for employee in 2040)").unwrap();
    let ax = sweep::parse_axis(&format!("{KEY}=0.08:0.09:0.01")).unwrap();
    let e = sweep::sweep(TINY, &[], &[ax], &m, 10, 1, &|_, _| {}).unwrap_err();
    assert!(
        e.contains("outside the projection") && e.contains("2035"),
        "{e}"
    );

    // No value in the range meets the target.
    let e = solve::solve(&spec(0.04, 0.08, false, TARGET), &|_| {}).unwrap_err();
    assert!(
        e.contains("no value of employee.employer_rate in [0.04, 0.08] meets the target"),
        "{e}"
    );
}

#[test]
fn solve_reports_an_end_that_already_meets_the_target() {
    let s = solve::solve(&spec(0.2, 0.3, false, TARGET), &|_| {}).unwrap();
    assert!(s.at_end);
    assert_eq!(s.value, 0.2);
    assert_eq!(s.steps.len(), 2);
}

#[test]
fn sensitivity_moves_every_parameter_both_ways() {
    let t = sensitivity::sensitivity(TINY, &[], 100, 3, &|_, _| {}).unwrap();
    assert_eq!(t.effects.len(), sensitivity::DRIVERS.len());
    for e in &t.effects {
        let moved = (0..3).any(|f| e.down.months[f] != e.up.months[f]);
        assert!(moved, "{} has no effect", e.driver.name);
    }
    // Employer rate up: more employee months; medical growth up: fewer.
    let by = |n: &str| t.effects.iter().find(|e| e.driver.name == n).unwrap();
    assert!(by("employer rate").up.months[0] > by("employer rate").down.months[0]);
    assert!(by("medical cost growth").up.months[0] < by("medical cost growth").down.months[0]);
    assert!(t.to_csv().lines().count() > 3 * 19);
}

#[test]
fn cli_errors_exit_non_zero_with_the_message() {
    let out = assert_cmd::Command::cargo_bin("fundsim")
        .unwrap()
        .args([
            "solve", TINY, "--param", KEY, "--range", "0.1:0.3", "--paths", "50",
        ])
        .args(["--target", "P(months >= 6 for residnt) >= 0.9"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad target at column 19") && err.contains("expected a fund"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn cli_compare_writes_table_csv_markdown_and_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::cargo_bin("fundsim")
        .unwrap()
        .args([
            "compare",
            TINY,
            TINY,
            "--paths",
            "100",
            "--years",
            "2025,2035",
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
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("median months") && text.contains("(+0.00 ±0.00)"),
        "{text}"
    );
    for f in [
        "compare.csv",
        "compare.md",
        "charts/compare_months_resident.png",
        "charts/compare_months_resident.svg",
        "charts/compare_diff_resident.png",
        "charts/compare_diff_resident.svg",
    ] {
        assert!(dir.path().join(f).exists(), "{f}");
    }
    // Chinese by default, with the region's name; the same file twice is told apart.
    let svg =
        std::fs::read_to_string(dir.path().join("charts/compare_months_resident.svg")).unwrap();
    assert!(
        svg_title(&svg).starts_with("测试城乡居民医保基金："),
        "{svg}"
    );
    assert!(svg.contains("结果相同"), "identical options not flagged");
    assert!(
        svg.contains("（第 2 项）"),
        "a repeated option is not told apart"
    );
}

/// The text of an SVG's `<title>`.
fn svg_title(svg: &str) -> String {
    svg.split("<title id=\"title\">")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap_or_default()
        .to_string()
}

/// The resolution a PNG's pHYs chunk records, in dots per inch.
fn png_dpi(path: &std::path::Path) -> f64 {
    let b = std::fs::read(path).unwrap();
    let i = b.windows(4).position(|w| w == b"pHYs").expect("pHYs chunk");
    let ppm = u32::from_be_bytes(b[i + 4..i + 8].try_into().unwrap());
    assert_eq!(b[i + 12], 1, "pHYs unit is the metre");
    ppm as f64 * 0.0254
}

#[test]
fn cli_sweep_and_sensitivity_charts_are_chinese_by_default_and_english_on_request() {
    let run = |args: &[&str]| {
        let dir = tempfile::tempdir().unwrap();
        let out = assert_cmd::Command::cargo_bin("fundsim")
            .unwrap()
            .args(args)
            .args(["--paths", "100", "--out"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    };
    let title = |dir: &tempfile::TempDir, f: &str| {
        svg_title(&std::fs::read_to_string(dir.path().join("charts").join(f)).unwrap())
    };
    let sweep = [
        "sweep",
        TINY,
        "--param",
        "employee.employer_rate=0.06:0.12:0.02",
        "--measure",
        TARGET,
    ];
    let d = run(&sweep);
    let t = title(&d, "sweep.svg");
    assert!(t.starts_with("测试：") && t.contains("单位缴费率"), "{t}");
    assert!(png_dpi(&d.path().join("charts/sweep.png")) >= 299.9);
    let d = run(&[&sweep[..], &["--lang", "en"]].concat());
    let t = title(&d, "sweep.svg");
    assert!(
        t.starts_with("Tiny: ") && t.contains("employer contribution rate"),
        "{t}"
    );
    let d = run(&["sensitivity", TINY]);
    let t = title(&d, "tornado_employee.svg");
    assert!(
        t.starts_with("测试职工医保统筹基金：") && t.contains("影响最大"),
        "{t}"
    );
    assert!(png_dpi(&d.path().join("charts/tornado_employee.png")) >= 299.9);
    let svg = std::fs::read_to_string(d.path().join("charts/tornado_employee.svg")).unwrap();
    assert!(svg.contains("个百分点"), "steps in decimals");
}

/// Labels of the decision charts (line labels, target and current-policy marks, bar values)
/// never cover a plotted series.
#[test]
fn decision_chart_labels_stay_off_data() {
    use fundsim::chart::{Lang, decision as dc, layout};
    let dir = tempfile::tempdir().unwrap();
    let m = model(TINY, &[]).unwrap();
    let low = model(TINY, &["employee.employer_rate=0.06".into()]).unwrap();
    let options = vec![
        OptionSpec {
            label: "base".into(),
            model: m.clone(),
        },
        OptionSpec {
            label: "low".into(),
            model: low,
        },
    ];
    let c = compare::compare(&options, 200, 3, &[2025, 2035]).unwrap();
    let named: Vec<(&str, &fundsim::scenario::Scenario)> = options
        .iter()
        .map(|o| (o.label.as_str(), &o.model.scenario))
        .collect();
    let t = sensitivity::sensitivity(TINY, &[], 100, 3, &|_, _| {}).unwrap();
    let target = parse_target(TARGET).unwrap();
    let axis = sweep::parse_axis(&format!("{KEY}=0.06:0.14:0.01")).unwrap();
    let g = sweep::sweep(TINY, &[], &[axis], &target.measure, 200, 3, &|_, _| {}).unwrap();
    let spec = dc::SweepSpec {
        measure: &target.measure,
        target: Some((target.cmp, target.value)),
        current: vec![Some(0.08)],
    };
    for lang in [Lang::Zh, Lang::En] {
        let meta = dc::meta_for(&m, 3, 200, lang);
        let (r, sc) = layout::record(|| dc::compare_charts(&c, &named, &meta, lang, dir.path()));
        assert_eq!(r.unwrap().len(), 12);
        assert!(layout::covering_labels(&sc).is_empty(), "compare {lang:?}");
        let (r, sc) = layout::record(|| dc::tornado_chart(&t, &meta, lang, dir.path()));
        assert_eq!(r.unwrap().len(), 6);
        assert!(sc.iter().map(|s| s.labels.len()).sum::<usize>() > 10);
        assert!(layout::covering_labels(&sc).is_empty(), "tornado {lang:?}");
        let (r, sc) = layout::record(|| dc::sweep_chart(&g, &spec, &meta, lang, dir.path()));
        assert_eq!(r.unwrap().len(), 2);
        assert!(layout::covering_labels(&sc).is_empty(), "sweep {lang:?}");
    }
}
