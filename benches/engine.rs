//! Engine benchmark (issue #3): the default scenario 2020→2035 at 10,000 and 100,000 paths,
//! 1 and 2 threads (and more where the machine has them): wall time of the simulation and of
//! the summaries (median of repeated runs), path-years per second, and peak RSS.
//!
//! Run: `cargo bench --bench engine` (options after `--`: `--paths 10000,100000`
//! `--threads 1,2` `--runs 5` `--scenario FILE`). Peak RSS is measured in a child process per
//! configuration, so each figure is that run's own.

use fundsim::engine;
use fundsim::resolve::Model;
use fundsim::scenario::{self, source};
use fundsim::summary;
use std::time::Instant;

fn arg(name: &str) -> Option<String> {
    let a: Vec<String> = std::env::args().collect();
    a.iter()
        .position(|x| x == name)
        .and_then(|i| a.get(i + 1).cloned())
}

fn list(name: &str, default: &str) -> Vec<usize> {
    arg(name)
        .unwrap_or_else(|| default.to_string())
        .split(',')
        .map(|v| v.trim().parse().expect("a number"))
        .collect()
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// One configuration, in this process: prints one line of results.
fn child(scen: &str, paths: usize, threads: usize, runs: usize) {
    let s = scenario::load(&source::scenario_name(Some(scen)), &[]).expect("scenario");
    let m = Model::new(&s).expect("model");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    let (mut sim, mut sum, mut tot) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let t0 = Instant::now();
        let p = pool.install(|| engine::simulate(&m, s.simulation.seed, 0, paths, &|_| {}));
        let t1 = Instant::now();
        let rows = pool.install(|| summary::summarize(&m, &p));
        let t2 = Instant::now();
        std::hint::black_box(rows);
        drop(p);
        sim.push((t1 - t0).as_secs_f64());
        sum.push((t2 - t1).as_secs_f64());
        tot.push((t2 - t0).as_secs_f64());
    }
    let path_years = (paths * (m.years - 1)) as f64;
    let total = median(tot);
    println!(
        "{paths:>8} paths {threads:>2} thr | total {total:>7.3} s (sim {:>6.3} s, summary {:>6.3} s) | {:>6.2} M path-years/s | peak RSS {:>6.1} MiB",
        median(sim),
        median(sum),
        path_years / total / 1e6,
        peak_rss_mib()
    );
}

fn main() {
    let scen = arg("--scenario").unwrap_or_else(|| "zhejiang-2020".into());
    let runs = list("--runs", "5")[0];
    if let Some(cfg) = arg("--child") {
        let v: Vec<usize> = cfg.split(',').map(|x| x.parse().expect("n")).collect();
        return child(&scen, v[0], v[1], runs);
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let default_threads = if cores > 2 { "1,2,4,8,16" } else { "1,2" };
    let threads: Vec<usize> = list("--threads", default_threads)
        .into_iter()
        .filter(|&t| t <= cores.max(2))
        .collect();
    println!("fundsim engine benchmark: scenario {scen}, {cores} cores, median of {runs} runs");
    let exe = std::env::current_exe().expect("exe");
    for paths in list("--paths", "10000,100000") {
        for &t in &threads {
            let out = std::process::Command::new(&exe)
                .args([
                    "--scenario",
                    &scen,
                    "--runs",
                    &runs.to_string(),
                    "--child",
                    &format!("{paths},{t}"),
                ])
                .output()
                .expect("child run");
            print!("{}", String::from_utf8_lossy(&out.stdout));
            eprint!("{}", String::from_utf8_lossy(&out.stderr));
        }
    }
}
