//! Scenario files: every bad file gives its exact error (file, line:column, key, bad value,
//! expectation); `extends` and `--set` precedence.

use fundsim::resolve::Model;
use fundsim::scenario;

fn error_of(file: &str, sets: &[&str]) -> String {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    match scenario::load(file, &sets) {
        Err(e) => e.to_string(),
        Ok(s) => match Model::new(&s) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("{file} was accepted"),
        },
    }
}

#[test]
fn bad_files_give_exact_errors() {
    let cases: &[(&str, &str)] = &[
        (
            "csv_column",
            "tests/fixtures/bad/csv_column.toml:4:10: resident.cost.csv: tests/fixtures/bad/../shapes.csv has no column `nope`; its columns are: age, fertility, mig_male, mig_female, cost, zero, at100",
        ),
        (
            "cycle_a",
            "tests/fixtures/bad/cycle_a.toml: `extends` cycle: tests/fixtures/bad/cycle_a.toml → tests/fixtures/bad/cycle_b.toml → tests/fixtures/bad/cycle_a.toml; expected a chain of files that ends",
        ),
        (
            "extends_missing",
            "tests/fixtures/bad/extends_missing.toml:1:1: extends: tests/fixtures/bad/../missing.toml: cannot read file: No such file or directory (os error 2); expected a readable file",
        ),
        (
            "extension",
            "tests/fixtures/bad/extension.toml:4:26: resident.subsidy.after: got \"inflation\", expected \"flat\", \"wage\", \"cost\" or { growth = RATE }",
        ),
        (
            "horizon",
            "tests/fixtures/bad/horizon.toml:4:1: region.horizon: got 2019, expected an integer between 2021 and 2120",
        ),
        (
            "kappa",
            "tests/fixtures/bad/kappa.toml:4:1: employee.base_spending: observed base-year spending 1 cannot be matched: the non-claims spending is 27840000 and the claims term is 161600; expected a spending above the non-claims part and a non-zero cost curve",
        ),
        (
            "lines",
            "tests/fixtures/bad/lines.toml:4:1: warning.reserve_lines: got [3.0, 9.0, 6.0, 15.0], expected four strictly increasing month lines such as [3, 6, 9, 15]",
        ),
        (
            "missing_table",
            "tests/fixtures/bad/missing_table.toml:1:1: population: missing key; expected a [population] table",
        ),
        (
            "not_pd",
            "tests/fixtures/bad/not_pd.toml:4:1: drivers.correlation: not positive definite (some combination of the correlations is impossible); expected a valid correlation matrix",
        ),
        (
            "not_symmetric",
            "tests/fixtures/bad/not_symmetric.toml:4:1: drivers.correlation: not symmetric: [1][0] = 0.4 but [0][1] = 0.5",
        ),
        (
            "phi",
            "tests/fixtures/bad/phi.toml:4:1: drivers.interest.phi: got 1.0, expected a persistence φ between 0 and 0.99",
        ),
        (
            "rate_range",
            "tests/fixtures/bad/rate_range.toml:4:1: employee.employer_rate: got 1.5, expected a rate between 0 and 1",
        ),
        (
            "shape_sum",
            "tests/fixtures/bad/shape_sum.toml:4:1: population.fertility_shape: the shape sums to 202, expected 1 (within 1e-6)",
        ),
        (
            "sigma",
            "tests/fixtures/bad/sigma.toml:4:1: drivers.wage_growth.sigma: got -0.1, expected a standard deviation σ between 0 and 10",
        ),
        (
            "student_nu",
            "tests/fixtures/bad/student_nu.toml:5:1: drivers.degrees_of_freedom: got 2, expected degrees of freedom ν (so the variance is finite) greater than 2",
        ),
        (
            "syntax",
            "tests/fixtures/bad/syntax.toml:4:16: TOML syntax error: string values must be quoted, expected literal string",
        ),
        (
            "unknown_key",
            "tests/fixtures/bad/unknown_key.toml:4:1: employee.employer_rat: unknown key; did you mean `employer_rate`?",
        ),
        (
            "wrong_type",
            "tests/fixtures/bad/wrong_type.toml:4:1: resident.premium: got \"high\", expected a number or a table of dated values",
        ),
        (
            "year_range",
            "tests/fixtures/bad/year_range.toml:4:14: membership.coverage.2019: year 2019 is outside the projection; expected a year between 2020 and 2035",
        ),
    ];
    for (name, expected) in cases {
        let got = error_of(&format!("tests/fixtures/bad/{name}.toml"), &[]);
        assert_eq!(&got, expected, "{name}");
    }
    assert!(cases.len() >= 10);
}

#[test]
fn set_errors_are_clear() {
    assert_eq!(
        error_of("tests/fixtures/tiny.toml", &["employee.employer_rate"]),
        "--set employee.employer_rate: expected KEY=VALUE, e.g. --set employee.employer_rate=0.08"
    );
    assert_eq!(
        error_of("tests/fixtures/tiny.toml", &["employee.employer_rate=2"]),
        "--set employee.employer_rate: employee.employer_rate: got 2, expected a rate between 0 and 1"
    );
    assert_eq!(
        error_of("tests/fixtures/tiny.toml", &["region.id.x=1"]),
        "--set region.id.x=1: `region.id` is \"tiny\", not a table, so `region.id.x` cannot be set"
    );
    assert_eq!(
        error_of("tests/fixtures/tiny.toml", &["employee.employer_rat=0.07"]),
        "--set employee.employer_rat: employee.employer_rat: unknown key; did you mean `employer_rate`?"
    );
}

#[test]
fn extends_and_set_precedence() {
    let dir = tempfile::tempdir().unwrap();
    let tiny = std::fs::canonicalize("tests/fixtures/tiny.toml").unwrap();
    let opt = dir.path().join("option.toml");
    std::fs::write(
        &opt,
        format!(
            "extends = {:?}\n[employee]\nemployer_rate = 0.07\n[drivers.wage_growth]\nsigma = 0.02\n",
            tiny.display().to_string()
        ),
    )
    .unwrap();
    let opt = opt.display().to_string();
    let s = scenario::load(&opt, &[]).unwrap();
    // The option file wins over the base; untouched keys (deep merge) keep the base values.
    assert_eq!(s.employee.employer_rate.value_at(2025), 0.07);
    assert_eq!(s.drivers.wage_growth.sigma, 0.02);
    assert_eq!(s.drivers.wage_growth.phi, 0.5);
    assert_eq!(s.employee.employee_rate.value_at(2025), 0.02);
    // --set is applied last and wins over both.
    let s = scenario::load(&opt, &["employee.employer_rate=0.09".into()]).unwrap();
    assert_eq!(s.employee.employer_rate.value_at(2025), 0.09);
    // A dated table through --set.
    let s = scenario::load(
        &opt,
        &["employee.employer_rate={ 2020 = 0.08, 2030 = 0.06 }".into()],
    )
    .unwrap();
    assert!((s.employee.employer_rate.value_at(2025) - 0.07).abs() < 1e-12);
    // The inputs list the chain and the data files with hashes.
    let names: Vec<&str> = s.inputs.iter().map(|f| f.name.as_str()).collect();
    assert!(
        names[0].ends_with("option.toml") && names[1].ends_with("tiny.toml"),
        "{names:?}"
    );
    assert!(s.inputs.iter().all(|f| f.sha256.len() == 64));
}

#[test]
fn shipped_scenarios_validate() {
    for f in std::fs::read_dir("scenarios")
        .unwrap()
        .chain(std::fs::read_dir("scenarios/options").into_iter().flatten())
    {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "toml") {
            let s = scenario::load(&p.display().to_string(), &[]).unwrap_or_else(|e| panic!("{e}"));
            Model::new(&s).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}
