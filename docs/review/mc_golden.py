#!/usr/bin/env python3
"""Independent calculation of the Monte Carlo golden (tests/golden/monte_carlo_golden-mc.csv).

The model of tests/fixtures/golden_mc.toml (which extends tests/fixtures/tiny.toml) written
out again from MODEL.md §3–10 in plain Python, sharing no code with fundsim: it reads the
random draws made by the documented recipe alone (examples/draws.rs, no engine code) and
recomputes every row of the golden file.

    cargo run --example draws -- 7 200 5 6 > /tmp/draws.csv
    python3 docs/review/mc_golden.py /tmp/draws.csv

Prints a few numbers side by side and the largest relative difference over all rows; exits 1
if any row differs by more than 1e-9 (relative) or a probability or tier differs at all.
"""

import csv
import math
import sys

AGES = 101
# tiny.toml + golden_mc.toml, written out.
Q0 = 0.01
SRB = 1.05
EMP_SHARE, COVERAGE, RET_AGE = 0.4, 0.95, (60.0, 55.0)
E = dict(balance=5.0e8, spending=4.0e8, base=60000.0, rate=0.15 * 1.0 + 0.02 * 0.0,
         pension=40000.0, link=1.0, account=0.02)
R = dict(balance=1.0e8, spending=1.5e8, premium=450.0, subsidy=950.0, ci=40.0)
AR1 = {  # mean, phi, sigma
    "wage": (0.05, 0.5, 0.01),
    "medical": (0.04, 0.5, 0.01),
    "interest": (0.015, 0.7, 0.002),
    "fertility": (1.1, 0.8, 0.05),
}
DRIFT, K_SIGMA = 0.02, 0.01
MIG_LEVEL, MIG_SIGMA = 1000.0, 0.3
NU = 6.0
CORR = [
    [1.0, 0.3, 0.3, 0.0, 0.0, 0.3],
    [0.3, 1.0, 0.1, 0.0, 0.0, 0.0],
    [0.3, 0.1, 1.0, 0.0, 0.0, 0.0],
    [0.0, 0.0, 0.0, 1.0, 0.0, 0.0],
    [0.0, 0.0, 0.0, 0.0, 1.0, 0.0],
    [0.3, 0.0, 0.0, 0.0, 0.0, 1.0],
]
EPI_P, EPI_MEDIAN, EPI_SIGMA = 0.2, 0.1, 0.5
LINES, GROWTH_LINE, CONFIDENCE = (3.0, 6.0, 9.0, 15.0), 0.10, 0.10
BASE, HORIZON, PATHS = 2020, 2025, 200
TIERS = ["depleted", "insufficient", "low", "reasonable", "high", "excess"]


def cholesky(a):
    n = len(a)
    l = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            s = a[i][j] - sum(l[i][k] * l[j][k] for k in range(j))
            l[i][j] = math.sqrt(s) if i == j else s / l[j][j]
    return l


def read_shapes(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    col = lambda c: [float(r[c]) for r in rows]
    return col("fertility"), (col("mig_male"), col("mig_female")), col("cost")


def totals(pop, cost):
    """Members and aggregates of one end-of-year population (MODEL.md §4–6)."""
    t = dict(pop=0.0, a60=0.0, act=0.0, ret=0.0, res=0.0, units=0.0, cl_e=0.0, cl_r=0.0)
    for s in range(2):
        for x in range(AGES):
            p = pop[s][x]
            emp = min(1.0, EMP_SHARE * 1.0)
            rho = min(1.0, max(0.0, x + 1 - RET_AGE[s]))
            a, r, res = p * emp * (1 - rho), p * emp * rho, p * max(0.0, COVERAGE - emp)
            t["pop"] += p
            t["a60"] += p if x >= 60 else 0.0
            t["act"] += a
            t["ret"] += r
            t["res"] += res
            t["units"] += a * 1.0
            t["cl_e"] += (a + r) * cost[x]
            t["cl_r"] += res * cost[x]
    return t


def project(draws, shapes, chol):
    fert, mig, cost = shapes
    pop = [[1000.0] * AGES for _ in range(2)]
    t0 = totals(pop, cost)
    kappa_e = (E["spending"] - t0["ret"] * E["pension"] * E["account"]) / t0["cl_e"]
    kappa_r = (R["spending"] - t0["res"] * R["ci"]) / t0["cl_r"]
    dev = {"wage": 0.0, "medical": 0.0, "interest": 0.0}
    tfr, k = AR1["fertility"][0], 0.0
    w, h, pension = E["base"], 1.0, E["pension"]
    years = [dict(b=(E["balance"], R["balance"]), s=(E["spending"], R["spending"]),
                  inc=(None, None))]
    for j in range(1, HORIZON - BASE + 1):
        d = draws[j]
        f = math.sqrt((NU - 2) / d["chi2"])
        z = [v * f for v in d["z"]]
        eps = [sum(chol[i][m] * z[m] for m in range(i + 1)) for i in range(6)]
        g = {}
        for i, name in enumerate(["wage", "medical", "interest"]):
            mu, phi, sig = AR1[name]
            dev[name] = phi * dev[name] + sig * eps[i]
            g[name] = mu + dev[name]
        mu, phi, sig = AR1["fertility"]
        tfr = max(0.0, mu + phi * (tfr - mu) + sig * eps[4])
        k += DRIFT + K_SIGMA * eps[3]
        migration = MIG_LEVEL * (1 + MIG_SIGMA * eps[5])
        epi = math.exp(math.log(EPI_MEDIAN) + EPI_SIGMA * d["ze"]) if d["u"] < EPI_P else 0.0
        # Population (§3): mortality, ageing, births from start-of-year women, migration.
        q = min(1.0, Q0 * math.exp(-k))
        births = tfr * sum(fert[x] * pop[1][x] for x in range(AGES))
        share = (SRB / (1 + SRB), 1 / (1 + SRB))
        new = [[0.0] * AGES for _ in range(2)]
        for s in range(2):
            for x in range(1, AGES - 1):
                new[s][x] = pop[s][x - 1] * (1 - q)
            new[s][100] = pop[s][99] * (1 - q) + pop[s][100] * (1 - q)
            new[s][0] = births * share[s] * (1 - q / 2)
            for x in range(AGES):
                new[s][x] = max(0.0, new[s][x] + migration * mig[s][x])
        pop = new
        t = totals(pop, cost)
        w *= 1 + g["wage"]
        h *= 1 + g["medical"]
        pension *= 1 + E["link"] * g["wage"]
        r = g["interest"]
        flows = []
        # Employee fund (§5–7).
        c = w * E["rate"] * t["units"]
        s_ = kappa_e * h * (1 + epi) * t["cl_e"] + t["ret"] * pension * E["account"]
        flows.append((c, s_))
        # Resident fund.
        c = t["res"] * (R["premium"] + R["subsidy"])
        s_ = kappa_r * h * (1 + epi) * t["cl_r"] + t["res"] * R["ci"]
        flows.append((c, s_))
        prev = years[-1]["b"]
        bal, inc = [], []
        for fi, (c, s_) in enumerate(flows):
            i = r * (prev[fi] + (c - s_) / 2)
            bal.append(prev[fi] + c + i - s_)
            inc.append(c + i)
        years.append(dict(b=tuple(bal), s=tuple(f[1] for f in flows), inc=tuple(inc)))
    return years


def quantile(xs, p):
    xs = sorted(xs)
    hh = (len(xs) - 1) * p
    lo = math.floor(hh)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (hh - lo) * (xs[hi] - xs[lo])


def tier(b, m):
    if b < 0:
        return 0
    for i, line in enumerate(LINES):
        if (m < line) if i < 2 else (m <= line):
            return i + 1
    return 5


def summarize(paths):
    rows = {}
    n = len(paths)
    for fi, fund in enumerate(["employee", "resident", "combined"]):
        pick = (lambda y, key: y[key][fi]) if fi < 2 else (lambda y, key: y[key][0] + y[key][1])
        depleted = [False] * n
        for j in range(HORIZON - BASE + 1):
            year = BASE + j
            bal = [pick(p[j], "b") for p in paths]
            spend = [pick(p[j], "s") for p in paths]
            months = [12 * b / s for b, s in zip(bal, spend)]
            for metric, xs in [("months_reserve", months), ("balance", bal), ("spending", spend)]:
                mean = sum(xs) / n
                sd = math.sqrt(sum((v - mean) ** 2 for v in xs) / (n - 1))
                rows[(fund, year, metric, "mean")] = mean
                rows[(fund, year, metric, "se")] = sd / math.sqrt(n)
                for p, name in [(0.10, "p10"), (0.50, "p50"), (0.90, "p90")]:
                    rows[(fund, year, metric, name)] = quantile(xs, p)
            counts = [0] * 6
            for b, m in zip(bal, months):
                counts[tier(b, m)] += 1
            for i, name in enumerate(TIERS):
                rows[(fund, year, "tier_prob", name)] = counts[i] / n
                rows[(fund, year, "tier_prob_se", name)] = math.sqrt(
                    counts[i] / n * (1 - counts[i] / n) / n)
            qm = quantile(months, CONFIDENCE)
            rows[(fund, year, "warning_level", "p10")] = float(tier(qm, qm))
            depleted = [d or b < 0 for d, b in zip(depleted, bal)]
            rows[(fund, year, "depleted_by", "mean")] = sum(depleted) / n
            if j >= 1:
                prev = [pick(p[j - 1], "s") for p in paths]
                breach = sum(1 for s, s0 in zip(spend, prev) if s / s0 - 1 >= GROWTH_LINE)
                rows[(fund, year, "growth_breach_prob", "mean")] = breach / n
    return rows


def main():
    root = __file__.rsplit("/docs/", 1)[0]
    draws = {}
    with open(sys.argv[1]) as f:
        for r in csv.DictReader(f):
            draws.setdefault(int(r["path"]), {})[int(r["year"])] = dict(
                z=[float(r[f"z{i}"]) for i in range(6)], chi2=float(r["chi2"]),
                u=float(r["u"]), ze=float(r["ze"]))
    shapes = read_shapes(f"{root}/tests/fixtures/shapes.csv")
    chol = cholesky(CORR)
    paths = [project(draws[p], shapes, chol) for p in range(PATHS)]
    mine = summarize(paths)
    worst, exact_bad, compared = 0.0, [], 0
    with open(f"{root}/tests/golden/monte_carlo_golden-mc.csv") as f:
        golden = {(r["fund"], int(r["year"]), r["metric"], r["stat"]): float(r["value"])
                  for r in csv.DictReader(f)}
    for key, v in golden.items():
        ours = mine[key]
        compared += 1
        if key[2] in ("tier_prob", "warning_level", "depleted_by", "growth_breach_prob"):
            if ours != v:
                exact_bad.append((key, v, ours))
        else:
            worst = max(worst, abs(ours - v) / max(abs(v), 1e-300))
    for key in [("employee", 2021, "balance", "mean"), ("resident", 2023, "months_reserve", "p50"),
                ("combined", 2025, "months_reserve", "p10"), ("resident", 2025, "depleted_by", "mean"),
                ("resident", 2024, "tier_prob", "insufficient"), ("combined", 2025, "warning_level", "p10"),
                ("employee", 2022, "growth_breach_prob", "mean")]:
        print(f"{'/'.join(map(str, key)):45} golden {golden[key]!r:>24}  independent {mine[key]!r}")
    print(f"{compared} rows compared; largest relative difference {worst:.2e}; "
          f"{len(exact_bad)} probabilities or levels differ")
    for b in exact_bad:
        print("  differs:", b)
    sys.exit(0 if worst < 1e-9 and not exact_bad else 1)


if __name__ == "__main__":
    main()
