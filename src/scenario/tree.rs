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
    /// A short, human description of the value for error messages.
    pub fn show(&self) -> String {
        match &self.kind {
            Kind::Num(_, text) => text.clone(),
            Kind::Str(s) => format!("\"{s}\""),
            Kind::Bool(b) => b.to_string(),
            Kind::Array(a) => format!("an array of {} items", a.len()),
            Kind::Table(_) => "a table".to_string(),
            Kind::Other(s) => s.clone(),
        }
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

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Parse TOML text into a positioned tree.
pub fn parse(text: &str, file: &str) -> Result<Node, SyntaxError> {
    let file: Arc<str> = Arc::from(file);
    let doc = DeTable::parse(text).map_err(|e| {
        let (line, col) = e.span().map_or((0, 0), |s| line_col(text, s.start));
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
        kind: Kind::Table(convert_table(doc.get_ref(), text, &file)),
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
            let mut n = convert(v.get_ref(), text, &file, 0);
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

fn convert_table(t: &DeTable<'_>, text: &str, file: &Arc<str>) -> BTreeMap<String, Node> {
    t.iter()
        .map(|(k, v)| {
            let start = k.span().start;
            (
                k.get_ref().to_string(),
                convert(v.get_ref(), text, file, start),
            )
        })
        .collect()
}

fn convert(v: &DeValue<'_>, text: &str, file: &Arc<str>, offset: usize) -> Node {
    let (line, col) = line_col(text, offset);
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
                .map(|item| convert(item.get_ref(), text, file, item.span().start))
                .collect(),
        ),
        DeValue::Table(t) => Kind::Table(convert_table(t, text, file)),
    };
    Node { kind, loc }
}

/// Deep-merge `over` into `base`: tables merge key by key, anything else is replaced.
pub fn merge(base: &mut Node, over: Node) {
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

/// Set `path` (dot-separated keys) to `value`, creating tables on the way. Returns an error
/// message when a non-table value is in the way.
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
