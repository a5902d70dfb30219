//! Printing helpers shared by the subcommands.

use serde::Serialize;

pub fn print_json(value: &impl Serialize) -> color_eyre::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
