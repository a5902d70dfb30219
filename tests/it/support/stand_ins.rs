//! What a stage's commands work on besides the workspace: a folder for PATH with the built
//! binary and recording stand-ins for the platform's deploy tools, and a git checkout of a
//! stand-in platform repository.

use super::cli::text;
use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let done = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .output()
        .unwrap();
    assert!(done.status.success(), "git {args:?}: {:?}", text(&done));
}

/// A git checkout of a stand-in platform repository (with an origin to fetch from): the files
/// the runbooks' commands read, npm scripts that the runbooks run, tags for two releases.
pub fn platform_repo(root: &Path) -> PathBuf {
    let origin = root.join("origin.git");
    git(root, &["init", "-q", "--bare", "-b", "main", "origin.git"]);
    git(root, &["clone", "-q", origin.to_str().unwrap(), "platform"]);
    let repo = root.join("platform");
    let files = [
        (
            "package.json",
            r#"{"name":"platform","private":true,"scripts":{"config:lint":"echo config lint ok","paymaster:deploy":"echo paymaster deploy","monitoring:plan":"echo monitoring plan","deploy:oneclick":"echo deploy oneclick","deploy:env":"echo deploy env"}}"#,
        ),
        ("compose.yaml", "services: {}\n"),
        ("deployment-config/oneclick.env", "NETWORK=localhost\n"),
        (
            "deployment-config/deployer.config.json",
            r#"{"network":"localhost","governance":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}"#,
        ),
        ("deployment-config/latest-deployment.json", "{}"),
        ("deploy/paymaster/localhost.json", r#"{"limit":"1"}"#),
    ];
    for (path, body) in files {
        let path = repo.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "v1"]);
    git(&repo, &["tag", "v1"]);
    std::fs::write(
        repo.join("deploy/paymaster/localhost.json"),
        r#"{"limit":"2"}"#,
    )
    .unwrap();
    git(&repo, &["commit", "-q", "-am", "v2"]);
    git(&repo, &["tag", "v2"]);
    git(&repo, &["push", "-q", "--tags", "origin", "main"]);
    git(&repo, &["fetch", "-q"]);
    repo
}

/// A folder for PATH with the built binary and recording stand-ins for `npx` and `docker`:
/// each appends its arguments to `asked.log` and succeeds.
pub fn tools(dir: &Path) {
    let binary = Path::new(env!("CARGO_BIN_EXE_owner-console"));
    std::os::unix::fs::symlink(binary, dir.join("owner-console")).unwrap();
    for tool in ["npx", "docker"] {
        let path = dir.join(tool);
        let log = dir.join("asked.log");
        std::fs::write(
            &path,
            format!("#!/bin/sh\necho \"{tool} $*\" >> '{}'\n", log.display()),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}
