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

/// Run Chromium with `args` after the headless flags, at most `limit`; returns its stderr on
/// failure.
pub fn run_chromium(chromium: &Path, args: &[String], limit: Duration) -> Result<(), String> {
    let profile =
        fresh_profile().map_err(|e| format!("creating a Chromium profile folder: {e}"))?;
    let mut all = headless_args(&profile);
    all.extend(args.iter().cloned());
    let result = (|| {
        let mut child = Command::new(chromium)
            .args(&all)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{}: {e}", chromium.display()))?;
        let start = Instant::now();
        loop {
            match child.try_wait() {
                Ok(Some(status)) => {
                    let mut err = String::new();
                    if let Some(mut s) = child.stderr.take() {
                        use std::io::Read;
                        let _ = s.read_to_string(&mut err);
                    }
                    return if status.success() {
                        Ok(())
                    } else {
                        Err(format!(
                            "{} exited with {status}: {}",
                            chromium.display(),
                            err.lines().rev().take(3).collect::<Vec<_>>().join(" | ")
                        ))
                    };
                }
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
