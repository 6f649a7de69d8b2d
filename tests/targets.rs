//! `seeds/targets.toml` (MODEL.md §11 "Plan check"): every target is well formed and every
//! quote occurs in its seed file. Quotes are compared with all whitespace removed from both
//! sides, because table cells in the seeds are split over lines.

use std::collections::HashSet;
use std::path::Path;

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn every_target_quote_occurs_in_its_seed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let text = std::fs::read_to_string(dir.join("targets.toml")).expect("seeds/targets.toml");
    let targets = fundsim::targets::parse(&text).expect("targets.toml parses");
    assert_eq!(
        targets,
        fundsim::targets::all(),
        "the compiled-in copy is current"
    );
    assert!(targets.len() >= 20, "too few targets");
    let mut ids = HashSet::new();
    let mut failures = Vec::new();
    for t in &targets {
        assert!(ids.insert(t.id.clone()), "duplicate id {}", t.id);
        assert!(
            ["lt", "le", "eq", "ge", "gt", "approx"].contains(&t.comparison.as_str()),
            "{}: comparison {}",
            t.id,
            t.comparison
        );
        assert!(
            ["binding", "expected", "observed", "projection"].contains(&t.kind.as_str()),
            "{}: kind {}",
            t.id,
            t.kind
        );
        assert!(t.value.is_finite(), "{}: value", t.id);
        assert!((2015..=2035).contains(&t.year), "{}: year {}", t.id, t.year);
        assert!(
            !t.indicator.is_empty() && !t.region.is_empty() && !t.unit.is_empty(),
            "{}: empty field",
            t.id
        );
        let seed = std::fs::read_to_string(dir.join(&t.seed))
            .unwrap_or_else(|e| panic!("{}: seed {}: {e}", t.id, t.seed));
        let q = squeeze(&t.quote);
        if q.is_empty() || !squeeze(&seed).contains(&q) {
            failures.push(format!("{}: quote {:?} not in {}", t.id, t.quote, t.seed));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
