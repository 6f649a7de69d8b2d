//! Scenario files (TOML): reading, `extends` merging, `--set` overrides and validation
//! (MODEL.md §2–9; the format is described in README.md).
//!
//! Loading is one pipeline: read the file and, recursively, the files it `extends` (a cycle
//! is refused and named), deep-merge them (the extending file wins), apply `--set key=value`
//! overrides last, then read the merged tree into a typed [`Scenario`], checking every key
//! and value. Every error names the file, line:column, key, the bad value and what was
//! expected.

pub mod ages;
pub mod read;
pub mod source;
pub mod tree;

use crate::param::{Param, Spec};
use crate::warning::TierTable;
use ages::{AGES, AgeSex, read_age, read_age_sex};
use read::{Check, Result, ScenarioError, Table, as_array, as_int, as_num, as_str, source_of};
use serde::Serialize;
use source::{Files, InputFile};
use tree::{Kind, Node};

/// Region and projection window (MODEL.md §1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Region {
    /// Short id used in exports and output folders.
    pub id: String,
    /// Display name (Chinese).
    pub name: String,
    /// Display name (English).
    pub name_en: String,
    /// Base year `Y0`: balances are known at its end.
    pub base_year: i32,
    /// Last projected year `Y1`.
    pub horizon: i32,
    /// Base year of the scenario this one was re-based from (MODEL.md §13): dated values
    /// may then be listed from that year on (they are inherited through `extends`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rebased_from: Option<i32>,
}

/// Population inputs (MODEL.md §3).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Population {
    /// End-of-base-year population by age and sex.
    pub base: AgeSex,
    /// Base life table `q0(s,x)`.
    pub life_table: AgeSex,
    /// Age weights `b(x)` of mortality improvement.
    pub improvement_weight: Vec<f64>,
    /// Source of the improvement weights, if given.
    pub improvement_weight_source: Option<String>,
    /// Fertility age shape `f(x)` (sums to 1 over 15..=49).
    pub fertility_shape: Vec<f64>,
    /// Source of the fertility shape, if given.
    pub fertility_shape_source: Option<String>,
    /// Sex ratio at birth (males per female), per year.
    pub sex_ratio_at_birth: Param,
    /// Net migration age–sex shape `m(s,x)` (sums to 1).
    pub migration_shape: AgeSex,
}

/// Scheme membership (MODEL.md §4).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Membership {
    /// `emp0(s,x)`: share of each cohort in the employee scheme.
    pub employee_share: AgeSex,
    /// `escale(t)`.
    pub employee_scale: Param,
    /// `cov(t)`: overall coverage rate.
    pub coverage: Param,
    /// Retirement age of men `R(male,t)` (may be fractional).
    pub retirement_age_male: Param,
    /// Retirement age of women `R(female,t)`.
    pub retirement_age_female: Param,
}

/// A cost-control or benefit reform (MODEL.md §6): factor
/// `1 + effect · clamp((t − start + 1)/ramp_years, 0, 1)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reform {
    /// Name.
    pub name: String,
    /// First year with an effect.
    pub start: i32,
    /// Years to full effect (0 = full effect from `start`).
    pub ramp_years: i32,
    /// Proportional effect on claims at full effect (−0.05 = −5%).
    pub effect: f64,
    /// Source.
    pub source: Option<String>,
}

impl Reform {
    /// The reform's factor in year `t` (MODEL.md §6, §12).
    pub fn factor(&self, t: i32) -> f64 {
        let share = if self.ramp_years == 0 {
            if t >= self.start { 1.0 } else { 0.0 }
        } else {
            (f64::from(t - self.start + 1) / f64::from(self.ramp_years)).clamp(0.0, 1.0)
        };
        1.0 + self.effect * share
    }
}

/// The employee pooled fund (MODEL.md §5–6).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmployeeFund {
    /// Balance at the end of the base year, yuan.
    pub base_balance: Param,
    /// Observed base-year spending, yuan (calibrates κ); none: κ = 1.
    pub base_spending: Option<Param>,
    /// Average contribution base `W(Y0)`, yuan per active per year.
    pub contribution_base: Param,
    /// Employer contribution rate.
    pub employer_rate: Param,
    /// Employee contribution rate.
    pub employee_rate: Param,
    /// Share of the employer contribution that goes to the pooled fund.
    pub employer_to_pool: Param,
    /// Share of the employee contribution that goes to the pooled fund.
    pub employee_to_pool: Param,
    /// Collection rate `collect_E(t)`.
    pub collection: Param,
    /// `wrel(s,x)`: relative contribution base.
    pub wage_relativity: AgeSex,
    /// `c_act(s,x)`: claims per active (shape or yuan).
    pub cost_active: AgeSex,
    /// `c_ret(s,x)`: claims per retiree.
    pub cost_retiree: AgeSex,
    /// Reimbursement ratio `ratio(t)` (policy-scope inpatient share).
    pub reimbursement: Param,
    /// Reforms.
    pub reforms: Vec<Reform>,
    /// Average pension `pension(Y0)`, yuan per year.
    pub pension: Param,
    /// Pension link to wage growth.
    pub pension_link: Param,
    /// Pooled fund's credit to retirees' accounts as a share of the pension, `acct_rate(t)`.
    pub account_rate: Param,
    /// Other income (transfers, top-ups), yuan per year.
    pub other_income: Param,
}

/// The urban-rural resident fund (MODEL.md §5–6).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResidentFund {
    /// Balance at the end of the base year, yuan.
    pub base_balance: Param,
    /// Observed base-year spending, yuan (calibrates κ); none: κ = 1.
    pub base_spending: Option<Param>,
    /// Individual premium, yuan per member per year.
    pub premium: Param,
    /// Fiscal subsidy, yuan per member per year.
    pub subsidy: Param,
    /// Collection rate `collect_R(t)`.
    pub collection: Param,
    /// `c_res(s,x)`: claims per resident.
    pub cost: AgeSex,
    /// Reimbursement ratio `ratio(t)`.
    pub reimbursement: Param,
    /// Reforms.
    pub reforms: Vec<Reform>,
    /// Per-member transfer to critical-illness insurance (大病保险), yuan per year.
    pub critical_illness_premium: Param,
    /// Other income, yuan per year.
    pub other_income: Param,
}

/// An AR(1) driver around a time-dated mean (MODEL.md §9).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ar1 {
    /// Mean `μ(t)`.
    pub mean: Param,
    /// Persistence `φ` in [0, 1).
    pub phi: f64,
    /// Innovation scale `σ` ≥ 0.
    pub sigma: f64,
    /// Source of `φ` and `σ`.
    pub source: Option<String>,
}

/// Innovation law (MODEL.md §9).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Innovations {
    /// Standard normal.
    Normal,
    /// Multivariate Student-t with ν degrees of freedom, scaled to unit variance (ν > 2).
    StudentT(f64),
}

/// Epidemic shock (MODEL.md §6, §12).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Epidemic {
    /// Annual probability.
    pub probability: f64,
    /// Median severity (proportional increase of claims).
    pub median: f64,
    /// Log-scale σ of the severity.
    pub sigma: f64,
    /// Source.
    pub source: Option<String>,
}

/// Stochastic drivers (MODEL.md §9).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Drivers {
    /// Wage growth `gw`.
    pub wage_growth: Ar1,
    /// Medical cost growth beyond ageing `gm`.
    pub medical_growth: Ar1,
    /// Interest rate credited on balances `r`.
    pub interest: Ar1,
    /// Drift `d(t)` of the mortality index.
    pub mortality_drift: Param,
    /// σ of the mortality index.
    pub mortality_sigma: f64,
    /// Source of the mortality table (drift and σ), if given.
    pub mortality_source: Option<String>,
    /// Total fertility rate, AR(1), floored at 0.
    pub fertility: Ar1,
    /// Net migration level `MIG(t)`, persons per year.
    pub migration: Param,
    /// σ of the migration level.
    pub migration_sigma: f64,
    /// Source of the migration table (level and σ), if given.
    pub migration_source: Option<String>,
    /// Innovation law.
    pub innovations: Innovations,
    /// Correlation matrix, driver order wage, medical, interest, mortality, fertility,
    /// migration.
    pub correlation: Vec<Vec<f64>>,
    /// Epidemic shock.
    pub epidemic: Epidemic,
}

/// Warning lines (MODEL.md §8).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// Reserve tier lines in months.
    pub tiers: TierTable,
    /// Spending-growth line (0.10 = 10%).
    pub growth_line: f64,
    /// Source of the growth line.
    pub growth_source: String,
    /// Quantile `q` of months that sets the warning level.
    pub confidence: f64,
}

/// Monte Carlo settings (MODEL.md §10).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Simulation {
    /// Number of paths.
    pub paths: usize,
    /// Seed.
    pub seed: u64,
}

/// A whole scenario, read and validated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// Region and window.
    pub region: Region,
    /// Population inputs.
    pub population: Population,
    /// Membership.
    pub membership: Membership,
    /// Employee fund.
    pub employee: EmployeeFund,
    /// Resident fund.
    pub resident: ResidentFund,
    /// Drivers.
    pub drivers: Drivers,
    /// Warning lines.
    pub warning: Warning,
    /// Simulation settings.
    pub simulation: Simulation,
    /// Files read (scenario chain and data), with hashes.
    pub inputs: Vec<InputFile>,
    /// `--set` overrides applied, in order.
    pub overrides: Vec<String>,
    /// Actual figures of the years after the base year (MODEL.md §13), the `actuals` key:
    /// a CSV file resolved against the scenario file that names it. Read by the evaluation
    /// commands only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actuals: Option<String>,
    /// Warnings about inputs that are accepted but look wrong (printed by the commands,
    /// recorded in manifests): an input that is not used, a money amount that looks like a
    /// unit slip.
    pub warnings: Vec<String>,
}

/// Longest region id: it names output folders and appears in every exported row.
pub const MAX_ID_CHARS: usize = 64;

/// Amounts of money per person per year (contribution base, pension, premium, subsidy,
/// per-age costs): at most this many yuan, far above any real value, so that no product of
/// inputs can overflow.
pub const MAX_PER_PERSON: f64 = 1e8;
/// Amounts of money of a whole fund (balances, spending, other income): at most this many
/// yuan (10 million 亿元, about 70 times China's 2020 GDP).
pub const MAX_FUND: f64 = 1e15;
/// Persons in one age-sex cell of the base population, and net migrants a year.
pub const MAX_PERSONS: f64 = 2e9;

const PER_PERSON: Check =
    Check::Range(0.0, MAX_PER_PERSON, "an amount in yuan per person per year");
const FUND_AMOUNT: Check = Check::Range(-MAX_FUND, MAX_FUND, "an amount in yuan");
const SPENDING: Check = Check::PositiveUpTo(MAX_FUND, "a base-year spending in yuan");

/// Number of stochastic drivers (MODEL.md §9).
pub const DRIVERS: usize = 6;
/// Driver names in innovation order (MODEL.md §12).
pub const DRIVER_NAMES: [&str; DRIVERS] = [
    "wage",
    "medical",
    "interest",
    "mortality",
    "fertility",
    "migration",
];

/// Load a scenario file (a path or an `embedded:` name) with its `extends` chain and
/// `--set` overrides (`key.path=value`), and validate it.
pub fn load(name: &str, overrides: &[String]) -> Result<Scenario> {
    let files = Files::new();
    let mut root = load_tree(name, &files, &mut Vec::new())?;
    for o in overrides {
        let (k, v) = o.split_once('=').ok_or_else(|| {
            ScenarioError::plain(format!(
                "--set {o}: expected KEY=VALUE, e.g. --set employee.employer_rate=0.08"
            ))
        })?;
        let value = tree::parse_value(v.trim(), &format!("--set {}", k.trim()));
        tree::set_path(&mut root, k.trim(), value)
            .map_err(|m| ScenarioError::plain(format!("--set {o}: {m}")))?;
    }
    let mut s = from_tree(&root, &files)?;
    s.inputs = files.inputs();
    s.overrides = overrides.to_vec();
    Ok(s)
}

/// Parse scenario text (no `extends`, no overrides) — for tests and tools.
pub fn from_str(text: &str, name: &str) -> Result<Scenario> {
    let files = Files::new();
    let root = tree::parse(text, name).map_err(syntax)?;
    let mut s = from_tree(&root, &files)?;
    s.inputs = files.inputs();
    Ok(s)
}

fn syntax(e: tree::SyntaxError) -> ScenarioError {
    ScenarioError {
        loc: Some(e.loc),
        key: None,
        message: format!("TOML syntax error: {}", e.message),
    }
}

fn load_tree(name: &str, files: &Files, stack: &mut Vec<(String, String)>) -> Result<Node> {
    let canon = std::fs::canonicalize(name)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| name.to_string());
    if let Some(i) = stack.iter().position(|s| s.0 == canon) {
        let mut chain: Vec<&str> = stack[i..].iter().map(|s| s.1.as_str()).collect();
        chain.push(name);
        return Err(ScenarioError::plain(format!(
            "{}: `extends` cycle: {}; expected a chain of files that ends",
            stack[i].1,
            chain.join(" → ")
        )));
    }
    let text = files.read(name)?;
    let mut node = tree::parse(&text, name).map_err(syntax)?;
    let Kind::Table(map) = &mut node.kind else {
        unreachable!("a document is a table")
    };
    let Some(ext) = map.remove("extends") else {
        return Ok(node);
    };
    let rel = as_str(&ext, "extends")?;
    let parent = Files::resolve(name, rel);
    stack.push((canon, name.to_string()));
    let mut base = load_tree(&parent, files, stack).map_err(|e| {
        if e.loc.is_none() && !e.message.contains("cycle") {
            ScenarioError::at(&ext, "extends", e.message)
        } else {
            e
        }
    })?;
    stack.pop();
    tree::merge(&mut base, node);
    Ok(base)
}

/// Read a merged tree into a [`Scenario`].
fn from_tree(root: &Node, files: &Files) -> Result<Scenario> {
    let top = Table::new(root, "")?;
    let region = read_region(&top.req_table("region", "a [region] table")?)?;
    let years = (
        region.rebased_from.unwrap_or(region.base_year),
        region.horizon,
    );
    let actuals = match top.opt("actuals") {
        Some(n) => Some(Files::resolve(&n.loc.file, as_str(n, "actuals")?)),
        None => None,
    };
    let population = read_population(
        &top.req_table("population", "a [population] table")?,
        files,
        years,
    )?;
    let membership = read_membership(
        &top.req_table("membership", "a [membership] table")?,
        files,
        years,
    )?;
    let employee = read_employee(
        &top.req_table("employee", "an [employee] table")?,
        files,
        years,
    )?;
    let resident = read_resident(
        &top.req_table("resident", "a [resident] table")?,
        files,
        years,
    )?;
    let mut warnings = Vec::new();
    let drivers = read_drivers(
        &top.req_table("drivers", "a [drivers] table")?,
        years,
        &mut warnings,
    )?;
    let warning = match top.table("warning")? {
        Some(t) => read_warning(&t)?,
        None => default_warning(),
    };
    let simulation = match top.table("simulation")? {
        Some(t) => read_simulation(&t)?,
        None => Simulation {
            paths: 10_000,
            seed: 20_201_231,
        },
    };
    top.finish()?;
    Ok(Scenario {
        region,
        population,
        membership,
        employee,
        resident,
        drivers,
        warning,
        simulation,
        inputs: Vec::new(),
        overrides: Vec::new(),
        actuals,
        warnings,
    })
}

fn read_region(t: &Table<'_>) -> Result<Region> {
    let id = t.string("id")?.ok_or_else(|| {
        ScenarioError::at(
            t.node(),
            "region.id",
            "missing key; expected a short id such as \"zhejiang-2020\"",
        )
    })?;
    if id.is_empty()
        || id.len() > MAX_ID_CHARS
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(ScenarioError::at(
            t.opt("id").expect("present"),
            "region.id",
            format!(
                "got {}, expected 1 to {MAX_ID_CHARS} letters, digits, '-' or '_' (it names output folders)",
                tree::quote(&id)
            ),
        ));
    }
    let name = t.string("name")?.unwrap_or_else(|| id.clone());
    let name_en = t.string("name_en")?.unwrap_or_else(|| id.clone());
    let base = as_int(
        t.req("base_year", "a year such as 2020")?,
        "region.base_year",
        1950,
        2100,
    )?;
    let hnode = t.req("horizon", "a year after the base year")?;
    let horizon = as_int(hnode, "region.horizon", base + 1, base + 100)?;
    let rebased_from = t
        .integer("rebased_from", base - 100, base)?
        .map(|y| y as i32);
    t.finish()?;
    Ok(Region {
        id,
        name,
        name_en,
        base_year: base as i32,
        horizon: horizon as i32,
        rebased_from,
    })
}

/// Read a time-dated parameter that must be present.
fn param(t: &Table<'_>, key: &'static str, spec: Spec, years: (i32, i32)) -> Result<Param> {
    let n = t.req(
        key,
        &format!("{} or a table of dated values", spec.check.expected()),
    )?;
    Param::read_with(n, &t.key_path(key), spec, years)
}

/// Read an optional time-dated parameter with a default.
fn param_or(
    t: &Table<'_>,
    key: &'static str,
    spec: Spec,
    years: (i32, i32),
    default: f64,
) -> Result<Param> {
    match t.opt(key) {
        Some(n) => Param::read_with(n, &t.key_path(key), spec, years),
        None => Ok(Param::constant(default, Some("default"))),
    }
}

/// A dated parameter with values in `check` (not indexed, no unit).
const fn dated(check: Check) -> Spec {
    Spec::dated(check)
}

fn age_sex(
    t: &Table<'_>,
    key: &'static str,
    files: &Files,
    check: Check,
    cols: (&str, &str),
) -> Result<AgeSex> {
    let n = t.req(key, "a number, { csv = FILE, male = COLUMN, female = COLUMN } or { male = [...], female = [...] }")?;
    read_age_sex(n, &t.key_path(key), files, check, cols)
}

fn check_sum_to_one(t: &Table<'_>, key: &'static str, total: f64) -> Result<()> {
    if (total - 1.0).abs() > 1e-6 {
        return Err(ScenarioError::at(
            t.opt(key).expect("read before"),
            &t.key_path(key),
            format!(
                "the shape sums to {}, expected 1 (within 1e-6)",
                read::num_text(total)
            ),
        ));
    }
    Ok(())
}

fn read_population(t: &Table<'_>, files: &Files, years: (i32, i32)) -> Result<Population> {
    let base = age_sex(
        t,
        "base",
        files,
        Check::Range(0.0, MAX_PERSONS, "a number of persons"),
        ("male", "female"),
    )?;
    if base.total() <= 0.0 {
        return Err(ScenarioError::at(
            t.opt("base").expect("read above"),
            &t.key_path("base"),
            "the population is 0 at every age; expected the base-year population by age and sex",
        ));
    }
    let life_table = age_sex(t, "life_table", files, Check::Rate, ("male", "female"))?;
    let (improvement_weight, improvement_weight_source) = match t.opt("improvement_weight") {
        Some(n) => {
            let (v, _, src) = read_age(
                n,
                &t.key_path("improvement_weight"),
                files,
                Check::Range(-5.0, 5.0, "an age weight"),
                "value",
            )?;
            (v, src)
        }
        None => (vec![1.0; AGES], None),
    };
    let fnode = t.req(
        "fertility_shape",
        "{ csv = FILE, column = COLUMN } or an array of 101 values",
    )?;
    let (fertility_shape, _, fertility_shape_source) = read_age(
        fnode,
        &t.key_path("fertility_shape"),
        files,
        Check::NonNegative,
        "female",
    )?;
    check_sum_to_one(t, "fertility_shape", fertility_shape.iter().sum())?;
    if let Some(age) = fertility_shape
        .iter()
        .enumerate()
        .position(|(x, &f)| f > 0.0 && !(15..=49).contains(&x))
    {
        return Err(ScenarioError::at(
            fnode,
            &t.key_path("fertility_shape"),
            format!("age {age} has a positive value, expected fertility only at ages 15..=49"),
        ));
    }
    let sex_ratio_at_birth = param(
        t,
        "sex_ratio_at_birth",
        dated(Check::Range(0.8, 1.5, "males per female")),
        years,
    )?;
    let migration_shape = age_sex(
        t,
        "migration_shape",
        files,
        Check::Range(-10.0, 10.0, "a share of the net migrants"),
        ("male", "female"),
    )?;
    check_sum_to_one(t, "migration_shape", migration_shape.total())?;
    t.finish()?;
    Ok(Population {
        base,
        life_table,
        improvement_weight,
        improvement_weight_source,
        fertility_shape,
        fertility_shape_source,
        sex_ratio_at_birth,
        migration_shape,
    })
}

fn read_membership(t: &Table<'_>, files: &Files, years: (i32, i32)) -> Result<Membership> {
    let m = Membership {
        employee_share: age_sex(t, "employee_share", files, Check::Rate, ("male", "female"))?,
        employee_scale: param_or(
            t,
            "employee_scale",
            dated(Check::Range(0.0, 10.0, "a scale factor")),
            years,
            1.0,
        )?,
        coverage: param(t, "coverage", dated(Check::Rate), years)?,
        retirement_age_male: param(
            t,
            "retirement_age_male",
            dated(Check::Range(40.0, 75.0, "an age")),
            years,
        )?,
        retirement_age_female: param(
            t,
            "retirement_age_female",
            dated(Check::Range(40.0, 75.0, "an age")),
            years,
        )?,
    };
    t.finish()?;
    Ok(m)
}

fn read_reforms(t: &Table<'_>, key: &'static str, years: (i32, i32)) -> Result<Vec<Reform>> {
    let Some(n) = t.opt(key) else {
        return Ok(Vec::new());
    };
    let path = t.key_path(key);
    let items = as_array(n, &path, "an array of reform tables")?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let r = Table::new(item, &format!("{path}[{i}]"))?;
            let name = r
                .string("name")?
                .unwrap_or_else(|| format!("reform {}", i + 1));
            let start = as_int(
                r.req("start", "a year")?,
                &r.key_path("start"),
                i64::from(years.0) - 50,
                i64::from(years.1),
            )? as i32;
            let ramp_years = r.integer("ramp_years", 0, 50)?.unwrap_or(0) as i32;
            let effect = as_num(
                r.req("effect", "a proportional effect such as -0.05")?,
                &r.key_path("effect"),
                Check::Range(-0.9, 2.0, "a proportional effect"),
            )?;
            let source = source_of(&r, &[])?;
            r.finish()?;
            Ok(Reform {
                name,
                start,
                ramp_years,
                effect,
                source,
            })
        })
        .collect()
}

fn opt_constant(t: &Table<'_>, key: &'static str, years: (i32, i32)) -> Result<Option<Param>> {
    match t.opt(key) {
        Some(n) => Param::read_with(
            n,
            &t.key_path(key),
            Spec::money_base(SPENDING, "it calibrates κ in the base year"),
            years,
        )
        .map(Some),
        None => Ok(None),
    }
}

/// The base-year balance of a fund.
const BALANCE: Spec =
    Spec::money_base(FUND_AMOUNT, "it is the balance at the end of the base year");
/// An amount of money per member or per year of a fund (indexable, with a unit).
const PER_MEMBER: Spec = Spec::money_flow(PER_PERSON);
/// Other income of a fund, yuan a year.
const OTHER_INCOME: Spec = Spec::money_flow(FUND_AMOUNT);
/// A rate in [0, 1], dated.
const RATE: Spec = Spec::dated(Check::Rate);
/// A reimbursement ratio.
const RATIO: Spec = Spec::dated(Check::Range(0.01, 1.0, "a reimbursement ratio"));
/// Age-cost curves: shapes (with κ) or yuan per person per year.
const COST: Check = Check::Range(
    0.0,
    MAX_PER_PERSON,
    "a cost per person per year (or a shape)",
);

fn read_employee(t: &Table<'_>, files: &Files, years: (i32, i32)) -> Result<EmployeeFund> {
    let f = EmployeeFund {
        base_balance: param(t, "base_balance", BALANCE, years)?,
        base_spending: opt_constant(t, "base_spending", years)?,
        contribution_base: param(
            t,
            "contribution_base",
            Spec::money_base(
                Check::PositiveUpTo(MAX_PER_PERSON, "an amount in yuan per person per year"),
                "it is W(Y0); later years follow the wage growth driver",
            ),
            years,
        )?,
        employer_rate: param(t, "employer_rate", RATE, years)?,
        employee_rate: param(t, "employee_rate", RATE, years)?,
        employer_to_pool: param(t, "employer_to_pool", RATE, years)?,
        employee_to_pool: param(t, "employee_to_pool", RATE, years)?,
        collection: param_or(t, "collection", RATE, years, 1.0)?,
        wage_relativity: age_sex(
            t,
            "wage_relativity",
            files,
            Check::Range(0.0, 1e3, "a relative contribution base"),
            ("male", "female"),
        )?,
        cost_active: age_sex(t, "cost_active", files, COST, ("male", "female"))?,
        cost_retiree: age_sex(t, "cost_retiree", files, COST, ("male", "female"))?,
        reimbursement: param(t, "reimbursement", RATIO, years)?,
        reforms: read_reforms(t, "reforms", years)?,
        pension: param(
            t,
            "pension",
            Spec::money_base(
                PER_PERSON,
                "it is pension(Y0); later years follow pension_link × wage growth",
            ),
            years,
        )?,
        pension_link: param_or(
            t,
            "pension_link",
            dated(Check::Range(0.0, 2.0, "a link to wage growth")),
            years,
            1.0,
        )?,
        account_rate: param_or(t, "account_rate", RATE.indexed(), years, 0.0)?,
        other_income: param_or(t, "other_income", OTHER_INCOME, years, 0.0)?,
    };
    t.finish()?;
    Ok(f)
}

fn read_resident(t: &Table<'_>, files: &Files, years: (i32, i32)) -> Result<ResidentFund> {
    let f = ResidentFund {
        base_balance: param(t, "base_balance", BALANCE, years)?,
        base_spending: opt_constant(t, "base_spending", years)?,
        premium: param(t, "premium", PER_MEMBER, years)?,
        subsidy: param(t, "subsidy", PER_MEMBER, years)?,
        collection: param_or(t, "collection", RATE, years, 1.0)?,
        cost: age_sex(t, "cost", files, COST, ("male", "female"))?,
        reimbursement: param(t, "reimbursement", RATIO, years)?,
        reforms: read_reforms(t, "reforms", years)?,
        critical_illness_premium: param_or(t, "critical_illness_premium", PER_MEMBER, years, 0.0)?,
        other_income: param_or(t, "other_income", OTHER_INCOME, years, 0.0)?,
    };
    t.finish()?;
    Ok(f)
}

const PHI: Check = Check::Range(0.0, 0.99, "a persistence φ");
const SIGMA: Check = Check::Range(0.0, 10.0, "a standard deviation σ");

fn read_ar1(t: &Table<'_>, key: &'static str, mean_check: Check, years: (i32, i32)) -> Result<Ar1> {
    let a = t.req_table(key, "a table { mean = ..., phi = ..., sigma = ... }")?;
    let mean = param(&a, "mean", dated(mean_check), years)?;
    let phi = a.number("phi", PHI)?.unwrap_or(0.0);
    let sigma = a.number("sigma", SIGMA)?.unwrap_or(0.0);
    let source = source_of(&a, &["phi", "sigma"])?;
    a.finish()?;
    Ok(Ar1 {
        mean,
        phi,
        sigma,
        source,
    })
}

fn read_drivers(t: &Table<'_>, years: (i32, i32), warnings: &mut Vec<String>) -> Result<Drivers> {
    let growth = Check::Range(-0.5, 1.0, "an annual growth rate");
    let wage_growth = read_ar1(t, "wage_growth", growth, years)?;
    let medical_growth = read_ar1(t, "medical_growth", growth, years)?;
    let interest = read_ar1(
        t,
        "interest",
        Check::Range(-0.1, 0.5, "an interest rate"),
        years,
    )?;
    let fertility = read_ar1(
        t,
        "fertility",
        Check::Range(0.0, 8.0, "a total fertility rate"),
        years,
    )?;
    let m = t.req_table("mortality", "a table { drift = ..., sigma = ... }")?;
    let mortality_drift = param(
        &m,
        "drift",
        dated(Check::Range(
            -0.5,
            0.5,
            "an annual drift of the mortality index",
        )),
        years,
    )?;
    let mortality_sigma = m.number("sigma", SIGMA)?.unwrap_or(0.0);
    let mortality_source = source_of(&m, &["sigma"])?;
    m.finish()?;
    let g = t.req_table("migration", "a table { level = ..., sigma = ... }")?;
    let migration = param(
        &g,
        "level",
        dated(Check::Range(
            -MAX_PERSONS,
            MAX_PERSONS,
            "a number of net migrants a year",
        )),
        years,
    )?;
    let migration_sigma = g.number("sigma", SIGMA)?.unwrap_or(0.0);
    let migration_source = source_of(&g, &["sigma"])?;
    g.finish()?;
    let innovations = match t.opt("innovations") {
        None => Innovations::Normal,
        Some(n) => match as_str(n, "drivers.innovations")? {
            "normal" => Innovations::Normal,
            "student-t" => {
                let nu = t
                    .number(
                        "degrees_of_freedom",
                        Check::Above(2.0, "degrees of freedom ν (so the variance is finite)"),
                    )?
                    .ok_or_else(|| {
                        ScenarioError::at(
                            n,
                            "drivers.degrees_of_freedom",
                            "missing key; expected ν > 2 for student-t innovations",
                        )
                    })?;
                Innovations::StudentT(nu)
            }
            other => {
                return Err(ScenarioError::at(
                    n,
                    "drivers.innovations",
                    format!(
                        "got {}, expected \"normal\" or \"student-t\"",
                        tree::quote(other)
                    ),
                ));
            }
        },
    };
    if innovations == Innovations::Normal
        && let Some(n) = t.opt("degrees_of_freedom")
    {
        warnings.push(format!(
            "{}: drivers.degrees_of_freedom = {} is not used: innovations are \"normal\" (it applies to innovations = \"student-t\")",
            n.loc,
            n.show()
        ));
    }
    let correlation = match t.opt("correlation") {
        None => identity(),
        Some(n) => read_matrix(n, "drivers.correlation")?,
    };
    let epidemic = match t.table("epidemic")? {
        None => Epidemic {
            probability: 0.0,
            median: 0.05,
            sigma: 0.0,
            source: None,
        },
        Some(e) => {
            let ep = Epidemic {
                probability: e.number("probability", Check::Rate)?.unwrap_or(0.0),
                median: e
                    .number(
                        "median",
                        Check::Range(0.0, 5.0, "a proportional increase of claims"),
                    )?
                    .unwrap_or(0.05),
                sigma: e.number("sigma", SIGMA)?.unwrap_or(0.0),
                source: source_of(&e, &[])?,
            };
            e.finish()?;
            ep
        }
    };
    t.finish()?;
    let d = Drivers {
        wage_growth,
        medical_growth,
        interest,
        mortality_drift,
        mortality_sigma,
        mortality_source,
        fertility,
        migration,
        migration_sigma,
        migration_source,
        innovations,
        correlation,
        epidemic,
    };
    crate::drivers::cholesky(&d.correlation).map_err(|why| {
        ScenarioError::at(
            t.opt("correlation").unwrap_or(t.node()),
            "drivers.correlation",
            why,
        )
    })?;
    Ok(d)
}

fn identity() -> Vec<Vec<f64>> {
    (0..DRIVERS)
        .map(|i| {
            (0..DRIVERS)
                .map(|j| if i == j { 1.0 } else { 0.0 })
                .collect()
        })
        .collect()
}

fn read_matrix(n: &Node, key: &str) -> Result<Vec<Vec<f64>>> {
    let expected = format!(
        "a {DRIVERS}×{DRIVERS} array of arrays (order: {})",
        DRIVER_NAMES.join(", ")
    );
    let rows = as_array(n, key, &expected)?;
    if rows.len() != DRIVERS {
        return Err(ScenarioError::at(
            n,
            key,
            format!("got {} rows, expected {expected}", rows.len()),
        ));
    }
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            let cells = as_array(r, &format!("{key}[{i}]"), &expected)?;
            if cells.len() != DRIVERS {
                return Err(ScenarioError::at(
                    r,
                    &format!("{key}[{i}]"),
                    format!("got {} columns, expected {DRIVERS}", cells.len()),
                ));
            }
            cells
                .iter()
                .enumerate()
                .map(|(j, c)| {
                    as_num(
                        c,
                        &format!("{key}[{i}][{j}]"),
                        Check::Range(-1.0, 1.0, "a correlation"),
                    )
                })
                .collect()
        })
        .collect()
}

fn default_warning() -> Warning {
    Warning {
        tiers: TierTable::default(),
        growth_line: 0.10,
        growth_source:
            "000_690ba29909df0ef4.txt, indicator 5: \"基本醫療保險基金年支出增長率 <10%\"".into(),
        confidence: 0.10,
    }
}

fn read_warning(t: &Table<'_>) -> Result<Warning> {
    let mut w = default_warning();
    if let Some(n) = t.opt("reserve_lines") {
        let key = t.key_path("reserve_lines");
        let (vals, src) = match &n.kind {
            Kind::Table(_) => {
                let r = Table::new(n, &key)?;
                let v = r.req(
                    "value",
                    "an array of four month lines such as [3, 6, 9, 15]",
                )?;
                let s = source_of(&r, &[])?;
                r.finish()?;
                (v, s)
            }
            _ => (n, read::source_for(n, &[], None)),
        };
        let items = as_array(
            vals,
            &key,
            "four increasing month lines such as [3, 6, 9, 15]",
        )?;
        let lines: Vec<f64> = items
            .iter()
            .map(|i| as_num(i, &key, Check::NonNegative))
            .collect::<Result<_>>()?;
        if lines.len() != 4 || lines.windows(2).any(|w| w[0] >= w[1]) {
            return Err(ScenarioError::at(
                vals,
                &key,
                format!(
                    "got {lines:?}, expected four strictly increasing month lines such as [3, 6, 9, 15]"
                ),
            ));
        }
        w.tiers = TierTable {
            lines: [lines[0], lines[1], lines[2], lines[3]],
            source: src.unwrap_or_else(|| "scenario (no source given)".into()),
        };
    }
    if let Some(g) = t.table("growth_line")? {
        w.growth_line = as_num(
            g.req("value", "a growth rate such as 0.10")?,
            &g.key_path("value"),
            Check::Range(-1.0, 10.0, "a growth rate"),
        )?;
        w.growth_source =
            source_of(&g, &[])?.unwrap_or_else(|| "scenario (no source given)".into());
        g.finish()?;
    }
    if let Some(q) = t.number("confidence", Check::Range(0.0, 1.0, "a quantile level"))? {
        w.confidence = q;
    }
    t.finish()?;
    Ok(w)
}

fn read_simulation(t: &Table<'_>) -> Result<Simulation> {
    let s = Simulation {
        paths: t.integer("paths", 1, 100_000_000)?.unwrap_or(10_000) as usize,
        seed: t.integer("seed", 0, i64::MAX)?.unwrap_or(20_201_231) as u64,
    };
    t.finish()?;
    Ok(s)
}
