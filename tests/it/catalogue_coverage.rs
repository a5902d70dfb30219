//! How much of the real contracts' owner-settable surface the catalogue covers, counted from
//! the real ABIs: README.md and docs/catalogue-coverage.md state the figures, and the page
//! names every function left out.

use owner_console::catalogue::Catalogue;
use std::collections::BTreeSet;
use std::path::Path;

/// (covered, total, the functions left out as `Module.function`).
fn coverage() -> (usize, usize, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("config/catalogue.toml")).unwrap();
    let catalogue = Catalogue::parse(&text).unwrap();
    let (mut covered, mut total, mut left_out) = (0, 0, Vec::new());
    for module in catalogue.modules.keys().filter(|m| *m != "Paymaster") {
        let real = if module == "RewardEngine" {
            "RewardEngineMB"
        } else {
            module
        };
        let path = crate::support::agijobs::build().join(format!("{real}.json"));
        let abi: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let settable: BTreeSet<&str> = abi["abi"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["type"] == "function")
            .filter(|f| f["stateMutability"] == "nonpayable" || f["stateMutability"] == "payable")
            .filter_map(|f| f["name"].as_str())
            .filter(|name| {
                ["set", "add", "remove", "configure"].iter().any(|verb| {
                    name.strip_prefix(verb)
                        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
                })
            })
            .collect();
        let named: BTreeSet<&str> = catalogue
            .parameters
            .iter()
            .filter(|p| p.contract() == module)
            .flat_map(|p| p.setter.iter().chain(&p.remover))
            .filter_map(|setter| setter.split('(').next())
            .collect();
        total += settable.len();
        for function in settable {
            if named.contains(function) {
                covered += 1;
            } else {
                left_out.push(format!("{module}.{function}"));
            }
        }
    }
    (covered, total, left_out)
}

#[test]
fn the_readme_and_the_coverage_page_state_what_the_catalogue_covers_and_leaves_out() {
    let (covered, total, left_out) = coverage();
    assert!(covered > 0 && covered < total, "{covered} of {total}");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let stated = format!("covers {covered} of the {total} owner-settable functions");
    for file in ["README.md", "docs/catalogue-coverage.md"] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        assert!(text.contains(&stated), "{file} does not say `{stated}`");
    }
    let page = std::fs::read_to_string(root.join("docs/catalogue-coverage.md")).unwrap();
    let unnamed: Vec<&String> = left_out
        .iter()
        .filter(|f| !page.contains(&format!("`{f}`")))
        .collect();
    assert!(unnamed.is_empty(), "left out but not named: {unnamed:?}");
}
