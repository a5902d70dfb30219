//! Units of parameters, and the factor that turns each into base units for comparison.

use alloy_primitives::I256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// Whole percent, as the deployed contracts keep it.
    Percent,
    Bps,
    /// Whole tokens of 18 decimals.
    Tokens,
    Wei,
    /// 18-decimal fixed point, as written.
    Fixed18,
    Seconds,
    Count,
    None,
}

impl Unit {
    /// Base units per unit: percent and bps share basis points; tokens and wei share wei.
    pub fn factor(self) -> I256 {
        match self {
            Self::Percent => I256::try_from(100).unwrap_or(I256::ONE),
            Self::Tokens => I256::try_from(10u128.pow(18)).unwrap_or(I256::ONE),
            _ => I256::ONE,
        }
    }

    pub fn suffix(self) -> &'static str {
        match self {
            Self::Percent => "%",
            Self::Bps => " bps",
            Self::Tokens => " tokens",
            Self::Wei => " wei",
            Self::Seconds => " s",
            Self::Fixed18 | Self::Count | Self::None => "",
        }
    }
}

/// `base` shown in `unit`: exact when it divides, else with the fraction.
pub fn show(base: I256, unit: Unit) -> String {
    let factor = unit.factor();
    if factor == I256::ONE {
        return format!("{base}{}", unit.suffix());
    }
    let (whole, rest) = (base / factor, base % factor);
    if rest.is_zero() {
        format!("{whole}{}", unit.suffix())
    } else {
        let width = factor.to_string().len() - 1;
        let fraction = format!("{:0width$}", rest.unsigned_abs());
        format!(
            "{whole}.{}{}",
            fraction.trim_end_matches('0'),
            unit.suffix()
        )
    }
}
