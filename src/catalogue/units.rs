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
    /// A fraction scaled by 1e18, as RewardEngineMB keeps its role shares (0.65e18 is 65%):
    /// shown as percent, compared in basis points, so that only a whole basis point (a
    /// multiple of 1e14) converts.
    Share18,
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

    /// Chain units per base unit, for a unit finer than its base: a basis point is 1e14 of a
    /// 1e18 share.
    fn divisor(self) -> I256 {
        match self {
            Self::Share18 => I256::try_from(10u128.pow(14)).unwrap_or(I256::ONE),
            _ => I256::ONE,
        }
    }

    /// `value` written in this unit, in base units; `None` when it does not convert exactly
    /// (a share that is no whole basis point) or is out of range.
    pub fn to_base(self, value: I256) -> Option<I256> {
        let divisor = self.divisor();
        if !(value % divisor).is_zero() {
            return None;
        }
        (value / divisor).checked_mul(self.factor())
    }

    /// `base` written in this unit (whole units: a fraction of one is dropped).
    pub fn from_base(self, base: I256) -> I256 {
        match base.checked_mul(self.divisor()) {
            Some(value) => value / self.factor(),
            None => base / self.factor(),
        }
    }

    /// The unit a value in this unit is shown in.
    fn shown_as(self) -> Self {
        match self {
            Self::Share18 => Self::Percent,
            other => other,
        }
    }

    pub fn suffix(self) -> &'static str {
        match self {
            Self::Percent => "%",
            Self::Bps => " bps",
            Self::Tokens => " tokens",
            Self::Wei => " wei",
            Self::Seconds => " s",
            Self::Share18 => "%",
            Self::Fixed18 | Self::Count | Self::None => "",
        }
    }
}

/// `base` shown in `unit`: exact when it divides, else with the fraction. Values that fit in
/// 128 bits (nearly all) are divided in 128 bits, which is much faster than in 256.
pub fn show(base: I256, unit: Unit) -> String {
    let unit = unit.shown_as();
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

    #[test]
    fn a_share_of_1e18_converts_exactly_to_and_from_basis_points_or_not_at_all() {
        let n = |text: &str| text.parse::<I256>().unwrap();
        let share = Unit::Share18;
        assert_eq!(share.to_base(n("650000000000000000")), Some(n("6500")));
        assert_eq!(
            share.to_base(n("650000000000000000")),
            Unit::Percent.to_base(n("65"))
        );
        assert_eq!(share.from_base(n("6500")), n("650000000000000000"));
        assert_eq!(share.from_base(n("1")), n("100000000000000"));
        assert_eq!(share.to_base(n("333333333333333333")), None);
        assert_eq!(share.to_base(n("100000000000001")), None);
        assert_eq!(show(n("6500"), share), "65%");
        assert_eq!(show(n("1"), share), "0.01%");
        assert_eq!(Unit::Percent.from_base(n("6500")), n("65"));
        assert_eq!(Unit::Tokens.to_base(n("2")), Some(n("2000000000000000000")));
    }
}
