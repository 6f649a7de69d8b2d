//! Warning lines and tiers (MODEL.md §8).
//!
//! The tier table is data: four months-of-reserve lines (defaults 3, 6, 9, 15) with their
//! source, so a bureau can replace them without touching code. A year is `depleted` when the
//! balance is negative, whatever the months.

use serde::Serialize;

/// One reserve tier (MODEL.md §8), ordered from worst to best-funded; `index()` is the
/// `warning_level` value written to exports (0 = depleted … 5 = excess).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// `B < 0`.
    Depleted,
    /// `0 ≤ M < line[0]` (default 3 months).
    Insufficient,
    /// `line[0] ≤ M < line[1]` (default 3–6 months).
    Low,
    /// `line[1] ≤ M ≤ line[2]` (default 6–9 months, both ends included).
    Reasonable,
    /// `line[2] < M ≤ line[3]` (default 9–15 months).
    High,
    /// `M > line[3]` (default over 15 months).
    Excess,
}

impl Tier {
    /// All tiers in index order.
    pub const ALL: [Tier; 6] = [
        Tier::Depleted,
        Tier::Insufficient,
        Tier::Low,
        Tier::Reasonable,
        Tier::High,
        Tier::Excess,
    ];

    /// Index used in exports: 0 = depleted … 5 = excess (MODEL.md §10 `warning_level`).
    pub fn index(self) -> usize {
        self as usize
    }

    /// Tier from its export index.
    pub fn from_index(i: usize) -> Option<Tier> {
        Tier::ALL.get(i).copied()
    }

    /// Machine name used as the `stat` of `tier_prob` rows.
    pub fn name(self) -> &'static str {
        match self {
            Tier::Depleted => "depleted",
            Tier::Insufficient => "insufficient",
            Tier::Low => "low",
            Tier::Reasonable => "reasonable",
            Tier::High => "high",
            Tier::Excess => "excess",
        }
    }

    /// Tier from its machine name.
    pub fn from_name(s: &str) -> Option<Tier> {
        Tier::ALL.iter().copied().find(|t| t.name() == s)
    }

    /// Chinese label for tables and charts.
    pub fn label_zh(self) -> &'static str {
        match self {
            Tier::Depleted => "穿底",
            Tier::Insufficient => "不足",
            Tier::Low => "偏低",
            Tier::Reasonable => "合理",
            Tier::High => "偏高",
            Tier::Excess => "过多",
        }
    }
}

/// The months-of-reserve lines that separate the tiers (MODEL.md §8), with their source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierTable {
    /// Strictly increasing lines `[insufficient|low, low|reasonable, reasonable|high, high|excess]`.
    pub lines: [f64; 4],
    /// Where the lines come from.
    pub source: String,
}

impl Default for TierTable {
    fn default() -> Self {
        TierTable {
            lines: [3.0, 6.0, 9.0, 15.0],
            source: "MODEL.md §8 defaults: 6–9 months from 002_ebdf53a2972ac3c5.txt (天津: \
                     \"可支付月數(shù)控制在6-9個月合理區(qū)間\"); 3 and 15 months: 人社部发〔2009〕67号 \
                     as commonly cited (text not at hand)"
                .to_string(),
        }
    }
}

impl TierTable {
    /// Classify one year of one fund from its balance and months of reserve.
    #[inline]
    pub fn classify(&self, balance: f64, months: f64) -> Tier {
        let l = &self.lines;
        if balance < 0.0 {
            Tier::Depleted
        } else if months < l[0] {
            Tier::Insufficient
        } else if months < l[1] {
            Tier::Low
        } else if months <= l[2] {
            Tier::Reasonable
        } else if months <= l[3] {
            Tier::High
        } else {
            Tier::Excess
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_follow_model_section_8() {
        let t = TierTable::default();
        assert_eq!(t.classify(-1.0, 20.0), Tier::Depleted);
        assert_eq!(t.classify(0.0, 0.0), Tier::Insufficient);
        assert_eq!(t.classify(1.0, 2.999), Tier::Insufficient);
        assert_eq!(t.classify(1.0, 3.0), Tier::Low);
        assert_eq!(t.classify(1.0, 5.999), Tier::Low);
        assert_eq!(t.classify(1.0, 6.0), Tier::Reasonable);
        assert_eq!(t.classify(1.0, 9.0), Tier::Reasonable);
        assert_eq!(t.classify(1.0, 9.0001), Tier::High);
        assert_eq!(t.classify(1.0, 15.0), Tier::High);
        assert_eq!(t.classify(1.0, 15.0001), Tier::Excess);
    }

    #[test]
    fn names_round_trip() {
        for t in Tier::ALL {
            assert_eq!(Tier::from_name(t.name()), Some(t));
            assert_eq!(Tier::from_index(t.index()), Some(t));
        }
    }
}
