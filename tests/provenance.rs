//! Provenance: every quote that a scenario's `source` attributes to a seed document occurs
//! verbatim in that document (seeds/), and every parameter of the shipped scenarios says
//! where it comes from.

use fundsim::scenario::tree::{self, Kind, Node};

fn seed_text(id: &str) -> Option<String> {
    std::fs::read_dir("seeds").ok()?.find_map(|e| {
        let p = e.ok()?.path();
        let name = p.file_name()?.to_str()?.to_string();
        (name.starts_with(id) && name.ends_with(".txt"))
            .then(|| std::fs::read_to_string(&p).ok())?
    })
}

/// `(seed id, quote)` pairs in a source text: each quote "..." belongs to the last seed named
/// before it (as `seed 000` or `000_690ba29909df0ef4.txt`).
fn quotes(source: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut seed: Option<String> = None;
    let chars: Vec<char> = source.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..].iter().take(30).collect();
        if let Some(id) = rest
            .strip_prefix("seed ")
            .map(|r| r.chars().take(3).collect::<String>())
        {
            if id.chars().all(|c| c.is_ascii_digit()) && id.len() == 3 {
                seed = Some(id);
            }
        } else {
            let head: Vec<char> = rest.chars().take(4).collect();
            if head.len() == 4
                && head[..3].iter().all(|c| c.is_ascii_digit())
                && head[3] == '_'
                && (i == 0 || !chars[i - 1].is_ascii_alphanumeric())
            {
                seed = Some(head[..3].iter().collect());
            }
        }
        if chars[i] == '"'
            && let Some(end) = chars[i + 1..].iter().position(|&c| c == '"')
        {
            let q: String = chars[i + 1..i + 1 + end].iter().collect();
            if let Some(s) = &seed {
                out.push((s.clone(), q));
            }
            i += end + 2;
            continue;
        }
        i += 1;
    }
    out
}

fn walk(n: &Node, key: &str, f: &mut impl FnMut(&str, &str)) {
    match &n.kind {
        Kind::Str(s) if key.ends_with("source") => f(key, s),
        Kind::Table(t) => t
            .iter()
            .for_each(|(k, v)| walk(v, &format!("{key}.{k}"), f)),
        Kind::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, v)| walk(v, &format!("{key}[{i}]"), f)),
        _ => {}
    }
}

fn scenario_files() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["scenarios", "scenarios/common", "scenarios/options"] {
        let rd = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{dir}: {e}"));
        for e in rd {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "toml") {
                out.push(p.display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn seed_quotes_occur_verbatim() {
    let mut checked = 0;
    for file in scenario_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let root = tree::parse(&text, &file).unwrap();
        walk(&root, "", &mut |key, src| {
            for (seed, q) in quotes(src) {
                let doc =
                    seed_text(&seed).unwrap_or_else(|| panic!("{file} {key}: no seed {seed}"));
                assert!(
                    doc.contains(&q),
                    "{file} {key}: \"{q}\" is not in seed {seed}"
                );
                checked += 1;
            }
        });
    }
    assert!(checked >= 15, "only {checked} quotes checked");
}

#[test]
fn every_shipped_parameter_has_a_source() {
    for file in [
        "scenarios/zhejiang-2020.toml",
        "scenarios/zhoukou-2020.toml",
        "scenarios/china-2020.toml",
    ] {
        let s = fundsim::scenario::load(file, &[]).unwrap();
        for (key, p) in fundsim::report::params(&s) {
            if p.source.as_deref() == Some("default") {
                continue;
            }
            assert!(p.source.is_some(), "{file}: {key} has no source");
        }
    }
}
