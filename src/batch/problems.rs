//! The problems the first pass finds, told together in the order of the
//! rows: one error that stops the run, or with `--keep-going` a warning.

use crate::error::{Error, ErrorKind};

/// Problems told one by one before the rest are only counted.
const PROBLEMS_SHOWN: usize = 20;

/// The problems of a run, told together: the first [`PROBLEMS_SHOWN`] in
/// full, then how many more.
#[derive(Default)]
pub(super) struct Problems {
    shown: Vec<Error>,
    more: usize,
}

impl Problems {
    pub(super) fn add(&mut self, problem: Error) {
        if self.shown.len() < PROBLEMS_SHOWN {
            self.shown.push(problem);
        } else {
            self.more += 1;
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.shown.is_empty()
    }

    fn count(&self) -> usize {
        self.shown.len() + self.more
    }

    /// One problem is its own error; several are listed one a line, like
    /// a compiler's, and end with what to do.
    pub(super) fn into_error(mut self) -> Error {
        if self.count() == 1 {
            return self.shown.remove(0);
        }
        let count = self.count();
        let kind = match self.shown.iter().all(|p| p.kind == self.shown[0].kind) {
            true => self.shown[0].kind,
            false => ErrorKind::Data,
        };
        let mut message = self.list();
        message.push_str(&format!(
            "error: {count} letters cannot be made; nothing was written"
        ));
        Error::new(kind, message).with_help(
            "correct them and run the command again, or pass --keep-going to write the other \
             letters and leave these out",
        )
    }

    /// With `--keep-going`: said, and the run goes on without them.
    pub(super) fn into_warning(self) -> String {
        let mut text = String::from("error: ");
        text.push_str(&self.list());
        text.push_str(&format!(
            "warning: {} cannot be made and will be skipped (--keep-going)",
            crate::text::count(self.count(), "letter")
        ));
        crate::text::escape_message(&text).into_owned()
    }

    /// Every shown problem, the first without its `error: `, each with its
    /// help unless the one before said the same.
    fn list(&self) -> String {
        let mut out = String::new();
        let mut last_help = None;
        for (i, problem) in self.shown.iter().enumerate() {
            if i > 0 {
                out.push_str("error: ");
            }
            out.push_str(&problem.message);
            out.push('\n');
            if let Some(help) = problem.help.as_deref().filter(|h| Some(*h) != last_help) {
                out.push_str(&format!("  help: {help}\n"));
            }
            last_help = problem.help.as_deref();
        }
        if self.more > 0 {
            out.push_str(&format!("error: … and {} more\n", self.more));
        }
        out
    }
}
