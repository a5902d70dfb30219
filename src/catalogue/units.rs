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

/// `base` shown in `unit`: exact when it divides, else with the fraction. Values that fit in
/// 128 bits (nearly all) are divided in 128 bits, which is much faster than in 256.
pub fn show(base: I256, unit: Unit) -> String {
    let factor = unit.factor();
    let (whole, rest) = match (i128::try_from(base), i128::try_from(factor)) {
        (Ok(base), Ok(factor)) => (
            (base / factor).to_string(),
            (base % factor).unsigned_abs().to_string(),
        ),
        _ => (
            (base / factor).to_string(),
            (base % factor).unsigned_abs().to_string(),
        ),
    };
    if rest == "0" {
        format!("{whole}{}", unit.suffix())
    } else {
        let width = factor.to_string().len() - 1;
        let fraction = format!("{rest:0>width$}");
        format!(
            "{whole}.{}{}",
            fraction.trim_end_matches('0'),
            unit.suffix()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_values_show_as_wide_ones_do() {
        let wide = |base: I256, unit: Unit| {
            let factor = unit.factor();
            let (whole, rest) = (base / factor, base % factor);
            if factor == I256::ONE {
                format!("{base}{}", unit.suffix())
            } else if rest.is_zero() {
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
        };
        let units = [
            Unit::Percent,
            Unit::Bps,
            Unit::Tokens,
            Unit::Wei,
            Unit::Fixed18,
            Unit::Seconds,
            Unit::Count,
            Unit::None,
        ];
        for text in [
            "0",
            "5",
            "-150",
            "-50",
            "1234",
            "1000000000000000000",
            "1500000000000000001",
            "-2500000000000000000",
            "170141183460469231731687303715884105727",
        ] {
            let base: I256 = text.parse().unwrap();
            for unit in units {
                assert_eq!(show(base, unit), wide(base, unit), "{text} {unit:?}");
            }
        }
    }
}
