//! A [`Document`] as one self-contained A4 HTML page (issue 10): charts inline as SVG, the
//! embedded chart font (Noto Sans CJK SC subset, OFL) as a data URI so Chinese shows on a
//! viewer without CJK fonts and prints the same everywhere, no script, no external URL.
//! The print stylesheet starts each chapter on a new page, keeps tables and charts whole,
//! repeats table headers, and numbers pages (`第 n 页，共 m 页`).

use super::{Align, Block, Document, Figure, Lang, Table, base64, escape};
use std::fmt::Write;

/// The page as HTML text.
pub fn render(doc: &Document) -> String {
    let mut h = String::with_capacity(4 << 20);
    let lang = match doc.lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    };
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"fundsim {}\">\n<meta name=\"date\" content=\"{}\">\n<title>{}</title>\n<style>\n",
        env!("CARGO_PKG_VERSION"),
        escape(&doc.date),
        escape(&doc.title)
    );
    let _ = writeln!(
        h,
        "@font-face {{ font-family: \"Noto Sans CJK SC\"; src: url(data:font/otf;base64,{}) format(\"opentype\"); }}",
        base64(crate::chart::FONT_BYTES)
    );
    h.push_str(&css(doc));
    h.push_str("</style>\n</head>\n<body>\n<header class=\"title\">\n");
    let _ = writeln!(h, "<h1 class=\"doc\">{}</h1>", escape(&doc.title));
    for l in &doc.subtitle {
        let _ = writeln!(h, "<p class=\"sub\">{}</p>", escape(l));
    }
    h.push_str("</header>\n");
    let mut chapter = 0;
    let mut ids = 0;
    for b in &doc.blocks {
        match b {
            Block::Heading(1, t) => {
                chapter += 1;
                let class = if chapter == 1 {
                    ""
                } else {
                    " class=\"chapter\""
                };
                let _ = writeln!(h, "<h2{class}>{}</h2>", escape(t));
            }
            Block::Heading(_, t) => {
                let _ = writeln!(h, "<h3>{}</h3>", escape(t));
            }
            Block::Para(t) => {
                let _ = writeln!(h, "<p>{}</p>", escape(t));
            }
            Block::Bullets(items) => {
                h.push_str("<ul>\n");
                for i in items {
                    let _ = writeln!(h, "<li>{}</li>", escape(i));
                }
                h.push_str("</ul>\n");
            }
            Block::Table(t) => table(&mut h, t),
            Block::Figure(f) => {
                ids += 1;
                figure(&mut h, f, ids);
            }
            Block::Code(lines) => {
                h.push_str("<pre>");
                for l in lines {
                    let _ = writeln!(h, "{}", escape(l));
                }
                h.push_str("</pre>\n");
            }
        }
    }
    h.push_str("</body>\n</html>\n");
    h
}

/// A CSS string literal: safe inside `<style>` (no `</style>` can be formed).
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("\\3c "),
            '>' => out.push_str("\\3e "),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn css(doc: &Document) -> String {
    let pages = match doc.lang {
        Lang::Zh => "\"第 \" counter(page) \" 页，共 \" counter(pages) \" 页\"",
        Lang::En => "\"Page \" counter(page) \" of \" counter(pages)",
    };
    format!(
        r#"@page {{ size: A4; margin: 18mm 17mm 20mm 17mm;
  @bottom-left {{ content: {footer}; font: 7.5pt "Noto Sans CJK SC", sans-serif; color: #555; }}
  @bottom-right {{ content: {pages}; font: 7.5pt "Noto Sans CJK SC", sans-serif; color: #555; }} }}
html {{ background: #f2f2f2; }}
body {{ font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; font-size: 10.5pt; line-height: 1.6; color: #1a1a1a;
  max-width: 176mm; margin: 12mm auto; padding: 14mm 17mm; background: #fff; box-shadow: 0 0 4px #bbb; }}
header.title {{ border-bottom: 1.5pt solid #1a1a1a; margin-bottom: 6mm; padding-bottom: 2mm; }}
h1.doc {{ font-size: 17pt; line-height: 1.35; margin: 0 0 2mm 0; font-weight: bold; }}
p.sub {{ margin: 0; color: #444; font-size: 9.5pt; }}
h2 {{ font-size: 13.5pt; margin: 7mm 0 3mm 0; border-bottom: 0.5pt solid #999; padding-bottom: 1mm; break-after: avoid; }}
h3 {{ font-size: 11.5pt; margin: 5mm 0 2mm 0; break-after: avoid; }}
p {{ margin: 0 0 2.5mm 0; text-align: justify; }}
ul {{ margin: 0 0 3mm 0; padding-left: 6mm; }}
li {{ margin-bottom: 1.5mm; }}
.tbl {{ margin: 3mm 0 5mm 0; break-inside: avoid; }}
.tbl.long {{ break-inside: auto; }}
.cap {{ font-weight: bold; font-size: 9.5pt; margin-bottom: 1.5mm; break-after: avoid; }}
table {{ border-collapse: collapse; width: 100%; font-size: 8.5pt; line-height: 1.35; font-variant-numeric: tabular-nums; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
th {{ background: #e8e8e8; font-weight: bold; border-top: 1pt solid #1a1a1a; border-bottom: 0.75pt solid #1a1a1a; padding: 1.2mm 1.2mm; vertical-align: bottom; text-align: center; }}
td {{ border-bottom: 0.4pt solid #c8c8c8; padding: 0.9mm 1.2mm; vertical-align: top; overflow-wrap: anywhere; }}
tbody tr:last-child td {{ border-bottom: 1pt solid #1a1a1a; }}
td.r {{ text-align: right; white-space: nowrap; }}
td.c {{ text-align: center; white-space: nowrap; }}
td.b {{ font-weight: bold; }}
.note {{ break-before: avoid; font-size: 8pt; color: #444; margin-top: 1.2mm; line-height: 1.4; }}
figure {{ margin: 3mm 0 6mm 0; break-inside: avoid; text-align: center; }}
figure svg, figure img {{ width: 100%; max-width: 150mm; height: auto; display: block; margin: 0 auto; }}
figcaption {{ font-weight: bold; font-size: 9.5pt; margin-top: 1.5mm; }}
pre {{ font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 7.5pt; line-height: 1.4; white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f6; border: 0.5pt solid #ccc; padding: 2mm; }}
@media print {{
  html {{ background: none; }}
  body {{ max-width: none; margin: 0; padding: 0; box-shadow: none; }}
  h2.chapter {{ break-before: page; margin-top: 0; }}
}}
"#,
        footer = css_string(&doc.footer),
    )
}

fn table(h: &mut String, t: &Table) {
    let long = if t.rows.len() > 30 { " long" } else { "" };
    let _ = writeln!(h, "<div class=\"tbl{long}\">");
    let _ = writeln!(h, "<div class=\"cap\">{}</div>", escape(&t.caption));
    h.push_str("<table>\n<colgroup>");
    let total: f32 = t.widths.iter().sum::<f32>().max(f32::EPSILON);
    for w in &t.widths {
        let _ = write!(h, "<col style=\"width:{:.1}%\">", 100.0 * w / total);
    }
    h.push_str("</colgroup>\n<thead><tr>");
    for c in &t.header {
        let _ = write!(h, "<th>{}</th>", escape(c).replace('\n', "<br>"));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for r in &t.rows {
        h.push_str("<tr>");
        for (i, c) in r.iter().enumerate() {
            let mut class = match t.align.get(i) {
                Some(Align::Right) => "r",
                Some(Align::Center) => "c",
                _ => "",
            }
            .to_string();
            if c.bold {
                class.push_str(if class.is_empty() { "b" } else { " b" });
            }
            let class = if class.is_empty() {
                String::new()
            } else {
                format!(" class=\"{class}\"")
            };
            let style = c
                .fill
                .as_ref()
                .map(|f| format!(" style=\"background:#{}\"", escape(f)))
                .unwrap_or_default();
            let _ = write!(h, "<td{class}{style}>{}</td>", escape(&c.text));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
    if let Some(n) = &t.note {
        let _ = writeln!(h, "<div class=\"note\">{}</div>", escape(n));
    }
    h.push_str("</div>\n");
}

fn figure(h: &mut String, f: &Figure, n: usize) {
    h.push_str("<figure>\n");
    if let Some(svg) = &f.svg {
        h.push_str(&inline_svg(svg, &format!("f{n}-")));
    } else if let Some(png) = &f.png {
        let _ = write!(
            h,
            "<img alt=\"{}\" src=\"data:image/png;base64,{}\">",
            escape(&f.file),
            base64(png)
        );
    }
    let _ = writeln!(
        h,
        "\n<figcaption>{}</figcaption>\n</figure>",
        escape(&f.caption)
    );
}

/// An SVG file made fit to inline: the XML declaration and doctype dropped, a `viewBox`
/// from the pixel size so it scales to the column, and every `id` prefixed so the charts of
/// one page cannot collide. Anything that could run (scripts, event attributes, external
/// references) is removed.
pub fn inline_svg(svg: &str, prefix: &str) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    let mut s = svg[start..].to_string();
    // Root element: add a viewBox from width/height, let CSS size it.
    if let Some(end) = s.find('>') {
        let root = s[..end].to_string();
        let attr = |name: &str| -> Option<f64> {
            let k = root.find(&format!(" {name}=\""))? + name.len() + 3;
            let v = &root[k..];
            v[..v.find('"')?].trim_end_matches("px").parse().ok()
        };
        let mut new_root = root.clone();
        if !root.contains("viewBox")
            && let (Some(w), Some(h)) = (attr("width"), attr("height"))
        {
            new_root.push_str(&format!(" viewBox=\"0 0 {w} {h}\""));
        }
        new_root.push_str(" preserveAspectRatio=\"xMidYMid meet\" role=\"img\"");
        s = format!("{new_root}{}", &s[end..]);
    }
    // Remove scripts and foreign objects whole.
    for tag in ["script", "foreignObject"] {
        while let Some(a) = s.find(&format!("<{tag}")) {
            let close = format!("</{tag}>");
            let b = s[a..]
                .find(&close)
                .map(|b| a + b + close.len())
                .or_else(|| s[a..].find("/>").map(|b| a + b + 2))
                .unwrap_or(s.len());
            s.replace_range(a..b, "");
        }
    }
    // Event handler attributes (` on...="…"`) and external hrefs.
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(i) = rest.find(" on") {
        let after = &rest[i + 3..];
        let name_len = after
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after.len());
        if name_len > 0 && after[name_len..].starts_with("=\"") {
            out.push_str(&rest[..i]);
            let v = &after[name_len + 2..];
            rest = v.find('"').map_or("", |e| &v[e + 1..]);
        } else {
            out.push_str(&rest[..i + 3]);
            rest = after;
        }
    }
    out.push_str(rest);
    // External references (`href="http…"`, `xlink:href="//…"`): the attribute goes.
    for pat in ["href=\"http", "href=\"//", "href=\"file"] {
        while let Some(i) = out.find(pat) {
            let start = out[..i].rfind(char::is_whitespace).unwrap_or(i);
            let v = i + pat.len();
            let end = out[v..].find('"').map_or(out.len(), |e| v + e + 1);
            out.replace_range(start..end, "");
        }
    }
    out.replace("id=\"", &format!("id=\"{prefix}"))
        .replace("url(#", &format!("url(#{prefix}"))
        .replace("href=\"#", &format!("href=\"#{prefix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inlined_svgs_scale_and_cannot_run_or_collide() {
        let svg = r##"<?xml version="1.0"?><svg width="800" height="400" xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="c"/></defs><script>alert(1)</script><rect onclick="x()" clip-path="url(#c)"/><a href="http://x"/></svg>"##;
        let s = inline_svg(svg, "f1-");
        assert!(s.starts_with("<svg"), "{s}");
        assert!(s.contains("viewBox=\"0 0 800 400\""), "{s}");
        assert!(!s.contains("script") && !s.contains("onclick") && !s.contains("http://x"));
        assert!(s.contains("id=\"f1-c\"") && s.contains("url(#f1-c)"), "{s}");
    }

    #[test]
    fn css_strings_cannot_close_the_style_element() {
        assert_eq!(css_string("a\"</style>\\"), "\"a\\\"\\3c /style\\3e \\\\\"");
    }
}
