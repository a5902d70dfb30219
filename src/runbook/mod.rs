//! The runbook format: raw file shape, validated model, loading with located problems,
//! input and template handling, the step graph and the published JSON Schema.

pub mod cache;
pub mod chaos;
pub mod command_env;
pub mod find;
pub mod graph;
pub mod inputs;
pub mod load;
pub mod locate;
pub mod model;
pub mod problem;
pub mod raw;
pub mod schema;
mod step_checks;
pub mod template;
pub mod validate;

pub use load::{Loaded, load_file, load_text};
pub use model::*;
pub use problem::{Level, Problem};
pub use step_checks::STEP_KINDS;
