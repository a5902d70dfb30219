//! Generated runbooks of any number of steps, for the scale test and the runbook bench: every
//! step kind that links steps (decisions with two ways on), commands with placeholders,
//! chain-checks; valid, or with a problem in every step.

use std::fmt::Write;

/// Where the generated runbook is said to sit (its kind must match the folder).
pub const SHOWN_PATH: &str = "runbooks/update/big.toml";

/// A valid runbook of `steps` steps.
pub fn valid(steps: usize) -> String {
    generate(steps, false)
}

/// A runbook of `steps` steps, each with an unknown key and a `next` to no step.
pub fn broken(steps: usize) -> String {
    generate(steps, true)
}

fn generate(steps: usize, broken: bool) -> String {
    let mut text = String::with_capacity(steps * 80);
    text.push_str(
        "id = \"big\"\ntitle = \"A big runbook\"\nkind = \"update\"\nseverity = \"low\"\n\
         version = \"1.0.0\"\nsummary = \"Generated.\"\nnetworks = [\"demo\"]\n\n\
         [[inputs]]\nname = \"label\"\ntype = \"string\"\n",
    );
    for index in 0..steps {
        let next = if index + 1 < steps {
            format!("s{}", index + 1)
        } else {
            "end".to_owned()
        };
        let _ = write!(
            text,
            "\n[[steps]]\nid = \"s{index}\"\ntitle = \"Step {index}\"\n"
        );
        let _ = match index % 5 {
            0 => writeln!(text, "kind = \"checklist\"\nitems = [\"a\", \"b\"]"),
            1 => writeln!(text, "kind = \"command\"\ncommand = \"echo {{{{label}}}}\""),
            2 => writeln!(text, "kind = \"note\"\nprompt = \"Why?\""),
            3 => writeln!(
                text,
                "kind = \"decision\"\nquestion = \"On?\"\noptions = [{{ label = \"on\", goto = \"{next}\" }}, {{ label = \"stop\", goto = \"end\" }}]"
            ),
            _ => writeln!(
                text,
                "kind = \"chain-check\"\nchecks = [{{ contract = \"JobRegistry\", call = \"paused()(bool)\", value = \"false\" }}]"
            ),
        };
        if broken && index % 5 != 3 {
            let _ = writeln!(text, "colour = \"red\"\nnext = \"nowhere-{index}\"");
        } else if broken {
            let _ = writeln!(text, "colour = \"red\"");
        }
    }
    text
}
