//! Parsing Safe Transaction Builder batch files: the Phase 8 fixture, malformed files whose
//! errors name the field (or the line and column of bad JSON), and other writers' forms, which
//! are accepted and written back as they were.

use crate::support::safe_batch::{failures, known, read};
use owner_console::safe::{self, CheckKind, ParseError, Slot, Status, check_batch, parse_batch};

#[test]
fn the_phase8_fixture_parses_and_its_unlisted_inputs_are_warnings() {
    let shared = crate::support::agijobs::fixtures()
        .join("demo/Phase-8-Universal-Value-Dominance/output/phase8-safe-transaction-batch.json");
    let text = read("phase8-safe-transaction-batch.json");
    assert_eq!(
        std::fs::read_to_string(&shared).unwrap(),
        text,
        "the committed copy differs from the shared fixture"
    );
    let batch = parse_batch(&text).unwrap();
    assert_eq!(batch.transactions.len(), 33);
    assert_eq!(batch.chain_id, safe::format::ChainId::Text("1".into()));
    assert_eq!(batch.chain_id.value(), Some(1));
    assert!(matches!(
        batch.created_at,
        safe::format::CreatedAt::Millis(_)
    ));
    assert_eq!(batch.meta.checksum, Slot::Set(String::new()));
    let raw: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(batch.to_value(), raw);

    let checks = check_batch(&batch, None);
    assert_eq!(failures(&batch), Vec::<String>::new());
    let unlisted = checks
        .iter()
        .filter(|c| {
            c.status == Status::Warn
                && c.detail
                    .contains("method inputs not listed: data cannot be checked against values")
        })
        .count();
    assert_eq!(unlisted, 33);
    let checksum = checks
        .iter()
        .find(|c| c.kind == CheckKind::Checksum)
        .unwrap();
    assert_eq!(checksum.status, Status::Warn);
}

fn field_error(text: &str) -> (String, String) {
    match parse_batch(text) {
        Err(ParseError::Field { path, message, .. }) => (path, message),
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn malformed_files_name_the_field() {
    let mut value = known();
    value["transactions"][0]["to"] = "0x1234".into();
    let (path, message) = field_error(&value.to_string());
    assert_eq!(path, "transactions[0].to");
    assert!(message.contains("40 hex digits"), "{message}");
    let error = parse_batch(&value.to_string()).unwrap_err().to_string();
    assert!(error.starts_with("transactions[0].to: "), "{error}");

    let mut value = known();
    value.as_object_mut().unwrap().remove("chainId");
    let (_, message) = field_error(&value.to_string());
    assert!(message.contains("missing field `chainId`"), "{message}");

    let mut value = known();
    value["meta"] = serde_json::json!(["not", "an", "object"]);
    let (path, message) = field_error(&value.to_string());
    assert_eq!(path, "meta");
    assert!(message.contains("invalid type"), "{message}");

    let mut value = known();
    let tx = value["transactions"][0].clone();
    value["transactions"] = serde_json::json!([tx.clone(), tx.clone(), tx]);
    value["transactions"][2]["value"] = 5.into();
    let (path, message) = field_error(&value.to_string());
    assert_eq!(path, "transactions[2].value");
    assert!(
        message.contains("decimal string") && message.contains("found the number 5"),
        "{message}"
    );

    let mut value = known();
    value["transactions"][0]["data"] = "0x12z4".into();
    let (path, _) = field_error(&value.to_string());
    assert_eq!(path, "transactions[0].data");

    let mut value = known();
    value["createdAt"] = "yesterday".into();
    let (path, message) = field_error(&value.to_string());
    assert_eq!(path, "createdAt");
    assert!(message.contains("ISO-8601"), "{message}");

    let text = serde_json::to_string_pretty(&known()).unwrap();
    let cut = &text[..text.len() / 2];
    match parse_batch(cut) {
        Err(ParseError::Syntax { line, column, .. }) => {
            assert_eq!(line, cut.lines().count());
            assert!(column > 0);
            let shown = parse_batch(cut).unwrap_err().to_string();
            assert!(shown.contains(&format!("line {line}")), "{shown}");
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn other_writers_forms_are_accepted_and_kept() {
    let mut value = known();
    value["chainId"] = 1.into();
    value["createdAt"] = "2025-10-24T17:27:29.944Z".into();
    value["meta"]["origin"] = "agi-jobs".into();
    value["transactions"][0]["note"] = serde_json::json!({"kept": true});
    value["meta"]["checksum"] = "".into();
    let batch = parse_batch(&value.to_string()).unwrap();
    assert_eq!(batch.chain_id.value(), Some(1));
    assert_eq!(batch.created_at.millis(), Some(1_761_326_849_944));
    assert_eq!(batch.to_value(), value);
    assert_eq!(failures(&batch), Vec::<String>::new());

    // Raw data without a method: a warning, not a failure.
    let mut value = known();
    let tx = &mut value["transactions"][0];
    tx["data"] = "0x095ea7b3".into();
    tx.as_object_mut().unwrap().remove("contractMethod");
    tx["contractInputsValues"] = serde_json::Value::Null;
    let batch = parse_batch(&value.to_string()).unwrap();
    let checks = check_batch(&batch, None);
    assert!(
        checks
            .iter()
            .any(|c| c.kind == CheckKind::Selector && c.status == Status::Warn)
    );
    assert_eq!(batch.to_value(), value);

    // data null with a value that does not read as its type fails, naming the parameter.
    let mut value = known();
    value["meta"]["checksum"] = "".into();
    value["transactions"][0]["contractInputsValues"]["value"] = "a lot".into();
    let batch = parse_batch(&value.to_string()).unwrap();
    let failed = failures(&batch);
    assert!(
        failed
            .iter()
            .any(|f| f.contains("transactions[0] approve: values:") && f.contains("`value`")),
        "{failed:#?}"
    );

    // A non-zero value to a method that is not payable is a warning.
    let mut value = known();
    value["meta"]["checksum"] = "".into();
    value["transactions"][0]["value"] = "1000".into();
    let batch = parse_batch(&value.to_string()).unwrap();
    let checks = check_batch(&batch, None);
    let sent = checks.iter().find(|c| c.kind == CheckKind::Value).unwrap();
    assert_eq!(sent.status, Status::Warn);
    assert!(sent.detail.contains("expected 0 wei"), "{}", sent.detail);
}
