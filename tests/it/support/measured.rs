//! A child process measured while it runs: its peak resident memory and the bytes it wrote.
//!
//! The peak is the child's own `VmHWM` (`/proc/<pid>/status`), read every millisecond until
//! it exits. Its rusage cannot give it: `ru_maxrss` survives `exec`, so a child spawned from
//! this test process starts with this process's peak (a 300 MB parent gave `/bin/true` a
//! `ru_maxrss` of 313 MB). The bytes written come from the rusage (`ru_oublock`, in 512-byte
//! blocks, counted when a page is dirtied, so a file written and then deleted still counts),
//! which starts at zero in a new process. A peak reached in the child's last millisecond can
//! be missed; what the tests bound (a file of gigabytes read into memory) takes far longer.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

pub struct Measured {
    /// The exit code, or -1 when a signal ended the child.
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// The highest `VmHWM` seen, in bytes.
    pub peak_rss: u64,
    /// Bytes the child (and its children) wrote to files.
    pub written: u64,
    /// How many times `VmHWM` was read.
    pub samples: usize,
}

pub const MIB: u64 = 1 << 20;

/// Runs `command` to its end (stdin empty, stdout and stderr captured) and measures it.
pub fn measure(mut command: Command) -> Measured {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the binary starts");
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                pipe.read_to_end(&mut bytes).expect("the pipe reads");
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let pid = child.id() as libc::pid_t;
    let status_file = format!("/proc/{pid}/status");
    let (mut peak_kib, mut samples) = (0u64, 0usize);
    let mut status = 0;
    // SAFETY: rusage is plain data; all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // The pid stays this child's until it is reaped below, so this file is its own.
        if let Some(kib) = std::fs::read_to_string(&status_file)
            .ok()
            .as_deref()
            .and_then(high_water_kib)
        {
            peak_kib = peak_kib.max(kib);
            samples += 1;
        }
        // SAFETY: waits for our own child, which nothing else waits for (std's `Child` is
        // never waited on).
        let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        assert!(reaped >= 0, "wait4: {}", std::io::Error::last_os_error());
        if reaped == pid {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    drop(child);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    Measured {
        code,
        stdout: stdout.join().expect("stdout drained"),
        stderr: stderr.join().expect("stderr drained"),
        peak_rss: peak_kib * 1024,
        written: u64::try_from(usage.ru_oublock).unwrap_or(0) * 512,
        samples,
    }
}

fn high_water_kib(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
