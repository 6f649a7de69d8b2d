//! The projection engine (MODEL.md §3–7, §9–10, §12): one per-year step shared by the
//! deterministic central path and every Monte Carlo path.
//!
//! Path `i` draws from its own ChaCha8 stream `(seed, i)` with a fixed block of words per
//! year, so results do not depend on the number of threads, and paths a..b of a run equal
//! paths a..b of a larger run. Per path only the per-year [`YearRecord`]s are kept.

use crate::drivers::Shocks;
use crate::finance::{FundYear, close_year};
use crate::population::{CELLS, Cells};
use crate::resolve::Model;
use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;
use rayon::prelude::*;
use std::mem::MaybeUninit;

/// Longest projection, in years including the base year (horizon ≤ base + 100).
pub const MAX_YEARS: usize = 101;

/// One year of one path: the stocks and flows the summaries need (MODEL.md §10).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct YearRecord {
    /// Population (end of year).
    pub population: f64,
    /// Population aged 60+.
    pub aged_60_plus: f64,
    /// Active employee members.
    pub actives: f64,
    /// Retired employee members.
    pub retirees: f64,
    /// Resident members.
    pub residents: f64,
    /// Treasury cost of the resident subsidy `F`.
    pub subsidy_cost: f64,
    /// Employee fund (index 0) and resident fund (index 1).
    pub fund: [FundYear; 2],
}

/// Project one path, writing one record per year into `out` (`out.len()` = years).
/// `shocks(j)` gives year `j`'s random inputs. Returns the persons clipped at 0.
#[inline(always)]
pub fn run_path(m: &Model, mut shocks: impl FnMut(usize) -> Shocks, out: &mut [YearRecord]) -> f64 {
    let (e, r) = (&m.employee, &m.resident);
    let mut pop: Cells = m.population0;
    let mut next: Cells = [0.0; CELLS];
    let mut q: Cells = [0.0; CELLS];
    let mut ds = m.drivers.start();
    let mut wage_idx = [1.0; MAX_YEARS];
    let mut cost_idx = [1.0; MAX_YEARS];
    let (mut w, mut h, mut pension) = (e.contribution_base, 1.0, e.pension);
    let mut clipped = 0.0;

    let t0 = m.weights[0].totals(&pop);
    let members0 = r.collection[0] * t0.residents;
    out[0] = YearRecord {
        population: t0.population,
        aged_60_plus: t0.aged_60_plus,
        actives: t0.actives,
        retirees: t0.retirees,
        residents: t0.residents,
        subsidy_cost: members0 * r.subsidy.values[0],
        fund: [
            FundYear {
                contributions: w * e.contribution_rate[0] * t0.contribution_units,
                other_income: e.other_income.values[0],
                interest: 0.0,
                spending: e.base_spending,
                balance: e.base_balance,
            },
            FundYear {
                contributions: members0 * (r.premium.values[0] + r.subsidy.values[0]),
                other_income: r.other_income.values[0],
                interest: 0.0,
                spending: r.base_spending,
                balance: r.base_balance,
            },
        ],
    };

    for j in 1..out.len() {
        let d = m.drivers.step(j, &mut ds, &shocks(j));
        clipped += m.population.step_with(
            &pop,
            &mut next,
            d.k,
            d.tfr,
            m.birth_share[j],
            d.migration,
            &mut q,
        );
        std::mem::swap(&mut pop, &mut next);
        let t = m.weights[j].totals(&pop);
        w *= 1.0 + d.wage_growth;
        h *= 1.0 + d.medical_growth;
        pension *= 1.0 + e.pension_link[j] * d.wage_growth;
        wage_idx[j] = w / e.contribution_base;
        cost_idx[j] = h;
        let (wi, ci) = (&wage_idx[..=j], &cost_idx[..=j]);
        let claims = h * (1.0 + d.epidemic);
        let prev = &out[j - 1].fund;

        let c_e = w * e.contribution_rate[j] * t.contribution_units;
        let s_e = e.kappa * claims * e.policy[j] * t.claims_employee
            + t.retirees * pension * e.account_rate.at(j, wi, ci);
        let fe = close_year(
            d.interest,
            prev[0].balance,
            c_e,
            e.other_income.at(j, wi, ci),
            s_e,
        );

        let members = r.collection[j] * t.residents;
        let subsidy = r.subsidy.at(j, wi, ci);
        let c_r = members * (r.premium.at(j, wi, ci) + subsidy);
        let s_r = r.kappa * claims * r.policy[j] * t.claims_resident
            + t.residents * r.critical_illness.at(j, wi, ci);
        let fr = close_year(
            d.interest,
            prev[1].balance,
            c_r,
            r.other_income.at(j, wi, ci),
            s_r,
        );

        out[j] = YearRecord {
            population: t.population,
            aged_60_plus: t.aged_60_plus,
            actives: t.actives,
            retirees: t.retirees,
            residents: t.residents,
            subsidy_cost: members * subsidy,
            fund: [fe, fr],
        };
    }
    clipped
}

/// The deterministic central path (every ε = 0, no epidemic).
pub fn deterministic(m: &Model) -> (Vec<YearRecord>, f64) {
    let mut out = vec![YearRecord::default(); m.years];
    let clipped = run_path(m, |_| Shocks::ZERO, &mut out);
    (out, clipped)
}

/// Paths per work unit: fixed, so sums over paths never depend on the thread count.
pub const CHUNK: usize = 256;

/// Monte Carlo paths `first .. first + count`. Records are stored in chunks of [`CHUNK`]
/// paths, year by year inside a chunk (record of path `k`, year `j` at `j·n + k`), so that
/// the summaries read one year of every path sequentially.
#[derive(Debug, Clone)]
pub struct Paths {
    /// Id of the first path.
    pub first: u64,
    /// Number of paths.
    pub count: usize,
    /// Years per path (including the base year).
    pub years: usize,
    chunks: Vec<Vec<YearRecord>>,
    /// Persons clipped at 0, summed over paths.
    pub clipped: f64,
    /// The first value (by year, then path) that no output may carry, if any.
    pub fault: Option<Fault>,
}

impl Paths {
    /// The record of path `p` (0-based within this run) in year index `j`.
    #[inline]
    pub fn record(&self, p: usize, j: usize) -> &YearRecord {
        let c = &self.chunks[p / CHUNK];
        let n = c.len() / self.years;
        &c[j * n + p % CHUNK]
    }

    /// The records of path `p`, base year first (a copy).
    pub fn path(&self, p: usize) -> Vec<YearRecord> {
        (0..self.years).map(|j| *self.record(p, j)).collect()
    }

    /// Year `j` of every path of chunk `c`, in path order.
    #[inline]
    pub fn chunk_year(&self, c: usize, j: usize) -> &[YearRecord] {
        let chunk = &self.chunks[c];
        let n = chunk.len() / self.years;
        &chunk[j * n..(j + 1) * n]
    }

    /// Number of chunks.
    pub fn chunks(&self) -> usize {
        self.chunks.len()
    }

    /// Wrap a single path (the deterministic one) so that summaries treat both alike.
    pub fn single(records: Vec<YearRecord>, clipped: f64) -> Self {
        let fault = first_fault(&records, 1, 0);
        Paths {
            first: 0,
            count: 1,
            years: records.len(),
            chunks: vec![records],
            clipped,
            fault,
        }
    }

    /// `Err` with the first value that is not a number the outputs can carry (see
    /// [`Fault`]); every summary and decision output checks this first.
    pub fn check(&self) -> Result<(), Fault> {
        self.fault.clone().map_or(Ok(()), Err)
    }
}

/// A value of a path that no output may carry (README "Errors and guarantees"): a quantity
/// that is not a finite number, or a fund's spending at or below 0 (months of reserve
/// `12·B/S` and spending growth are then undefined, MODEL.md §7). Found after each chunk of
/// paths is simulated, outside the per-path loop.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// Path id (0 for the deterministic path).
    pub path: u64,
    /// Year index (0 = base year).
    pub year_index: usize,
    /// `region`, `employee`, `resident` or `combined`.
    pub fund: &'static str,
    /// The quantity, named as the metric it feeds (MODEL.md §10).
    pub quantity: &'static str,
    /// Its value.
    pub value: f64,
}

impl Fault {
    /// One line naming the path (`seed` `None`: the deterministic central path), year,
    /// fund, quantity and value, and why it cannot be output.
    pub fn message(&self, base_year: i32, seed: Option<u64>) -> String {
        let path = match seed {
            None => "deterministic central path".to_string(),
            Some(s) => format!("Monte Carlo path {} (seed {s})", self.path),
        };
        format!("{path}, {}", self.describe(base_year))
    }

    /// The year, fund, quantity and value, and why it cannot be output.
    pub fn describe(&self, base_year: i32) -> String {
        let year = base_year + self.year_index as i32;
        let v = crate::scenario::read::num_text(self.value);
        let v = if v.len() > 12 {
            format!("{:.4e}", self.value)
        } else {
            v
        };
        let what = match (self.quantity, self.fund) {
            ("population", _) => format!(
                "the population is {v}: everyone died or left (life table, net migration); expected a population in every year"
            ),
            ("spending", f) => {
                let why = if self.value < 0.0 {
                    "below 0: a growth rate of the path went below −100% (the σ of drivers.medical_growth or drivers.wage_growth is too large for its mean)"
                } else if self.value == 0.0 {
                    "0: the fund has no members with a cost this year"
                } else {
                    "not a number: an input's growth overflows the range of numbers"
                };
                format!(
                    "the {f} fund's spending is {v}, {why}; expected spending above 0 in every year (months of reserve 12·B/S and spending growth are undefined otherwise)"
                )
            }
            (q, "region") => format!(
                "{q} is {v}; expected a finite number (an input's growth overflows the range of numbers)"
            ),
            (q, f) => format!(
                "the {f} fund's {q} is {v}; expected a finite number (an input's growth overflows the range of numbers)"
            ),
        };
        format!("{year}: {what}")
    }
}

/// The first fault (by year, then path) in `recs`, year-major over `n` paths starting at
/// path id `first` (see [`Fault`]).
fn first_fault(recs: &[YearRecord], n: usize, first: u64) -> Option<Fault> {
    let years = recs.len() / n.max(1);
    for j in 0..years {
        for (k, r) in recs[j * n..(j + 1) * n].iter().enumerate() {
            let prev = (j > 0).then(|| &recs[(j - 1) * n + k]);
            if let Some((fund, quantity, value)) = record_fault(r, prev) {
                return Some(Fault {
                    path: first + k as u64,
                    year_index: j,
                    fund,
                    quantity,
                    value,
                });
            }
        }
    }
    None
}

/// The first quantity of one record that no output may carry: `(fund, quantity, value)`.
fn record_fault(
    r: &YearRecord,
    prev: Option<&YearRecord>,
) -> Option<(&'static str, &'static str, f64)> {
    if !(r.population.is_finite() && r.population > 0.0) {
        return Some(("region", "population", r.population));
    }
    for (q, v) in [
        ("aged_60_plus", r.aged_60_plus),
        ("actives", r.actives),
        ("retirees", r.retirees),
        ("residents", r.residents),
        ("subsidy_cost", r.subsidy_cost),
    ] {
        if !v.is_finite() {
            return Some(("region", q, v));
        }
    }
    let funds = ["employee", "resident", "combined"];
    let both = |g: fn(&FundYear) -> f64| g(&r.fund[0]) + g(&r.fund[1]);
    let flows: [FundYear; 3] = [
        r.fund[0],
        r.fund[1],
        FundYear {
            contributions: both(|y| y.contributions),
            other_income: both(|y| y.other_income),
            interest: both(|y| y.interest),
            spending: both(|y| y.spending),
            balance: both(|y| y.balance),
        },
    ];
    for (f, y) in flows.iter().enumerate() {
        for (q, v) in [
            ("contributions", y.contributions),
            ("other_income", y.other_income),
            ("interest", y.interest),
            ("income", y.contributions + y.other_income + y.interest),
            ("balance", y.balance),
        ] {
            if !v.is_finite() {
                return Some((funds[f], q, v));
            }
        }
        if !(y.spending.is_finite() && y.spending > 0.0) {
            return Some((funds[f], "spending", y.spending));
        }
        let months = 12.0 * y.balance / y.spending;
        if !months.is_finite() {
            return Some((funds[f], "months_reserve", months));
        }
        if let Some(p) = prev {
            let s_prev = if f < 2 {
                p.fund[f].spending
            } else {
                p.fund[0].spending + p.fund[1].spending
            };
            let growth = y.spending / s_prev - 1.0;
            if !growth.is_finite() {
                return Some((funds[f], "spending_growth", growth));
            }
        }
    }
    None
}

/// Simulate paths `first .. first + count` with `seed` on the current rayon pool;
/// `tick(n)` is called after each chunk of `n` paths (for a progress bar).
pub fn simulate(
    m: &Model,
    seed: u64,
    first: u64,
    count: usize,
    tick: &(dyn Fn(u64) + Sync),
) -> Paths {
    let ny = m.years;
    let n_chunks = count.div_ceil(CHUNK);
    let results: Vec<(Vec<YearRecord>, f64, Option<Fault>)> = (0..n_chunks)
        .into_par_iter()
        .map(|c| {
            let lo = c * CHUNK;
            let n = CHUNK.min(count - lo);
            let mut recs = Vec::with_capacity(n * ny);
            let clipped = run_chunk(
                m,
                seed,
                first + lo as u64,
                &mut recs.spare_capacity_mut()[..n * ny],
            );
            // SAFETY: `run_chunk` wrote every one of the first `n * ny` slots (index j·n + k
            // for each year j < ny and path k < n), so they are initialised.
            unsafe { recs.set_len(n * ny) };
            let fault = first_fault(&recs, n, first + lo as u64);
            tick(n as u64);
            (recs, clipped, fault)
        })
        .collect();
    let clipped = results.iter().map(|r| r.1).sum();
    let fault = results
        .iter()
        .filter_map(|r| r.2.clone())
        .min_by_key(|f| (f.year_index, f.path));
    Paths {
        first,
        count,
        years: ny,
        chunks: results.into_iter().map(|r| r.0).collect(),
        clipped,
        fault,
    }
}

/// Paths `first ..` into `recs` (year-major: path `k`, year `j` at `j·n + k`; every slot is
/// written), using AVX2 where the
/// processor has it. Only the vector width changes: every sum is written with explicit
/// lanes and no fused multiply-add is enabled, so results are bit-identical either way.
fn run_chunk(m: &Model, seed: u64, first: u64, recs: &mut [MaybeUninit<YearRecord>]) -> f64 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor supports AVX2 (checked just above).
        return unsafe { run_chunk_avx2(m, seed, first, recs) };
    }
    run_chunk_generic(m, seed, first, recs)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn run_chunk_avx2(m: &Model, seed: u64, first: u64, recs: &mut [MaybeUninit<YearRecord>]) -> f64 {
    run_chunk_generic(m, seed, first, recs)
}

#[inline(always)]
fn run_chunk_generic(
    m: &Model,
    seed: u64,
    first: u64,
    recs: &mut [MaybeUninit<YearRecord>],
) -> f64 {
    let ny = m.years;
    let n = recs.len() / ny;
    let mut buf = [YearRecord::default(); MAX_YEARS];
    let mut clipped = 0.0;
    for k in 0..n {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(first + k as u64);
        clipped += run_path(m, |j| m.drivers.draw(&mut rng, j), &mut buf[..ny]);
        for (j, r) in buf[..ny].iter().enumerate() {
            recs[j * n + k].write(*r);
        }
    }
    clipped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn avx2_and_baseline_code_give_identical_bits() {
        let s = crate::scenario::load("scenarios/zhejiang-2020.toml", &[]).unwrap();
        let m = Model::new(&s).unwrap();
        let n = 64;
        let mut a = vec![MaybeUninit::new(YearRecord::default()); n * m.years];
        let mut b = a.clone();
        let ca = run_chunk(&m, 42, 1000, &mut a);
        let cb = run_chunk_generic(&m, 42, 1000, &mut b);
        assert_eq!(ca.to_bits(), cb.to_bits());
        // SAFETY: both were initialised by `MaybeUninit::new` above and overwritten.
        let (a, b): (Vec<YearRecord>, Vec<YearRecord>) = unsafe {
            (
                a.iter().map(|r| r.assume_init()).collect(),
                b.iter().map(|r| r.assume_init()).collect(),
            )
        };
        assert!(a == b, "vector widths changed the results");
    }
}
