//! Typed reading of a positioned TOML tree with key tracking: every key a reader asks for is
//! known, every key left over is refused with a "did you mean" suggestion, and every error
//! names the file, line:column, key, the bad value and what was expected.

use super::tree::{Kind, Loc, Node};
use std::cell::RefCell;
use std::fmt;

/// A scenario error: where, which key, and what is wrong (the message says the bad value and
/// what was expected).
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    /// File position (or `--set`), when known.
    pub loc: Option<Loc>,
    /// Full dotted key, when the error is about one.
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.loc {
            write!(f, "{loc}: ")?;
        }
        if let Some(key) = &self.key {
            write!(f, "{key}: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for ScenarioError {}

impl ScenarioError {
    /// An error about the value at `node`, under the key `key`.
    pub fn at(node: &Node, key: &str, message: impl Into<String>) -> Self {
        ScenarioError {
            loc: Some(node.loc.clone()),
            key: (!key.is_empty()).then(|| key.to_string()),
            message: message.into(),
        }
    }

    /// An error with no position (e.g. a file that cannot be read).
    pub fn plain(message: impl Into<String>) -> Self {
        ScenarioError {
            loc: None,
            key: None,
            message: message.into(),
        }
    }
}

/// A number as messages write it: plain decimals for everyday magnitudes, scientific
/// notation for very small or very large ones (so `1e-300` is not printed with 300 digits).
pub fn num_text(v: f64) -> String {
    if v == 0.0 || !v.is_finite() || (1e-4..1e15).contains(&v.abs()) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// The source of a value given (wholly or partly) on the command line: `set on the command
/// line (--set KEY, ...)`, replacing the file's now-wrong source text (README "Scenario
/// files").
pub fn command_line_source(node: &Node) -> String {
    format!(
        "set on the command line ({})",
        node.command_line_origins().join(", ")
    )
}

/// The source to record for `node` whose own `source` text is `own`: a `source` given on
/// the command line is kept; otherwise, if any of `node`'s values (or of its `keys`, when
/// given) came from the command line, [`command_line_source`]; else `own`.
pub fn source_for(node: &Node, keys: &[&str], own: Option<String>) -> Option<String> {
    let Kind::Table(map) = &node.kind else {
        return if node.from_command_line() {
            Some(command_line_source(node))
        } else {
            own
        };
    };
    if map.get("source").is_some_and(|s| s.loc.is_command_line()) {
        return own;
    }
    let changed = map
        .iter()
        .filter(|(k, _)| *k != "source" && (keys.is_empty() || keys.contains(&k.as_str())))
        .find(|(_, v)| v.from_command_line());
    match changed {
        Some((_, v)) => Some(command_line_source(v)),
        None => own,
    }
}

/// The `source` of the table `t`, as [`source_for`] records it.
pub fn source_of(t: &Table<'_>, keys: &[&str]) -> Result<Option<String>> {
    let own = t.string("source")?;
    Ok(source_for(t.node(), keys, own))
}

/// Result type of scenario reading.
pub type Result<T> = std::result::Result<T, ScenarioError>;

/// Join a table path and a key.
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A reader over one TOML table. Ask for keys with [`Table::opt`] / [`Table::req`] and the
/// typed helpers, then call [`Table::finish`] to refuse unknown keys.
pub struct Table<'a> {
    node: &'a Node,
    path: String,
    known: RefCell<Vec<&'static str>>,
}

impl<'a> Table<'a> {
    /// Open `node` as a table at `path`; refuses a non-table.
    pub fn new(node: &'a Node, path: &str) -> Result<Self> {
        match &node.kind {
            Kind::Table(_) => Ok(Table {
                node,
                path: path.to_string(),
                known: RefCell::new(Vec::new()),
            }),
            _ => Err(ScenarioError::at(
                node,
                path,
                format!("expected a table, got {}", node.show()),
            )),
        }
    }

    /// The table's own node.
    pub fn node(&self) -> &'a Node {
        self.node
    }

    /// Dotted path of this table.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Dotted path of a key in this table.
    pub fn key_path(&self, key: &str) -> String {
        join(&self.path, key)
    }

    fn map(&self) -> &'a std::collections::BTreeMap<String, Node> {
        match &self.node.kind {
            Kind::Table(t) => t,
            _ => unreachable!("checked in Table::new"),
        }
    }

    /// The value of a key without marking it as read.
    pub fn peek(&self, key: &str) -> Option<&'a Node> {
        self.map().get(key)
    }

    /// The value of an optional key (marks the key as known).
    pub fn opt(&self, key: &'static str) -> Option<&'a Node> {
        self.known.borrow_mut().push(key);
        self.map().get(key)
    }

    /// The value of a required key.
    pub fn req(&self, key: &'static str, expected: &str) -> Result<&'a Node> {
        self.opt(key).ok_or_else(|| {
            ScenarioError::at(
                self.node,
                &self.key_path(key),
                format!("missing key; expected {expected}"),
            )
        })
    }

    /// An optional sub-table.
    pub fn table(&self, key: &'static str) -> Result<Option<Table<'a>>> {
        self.opt(key)
            .map(|n| Table::new(n, &self.key_path(key)))
            .transpose()
    }

    /// A required sub-table.
    pub fn req_table(&self, key: &'static str, expected: &str) -> Result<Table<'a>> {
        Table::new(self.req(key, expected)?, &self.key_path(key))
    }

    /// An optional string.
    pub fn string(&self, key: &'static str) -> Result<Option<String>> {
        self.opt(key)
            .map(|n| as_str(n, &self.key_path(key)).map(str::to_string))
            .transpose()
    }

    /// An optional number, checked.
    pub fn number(&self, key: &'static str, check: Check) -> Result<Option<f64>> {
        self.opt(key)
            .map(|n| as_num(n, &self.key_path(key), check))
            .transpose()
    }

    /// An optional integer, checked against `[lo, hi]`.
    pub fn integer(&self, key: &'static str, lo: i64, hi: i64) -> Result<Option<i64>> {
        self.opt(key)
            .map(|n| as_int(n, &self.key_path(key), lo, hi))
            .transpose()
    }

    /// Refuse keys that no reader asked for, suggesting the closest known key.
    pub fn finish(&self) -> Result<()> {
        let known = self.known.borrow();
        for (k, v) in self.map() {
            if !known.contains(&k.as_str()) {
                let best = known
                    .iter()
                    .map(|c| (strsim::jaro_winkler(k, c), *c))
                    .filter(|(s, _)| *s > 0.75)
                    .max_by(|a, b| a.0.total_cmp(&b.0));
                let mut msg = "unknown key".to_string();
                match best {
                    Some((_, c)) => msg.push_str(&format!("; did you mean `{c}`?")),
                    None => {
                        let mut list: Vec<&str> = known.to_vec();
                        list.sort_unstable();
                        list.dedup();
                        msg.push_str(&format!("; expected one of: {}", list.join(", ")));
                    }
                }
                return Err(ScenarioError::at(v, &self.key_path(k), msg));
            }
        }
        Ok(())
    }
}

/// A range check for numbers.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    /// Any finite number.
    Finite,
    /// Finite and ≥ 0.
    NonNegative,
    /// Finite and > 0.
    Positive,
    /// A rate in [0, 1].
    Rate,
    /// Within `[lo, hi]`, with a description of the quantity.
    Range(f64, f64, &'static str),
    /// Strictly above a bound, with a description of the quantity.
    Above(f64, &'static str),
    /// Above 0 and at most a bound, with a description of the quantity.
    PositiveUpTo(f64, &'static str),
}

impl Check {
    /// Whether `v` passes; else the expectation text.
    pub fn test(self, v: f64) -> std::result::Result<(), String> {
        let ok = v.is_finite()
            && match self {
                Check::Finite => true,
                Check::NonNegative => v >= 0.0,
                Check::Positive => v > 0.0,
                Check::Rate => (0.0..=1.0).contains(&v),
                Check::Range(lo, hi, _) => (lo..=hi).contains(&v),
                Check::Above(lo, _) => v > lo,
                Check::PositiveUpTo(hi, _) => v > 0.0 && v <= hi,
            };
        if ok { Ok(()) } else { Err(self.expected()) }
    }

    /// What the check expects, in words.
    pub fn expected(self) -> String {
        match self {
            Check::Finite => "a finite number".into(),
            Check::NonNegative => "a finite number ≥ 0".into(),
            Check::Positive => "a finite number > 0".into(),
            Check::Rate => "a rate between 0 and 1".into(),
            Check::Range(lo, hi, what) => {
                format!("{what} between {} and {}", num_text(lo), num_text(hi))
            }
            Check::Above(lo, what) => format!("{what} greater than {}", num_text(lo)),
            Check::PositiveUpTo(hi, what) => {
                format!("{what} greater than 0 and at most {}", num_text(hi))
            }
        }
    }
}

/// The node as a string.
pub fn as_str<'n>(node: &'n Node, key: &str) -> Result<&'n str> {
    match &node.kind {
        Kind::Str(s) => Ok(s),
        _ => Err(ScenarioError::at(
            node,
            key,
            format!("got {}, expected a string", node.show()),
        )),
    }
}

/// The node as a checked number.
pub fn as_num(node: &Node, key: &str, check: Check) -> Result<f64> {
    match &node.kind {
        Kind::Num(v, text) => check
            .test(*v)
            .map(|_| *v)
            .map_err(|exp| ScenarioError::at(node, key, format!("got {text}, expected {exp}"))),
        _ => Err(ScenarioError::at(
            node,
            key,
            format!("got {}, expected {}", node.show(), check.expected()),
        )),
    }
}

/// The node as an integer in `[lo, hi]`.
pub fn as_int(node: &Node, key: &str, lo: i64, hi: i64) -> Result<i64> {
    let bad = || {
        ScenarioError::at(
            node,
            key,
            format!(
                "got {}, expected an integer between {lo} and {hi}",
                node.show()
            ),
        )
    };
    match &node.kind {
        Kind::Num(v, _) if v.fract() == 0.0 && *v >= lo as f64 && *v <= hi as f64 => Ok(*v as i64),
        _ => Err(bad()),
    }
}

/// The node as an array.
pub fn as_array<'n>(node: &'n Node, key: &str, expected: &str) -> Result<&'n [Node]> {
    match &node.kind {
        Kind::Array(a) => Ok(a),
        _ => Err(ScenarioError::at(
            node,
            key,
            format!("got {}, expected {expected}", node.show()),
        )),
    }
}
