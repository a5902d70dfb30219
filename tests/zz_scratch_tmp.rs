mod support;
use std::time::Duration;
#[test]
fn scratch() {
    let sandbox = support::pty::Sandbox::new();
    let app = support::pty::PtyApp::spawn(sandbox.command(&[]), 80, 24);
    eprintln!("PID {}", app.pid());
    app.wait_for("no such text", Duration::from_secs(2));
}
