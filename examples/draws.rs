//! Print the random draws of Monte Carlo paths by the documented recipe alone (README "Model
//! decisions", MODEL.md §10), without the engine: `ChaCha8Rng::seed_from_u64(seed)`,
//! `set_stream(path)`, year `j` at word `256·j`, six standard normals, then (Student-t) one
//! χ²(ν), then the epidemic's uniform and normal. Used by the independent review of the
//! Monte Carlo golden (docs/review/mc_golden.py).
//!
//! `cargo run --example draws -- SEED PATHS YEARS [NU] > draws.csv` writes
//! `path,year,z0,...,z5,chi2,u,ze` for paths `0..PATHS` and years `1..=YEARS`; `chi2` is empty
//! without `NU`.

use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;
use rand_distr::{ChiSquared, Distribution, StandardNormal, StandardUniform};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: draws SEED PATHS YEARS [NU]");
        std::process::exit(2);
    }
    let num = |i: usize| -> u64 {
        args[i].parse().unwrap_or_else(|_| {
            eprintln!("argument {}: `{}` is not a whole number", i + 1, args[i]);
            std::process::exit(2)
        })
    };
    let (seed, paths, years) = (num(0), num(1), num(2));
    let chi2 = args.get(3).map(|s| {
        let nu: f64 = s.parse().unwrap_or_else(|_| {
            eprintln!("NU: `{s}` is not a number");
            std::process::exit(2)
        });
        ChiSquared::new(nu).unwrap_or_else(|e| {
            eprintln!("NU: {e}");
            std::process::exit(2)
        })
    });
    println!("path,year,z0,z1,z2,z3,z4,z5,chi2,u,ze");
    for path in 0..paths {
        for year in 1..=years {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(path);
            rng.set_word_pos(256 * u128::from(year));
            let z: Vec<String> = (0..6)
                .map(|_| {
                    let v: f64 = StandardNormal.sample(&mut rng);
                    format!("{v:?}")
                })
                .collect();
            let w = chi2
                .as_ref()
                .map(|c| format!("{:?}", c.sample(&mut rng)))
                .unwrap_or_default();
            let u: f64 = StandardUniform.sample(&mut rng);
            let ze: f64 = StandardNormal.sample(&mut rng);
            println!("{path},{year},{},{w},{u:?},{ze:?}", z.join(","));
        }
    }
}
