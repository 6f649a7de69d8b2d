//! A [`Document`] as an editable Word document (`.docx`, ECMA-376 / ISO 29500 transitional),
//! written directly as OOXML (issue 10): real Word tables (`w:tbl`, header row repeated on a
//! new page, rows never split, short tables kept on one page), heading styles with outline
//! levels (navigation pane, table of contents), charts as PNG at their print size, A4 pages
//! with page numbers in the footer. Fonts: 宋体/黑体 for Chinese, Times New Roman/Arial for
//! Latin, which Word and WPS have. Elements are written in the order the WordprocessingML
//! schema fixes (Word refuses a file that breaks it). The package is deterministic (fixed zip
//! times, the manifest's date in the document properties).

use super::{Align, Block, Document, Figure, Lang, Table, escape, png_info, tr};
use std::fmt::Write as _;
use std::io::Write as _;

/// A4 text width in twentieths of a point (210 mm less 2 × 20 mm margins).
const TEXT_TWIPS: u32 = 9638;
/// EMU per twip.
const EMU_PER_TWIP: u64 = 635;
/// Tables with at most this many rows are kept on one page.
const KEEP_ROWS: usize = 30;

/// The `.docx` bytes of `doc`.
pub fn render(doc: &Document) -> Result<Vec<u8>, String> {
    let mut body = String::with_capacity(1 << 20);
    let mut media: Vec<Vec<u8>> = Vec::new();
    para(&mut body, "Title", &doc.title, None);
    for l in &doc.subtitle {
        para(&mut body, "Subtitle", l, None);
    }
    let mut chapter = 0;
    for b in &doc.blocks {
        match b {
            Block::Heading(1, t) => {
                chapter += 1;
                let brk = chapter > 1;
                let _ = write!(
                    body,
                    "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/>{}</w:pPr>{}</w:p>",
                    if brk { "<w:pageBreakBefore/>" } else { "" },
                    run(t)
                );
            }
            Block::Heading(_, t) => para(&mut body, "Heading2", t, None),
            Block::Para(t) => para(&mut body, "BodyText", t, None),
            Block::Bullets(items) => {
                for i in items {
                    let _ = write!(
                        body,
                        "<w:p><w:pPr><w:pStyle w:val=\"ListBullet\"/><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>{}</w:p>",
                        run(i)
                    );
                }
            }
            Block::Table(t) => table(&mut body, t),
            Block::Figure(f) => figure(&mut body, f, &mut media),
            Block::Code(lines) => {
                for l in lines {
                    para(&mut body, "Code", l, None);
                }
            }
        }
    }
    let document = format!(
        "{XML}<w:document {NS}><w:body>{body}<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1304\" w:right=\"1134\" w:bottom=\"1304\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/><w:cols w:space=\"425\"/><w:docGrid w:linePitch=\"312\"/></w:sectPr></w:body></w:document>"
    );
    let mut rels = String::from(
        "<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/><Relationship Id=\"rIdNumbering\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/><Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>",
    );
    for i in 0..media.len() {
        let _ = write!(
            rels,
            "<Relationship Id=\"rIdImg{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/image{n}.png\"/>",
            n = i + 1
        );
    }
    let doc_rels = format!(
        "{XML}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels}</Relationships>"
    );
    let footer = footer(doc);
    let core = format!(
        "{XML}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title><dc:creator>fundsim {}</dc:creator><dc:language>{}</dc:language><dcterms:created xsi:type=\"dcterms:W3CDTF\">{}T00:00:00Z</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{}T00:00:00Z</dcterms:modified></cp:coreProperties>",
        escape(&doc.title),
        env!("CARGO_PKG_VERSION"),
        tr(doc.lang, "zh-CN", "en-GB"),
        date_or_epoch(&doc.date),
        date_or_epoch(&doc.date),
    );
    let app = format!(
        "{XML}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>fundsim {}</Application></Properties>",
        env!("CARGO_PKG_VERSION")
    );
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "[Content_Types].xml".into(),
            CONTENT_TYPES.as_bytes().to_vec(),
        ),
        ("_rels/.rels".into(), ROOT_RELS.as_bytes().to_vec()),
        ("docProps/core.xml".into(), core.into_bytes()),
        ("docProps/app.xml".into(), app.into_bytes()),
        ("word/document.xml".into(), document.into_bytes()),
        ("word/_rels/document.xml.rels".into(), doc_rels.into_bytes()),
        ("word/styles.xml".into(), styles(doc.lang).into_bytes()),
        ("word/settings.xml".into(), SETTINGS.as_bytes().to_vec()),
        ("word/numbering.xml".into(), NUMBERING.as_bytes().to_vec()),
        ("word/footer1.xml".into(), footer.into_bytes()),
    ];
    for (i, png) in media.into_iter().enumerate() {
        files.push((format!("word/media/image{}.png", i + 1), png));
    }
    zip(&files)
}

/// `YYYY-MM-DD` as given when it looks like a date, else the zip epoch's day.
fn date_or_epoch(d: &str) -> String {
    let ok = d.len() == 10
        && d.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if ok {
        d.to_string()
    } else {
        "1980-01-01".into()
    }
}

/// The files as a zip archive, stored in the order given with the folder's date as time.
fn zip(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, String> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, bytes) in files {
        w.start_file(name.as_str(), opts)
            .map_err(|e| format!("docx: {name}: {e}"))?;
        w.write_all(bytes)
            .map_err(|e| format!("docx: {name}: {e}"))?;
    }
    Ok(w.finish().map_err(|e| format!("docx: {e}"))?.into_inner())
}

const XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"";

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"png\" ContentType=\"image/png\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/><Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/><Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/><Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/><Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/></Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>";

const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"420\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>";

const NUMBERING: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"singleLevel\"/><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"•\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"420\" w:hanging=\"300\"/></w:pPr><w:rPr><w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\"/></w:rPr></w:lvl></w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>";

fn styles(lang: Lang) -> String {
    // Body size: 小四 (12 pt) is the usual for a Chinese report body; tables 9 pt.
    let body_lang = tr(lang, "zh-CN", "en-GB");
    format!(
        "{XML}<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"宋体\" w:cs=\"Times New Roman\"/><w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"{body_lang}\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"80\" w:line=\"312\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"BodyText\"><w:name w:val=\"Body Text\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing w:after=\"120\"/><w:jc w:val=\"both\"/></w:pPr><w:rPr><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Subtitle\"/><w:qFormat/><w:pPr><w:spacing w:after=\"160\"/><w:jc w:val=\"center\"/></w:pPr><w:rPr><w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:eastAsia=\"黑体\"/><w:b/><w:sz w:val=\"36\"/><w:szCs w:val=\"36\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Subtitle\"><w:name w:val=\"Subtitle\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing w:after=\"40\"/><w:jc w:val=\"center\"/></w:pPr><w:rPr><w:color w:val=\"444444\"/><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"BodyText\"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"360\" w:after=\"200\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:eastAsia=\"黑体\"/><w:b/><w:sz w:val=\"30\"/><w:szCs w:val=\"30\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"BodyText\"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"240\" w:after=\"120\"/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr><w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:eastAsia=\"黑体\"/><w:b/><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"caption\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"60\"/><w:jc w:val=\"center\"/></w:pPr><w:rPr><w:rFonts w:eastAsia=\"黑体\"/><w:b/><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"FigureCaption\"><w:name w:val=\"Figure Caption\"/><w:basedOn w:val=\"Caption\"/><w:pPr><w:keepNext w:val=\"0\"/><w:spacing w:before=\"60\" w:after=\"240\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:sz w:val=\"17\"/><w:szCs w:val=\"17\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"TableNote\"><w:name w:val=\"Table Note\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:before=\"40\" w:after=\"200\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:color w:val=\"444444\"/><w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"ListBullet\"><w:name w:val=\"List Bullet\"/><w:basedOn w:val=\"BodyText\"/><w:qFormat/><w:pPr><w:spacing w:after=\"80\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Code\"><w:name w:val=\"Code\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"F4F4F4\"/><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:rFonts w:ascii=\"Consolas\" w:hAnsi=\"Consolas\" w:eastAsia=\"宋体\"/><w:sz w:val=\"15\"/><w:szCs w:val=\"15\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:tabs><w:tab w:val=\"right\" w:pos=\"{TEXT_TWIPS}\"/></w:tabs><w:spacing w:after=\"0\"/></w:pPr><w:rPr><w:color w:val=\"555555\"/><w:sz w:val=\"15\"/><w:szCs w:val=\"15\"/></w:rPr></w:style>\
<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"85\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
<w:style w:type=\"table\" w:styleId=\"ReportTable\"><w:name w:val=\"Report Table\"/><w:basedOn w:val=\"TableNormal\"/><w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"8\" w:space=\"0\" w:color=\"1A1A1A\"/><w:bottom w:val=\"single\" w:sz=\"8\" w:space=\"0\" w:color=\"1A1A1A\"/><w:insideH w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"BFBFBF\"/><w:insideV w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"BFBFBF\"/></w:tblBorders><w:tblCellMar><w:top w:w=\"28\" w:type=\"dxa\"/><w:left w:w=\"70\" w:type=\"dxa\"/><w:bottom w:w=\"28\" w:type=\"dxa\"/><w:right w:w=\"70\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
</w:styles>"
    )
}

fn footer(doc: &Document) -> String {
    let (pre, mid, post) = match doc.lang {
        Lang::Zh => ("第 ", " 页，共 ", " 页"),
        Lang::En => ("Page ", " of ", ""),
    };
    format!(
        "{XML}<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>{}<w:r><w:tab/></w:r>{}<w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple>{}<w:fldSimple w:instr=\" NUMPAGES \"><w:r><w:t>1</w:t></w:r></w:fldSimple>{}</w:p></w:ftr>",
        run(&doc.footer),
        run(pre),
        run(mid),
        run(post)
    )
}

/// A run of text (`xml:space="preserve"`), empty for empty text.
fn run(t: &str) -> String {
    if t.is_empty() {
        return String::new();
    }
    format!("<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>", escape(t))
}

fn para(out: &mut String, style: &str, text: &str, extra: Option<&str>) {
    let _ = write!(
        out,
        "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/>{}</w:pPr>{}</w:p>",
        extra.unwrap_or(""),
        run(text)
    );
}

fn table(out: &mut String, t: &Table) {
    let keep = t.rows.len() <= KEEP_ROWS;
    para(out, "Caption", &t.caption, None);
    let total: f32 = t.widths.iter().sum::<f32>().max(f32::EPSILON);
    let widths: Vec<u32> = t
        .widths
        .iter()
        .map(|w| (w / total * TEXT_TWIPS as f32).round() as u32)
        .collect();
    let _ = write!(
        out,
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"ReportTable\"/><w:tblW w:w=\"{TEXT_TWIPS}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>"
    );
    for w in &widths {
        let _ = write!(out, "<w:gridCol w:w=\"{w}\"/>");
    }
    out.push_str("</w:tblGrid>");
    let cell = |out: &mut String,
                i: usize,
                text: &str,
                fill: Option<&str>,
                bold: bool,
                header: bool,
                keep_next: bool| {
        let jc = if header {
            "center"
        } else {
            match t.align.get(i) {
                Some(Align::Right) => "right",
                Some(Align::Center) => "center",
                _ => "left",
            }
        };
        let shd = fill
            .map(|f| {
                format!(
                    "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{}\"/>",
                    escape(f)
                )
            })
            .unwrap_or_default();
        let rpr = if bold || header {
            "<w:rPr><w:b/></w:rPr>"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/>{shd}<w:vAlign w:val=\"{}\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/>{}<w:jc w:val=\"{jc}\"/></w:pPr>{}</w:p></w:tc>",
            widths.get(i).copied().unwrap_or(1000),
            if header { "bottom" } else { "top" },
            if keep_next { "<w:keepNext/>" } else { "" },
            text.split('\n')
                .filter(|l| !l.is_empty())
                .enumerate()
                .map(|(k, l)| {
                    format!(
                        "<w:r>{rpr}{}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
                        if k > 0 { "<w:br/>" } else { "" },
                        escape(l)
                    )
                })
                .collect::<String>()
        );
    };
    out.push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    for (i, h) in t.header.iter().enumerate() {
        cell(out, i, h, Some("E8E8E8"), true, true, true);
    }
    out.push_str("</w:tr>");
    let n = t.rows.len();
    for (k, r) in t.rows.iter().enumerate() {
        out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        let keep_next = (keep || t.note.is_some() && k + 1 == n) && k + 1 < n;
        for (i, c) in r.iter().enumerate() {
            cell(out, i, &c.text, c.fill.as_deref(), c.bold, false, keep_next);
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    match &t.note {
        Some(n) => para(out, "TableNote", n, None),
        None => para(out, "TableNote", "", None),
    }
}

fn figure(out: &mut String, f: &Figure, media: &mut Vec<Vec<u8>>) {
    let Some(png) = &f.png else {
        para(out, "FigureCaption", &f.caption, None);
        return;
    };
    let Some((w, h, dpi)) = png_info(png) else {
        return;
    };
    media.push(png.clone());
    let n = media.len();
    let max_emu = u64::from(TEXT_TWIPS) * EMU_PER_TWIP;
    let natural = (f64::from(w) / dpi * 914_400.0) as u64;
    let cx = natural.min(max_emu);
    let cy = (cx as f64 * f64::from(h) / f64::from(w).max(1.0)) as u64;
    let name = escape(&f.file);
    let _ = write!(
        out,
        "<w:p><w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"0\"/><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:docPr id=\"{n}\" name=\"{name}\" descr=\"{}\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:nvPicPr><pic:cNvPr id=\"{n}\" name=\"{name}\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed=\"rIdImg{n}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>",
        escape(&f.caption)
    );
    para(out, "FigureCaption", &f.caption, None);
}
