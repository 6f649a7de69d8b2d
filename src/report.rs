//! Human-readable output: the resolved scenario (`fundsim show`) and the per-year terminal
//! tables of a run (MODEL.md §2, §7–8, §10).

use crate::export::TidyRow;
use crate::param::Param;
use crate::resolve::Model;
use crate::scenario::Scenario;
use crate::warning::Tier;
use serde_json::json;
use std::collections::HashMap;
use std::fmt::Write;

/// Every time-dated parameter of a scenario with its key (MODEL.md §2).
pub fn params(s: &Scenario) -> Vec<(String, &Param)> {
    let (e, r, d, m) = (&s.employee, &s.resident, &s.drivers, &s.membership);
    let mut v: Vec<(&str, &Param)> = vec![
        (
            "population.sex_ratio_at_birth",
            &s.population.sex_ratio_at_birth,
        ),
        ("membership.employee_scale", &m.employee_scale),
        ("membership.coverage", &m.coverage),
        ("membership.retirement_age_male", &m.retirement_age_male),
        ("membership.retirement_age_female", &m.retirement_age_female),
        ("employee.base_balance", &e.base_balance),
        ("employee.contribution_base", &e.contribution_base),
        ("employee.employer_rate", &e.employer_rate),
        ("employee.employee_rate", &e.employee_rate),
        ("employee.employer_to_pool", &e.employer_to_pool),
        ("employee.employee_to_pool", &e.employee_to_pool),
        ("employee.collection", &e.collection),
        ("employee.reimbursement", &e.reimbursement),
        ("employee.pension", &e.pension),
        ("employee.pension_link", &e.pension_link),
        ("employee.account_rate", &e.account_rate),
        ("employee.other_income", &e.other_income),
        ("resident.base_balance", &r.base_balance),
        ("resident.premium", &r.premium),
        ("resident.subsidy", &r.subsidy),
        ("resident.collection", &r.collection),
        ("resident.reimbursement", &r.reimbursement),
        (
            "resident.critical_illness_premium",
            &r.critical_illness_premium,
        ),
        ("resident.other_income", &r.other_income),
        ("drivers.wage_growth.mean", &d.wage_growth.mean),
        ("drivers.medical_growth.mean", &d.medical_growth.mean),
        ("drivers.interest.mean", &d.interest.mean),
        ("drivers.fertility.mean", &d.fertility.mean),
        ("drivers.mortality.drift", &d.mortality_drift),
        ("drivers.migration.level", &d.migration),
    ];
    if let Some(p) = &e.base_spending {
        v.push(("employee.base_spending", p));
    }
    if let Some(p) = &r.base_spending {
        v.push(("resident.base_spending", p));
    }
    v.into_iter().map(|(k, p)| (k.to_string(), p)).collect()
}

/// The resolved inputs as JSON: every per-age array and every per-year value the engine
/// uses, so an independent implementation can be fed the same (`fundsim show --json`).
pub fn resolved_json(m: &Model) -> serde_json::Value {
    let s = &m.scenario;
    let (b, h) = (s.region.base_year, s.region.horizon);
    let per_year: serde_json::Map<String, serde_json::Value> = params(s)
        .into_iter()
        .map(|(k, p)| {
            let r = p.resolve(b, h);
            (
                k,
                json!({
                    "values": r.values,
                    "after_last_listed_year": p.after,
                    "last_listed_year": p.last_year(),
                    "source": p.source,
                }),
            )
        })
        .collect();
    let t0 = m.weights[0].totals(&m.population0);
    json!({
        "model": "MODEL.md v1",
        "fundsim_version": env!("CARGO_PKG_VERSION"),
        "years": (b..=h).collect::<Vec<_>>(),
        "ages": "0..=100 (100 = 100+); sexes male, female",
        "scenario": s,
        "per_year": per_year,
        "derived": {
            "kappa_employee": m.employee.kappa,
            "kappa_resident": m.resident.kappa,
            "base_spending_employee": m.employee.base_spending,
            "base_spending_resident": m.resident.base_spending,
            "policy_factor_employee": m.employee.policy,
            "policy_factor_resident": m.resident.policy,
            "contribution_rate_to_pool_employee": m.employee.contribution_rate,
            "birth_share_male_female": m.population.birth_share,
            "base_year_totals": {
                "population": t0.population,
                "aged_60_plus": t0.aged_60_plus,
                "actives": t0.actives,
                "retirees": t0.retirees,
                "residents": t0.residents,
            },
        },
    })
}

fn fmt_num(v: f64) -> String {
    if v.abs() >= 1e6 {
        format!("{v:.4e}")
    } else {
        format!("{}", (v * 1e6).round() / 1e6)
    }
}

/// The resolved scenario as text: each parameter per year with its source.
pub fn show_text(m: &Model) -> String {
    let s = &m.scenario;
    let (b, h) = (s.region.base_year, s.region.horizon);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} {} ({}), {b}–{h}",
        s.region.name, s.region.name_en, s.region.id
    );
    let _ = writeln!(o, "\nInputs:");
    for f in &s.inputs {
        let _ = writeln!(o, "  {}  sha256 {}", f.name, &f.sha256[..16]);
    }
    let _ = writeln!(o, "\nPer-age inputs:");
    let p = &s.population;
    for (k, a) in [
        ("population.base", &p.base),
        ("population.life_table", &p.life_table),
        ("population.migration_shape", &p.migration_shape),
        ("membership.employee_share", &s.membership.employee_share),
        ("employee.wage_relativity", &s.employee.wage_relativity),
        ("employee.cost_active", &s.employee.cost_active),
        ("employee.cost_retiree", &s.employee.cost_retiree),
        ("resident.cost", &s.resident.cost),
    ] {
        let _ = writeln!(
            o,
            "  {k:<32} {}  (total {}){}",
            a.origin,
            fmt_num(a.total()),
            a.source
                .as_ref()
                .map(|s| format!("\n      source: {s}"))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(o, "\nTime-dated parameters (value per year; source):");
    let years: Vec<i32> = (b..=h).collect();
    for (k, p) in params(s) {
        let r = p.resolve(b, h);
        let vals: Vec<String> = if r.values.iter().all(|v| *v == r.values[0]) {
            vec![format!("{} every year", fmt_num(r.values[0]))]
        } else {
            years
                .iter()
                .zip(&r.values)
                .map(|(y, v)| format!("{y}: {}", fmt_num(*v)))
                .collect()
        };
        let ext = match p.after {
            crate::param::Extension::Flat => String::new(),
            e => format!("; after {}: {e:?}", p.last_year().unwrap_or(b)),
        };
        let _ = writeln!(o, "  {k}\n      {}{ext}", vals.join(", "));
        let _ = writeln!(
            o,
            "      source: {}",
            p.source.as_deref().unwrap_or("(none given)")
        );
    }
    let d = &s.drivers;
    let _ = writeln!(
        o,
        "\nDrivers (AR(1) φ, σ): wage {} {}, medical {} {}, interest {} {}, fertility {} {}; mortality σ {}; migration σ {}; innovations {:?}",
        d.wage_growth.phi,
        d.wage_growth.sigma,
        d.medical_growth.phi,
        d.medical_growth.sigma,
        d.interest.phi,
        d.interest.sigma,
        d.fertility.phi,
        d.fertility.sigma,
        d.mortality_sigma,
        d.migration_sigma,
        d.innovations
    );
    let _ = writeln!(
        o,
        "Epidemic: probability {}, median {}, σ {}",
        d.epidemic.probability, d.epidemic.median, d.epidemic.sigma
    );
    let w = &s.warning;
    let _ = writeln!(
        o,
        "\nWarning lines: reserve {:?} months ({}); growth line {} ({}); warning quantile {}",
        w.tiers.lines, w.tiers.source, w.growth_line, w.growth_source, w.confidence
    );
    let _ = writeln!(
        o,
        "Calibration: κ employee {:.6}, κ resident {:.6}; base-year spending {:.4} / {:.4} 亿元",
        m.employee.kappa,
        m.resident.kappa,
        m.employee.base_spending / 1e8,
        m.resident.base_spending / 1e8
    );
    o
}

/// Index of tidy rows by `(fund, metric, year, stat)`.
pub struct Index<'a>(HashMap<(&'a str, &'a str, i32, &'a str), f64>);

impl<'a> Index<'a> {
    /// Build the index.
    pub fn new(rows: &'a [TidyRow]) -> Self {
        Index(
            rows.iter()
                .map(|r| {
                    (
                        (r.fund.as_str(), r.metric.as_str(), r.year, r.stat.as_str()),
                        r.value,
                    )
                })
                .collect(),
        )
    }

    /// A value, if present.
    pub fn get(&self, fund: &str, metric: &str, year: i32, stat: &str) -> Option<f64> {
        self.0.get(&(fund, metric, year, stat)).copied()
    }
}

const FUND_LABELS: [(&str, &str); 3] = [
    ("employee", "职工 employee"),
    ("resident", "居民 resident"),
    ("combined", "合计 combined"),
];

fn tier_name(level: Option<f64>) -> String {
    level
        .and_then(|l| Tier::from_index(l as usize))
        .map(|t| format!("{} {}", t.label_zh(), t.name()))
        .unwrap_or_else(|| "—".into())
}

fn opt(v: Option<f64>, f: impl Fn(f64) -> String) -> String {
    v.map(f).unwrap_or_else(|| "—".into())
}

/// A per-year table with four columns for each fund and combined: `head` names them,
/// `width` sets their widths (the last is left-aligned), `cells(fund, year)` fills them.
fn fund_table(
    years: &[i32],
    head: [&str; 4],
    width: [usize; 4],
    cells: impl Fn(&str, i32) -> [String; 4],
) -> String {
    let group = width.iter().sum::<usize>() + 5;
    let mut o = format!("{:<6}", "year");
    for (_, label) in FUND_LABELS {
        let _ = write!(o, "| {label:<group$}");
    }
    let _ = write!(o, "\n{:<6}", "");
    let row = |o: &mut String, c: [&str; 4]| {
        let _ = write!(
            o,
            "| {:>w0$} {:>w1$} {:>w2$}  {:<w3$}",
            c[0],
            c[1],
            c[2],
            c[3],
            w0 = width[0],
            w1 = width[1],
            w2 = width[2],
            w3 = width[3]
        );
    };
    for _ in FUND_LABELS {
        row(&mut o, head);
    }
    o.push('\n');
    for &y in years {
        let _ = write!(o, "{y:<6}");
        for (fund, _) in FUND_LABELS {
            let c = cells(fund, y);
            row(&mut o, [&c[0], &c[1], &c[2], &c[3]]);
        }
        o.push('\n');
    }
    o
}

/// Per-year table of the deterministic path: balance (亿元), months of reserve, spending
/// growth and tier for each fund and combined.
pub fn deterministic_table(rows: &[TidyRow], years: &[i32]) -> String {
    let ix = Index::new(rows);
    fund_table(
        years,
        ["余额 亿元", "months", "growth", "tier"],
        [9, 6, 7, 17],
        |fund, y| {
            let g = |m: &str| ix.get(fund, m, y, "value");
            [
                opt(g("balance"), |v| format!("{:.2}", v / 1e8)),
                opt(g("months_reserve"), |v| format!("{v:.2}")),
                opt(g("spending_growth"), |v| format!("{:+.1}%", v * 100.0)),
                tier_name(g("warning_level")),
            ]
        },
    )
}

/// Per-year table of a Monte Carlo run: median months with its P10–P90 range, P(months < 6)
/// and the warning level, per fund and combined.
pub fn monte_carlo_table(rows: &[TidyRow], years: &[i32], level_stat: &str) -> String {
    let ix = Index::new(rows);
    let head = ["median", "P10–P90", "P(<6)", "warning level"];
    fund_table(years, head, [6, 13, 6, 17], |fund, y| {
        let g = |m: &str, s: &str| ix.get(fund, m, y, s);
        let below6 = ["depleted", "insufficient", "low"]
            .iter()
            .map(|t| g("tier_prob", t))
            .sum::<Option<f64>>();
        [
            opt(g("months_reserve", "p50"), |v| format!("{v:.2}")),
            match (g("months_reserve", "p10"), g("months_reserve", "p90")) {
                (Some(a), Some(b)) => format!("{a:.1}–{b:.1}"),
                _ => "—".into(),
            },
            opt(below6, |v| format!("{:.1}%", v * 100.0)),
            tier_name(g("warning_level", level_stat)),
        ]
    })
}
