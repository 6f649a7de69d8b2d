//! Resolved parameters: the scenario turned into per-year arrays and per-cell weights once
//! per run, so the per-path year step only multiplies and adds (MODEL.md §2–9).

use crate::drivers::DriverModel;
use crate::finance::{self, EmployeeModel, ResidentModel};
use crate::membership::YearWeights;
use crate::population::{CELLS, Cells, PopulationModel};
use crate::scenario::Scenario;
use crate::scenario::ages::AGES;
use crate::scenario::read::ScenarioError;

/// Everything the engine needs, resolved (MODEL.md §2: "a resolved scenario, with every
/// parameter's value per year").
#[derive(Debug, Clone)]
pub struct Model {
    /// The scenario it was resolved from.
    pub scenario: Scenario,
    /// Base year `Y0`.
    pub base_year: i32,
    /// Number of years including the base year.
    pub years: usize,
    /// End-of-base-year population.
    pub population0: Cells,
    /// Population step inputs.
    pub population: PopulationModel,
    /// Membership and curve weights per year index.
    pub weights: Vec<YearWeights>,
    /// Employee fund.
    pub employee: EmployeeModel,
    /// Resident fund.
    pub resident: ResidentModel,
    /// Drivers.
    pub drivers: DriverModel,
    /// Share of births by sex `[σmale, σfemale]` per year index (from the dated sex ratio
    /// at birth, MODEL.md §3).
    pub birth_share: Vec<[f64; 2]>,
}

fn cells(a: &crate::scenario::ages::AgeSex) -> Cells {
    let mut c = [0.0; CELLS];
    c[..AGES].copy_from_slice(&a.male);
    c[AGES..].copy_from_slice(&a.female);
    c
}

impl Model {
    /// Resolve a scenario.
    pub fn new(s: &Scenario) -> Result<Model, ScenarioError> {
        let (b, h) = (s.region.base_year, s.region.horizon);
        let p = &s.population;
        let birth_share: Vec<[f64; 2]> = (b..=h)
            .map(|t| {
                let srb = p.sex_ratio_at_birth.value_at(t);
                [srb / (1.0 + srb), 1.0 / (1.0 + srb)]
            })
            .collect();
        let bw: [f64; AGES] = p.improvement_weight.clone().try_into().expect("101 ages");
        let b_uniform = bw.iter().all(|&v| v == bw[0]).then_some(bw[0]);
        let population = PopulationModel {
            q0: cells(&p.life_table),
            b: bw,
            b_uniform,
            fertility: p.fertility_shape.clone().try_into().expect("101 ages"),
            birth_share: birth_share[0],
            migration: cells(&p.migration_shape),
        };
        let population0 = cells(&p.base);
        let weights: Vec<YearWeights> = (b..=h).map(|t| YearWeights::new(s, t)).collect();
        crate::checks::refuse_zero_spending(s, &weights)?;
        let t0 = weights[0].totals(&population0);
        let (employee, resident) = finance::resolve(
            s,
            [t0.claims_employee, t0.claims_resident],
            t0.retirees,
            t0.residents,
        )
        .map_err(|(key, m)| {
            let at = match key {
                "employee.base_spending" => s.employee.base_spending.as_ref(),
                _ => s.resident.base_spending.as_ref(),
            }
            .and_then(|p| p.at.clone());
            ScenarioError {
                loc: None,
                key: Some(match at {
                    Some(at) => format!("{at}: {key}"),
                    None => key.into(),
                }),
                message: m,
            }
        })?;
        let drivers = DriverModel::new(&s.drivers, b, h).map_err(|m| ScenarioError {
            loc: None,
            key: Some("drivers".into()),
            message: m,
        })?;
        let mut scenario = s.clone();
        scenario.warnings.extend(crate::checks::unit_warnings(
            s,
            &t0,
            [employee.base_spending, resident.base_spending],
        ));
        Ok(Model {
            scenario,
            base_year: b,
            years: (h - b + 1) as usize,
            population0,
            population,
            weights,
            employee,
            resident,
            drivers,
            birth_share,
        })
    }

    /// Calendar year of year index `j`.
    pub fn year(&self, j: usize) -> i32 {
        self.base_year + j as i32
    }
}
