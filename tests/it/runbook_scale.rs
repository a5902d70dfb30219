//! Loading a runbook costs in proportion to its size, valid or with a problem in every step:
//! four times the steps take at most twice four times as long (a part that compares every step
//! with every other grows sixteenfold: the one that did took 59 times the parse at 40,000
//! steps), and no problem's hint grows with the runbook. The figures themselves are the
//! runbook bench's (`benches/runbook.rs`, release build).

use crate::support::big_runbook::{SHOWN_PATH, broken, valid};

use owner_console::runbook::{Loaded, load_text};
use std::path::Path;
use std::time::{Duration, Instant};

const SMALL: usize = 2_500;
const LARGE: usize = 4 * SMALL;
/// Loading four times the steps against loading the small runbook: about 4× when linear, up
/// to 16× when a part is quadratic.
const AT_MOST: f64 = 8.0;

fn load(text: &str) -> Loaded {
    load_text(Path::new(SHOWN_PATH), text)
}

/// The quickest of three loads of `text`, and what the load gave.
fn quickest_load(text: &str) -> (Duration, Loaded) {
    let mut quickest = Duration::MAX;
    let mut loaded = None;
    for _ in 0..3 {
        let start = Instant::now();
        let done = load(text);
        quickest = quickest.min(start.elapsed());
        loaded = Some(done);
    }
    (quickest, loaded.expect("loaded three times"))
}

/// How much longer the large runbook `generate` makes takes to load than the small one, and
/// what the large load gave.
fn growth(generate: fn(usize) -> String) -> (f64, Loaded) {
    let (small, _) = quickest_load(&generate(SMALL));
    let (large, loaded) = quickest_load(&generate(LARGE));
    eprintln!("{SMALL} steps load in {small:.2?}, {LARGE} in {large:.2?}");
    (large.as_secs_f64() / small.as_secs_f64(), loaded)
}

#[test]
fn a_valid_runbook_loads_in_time_proportional_to_its_steps() {
    let (ratio, loaded) = growth(valid);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems.first());
    assert_eq!(loaded.runbook.map(|r| r.steps.len()), Some(LARGE));
    assert!(
        ratio <= AT_MOST,
        "four times the steps took {ratio:.1}× as long"
    );
}

#[test]
fn a_runbook_with_a_problem_in_every_step_loads_in_time_proportional_to_its_steps() {
    // Every hint lists at most a few names, whatever the size (here 5,000 steps: a hint of
    // every step id would be 40 KB, and one per problem 400 MB).
    let small = load(&broken(5_000));
    let longest = small
        .problems
        .iter()
        .filter_map(|p| p.hint.as_ref())
        .map(String::len)
        .max();
    assert!(
        longest.is_some_and(|length| length < 400),
        "the longest hint is {longest:?} bytes"
    );

    let (ratio, loaded) = growth(broken);
    assert!(loaded.runbook.is_none());
    // An unknown key in every step, and a `next` to no step in four of five.
    assert!(loaded.problems.len() >= LARGE + LARGE * 4 / 5);
    let last = loaded.problems.last().expect("problems");
    assert!(
        last.line > LARGE * 5,
        "the last problem is placed at line {}",
        last.line
    );
    assert!(
        ratio <= AT_MOST,
        "four times the steps took {ratio:.1}× as long"
    );
}
