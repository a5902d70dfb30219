//! A key on the top popup, and what the app does with the popup's reply: text and typed
//! confirmations go to the run view, the start form starts a run.

use super::App;
use crate::tui::popups::{Pending, Popup, Purpose, Reply};
use crate::tui::shared::Ctx;
use crate::tui::status::Status;
use crate::tui::task::Task;
use crossterm::event::KeyEvent;
use std::time::Instant;

impl App {
    pub(super) fn popup_key(&mut self, key: KeyEvent) -> Option<Task> {
        let reply = self.shared.popups.last_mut()?.handle(key);
        self.stop_scroll_at_end();
        let popup = self.shared.popups.last_mut()?;
        let editing_note = matches!(
            popup,
            Popup::Prompt {
                purpose: Purpose::Note,
                ..
            }
        );
        if let (true, Some(screen)) = (editing_note, self.run.as_mut()) {
            match reply {
                Reply::Stay => screen.note_edited(Instant::now()),
                Reply::Close => screen.keep_draft_or_say(&mut self.shared),
                _ => {}
            }
        }
        if let Some(Popup::Prompt {
            purpose: Purpose::Filter,
            input,
            ..
        }) = self.shared.popups.last()
        {
            let filter = input.lines().join("");
            let runbooks = &self.session.runbooks;
            self.home.set_filter(filter, &self.run_list.runs, runbooks);
        }
        self.on_reply(reply)
    }

    fn on_reply(&mut self, reply: Reply) -> Option<Task> {
        match reply {
            Reply::Stay => None,
            Reply::Close => {
                self.shared.popups.pop();
                None
            }
            Reply::Submit(purpose, text) => {
                self.shared.popups.pop();
                let (mut ctx, run) = self.run_ctx();
                run?.on_submit(&mut ctx, purpose, text)
            }
            Reply::Confirmed(Pending::QuitWhileBusy, _) => {
                self.shared.popups.pop();
                self.quit = true;
                None
            }
            Reply::Confirmed(pending, typed) => {
                self.shared.popups.pop();
                let (mut ctx, run) = self.run_ctx();
                run?.on_confirmed(&mut ctx, pending, typed)
            }
            Reply::StartRun => {
                self.start_run();
                None
            }
            Reply::Copy(text) => {
                self.shared.popups.pop();
                self.shared.clipboard = Some(text);
                self.shared.say(Status::info(
                    "copied (OSC 52: if the terminal allows it); paste it in your shell",
                ));
                None
            }
        }
    }

    /// The run view, if a run is open, and the context its handlers are given.
    fn run_ctx(&mut self) -> (Ctx<'_>, Option<&mut crate::tui::run::RunScreen>) {
        let ctx = Ctx {
            session: &mut self.session,
            shared: &mut self.shared,
            entries: &mut self.run_list.entries,
            live: self.network.live.as_ref(),
        };
        (ctx, self.run.as_mut())
    }

    /// The start form on top starts its run, or says why it cannot.
    fn start_run(&mut self) {
        let Some(Popup::Start(form)) = self.shared.popups.last_mut() else {
            return;
        };
        let (book, network, values) = (
            form.runbook.clone(),
            form.network().to_owned(),
            form.values(),
        );
        let started = if form.drill {
            self.session.start_drill(&book, &network, values)
        } else {
            self.session.start(&book, &network, values)
        };
        match started {
            Ok(run) => {
                self.shared.popups.pop();
                self.show_run(run);
            }
            Err(error) => form.error = Some(error.to_string()),
        }
    }
}
