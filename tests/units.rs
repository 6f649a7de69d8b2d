//! Small public functions of the model at their edges (MODEL.md §6, §8, §9, §10): the
//! correlation matrix check, κ's refusal of impossible observations, the sd of one value,
//! the tier labels.

use fundsim::drivers::cholesky;
use fundsim::finance::calibrate;
use fundsim::warning::Tier;

fn eye() -> Vec<Vec<f64>> {
    (0..6)
        .map(|i| (0..6).map(|j| f64::from(u8::from(i == j))).collect())
        .collect()
}

#[test]
fn cholesky_checks_shape_and_tolerates_rounding() {
    // A ragged matrix (six rows, one of five values) is refused, not indexed out of range.
    let mut m = eye();
    m[5].pop();
    assert_eq!(cholesky(&m).unwrap_err(), "expected a 6×6 matrix");
    let mut m = eye();
    m.pop();
    assert!(cholesky(&m).is_err());
    // An asymmetry of exactly 1e-12 is rounding, accepted; more is refused.
    let mut m = eye();
    m[0][1] = 1e-12;
    assert!(cholesky(&m).is_ok());
    m[0][1] = 2e-12;
    assert!(cholesky(&m).unwrap_err().starts_with("not symmetric"));
    // The factor reproduces the matrix: L·Lᵀ = C.
    let mut c = eye();
    for (i, j, v) in [
        (0, 1, 0.3),
        (0, 2, 0.3),
        (1, 2, 0.1),
        (0, 5, 0.3),
        (3, 4, -0.2),
    ] {
        c[i][j] = v;
        c[j][i] = v;
    }
    let l = cholesky(&c).unwrap();
    for i in 0..6 {
        for j in 0..6 {
            let v: f64 = (0..6).map(|k| l[i][k] * l[j][k]).sum();
            assert!((v - c[i][j]).abs() < 1e-12, "[{i}][{j}]: {v}");
            if j > i {
                assert_eq!(l[i][j], 0.0);
            }
        }
    }
}

#[test]
fn kappa_refuses_what_it_cannot_match() {
    // κ = (S_obs − non-claims) / (pol(Y0) · claims(Y0)).
    let (k, s0) = calibrate(Some(1000.0), 400.0, 0.8, 200.0).unwrap();
    assert_eq!((k, s0), (2.5, 1000.0));
    // Without an observation: κ = 1 and S(Y0) = pol·claims + non-claims.
    assert_eq!(calibrate(None, 400.0, 0.8, 200.0).unwrap(), (1.0, 520.0));
    // Observed spending equal to, or below, the non-claims part; no claims at all.
    for (obs, claims) in [(200.0, 400.0), (100.0, 400.0), (1000.0, 0.0)] {
        let e = calibrate(Some(obs), claims, 1.0, 200.0).unwrap_err();
        assert!(e.contains("cannot be matched"), "{e}");
    }
}

#[test]
fn sd_of_one_value_is_zero() {
    assert_eq!(fundsim::summary::mean_sd(&[3.5]), (3.5, 0.0));
    assert_eq!(fundsim::summary::prop_se(0.25, 3), (0.0625f64).sqrt());
    assert_eq!(fundsim::summary::level_stat(0.1, 1), "value");
    assert_eq!(fundsim::summary::level_stat(0.1, 2), "p10");
    assert_eq!(fundsim::summary::level_stat(0.05, 100), "p05");
}

#[test]
fn tier_labels_follow_model_section_8() {
    let zh: Vec<&str> = Tier::ALL.iter().map(|t| t.label_zh()).collect();
    assert_eq!(zh, ["穿底", "不足", "偏低", "合理", "偏高", "过多"]);
    let names: Vec<&str> = Tier::ALL.iter().map(|t| t.name()).collect();
    assert_eq!(
        names,
        [
            "depleted",
            "insufficient",
            "low",
            "reasonable",
            "high",
            "excess"
        ]
    );
    for (i, t) in Tier::ALL.iter().enumerate() {
        assert_eq!(t.index(), i);
        assert_eq!(Tier::from_index(i), Some(*t));
    }
    assert_eq!(Tier::from_index(6), None);
    assert_eq!(Tier::from_name("reasonable"), Some(Tier::Reasonable));
    assert_eq!(Tier::from_name("ok"), None);
}
