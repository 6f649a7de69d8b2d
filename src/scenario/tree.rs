//! A positioned TOML tree: every value remembers the file, line and column it came from, so
//! that errors after `extends` merging and `--set` overrides still point at their origin
//! (MODEL.md §2; scenario format in README.md).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use toml::de::{DeTable, DeValue};

/// Where a value came from: a file position or a command-line override.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    /// File name as given (or `--set`).
    pub file: Arc<str>,
    /// 1-based line (0 when not applicable).
    pub line: usize,
    /// 1-based column (0 when not applicable).
    pub col: usize,
}

/// The origin prefix of values given with `--set`.
pub const COMMAND_LINE: &str = "--set ";

impl Loc {
    /// Whether the value was given on the command line (`--set KEY=VALUE`).
    pub fn is_command_line(&self) -> bool {
        self.file.starts_with(COMMAND_LINE)
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.line, self.col)
        }
    }
}

/// A TOML value with its position.
#[derive(Debug, Clone)]
pub struct Node {
    /// The value.
    pub kind: Kind,
    /// Where it was written.
    pub loc: Loc,
}

/// The shape of a [`Node`].
#[derive(Debug, Clone)]
pub enum Kind {
    /// Integer or float, as f64 (the text is kept for messages).
    Num(f64, String),
    /// String.
    Str(String),
    /// Boolean.
    Bool(bool),
    /// Array.
    Array(Vec<Node>),
    /// Table (keys sorted).
    Table(BTreeMap<String, Node>),
    /// Anything else (date-times): kept only to be refused with a clear message.
    Other(String),
}

impl Node {
    /// A short, one-line, human description of the value for error messages: strings are
    /// quoted with control characters escaped (a newline shows as `\n`), and long strings
    /// are cut.
    pub fn show(&self) -> String {
        match &self.kind {
            Kind::Num(_, text) => text.clone(),
            Kind::Str(s) => quote(s),
            Kind::Bool(b) => b.to_string(),
            Kind::Array(a) => format!("an array of {} items", a.len()),
            Kind::Table(_) => "a table".to_string(),
            Kind::Other(s) => quote(s),
        }
    }

    /// Whether this value, or any value inside it, was given on the command line
    /// (`--set`).
    pub fn from_command_line(&self) -> bool {
        self.loc.is_command_line()
            || match &self.kind {
                Kind::Array(a) => a.iter().any(Node::from_command_line),
                Kind::Table(t) => t.values().any(Node::from_command_line),
                _ => false,
            }
    }

    /// The origins (`--set KEY`) of the command-line values inside this value, in order.
    pub fn command_line_origins(&self) -> Vec<String> {
        let mut out = Vec::new();
        fn walk(n: &Node, out: &mut Vec<String>) {
            if n.loc.is_command_line() && !out.iter().any(|o| **o == *n.loc.file) {
                out.push(n.loc.file.to_string());
            }
            match &n.kind {
                Kind::Array(a) => a.iter().for_each(|c| walk(c, out)),
                Kind::Table(t) => t.values().for_each(|c| walk(c, out)),
                _ => {}
            }
        }
        walk(self, &mut out);
        out
    }
}

/// Longest string shown whole in a message; longer ones are cut with their length given.
const SHOWN_CHARS: usize = 60;

/// A string as a message shows it: quoted, control characters escaped, cut when long.
pub fn quote(s: &str) -> String {
    let n = s.chars().count();
    if n <= SHOWN_CHARS {
        format!("{s:?}")
    } else {
        let head: String = s.chars().take(SHOWN_CHARS - 20).collect();
        format!("{:?}… ({n} characters)", head)
    }
}

/// A TOML syntax error with its position.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    /// Position of the error.
    pub loc: Loc,
    /// The parser's message.
    pub message: String,
}

/// Line and column (1-based, columns in characters) of byte offsets in one text, found in
/// one pass: line starts are indexed once, and offsets visited in increasing order on a
/// line continue counting from the last one (a 200,000-value array on one line stays
/// linear).
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl<'a> Lines<'a> {
    /// Index the line starts of `text`.
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines {
            text,
            starts,
            last: std::cell::Cell::new((0, 0, 1)),
        }
    }

    /// `(line, column)` of byte `offset` (clamped to the text, moved back to a character
    /// boundary).
    pub fn at(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let (lo, ll, lc) = self.last.get();
        let col = if ll == line && lo <= offset {
            lc + self.text[lo..offset].chars().count()
        } else {
            self.text[self.starts[line]..offset].chars().count() + 1
        };
        self.last.set((offset, line, col));
        (line + 1, col)
    }
}

/// Line and column of one byte offset (see [`Lines`]).
pub fn position(text: &str, offset: usize) -> (usize, usize) {
    Lines::new(text).at(offset)
}

/// Parse TOML text into a positioned tree.
pub fn parse(text: &str, file: &str) -> Result<Node, SyntaxError> {
    let file: Arc<str> = Arc::from(file);
    let doc = DeTable::parse(text).map_err(|e| {
        let (line, col) = e.span().map_or((0, 0), |s| position(text, s.start));
        SyntaxError {
            loc: Loc {
                file: file.clone(),
                line,
                col,
            },
            message: e.message().trim().to_string(),
        }
    })?;
    let loc = Loc {
        file: file.clone(),
        line: 1,
        col: 1,
    };
    Ok(Node {
        kind: Kind::Table(convert_table(doc.get_ref(), &Lines::new(text), &file)),
        loc,
    })
}

/// Parse a single TOML value (the right side of `--set key=value`); text that is not a
/// TOML value is taken as a plain string.
pub fn parse_value(text: &str, origin: &str) -> Node {
    let file: Arc<str> = Arc::from(origin);
    let loc = Loc {
        file: file.clone(),
        line: 0,
        col: 0,
    };
    match DeValue::parse(text) {
        Ok(v) => {
            let mut n = convert(v.get_ref(), &Lines::new(text), &file, 0);
            relocate(&mut n, &loc);
            n
        }
        Err(_) => Node {
            kind: Kind::Str(text.to_string()),
            loc,
        },
    }
}

fn relocate(n: &mut Node, loc: &Loc) {
    n.loc = loc.clone();
    match &mut n.kind {
        Kind::Array(a) => a.iter_mut().for_each(|c| relocate(c, loc)),
        Kind::Table(t) => t.values_mut().for_each(|c| relocate(c, loc)),
        _ => {}
    }
}

fn convert_table(t: &DeTable<'_>, lines: &Lines<'_>, file: &Arc<str>) -> BTreeMap<String, Node> {
    let mut map: BTreeMap<String, Node> = t
        .iter()
        .map(|(k, v)| {
            let start = k.span().start;
            (
                k.get_ref().to_string(),
                convert(v.get_ref(), lines, file, start),
            )
        })
        .collect();
    apply_unit(&mut map);
    map
}

/// Money units accepted beside `value` / `values` (README "Scenario files"), with their
/// size in yuan.
pub const UNITS: [(&str, f64); 4] = [("yuan", 1.0), ("元", 1.0), ("万元", 1e4), ("亿元", 1e8)];

/// The size in yuan of a money unit, if it is one.
pub fn unit_factor(unit: &str) -> Option<f64> {
    UNITS.iter().find(|u| u.0 == unit).map(|u| u.1)
}

/// A `unit` beside `value` / `values` converts the numbers written next to it to yuan, in
/// the file where they are written (so a value merged from another file keeps its own
/// unit). The text of each number keeps the unit for messages. Whether the key takes a
/// unit at all is checked by the reader, which refuses `unit` elsewhere.
fn apply_unit(map: &mut BTreeMap<String, Node>) {
    let Some(Node {
        kind: Kind::Str(unit),
        ..
    }) = map.get("unit")
    else {
        return;
    };
    let unit = unit.clone();
    let Some(f) = unit_factor(&unit) else {
        return;
    };
    let scale = |n: &mut Node| {
        if let Kind::Num(v, text) = &mut n.kind {
            *v *= f;
            *text = format!("{text} {unit}");
        }
    };
    if let Some(v) = map.get_mut("value") {
        scale(v);
    }
    if let Some(Node {
        kind: Kind::Table(vs),
        ..
    }) = map.get_mut("values")
    {
        vs.values_mut().for_each(scale);
    }
}

fn convert(v: &DeValue<'_>, lines: &Lines<'_>, file: &Arc<str>, offset: usize) -> Node {
    let (line, col) = lines.at(offset);
    let loc = Loc {
        file: file.clone(),
        line,
        col,
    };
    let kind = match v {
        DeValue::String(s) => Kind::Str(s.to_string()),
        DeValue::Integer(i) => {
            let raw = i.as_str().replace('_', "");
            let n = i64::from_str_radix(raw.trim_start_matches('+'), i.radix())
                .map(|x| x as f64)
                .unwrap_or(f64::NAN);
            Kind::Num(n, i.as_str().to_string())
        }
        DeValue::Float(x) => {
            let raw = x.as_str().replace('_', "");
            let n = match raw.trim_start_matches('+') {
                "inf" => f64::INFINITY,
                "-inf" => f64::NEG_INFINITY,
                "nan" | "-nan" => f64::NAN,
                s => s.parse().unwrap_or(f64::NAN),
            };
            Kind::Num(n, x.as_str().to_string())
        }
        DeValue::Boolean(b) => Kind::Bool(*b),
        DeValue::Datetime(d) => Kind::Other(d.to_string()),
        DeValue::Array(a) => Kind::Array(
            a.iter()
                .map(|item| convert(item.get_ref(), lines, file, item.span().start))
                .collect(),
        ),
        DeValue::Table(t) => Kind::Table(convert_table(t, lines, file)),
    };
    Node { kind, loc }
}

/// How a parameter table gives its values (MODEL.md §2, README "Scenario files"): one
/// value, dated values, CSV columns, or inline per-age arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Constant,
    Dated,
    Csv,
    Inline,
}

/// Keys that qualify a parameter's values without giving them: a table of only these
/// updates the parameter it is merged into.
const ATTRIBUTES: [&str; 3] = ["after", "source", "unit"];

fn is_years(map: &BTreeMap<String, Node>) -> bool {
    !map.is_empty() && map.keys().all(|k| k.parse::<i32>().is_ok())
}

fn form(map: &BTreeMap<String, Node>) -> Option<Form> {
    let array = |k: &str| matches!(map.get(k).map(|n| &n.kind), Some(Kind::Array(_)));
    if map.contains_key("value") {
        Some(Form::Constant)
    } else if map.contains_key("values") || is_years(map) {
        Some(Form::Dated)
    } else if map.contains_key("csv") {
        Some(Form::Csv)
    } else if array("male") || array("female") {
        Some(Form::Inline)
    } else {
        None
    }
}

/// Write a parameter in its table form: a number `v` as `{ value = v }`, dated values
/// `{ 2020 = a }` as `{ values = { 2020 = a } }`. Anything else is left alone.
fn to_table_form(n: &mut Node) {
    let key = match &n.kind {
        Kind::Num(..) => "value",
        Kind::Table(t) if is_years(t) => "values",
        _ => return,
    };
    let inner = n.clone();
    n.kind = Kind::Table(BTreeMap::from([(key.to_string(), inner)]));
}

/// Deep-merge `over` into `base`: tables merge key by key, anything else is replaced.
///
/// A parameter given anew in another form replaces the old one whole (a dated table over
/// `{ value }`, `{ value }` over `{ values }`, inline ages over a CSV): nothing of the old
/// form is kept. In the same form it merges key by key (dated values add to the listed
/// years). A table of only `after`, `source` and `unit` qualifies the old values, whatever
/// form they were written in.
pub fn merge(base: &mut Node, mut over: Node) {
    if let Kind::Table(o) = &over.kind {
        if !o.is_empty() && o.keys().all(|k| ATTRIBUTES.contains(&k.as_str())) {
            to_table_form(base);
        }
        if let Kind::Table(b) = &base.kind {
            match (form(b), form(o)) {
                (Some(fb), Some(fo)) if fb != fo => {
                    *base = over;
                    return;
                }
                (Some(Form::Dated), Some(Form::Dated)) if is_years(b) != is_years(o) => {
                    to_table_form(base);
                    to_table_form(&mut over);
                }
                _ => {}
            }
        }
    }
    match (&mut base.kind, over.kind) {
        (Kind::Table(b), Kind::Table(o)) => {
            base.loc = over.loc;
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (_, kind) => {
            base.kind = kind;
            base.loc = over.loc;
        }
    }
}

/// Set `path` (dot-separated keys) to `value`, creating tables on the way, with the rules of
/// [`merge`]. A number or dated table in the way of `after`, `source` or `unit` is taken in
/// its table form. Returns an error message when another non-table value is in the way.
pub fn set_path(root: &mut Node, path: &str, value: Node) -> Result<(), String> {
    let keys: Vec<&str> = path.split('.').collect();
    if keys.iter().any(|k| k.is_empty()) {
        return Err(format!(
            "`{path}` is not a key path (expected keys joined by dots)"
        ));
    }
    let mut node = root;
    for (i, k) in keys.iter().enumerate() {
        let loc = value.loc.clone();
        if ATTRIBUTES.contains(k) && i > 0 {
            to_table_form(node);
        }
        let shown = node.show();
        let Kind::Table(t) = &mut node.kind else {
            return Err(format!(
                "`{}` is {shown}, not a table, so `{path}` cannot be set",
                keys[..i].join("."),
            ));
        };
        if i + 1 == keys.len() {
            match t.get_mut(*k) {
                Some(existing) => merge(existing, value),
                None => {
                    t.insert((*k).to_string(), value);
                }
            }
            return Ok(());
        }
        node = t.entry((*k).to_string()).or_insert_with(|| Node {
            kind: Kind::Table(BTreeMap::new()),
            loc,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_merge() {
        let mut a = parse("[x]\na = 1\nb = { c = 2 }\n", "a.toml").unwrap();
        let b = parse("[x.b]\nd = 3.5\n", "b.toml").unwrap();
        merge(&mut a, b);
        let Kind::Table(t) = &a.kind else { panic!() };
        let Kind::Table(x) = &t["x"].kind else {
            panic!()
        };
        assert_eq!(x["a"].loc.to_string(), "a.toml:2:1");
        let Kind::Table(bb) = &x["b"].kind else {
            panic!()
        };
        assert_eq!(bb.len(), 2);
        assert_eq!(bb["d"].loc.to_string(), "b.toml:2:1");
    }

    #[test]
    fn syntax_error_has_position() {
        let e = parse("a = 1\nb = \n", "bad.toml").unwrap_err();
        assert_eq!(e.loc.line, 2);
    }

    #[test]
    fn set_path_creates_tables() {
        let mut a = parse("", "a.toml").unwrap();
        set_path(
            &mut a,
            "employee.employer_rate",
            parse_value("0.08", "--set"),
        )
        .unwrap();
        let Kind::Table(t) = &a.kind else { panic!() };
        assert!(t.contains_key("employee"));
        assert!(matches!(
            parse_value("hello world", "--set").kind,
            Kind::Str(_)
        ));
    }
}
