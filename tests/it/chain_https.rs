//! A network's node over `https://`, as every provider serves it: a TLS proxy with a test
//! certificate authority in front of a real node. Trusted through the network's `ca_file` or
//! `OWNER_CONSOLE_CA_FILE`, it reads what plain HTTP reads; each way TLS can fail is named.

use crate::support::chain::{DEMO_RPC_ENV, Platform, listed_home, snapshot_values};
use crate::support::cli::{Home, PASSPHRASE, json, text};
use crate::support::tls_proxy::{TestCa, TlsProxy, trust_in_profile};
use crate::support::workspace::{serve, shipped_workspace};
use owner_console::net::ExtraRoots;
use owner_console::steps::http::{Expectation, check};
use std::path::Path;
use std::time::Duration;

fn status(home: &Home, workspace: &Path, url: &str, more: &[(&str, &str)]) -> std::process::Output {
    let mut vars = vec![(DEMO_RPC_ENV, url)];
    vars.extend_from_slice(more);
    home.cli_env(
        workspace,
        PASSPHRASE,
        &vars,
        &["chain", "status", "--network", "demo", "--json"],
    )
}

fn failure(output: &std::process::Output) -> String {
    assert!(!output.status.success(), "{}", text(output).0);
    let (out, err) = text(output);
    format!("{out}{err}")
}

#[test]
fn a_node_behind_https_reads_as_over_http_once_its_ca_is_trusted() {
    let workspace = shipped_workspace();
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    let home = listed_home(workspace.path());
    let ca = TestCa::new("owner-console test CA");
    let proxy = TlsProxy::start(platform.node.port, &ca, &["localhost"]);

    let untrusted = failure(&status(&home, workspace.path(), &proxy.url(), &[]));
    assert!(
        untrusted.contains("unknown certificate authority") && untrusted.contains("ca_file"),
        "{untrusted}"
    );
    assert!(!untrusted.contains("connection refused"), "{untrusted}");

    let over_http = status(&home, workspace.path(), &platform.node.url(), &[]);
    assert!(over_http.status.success(), "{}", text(&over_http).1);
    let over_http = json(&over_http);

    let ca_file = workspace.path().join("private-ca.pem");
    std::fs::write(&ca_file, &ca.pem).unwrap();
    let by_env = status(
        &home,
        workspace.path(),
        &proxy.url(),
        &[("OWNER_CONSOLE_CA_FILE", ca_file.to_str().unwrap())],
    );
    assert!(by_env.status.success(), "{}", text(&by_env).1);

    trust_in_profile(workspace.path(), "private-ca.pem");
    let by_profile = status(&home, workspace.path(), &proxy.url(), &[]);
    assert!(by_profile.status.success(), "{}", text(&by_profile).1);
    for read in [json(&by_env), json(&by_profile)] {
        assert_eq!(read["values"], over_http["values"]);
        assert_eq!(
            read["block"], over_http["block"],
            "nothing was mined between"
        );
        assert!(
            read["values"].as_object().is_some_and(|v| v.len() > 60),
            "{read}"
        );
    }
}

#[test]
fn each_way_tls_can_fail_is_named() {
    let workspace = shipped_workspace();
    let platform = Platform::start(workspace.path(), &snapshot_values(workspace.path()), &[]);
    let home = listed_home(workspace.path());
    let ca = TestCa::new("owner-console test CA");
    std::fs::write(workspace.path().join("ca.pem"), &ca.pem).unwrap();
    trust_in_profile(workspace.path(), "ca.pem");

    let other_name = TlsProxy::start(platform.node.port, &ca, &["node.example"]);
    let mismatch = failure(&status(&home, workspace.path(), &other_name.url(), &[]));
    assert!(mismatch.contains("name mismatch"), "{mismatch}");

    let plain = format!("https://localhost:{}/", platform.node.port);
    let not_tls = failure(&status(&home, workspace.path(), &plain, &[]));
    assert!(not_tls.contains("did not answer in TLS"), "{not_tls}");

    std::fs::write(workspace.path().join("ca.pem"), "not a certificate\n").unwrap();
    let proxy = TlsProxy::start(platform.node.port, &ca, &["localhost"]);
    let bad_file = failure(&status(&home, workspace.path(), &proxy.url(), &[]));
    assert!(
        bad_file.contains("ca.pem") && bad_file.contains("no certificate"),
        "{bad_file}"
    );
}

#[test]
fn an_http_check_over_https_trusts_the_given_ca_and_names_an_unknown_one() {
    let ca = TestCa::new("owner-console test CA");
    let server = serve(200, r#"{"status":"ok"}"#, 2);
    let proxy = TlsProxy::start(server, &ca, &["localhost"]);
    let url = format!("{}healthz", proxy.url());
    let expect = Expectation {
        status: 200,
        json_pointer: Some("/status"),
        json_equals: Some("ok"),
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let timeout = Duration::from_secs(10);

    let unknown = runtime.block_on(check(
        "health",
        &url,
        timeout,
        &expect,
        &ExtraRoots::default(),
    ));
    assert!(!unknown.result.passed);
    assert!(
        unknown
            .result
            .detail
            .contains("unknown certificate authority"),
        "{}",
        unknown.result.detail
    );

    let roots = ExtraRoots::default()
        .with_pem("ca.pem", ca.pem.as_bytes())
        .unwrap();
    let trusted = runtime.block_on(check("health", &url, timeout, &expect, &roots));
    assert!(trusted.result.passed, "{}", trusted.result.detail);
    assert_eq!(trusted.result.status, Some(200));
}
