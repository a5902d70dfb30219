//! Loading a runbook costs in proportion to its size, valid or with a problem in every step:
//! 40,000 steps load in a small multiple of the time that parsing the same text alone takes
//! (the part that compared every step with every other took 59 times that), and no problem's
//! hint grows with the runbook. The figures themselves are the runbook bench's
//! (`benches/runbook.rs`, release build); this build is unoptimised, hence the wide margin.

use crate::support::big_runbook::{SHOWN_PATH, broken, valid};

use owner_console::runbook::{Loaded, load_text};
use std::path::Path;
use std::time::{Duration, Instant};

const STEPS: usize = 40_000;
/// Loading against parsing alone: 3–6× measured here, 59× before.
const AT_MOST: f64 = 15.0;

fn load(text: &str) -> Loaded {
    load_text(Path::new(SHOWN_PATH), text)
}

/// Loading `text` against parsing it alone with `toml`: the quickest of three runs of each,
/// alternated; and what the load gave.
fn against_parsing(text: &str) -> (f64, Loaded) {
    let (mut loading, mut parsing) = (Duration::MAX, Duration::MAX);
    let mut loaded = None;
    for _ in 0..3 {
        let start = Instant::now();
        let table = text.parse::<toml::Table>().expect("TOML");
        parsing = parsing.min(start.elapsed());
        drop(table);
        let start = Instant::now();
        let done = load(text);
        loading = loading.min(start.elapsed());
        loaded = Some(done);
    }
    eprintln!("{STEPS} steps: loading {loading:.2?}, parsing alone {parsing:.2?}");
    let ratio = loading.as_secs_f64() / parsing.as_secs_f64();
    (ratio, loaded.expect("loaded three times"))
}

#[test]
fn a_valid_runbook_loads_in_time_proportional_to_its_steps() {
    let (ratio, loaded) = against_parsing(&valid(STEPS));
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems.first());
    assert_eq!(loaded.runbook.map(|r| r.steps.len()), Some(STEPS));
    assert!(ratio <= AT_MOST, "loading took {ratio:.1}× parsing alone");
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

    let (ratio, loaded) = against_parsing(&broken(STEPS));
    assert!(loaded.runbook.is_none());
    // An unknown key in every step, and a `next` to no step in four of five.
    assert!(loaded.problems.len() >= STEPS + STEPS * 4 / 5);
    let last = loaded.problems.last().expect("problems");
    assert!(
        last.line > STEPS * 5,
        "the last problem is placed at line {}",
        last.line
    );
    assert!(ratio <= AT_MOST, "loading took {ratio:.1}× parsing alone");
}
