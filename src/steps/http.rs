//! An `http-check` step: GET a health endpoint, check its status and optionally a JSON field,
//! keep the response in the evidence store, and the `http-checked` event.

use super::StepError;
use crate::engine::event::HttpChecked;
use crate::engine::{Event, Run};
use crate::net::ExtraRoots;
use crate::runbook::StepAction;
use crate::runbook::template::render_url;
use crate::workspace::context::Context;
use crate::workspace::evidence::EvidenceStore;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::time::Duration;

pub struct PreparedHttp {
    step: String,
    url: String,
    timeout: Duration,
    status: u16,
    pointer: Option<String>,
    equals: Option<String>,
    evidence: PathBuf,
    roots: ExtraRoots,
}

pub fn prepare(ctx: &Context, run: &Run) -> Result<PreparedHttp, StepError> {
    let step = run.current_step().ok_or(StepError::RunOver)?;
    let StepAction::HttpCheck {
        url,
        timeout_secs,
        expect_status,
        json_pointer,
        json_equals,
    } = &step.action
    else {
        return Err(StepError::WrongKind {
            step: step.id.clone(),
            kind: "an http-check",
        });
    };
    Ok(PreparedHttp {
        step: step.id.clone(),
        url: render_url(url, &run.template_values())?,
        timeout: Duration::from_secs(*timeout_secs),
        status: *expect_status,
        pointer: json_pointer.clone(),
        equals: json_equals.clone(),
        evidence: ctx.evidence().path_of(""),
        roots: ExtraRoots::from_env()?,
    })
}

impl PreparedHttp {
    pub fn url(&self) -> &str {
        &self.url
    }

    pub async fn execute(self) -> Result<Event, StepError> {
        let expect = Expectation {
            status: self.status,
            json_pointer: self.pointer.as_deref(),
            json_equals: self.equals.as_deref(),
        };
        let checked = check(&self.step, &self.url, self.timeout, &expect, &self.roots).await;
        if checked.result.body_sha256.is_some() {
            EvidenceStore::new(self.evidence)
                .put_bytes(&checked.body)
                .map_err(|error| StepError::Evidence {
                    what: "the response",
                    error,
                })?;
        }
        Ok(Event::HttpChecked(checked.result))
    }
}

pub struct Expectation<'a> {
    pub status: u16,
    pub json_pointer: Option<&'a str>,
    pub json_equals: Option<&'a str>,
}

pub struct Checked {
    pub result: HttpChecked,
    pub body: Vec<u8>,
}

/// GETs `url`, trusting `roots` besides the machine's certificate authorities.
pub async fn check(
    step: &str,
    url: &str,
    timeout: Duration,
    expect: &Expectation<'_>,
    roots: &ExtraRoots,
) -> Checked {
    let failed = |detail: String| Checked {
        result: HttpChecked {
            step: step.to_owned(),
            url: url.to_owned(),
            status: None,
            passed: false,
            detail,
            body_sha256: None,
        },
        body: Vec::new(),
    };
    let built = roots
        .client_builder()
        .map_err(|error| error.to_string())
        .and_then(|builder| {
            let builder = builder.timeout(timeout).no_proxy();
            builder.build().map_err(|error| error.to_string())
        });
    let client = match built {
        Ok(client) => client,
        Err(error) => return failed(format!("cannot build an HTTP client: {error}")),
    };
    let response = match client.get(url).send().await {
        Ok(response) => response,
        Err(error) if error.is_timeout() => {
            return failed(format!("no answer within {} s", timeout.as_secs()));
        }
        Err(error) => return failed(request_failure(&error)),
    };
    let status = response.status().as_u16();
    let body = match response.bytes().await {
        Ok(body) => body.to_vec(),
        Err(error) => {
            return failed(format!(
                "status {status}, but the body could not be read: {error}"
            ));
        }
    };
    let (passed, detail) = judge(status, &body, expect);
    Checked {
        result: HttpChecked {
            step: step.to_owned(),
            url: url.to_owned(),
            status: Some(status),
            passed,
            detail,
            body_sha256: Some(hex::encode(Sha256::digest(&body))),
        },
        body,
    }
}

fn judge(status: u16, body: &[u8], expect: &Expectation<'_>) -> (bool, String) {
    if status != expect.status {
        return (
            false,
            format!("status {status}, expected {}", expect.status),
        );
    }
    let (Some(pointer), Some(wanted)) = (expect.json_pointer, expect.json_equals) else {
        return (true, format!("status {status}"));
    };
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) else {
        return (false, format!("status {status}, but the body is not JSON"));
    };
    match json.pointer(pointer) {
        None => (
            false,
            format!("status {status}, but the body has nothing at {pointer}"),
        ),
        Some(found) => {
            let text = found
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| found.to_string());
            if text == wanted {
                (true, format!("status {status}, {pointer} = {text}"))
            } else {
                (false, format!("{pointer} = {text}, expected {wanted}"))
            }
        }
    }
}

/// Why a request got no answer, in an operator's words where the cause is known.
fn request_failure(error: &reqwest::Error) -> String {
    use crate::net::ConnectFailure;
    match ConnectFailure::of(error) {
        Some(ConnectFailure::Tls(problem)) => problem.to_string(),
        Some(ConnectFailure::Refused) => "connection refused: is the server running?".into(),
        Some(ConnectFailure::TimedOut) => "the connection timed out".into(),
        Some(ConnectFailure::NoSuchHost) => "no such host".into(),
        None => format!("request failed: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judges_status_and_field() {
        let expect = Expectation {
            status: 200,
            json_pointer: Some("/status"),
            json_equals: Some("ok"),
        };
        assert!(judge(200, br#"{"status":"ok"}"#, &expect).0);
        assert!(!judge(200, br#"{"status":"degraded"}"#, &expect).0);
        assert!(!judge(503, br#"{"status":"ok"}"#, &expect).0);
        assert!(!judge(200, b"<html>", &expect).0);
        let numeric = Expectation {
            status: 200,
            json_pointer: Some("/lag"),
            json_equals: Some("0"),
        };
        assert!(judge(200, br#"{"lag":0}"#, &numeric).0);
    }
}
