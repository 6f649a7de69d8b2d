//! `report.pdf`: `report.html` printed by headless Chromium (issue 10). Chromium is found on
//! `PATH`; it runs with a fresh profile, no network services and a time limit, so it
//! cannot stall on a machine without network.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Names Chromium goes by on `PATH`.
pub const NAMES: [&str; 5] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
];

/// What to tell a user without Chromium.
pub const HOW_TO_GET: &str = "headless Chromium is needed to print report.pdf and none was found on PATH (looked for chromium, chromium-browser, google-chrome, google-chrome-stable, chrome); expected one of them: install it (Debian/Ubuntu: `sudo apt-get install chromium`; Fedora: `sudo dnf install chromium`; macOS: install Google Chrome and put its binary on PATH), or leave out --pdf and print report.html from a browser (A4, no headers and footers)";

/// The first Chromium on `PATH`.
pub fn find_chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for n in NAMES {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// The flags every headless Chromium run gets: no sandbox (root in containers), no GPU, no
/// background network, a fresh profile in `profile`.
pub fn headless_args(profile: &Path) -> Vec<String> {
    vec![
        "--headless".into(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-dev-shm-usage".into(),
        "--no-first-run".into(),
        "--no-default-browser-check".into(),
        "--hide-scrollbars".into(),
        format!("--user-data-dir={}", profile.display()),
    ]
}

/// A fresh, empty folder for a Chromium profile (removed by the caller).
pub fn fresh_profile() -> std::io::Result<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let p = std::env::temp_dir().join(format!("fundsim-chromium-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&p)?;
    Ok(p)
}

/// Run Chromium with `args` after the headless flags, at most `limit`; returns what it
/// printed on stdout (e.g. `--dump-dom`), or its last stderr lines on failure.
pub fn run_chromium(chromium: &Path, args: &[String], limit: Duration) -> Result<Vec<u8>, String> {
    let profile =
        fresh_profile().map_err(|e| format!("creating a Chromium profile folder: {e}"))?;
    let mut all = headless_args(&profile);
    all.extend(args.iter().cloned());
    let result = (|| {
        let mut child = Command::new(chromium)
            .args(&all)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{}: {e}", chromium.display()))?;
        // Drain both pipes while waiting, so a large output cannot block the browser.
        let drain = |r: Option<Box<dyn std::io::Read + Send>>| {
            std::thread::spawn(move || {
                let mut v = Vec::new();
                if let Some(mut r) = r {
                    let _ = r.read_to_end(&mut v);
                }
                v
            })
        };
        let out = drain(
            child
                .stdout
                .take()
                .map(|r| Box::new(r) as Box<dyn std::io::Read + Send>),
        );
        let err = drain(
            child
                .stderr
                .take()
                .map(|r| Box::new(r) as Box<dyn std::io::Read + Send>),
        );
        let start = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if start.elapsed() > limit => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!(
                        "{} did not finish within {} s; expected a headless Chromium that runs without network",
                        chromium.display(),
                        limit.as_secs()
                    ));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(50)),
                Err(e) => return Err(format!("{}: {e}", chromium.display())),
            }
        };
        let out = out.join().unwrap_or_default();
        let err = String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned();
        if status.success() {
            Ok(out)
        } else {
            Err(format!(
                "{} exited with {status}: {}",
                chromium.display(),
                err.lines().rev().take(3).collect::<Vec<_>>().join(" | ")
            ))
        }
    })();
    let _ = std::fs::remove_dir_all(&profile);
    result
}

/// Print the HTML file `html` to `pdf` (A4 from the page's own `@page` rules, no browser
/// headers or footers).
pub fn print(chromium: &Path, html: &Path, pdf: &Path) -> Result<(), String> {
    let html = std::fs::canonicalize(html).map_err(|e| format!("{}: {e}", html.display()))?;
    run_chromium(
        chromium,
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
            format!("file://{}", html.display()),
        ],
        Duration::from_secs(180),
    )?;
    match std::fs::metadata(pdf) {
        Ok(m) if m.len() > 0 => Ok(()),
        _ => Err(format!(
            "{} wrote no PDF to {}",
            chromium.display(),
            pdf.display()
        )),
    }
}
