//! `fundsim report` and the workbooks (issue 10): a self-contained, escaped, deterministic
//! HTML report; a Word document that is a well-formed package with real tables; workbooks
//! whose numbers are summary.csv's; and the report in a real browser (headless Chromium):
//! DOM, screenshot and A4 pages.

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx, open_workbook};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

fn fundsim() -> Command {
    Command::cargo_bin("fundsim").unwrap()
}

fn ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A small Monte Carlo run of a scenario whose names hold markup, quotes and `&`.
fn hostile_run(tmp: &Path) -> PathBuf {
    let scenario = tmp.join("hostile.toml");
    let base = std::fs::canonicalize("scenarios/zhejiang-2020.toml").unwrap();
    std::fs::write(
        &scenario,
        format!(
            "extends = {:?}\n\n[region]\nid = \"hostile\"\nname = \"<script>alert(\\\"x\\\")</script> & '浙江'\"\nname_en = \"<b>Bold</b> & \\\"co\\\"\"\n",
            base.display().to_string()
        ),
    )
    .unwrap();
    let dir = tmp.join("run");
    ok(fundsim()
        .arg("run")
        .arg(&scenario)
        .args(["--paths", "300", "--out"])
        .arg(&dir));
    dir
}

/// The default scenario's central path, without charts or workbook.
fn central_run(tmp: &Path) -> PathBuf {
    let dir = tmp.join("run");
    ok(fundsim()
        .args([
            "run",
            "--deterministic",
            "--no-charts",
            "--no-xlsx",
            "--out",
        ])
        .arg(&dir));
    dir
}

#[test]
fn html_is_self_contained_escaped_and_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = hostile_run(tmp.path());
    let said = ok(fundsim().arg("report").arg(&dir).arg("--docx"));
    assert!(
        said.contains("report.html") && said.contains("report.docx"),
        "{said}"
    );
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    // Escaped wherever the scenario's name appears; no markup of it survives.
    assert!(!html.contains("<script"), "a script element in the report");
    assert!(!html.contains("<b>Bold"));
    assert!(
        html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;浙江&#39;")
    );
    // No external reference: nothing loaded from a URL, no link element.
    for bad in [
        "src=\"http",
        "href=\"http",
        "url(http",
        "url('http",
        "<link",
        "@import",
        "<iframe",
    ] {
        assert!(!html.contains(bad), "external reference `{bad}`");
    }
    assert!(html.contains("@font-face") && html.contains("data:font/otf;base64,"));
    // Every chart is inline SVG (dashboards left out), one figure each.
    let figures = html.matches("<figure>").count();
    let charts = std::fs::read_dir(dir.join("charts"))
        .unwrap()
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.ends_with(".svg") && !n.starts_with("dashboard")
        })
        .count();
    assert!(charts > 0);
    assert_eq!(figures, charts);
    assert_eq!(html.matches("<svg").count(), charts);
    // The same folder gives the same bytes.
    let docx = std::fs::read(dir.join("report.docx")).unwrap();
    ok(fundsim().arg("report").arg(&dir).arg("--docx"));
    assert!(std::fs::read_to_string(dir.join("report.html")).unwrap() == html);
    assert!(std::fs::read(dir.join("report.docx")).unwrap() == docx);
    // English: the other title, the same escaping.
    ok(fundsim().arg("report").arg(&dir).args(["--lang", "en"]));
    let en = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(en.contains("<title>&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;co&quot;: sustainability"));
    assert!(!en.contains("<b>Bold"));
}

/// Minimal XML well-formedness: every start tag closed in order, attributes quoted.
fn well_formed(xml: &str) -> Result<usize, String> {
    let mut stack: Vec<&str> = Vec::new();
    let mut n = 0;
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        let after = &rest[i + 1..];
        let end = after.find('>').ok_or("unclosed tag")?;
        let tag = &after[..end];
        rest = &after[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        if !tag.matches('"').count().is_multiple_of(2) {
            return Err(format!("unbalanced quotes in <{tag}>"));
        }
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(open) if open == name.trim() => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
        } else if !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap_or(""));
            n += 1;
        } else {
            n += 1;
        }
    }
    if stack.is_empty() {
        Ok(n)
    } else {
        Err(format!("unclosed {stack:?}"))
    }
}

fn zip_entry(zip: &mut zip::ZipArchive<std::fs::File>, name: &str) -> String {
    let mut s = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("{name} missing"))
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[test]
fn docx_is_a_well_formed_package_with_real_tables_and_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = hostile_run(tmp.path());
    ok(fundsim().arg("report").arg(&dir).arg("--docx"));
    let f = std::fs::File::open(dir.join("report.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(f).unwrap();
    for part in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/_rels/document.xml.rels",
        "word/styles.xml",
        "word/numbering.xml",
        "word/settings.xml",
        "word/footer1.xml",
        "docProps/core.xml",
        "docProps/app.xml",
    ] {
        let xml = zip_entry(&mut zip, part);
        well_formed(&xml).unwrap_or_else(|e| panic!("{part}: {e}"));
    }
    let doc = zip_entry(&mut zip, "word/document.xml");
    well_formed(&doc).unwrap_or_else(|e| panic!("document.xml: {e}"));
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    // The same tables as the HTML, as Word tables with a repeated header row.
    let tables = html.matches("<table>").count();
    assert!(tables >= 6, "{tables} tables");
    assert_eq!(doc.matches("<w:tbl>").count(), tables);
    assert_eq!(doc.matches("<w:tblHeader/>").count(), tables);
    // Headings with outline levels come from the styles; chapters as in the HTML.
    assert_eq!(
        doc.matches("<w:pStyle w:val=\"Heading1\"/>").count(),
        html.matches("<h2").count()
    );
    // Charts as PNG at print size, one per figure.
    let images = zip
        .file_names()
        .filter(|n| n.as_ref().is_ok_and(|n| n.starts_with("word/media/")))
        .count();
    assert_eq!(images, html.matches("<figure>").count());
    assert_eq!(doc.matches("<pic:pic>").count(), images);
    // Scenario strings escaped in the XML too.
    assert!(doc.contains("&lt;script&gt;") && !doc.contains("<script"));
}

fn summary(dir: &Path) -> HashMap<(String, i32, String, String), f64> {
    let mut r = csv::Reader::from_path(dir.join("summary.csv")).unwrap();
    r.records()
        .map(|x| {
            let x = x.unwrap();
            (
                (
                    x[1].to_string(),
                    x[2].parse().unwrap(),
                    x[3].to_string(),
                    x[4].to_string(),
                ),
                x[5].parse().unwrap(),
            )
        })
        .collect()
}

fn number(d: &Data) -> Option<f64> {
    match d {
        Data::Float(v) => Some(*v),
        Data::Int(v) => Some(*v as f64),
        _ => None,
    }
}

#[test]
fn workbooks_hold_summary_numbers_as_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    ok(fundsim()
        .args(["run", "--paths", "400", "--no-charts", "--out"])
        .arg(&dir));
    let s = summary(&dir);
    let mut wb: Xlsx<_> = open_workbook(dir.join("summary.xlsx")).unwrap();
    let names = wb.sheet_names();
    for want in [
        "职工 employee",
        "居民 resident",
        "合计 combined",
        "人口 population",
        "假设与来源 assumptions",
        "manifest",
    ] {
        assert!(
            names.iter().any(|n| n == want),
            "{want} missing from {names:?}"
        );
    }
    for (sheet, fund) in [
        ("职工 employee", "employee"),
        ("居民 resident", "resident"),
        ("合计 combined", "combined"),
    ] {
        let range = wb.worksheet_range(sheet).unwrap();
        let head: Vec<String> = range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|d| d.to_string())
            .collect();
        let col = |start: &str| {
            head.iter()
                .position(|h| h.starts_with(start))
                .unwrap_or_else(|| panic!("{sheet}: no column `{start}` in {head:?}"))
        };
        let checks = [
            (col("累计结余 中位数"), "balance", "p50", 1e-8),
            (col("累计结余 P10"), "balance", "p10", 1e-8),
            (col("可支付月数 中位数"), "months_reserve", "p50", 1.0),
            (col("可支付月数 P90"), "months_reserve", "p90", 1.0),
            (col("支出增长率 中位数"), "spending_growth", "p50", 1.0),
            (col("等级概率 穿底"), "tier_prob", "depleted", 1.0),
            (col("中心路径 累计结余"), "balance", "value", 1e-8),
        ];
        let level = col("预警等级");
        let mut rows = 0;
        for row in range.rows().skip(1) {
            let year = number(&row[0]).expect("years are numbers") as i32;
            for (c, metric, stat, scale) in checks {
                let want = s.get(&(fund.into(), year, metric.into(), stat.into()));
                let got = number(&row[c]);
                match (want, got) {
                    (Some(w), Some(g)) => {
                        // Equal to the displayed precision (0.01 亿元, 0.1 month, 0.1%), and in fact exact.
                        assert!(
                            (w * scale - g).abs() <= 1e-9 * (1.0 + g.abs()),
                            "{sheet} {year} {metric} {stat}: {g} vs {w}"
                        );
                    }
                    (None, None) => {}
                    (w, g) => {
                        panic!("{sheet} {year} {metric} {stat}: summary {w:?}, workbook {g:?}")
                    }
                }
            }
            if year > 2020 {
                let t = row[level].to_string();
                let idx = s[&(
                    fund.to_string(),
                    year,
                    "warning_level".to_string(),
                    "p10".to_string(),
                )] as usize;
                let tier = fundsim::warning::Tier::from_index(idx).unwrap();
                assert!(t.starts_with(tier.label_zh()), "{sheet} {year}: {t}");
            }
            rows += 1;
        }
        assert_eq!(rows, 16, "{sheet}: one row per year 2020–2035");
    }
    // --no-xlsx skips it.
    let dir2 = tmp.path().join("run2");
    ok(fundsim()
        .args([
            "run",
            "--deterministic",
            "--no-charts",
            "--no-xlsx",
            "--out",
        ])
        .arg(&dir2));
    assert!(!dir2.join("summary.xlsx").exists());
}

#[test]
fn compare_sweep_and_evaluate_write_their_workbooks_and_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let cmp = tmp.path().join("cmp");
    ok(fundsim()
        .args([
            "compare",
            "scenarios/options/zhejiang-employer-7.5.toml",
            "scenarios/options/zhejiang-employer-8.toml",
            "--paths",
            "300",
            "--out",
        ])
        .arg(&cmp));
    let mut wb: Xlsx<_> = open_workbook(cmp.join("compare.xlsx")).unwrap();
    let range = wb.worksheet_range("对比 comparison").unwrap();
    let head: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert!(
        head.iter()
            .any(|h| h.contains("zhejiang-employer-8") && h.contains("SE")),
        "{head:?}"
    );
    let mut csv = csv::Reader::from_path(cmp.join("compare.csv")).unwrap();
    let first = csv.records().next().unwrap().unwrap();
    let row1: Vec<&Data> = range.rows().nth(1).unwrap().iter().collect();
    assert_eq!(row1[0].to_string(), first[1].to_string());
    assert_eq!(number(row1[4]).unwrap(), first[4].parse::<f64>().unwrap());
    ok(fundsim().arg("report").arg(&cmp).arg("--docx"));
    let html = std::fs::read_to_string(cmp.join("report.html")).unwrap();
    assert!(html.contains("政策方案比较") && html.contains("zhejiang-employer-8"));

    let sw = tmp.path().join("sweep");
    ok(fundsim()
        .args([
            "sweep",
            "--param",
            "employee.employer_rate=0.07:0.08:0.005",
            "--measure",
            "P(months >= 6 for employee in every year 2021-2030)",
            "--paths",
            "200",
            "--out",
        ])
        .arg(&sw));
    let mut wb: Xlsx<_> = open_workbook(sw.join("sweep.xlsx")).unwrap();
    let range = wb.worksheet_range("网格 grid").unwrap();
    assert_eq!(range.rows().count(), 4, "header and three points");
    let out = fundsim().arg("report").arg(&sw).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("expected the output folder of fundsim run, compare or evaluate")
    );

    let ev = tmp.path().join("eval");
    ok(fundsim()
        .args([
            "evaluate",
            "zhejiang-2020",
            "--plan",
            "plans/zhejiang-14th-fyp.toml",
            "--paths",
            "300",
            "--out",
        ])
        .arg(&ev));
    let mut wb: Xlsx<_> = open_workbook(ev.join("evaluation.xlsx")).unwrap();
    let range = wb.worksheet_range("指标 indicators").unwrap();
    let n_ind = {
        let mut r = csv::Reader::from_path(ev.join("evaluation.csv")).unwrap();
        let mut ids: Vec<String> = r
            .records()
            .map(|x| x.unwrap())
            .filter(|x| &x[0] == "indicator")
            .map(|x| x[1].to_string())
            .collect();
        ids.dedup();
        ids.len()
    };
    assert_eq!(range.rows().count(), n_ind + 1);
    ok(fundsim().arg("report").arg(&ev));
    let html = std::fs::read_to_string(ev.join("report.html")).unwrap();
    assert!(html.contains("中期评估") && html.contains("规划指标评估"));
}

#[test]
fn pdf_without_chromium_says_how_to_get_it_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = central_run(tmp.path());
    let out = fundsim()
        .env("PATH", tmp.path())
        .arg("report")
        .arg(&dir)
        .arg("--pdf")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("apt-get install chromium"), "{err}");
    assert!(!dir.join("report.html").exists() && !dir.join("report.pdf").exists());
}

/// The report in a real browser: headless Chromium loads report.html, its DOM has the title
/// and the Chinese text, a screenshot is not blank, and printing gives A4 pages, as many as
/// expected. Skipped loudly where Chromium is missing, except in CI (`.ci/run` installs it).
#[test]
fn chromium_renders_and_prints_the_report() {
    let Some(chromium) = fundsim::document::pdf::find_chromium() else {
        if std::env::var_os("CI").is_some() {
            panic!(
                "CI: headless Chromium is missing; .ci/run installs it with `apt-get install -y chromium`"
            );
        }
        // Written to the stderr handle itself, which the test harness does not capture.
        use std::io::Write;
        let bar = "!".repeat(88);
        let _ = writeln!(
            std::io::stderr(),
            "\n{bar}\nSKIPPED chromium_renders_and_prints_the_report: no Chromium on PATH.\nInstall it with `apt-get install -y chromium`; CI (.ci/run) installs it and runs this test.\n{bar}\n"
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    // The central path without charts: the page count depends on the report's own layout only.
    let dir = central_run(tmp.path());
    let said = ok(fundsim().arg("report").arg(&dir).arg("--pdf"));
    assert!(said.contains("report.pdf"), "{said}");
    let html = std::fs::canonicalize(dir.join("report.html")).unwrap();
    let url = format!("file://{}", html.display());
    let limit = std::time::Duration::from_secs(120);

    // --dump-dom prints the DOM after loading (the page has no script: it is the file's).
    let dom =
        fundsim::document::pdf::run_chromium(&chromium, &["--dump-dom".into(), url.clone()], limit)
            .unwrap();
    let dom = String::from_utf8(dom).unwrap();
    assert!(
        dom.contains("<title>浙江省基本医疗保险基金可持续性精算预测报告</title>"),
        "title missing from the DOM"
    );
    for text in [
        "一、主要结论",
        "职工医保统筹基金",
        "分年度预测表",
        "假设与来源",
        "复现信息",
    ] {
        assert!(dom.contains(text), "`{text}` missing from the DOM");
    }

    let shot = tmp.path().join("page.png");
    fundsim::document::pdf::run_chromium(
        &chromium,
        &[
            "--window-size=1240,1754".into(),
            format!("--screenshot={}", shot.display()),
            url.clone(),
        ],
        limit,
    )
    .unwrap();
    let img = image::open(&shot).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (1240, 1754));
    let dark = img
        .pixels()
        .filter(|p| p.0.iter().map(|&c| u32::from(c)).sum::<u32>() < 300)
        .count();
    let share = dark as f64 / f64::from(img.width() * img.height());
    assert!(share > 0.005, "the screenshot is blank ({share:.4} dark)");

    let pdf = std::fs::read(dir.join("report.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let pages = fundsim::document::pdf_pages(&pdf);
    let media: &[u8] = b"/MediaBox [0 0 594.95996 841.91998]";
    let a4 = pdf.windows(media.len()).filter(|w| *w == media).count();
    assert_eq!(a4, pages, "every page A4");
    // Findings; the charts chapter (none in this folder); the employee, resident and
    // combined tables (population under the last); assumptions (two pages); method;
    // reproduction.
    assert_eq!(pages, EXPECTED_PAGES, "A4 pages of the central-path report");
}

/// Pages of the deterministic, chart-less default report printed by Chromium.
const EXPECTED_PAGES: usize = 9;
