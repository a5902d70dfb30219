//! A transaction's calldata against its method: the selector of `data` is the method's, `data`
//! decodes and is the canonical encoding of its arguments, and those are the
//! `contractInputsValues`; or, when `data` is null, the values read as the method's types and
//! encode (as the Safe app will encode them).

use super::abi::{read_value, value_key, value_text};
use super::format::ContractMethod;
use super::value_error::ValueError;
use super::verdict::{CheckKind, DecodedArg, Status};
use alloy_dyn_abi::{DynSolType, DynSolValue, JsonAbiExt, Specifier};
use alloy_json_abi::Function;
use serde_json::{Map, Value};

pub(super) struct Found {
    pub args: Vec<DecodedArg>,
    pub checks: Vec<(CheckKind, Status, String)>,
}

/// `data` given: its selector is the method's, it decodes, it is the canonical encoding of
/// its arguments, and the arguments are `contractInputsValues`.
pub(super) fn check_data(
    function: &Function,
    method: &ContractMethod,
    data: &[u8],
    values: Option<&Map<String, Value>>,
) -> Found {
    let signature = function.signature();
    let expected = function.selector();
    let mut checks = Vec::new();
    let Some(selector) = data.get(..4) else {
        checks.push((
            CheckKind::Selector,
            Status::Fail,
            format!(
                "expected selector {expected} ({signature}), but data has only {} byte(s)",
                data.len()
            ),
        ));
        return Found {
            args: Vec::new(),
            checks,
        };
    };
    if selector == expected.as_slice() {
        checks.push((
            CheckKind::Selector,
            Status::Pass,
            format!("{expected} = {signature}"),
        ));
    } else {
        checks.push((
            CheckKind::Selector,
            Status::Fail,
            format!(
                "expected selector {expected} ({signature}), found 0x{}",
                hex::encode(selector)
            ),
        ));
    }
    let decoded = match function.abi_decode_input(&data[4..]) {
        Ok(decoded) => decoded,
        Err(error) => {
            checks.push((
                CheckKind::Values,
                Status::Fail,
                format!("data does not decode as {signature}: {error}"),
            ));
            return Found {
                args: Vec::new(),
                checks,
            };
        }
    };
    let args = method
        .inputs
        .iter()
        .zip(&decoded)
        .map(|(input, value)| DecodedArg {
            name: input.name.clone(),
            ty: value
                .sol_type_name()
                .map(|t| t.into_owned())
                .unwrap_or_else(|| input.ty.clone()),
            value: value_text(value),
        })
        .collect();
    let mut problems = Vec::new();
    match function.abi_encode_input(&decoded) {
        Ok(canonical) if canonical[4..] == data[4..] => {}
        Ok(canonical) => problems.push(format!(
            "the {} byte(s) of arguments are not the canonical encoding of their decoded values ({} byte(s))",
            data.len() - 4,
            canonical.len() - 4
        )),
        Err(error) => problems.push(format!("the decoded arguments do not re-encode: {error}")),
    }
    match values {
        None => {
            problems_or_pass(&mut checks, problems, || {
                (
                    Status::Warn,
                    "contractInputsValues not given: arguments shown as decoded from data"
                        .to_owned(),
                )
            });
        }
        Some(values) => {
            for (i, (input, from_data)) in method.inputs.iter().zip(&decoded).enumerate() {
                let key = value_key(input, i);
                let Some(given) = values.get(&key) else {
                    problems.push(format!(
                        "`{key}` is missing from contractInputsValues (data has {})",
                        value_text(from_data)
                    ));
                    continue;
                };
                match read_given(function, i, given) {
                    Ok(value) if value == *from_data => {}
                    Ok(value) => problems.push(format!(
                        "`{key}`: data has {}, contractInputsValues has {}",
                        value_text(from_data),
                        value_text(&value)
                    )),
                    Err(error) => {
                        problems.push(format!("`{key}` in contractInputsValues: {error}"))
                    }
                }
            }
            problems.extend(extra_keys(method, values));
            let n = method.inputs.len();
            problems_or_pass(&mut checks, problems, || {
                (
                    Status::Pass,
                    format!("the {n} argument(s) decoded from data match contractInputsValues"),
                )
            });
        }
    }
    Found { args, checks }
}

/// `data` null: the Safe app encodes the values, so they must read as the method's types.
pub(super) fn check_values_only(
    function: &Function,
    method: &ContractMethod,
    values: Option<&Map<String, Value>>,
) -> Found {
    let signature = function.signature();
    let empty = Map::new();
    let values = values.unwrap_or(&empty);
    let mut problems = Vec::new();
    let mut args = Vec::new();
    let mut typed = Vec::new();
    for (i, input) in method.inputs.iter().enumerate() {
        let key = value_key(input, i);
        let arg = |value: String| DecodedArg {
            name: input.name.clone(),
            ty: input.ty.clone(),
            value,
        };
        let Some(given) = values.get(&key) else {
            problems.push(format!("`{key}` is missing from contractInputsValues"));
            args.push(arg("(missing)".to_owned()));
            continue;
        };
        match read_given(function, i, given) {
            Ok(value) => {
                args.push(arg(value_text(&value)));
                typed.push(value);
            }
            Err(error) => {
                problems.push(format!("`{key}` in contractInputsValues: {error}"));
                args.push(arg(format!("{given} (unreadable)")));
            }
        }
    }
    problems.extend(extra_keys(method, values));
    let mut checks = vec![(
        CheckKind::Selector,
        Status::Pass,
        format!(
            "data is null: the Safe app encodes {signature} (selector {}) from the values",
            function.selector()
        ),
    )];
    if problems.is_empty()
        && let Err(error) = function.abi_encode_input(&typed)
    {
        problems.push(format!("the values do not encode as {signature}: {error}"));
    }
    problems_or_pass(&mut checks, problems, || {
        (
            Status::Pass,
            format!("the {} value(s) encode as {signature}", typed.len()),
        )
    });
    Found { args, checks }
}

fn read_given(function: &Function, i: usize, given: &Value) -> Result<DynSolValue, ValueError> {
    let param = function.inputs.get(i).ok_or(ValueError::NoSuchParameter)?;
    let ty: DynSolType = param
        .resolve()
        .map_err(|error| ValueError::BadType(Box::new(error)))?;
    read_value(&ty, given)
}

fn extra_keys(method: &ContractMethod, values: &Map<String, Value>) -> Vec<String> {
    let known: Vec<String> = method
        .inputs
        .iter()
        .enumerate()
        .map(|(i, input)| value_key(input, i))
        .collect();
    values
        .keys()
        .filter(|key| !known.contains(key))
        .map(|key| format!("contractInputsValues has `{key}`, which the method does not take"))
        .collect()
}

fn problems_or_pass(
    checks: &mut Vec<(CheckKind, Status, String)>,
    problems: Vec<String>,
    otherwise: impl FnOnce() -> (Status, String),
) {
    if problems.is_empty() {
        let (status, detail) = otherwise();
        checks.push((CheckKind::Values, status, detail));
    } else {
        checks.push((CheckKind::Values, Status::Fail, problems.join("; ")));
    }
}
