//! Mean and median of a set of durations, in whole seconds.

use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Durations {
    /// How many durations the figures are taken over.
    pub count: usize,
    /// Rounded to the nearest second (halves up); None when there is none.
    pub mean_secs: Option<u64>,
    /// The middle one, or the mean of the two middle ones rounded as the mean is.
    pub median_secs: Option<u64>,
}

fn rounded_div(sum: u64, count: u64) -> u64 {
    (sum + count / 2) / count
}

impl Durations {
    pub fn of(values: impl IntoIterator<Item = u64>) -> Self {
        let mut values: Vec<u64> = values.into_iter().collect();
        if values.is_empty() {
            return Self::default();
        }
        values.sort_unstable();
        let count = values.len();
        let sum: u64 = values.iter().sum();
        let middle = count / 2;
        let median = if count % 2 == 1 {
            values[middle]
        } else {
            rounded_div(values[middle - 1] + values[middle], 2)
        };
        Self {
            count,
            mean_secs: Some(rounded_div(sum, count as u64)),
            median_secs: Some(median),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_median_round_to_the_second() {
        assert_eq!(Durations::of([]), Durations::default());
        let odd = Durations::of([3000, 1441, 4200]);
        assert_eq!(
            (odd.count, odd.mean_secs, odd.median_secs),
            (3, Some(2880), Some(3000))
        );
        let even = Durations::of([1, 2]);
        assert_eq!((even.mean_secs, even.median_secs), (Some(2), Some(2)));
        let even = Durations::of([600, 1800, 300, 1200]);
        assert_eq!((even.mean_secs, even.median_secs), (Some(975), Some(900)));
    }
}
