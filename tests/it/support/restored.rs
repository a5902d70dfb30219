//! The terminal after the app has left: raw mode off, the alternate screen left, the cursor
//! shown, read from the raw output and the pty's settings.

use super::pty::{PtyApp, rfind_bytes};

/// Fails unless the app, gone now, left the alternate screen and showed the cursor after its
/// last draw, and put the pty's settings back as they were before it started.
pub fn assert_terminal_restored(app: &PtyApp) {
    let raw = app.raw_output();
    let entered =
        rfind_bytes(&raw, b"\x1b[?1049h").expect("the app never entered the alternate screen");
    let tail = &raw[entered..];
    let left = rfind_bytes(tail, b"\x1b[?1049l").unwrap_or_else(|| {
        panic!(
            "the app did not leave the alternate screen after its last draw; output tail: {:?}",
            String::from_utf8_lossy(&tail[tail.len().saturating_sub(400)..])
        )
    });
    let shown = rfind_bytes(tail, b"\x1b[?25h").unwrap_or_else(|| {
        panic!(
            "the app did not show the cursor again; output tail: {:?}",
            String::from_utf8_lossy(&tail[tail.len().saturating_sub(400)..])
        )
    });
    assert!(
        rfind_bytes(tail, b"\x1b[?25l").is_none_or(|hidden| hidden < shown),
        "the app hid the cursor again after showing it on the way out; output tail: {:?}",
        String::from_utf8_lossy(&tail[left.saturating_sub(200)..])
    );
    app.with_screen(|screen| {
        assert!(
            !screen.alternate_screen(),
            "still on the alternate screen after quitting"
        );
        assert!(
            !screen.hide_cursor(),
            "the cursor is still hidden after quitting"
        );
    });
    // Raw mode is off again: the pty's settings are those it had before the app started.
    let (before, after) = (app.initial_termios(), app.termios());
    if cfg!(target_os = "linux") {
        assert!(
            before.is_some() && after.is_some(),
            "cannot read the pty's termios"
        );
    }
    if let (Some(before), Some(after)) = (before, after) {
        assert!(
            after.c_lflag & libc::ICANON != 0 && after.c_lflag & libc::ECHO != 0,
            "the pty is still in raw mode after quitting (c_lflag {:#o})",
            after.c_lflag
        );
        assert_eq!(
            (after.c_iflag, after.c_oflag, after.c_cflag, after.c_lflag),
            (
                before.c_iflag,
                before.c_oflag,
                before.c_cflag,
                before.c_lflag
            ),
            "the pty's termios differs from before the app started"
        );
    }
}
