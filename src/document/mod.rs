//! Documents a bureau hands in, built from an output folder's files without simulating
//! (issue 10; MODEL.md §10 outputs): a neutral [`Document`] (headings, sentences, tables,
//! figures, a reproduction block) filled from a run, compare or evaluation folder by
//! [`content`], then written as a self-contained A4 HTML page ([`html`]) or an editable Word
//! document ([`docx`]). Workbooks (`*.xlsx`) of every command are written by [`xlsx`].
//!
//! Everything is deterministic: the same folder gives the same bytes (dates come from the
//! folder's `manifest.json`, never from the clock).

pub mod content;
pub mod docx;
pub mod html;
pub mod pdf;
pub mod xlsx;

/// Language of a document: the charts' ([`crate::chart::Lang`]).
pub use crate::chart::Lang;

/// `zh` or `en` by language.
pub fn tr<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Horizontal alignment of a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text.
    Left,
    /// Numbers.
    Right,
    /// Short codes and years.
    Center,
}

/// One table cell: text, with an optional background (a tier colour, `RRGGBB`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// What the cell shows.
    pub text: String,
    /// Background colour `RRGGBB`.
    pub fill: Option<String>,
    /// Bold (e.g. a status).
    pub bold: bool,
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell {
            text,
            ..Cell::default()
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::from(text.to_string())
    }
}

/// A table: a caption above, one header row, body rows, a note below. Rendered as a real
/// table (HTML `<table>`, Word `w:tbl`), never split across pages when it fits on one, its
/// header repeated when it does not.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Caption (e.g. `表 1 …`).
    pub caption: String,
    /// Column headings, units included.
    pub header: Vec<String>,
    /// Column alignment (one per column).
    pub align: Vec<Align>,
    /// Relative column widths (one per column).
    pub widths: Vec<f32>,
    /// Body rows.
    pub rows: Vec<Vec<Cell>>,
    /// Note under the table (sources, definitions).
    pub note: Option<String>,
}

/// A chart: its SVG (inlined in HTML) and PNG (placed in Word at print size).
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Caption (e.g. `图 1 …`).
    pub caption: String,
    /// The SVG file's text, when there is one.
    pub svg: Option<String>,
    /// The PNG file's bytes, when there is one.
    pub png: Option<Vec<u8>>,
    /// File name in the folder (for the text alternative).
    pub file: String,
}

/// One block of a document, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading: level 1 (chapter, starts a new page in print) or 2.
    Heading(u8, String),
    /// A paragraph.
    Para(String),
    /// A bulleted list.
    Bullets(Vec<String>),
    /// A table.
    Table(Table),
    /// A chart.
    Figure(Figure),
    /// Preformatted lines (the reproduction block).
    Code(Vec<String>),
}

/// A whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Language.
    pub lang: Lang,
    /// Title (HTML `<title>`, Word title and core properties).
    pub title: String,
    /// Lines under the title: scenario, period, paths, date.
    pub subtitle: Vec<String>,
    /// Text at the foot of every printed page (beside the page number).
    pub footer: String,
    /// The date the folder was written (manifest), `YYYY-MM-DD`.
    pub date: String,
    /// Blocks in reading order.
    pub blocks: Vec<Block>,
}

/// Standard base64 (RFC 4648, with padding), for data URIs.
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= c.len() {
                out.push(A[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Escape text for HTML and XML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// A PNG's size in pixels and resolution in dots per inch (IHDR and pHYs; 96 dpi when the
/// file does not say), or `None` for bytes that are not a PNG.
pub fn png_info(png: &[u8]) -> Option<(u32, u32, f64)> {
    if png.len() < 33 || &png[..8] != b"\x89PNG\r\n\x1a\n" || &png[12..16] != b"IHDR" {
        return None;
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let (w, h) = (be(&png[16..20]), be(&png[20..24]));
    let mut dpi = 96.0;
    let mut at = 8;
    while at + 8 <= png.len() {
        let len = be(&png[at..at + 4]) as usize;
        let kind = &png[at + 4..at + 8];
        if kind == b"pHYs" && at + 17 <= png.len() && png[at + 16] == 1 {
            // Pixels per metre.
            dpi = f64::from(be(&png[at + 8..at + 12])) * 0.0254;
            break;
        }
        if kind == b"IDAT" {
            break;
        }
        at += 12 + len;
    }
    Some((w, h, dpi))
}

/// Pages of a PDF written by Chromium (page objects `/Type /Page`, not `/Pages`).
pub fn pdf_pages(pdf: &[u8]) -> usize {
    let pat = b"/Type /Page";
    pdf.windows(pat.len() + 1)
        .filter(|w| &w[..pat.len()] == pat && w[pat.len()] != b's')
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape(r#"<script>"a" & 'b'</script>"#),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}
