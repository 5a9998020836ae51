//! How a command ends. Every command returns an [`Exit`]; only `cli::run` turns it into the
//! process's exit status and prints the fatal error, so no stage prints-and-exits deep inside
//! the pipeline. Exit status: 0 success, 1 the input has errors, 2 wrong usage.

/// A failure that stops a command: its exit status and message. An empty message means the
/// problem was already reported (as diagnostics).
#[derive(Debug)]
pub struct Fatal {
    pub code: u8,
    pub message: String,
}

impl Fatal {
    /// The input (or the disk) is wrong: exit 1.
    pub fn input(message: impl Into<String>) -> Fatal {
        Fatal {
            code: 1,
            message: message.into(),
        }
    }

    /// The command line is wrong: exit 2.
    pub fn usage(message: impl Into<String>) -> Fatal {
        Fatal {
            code: 2,
            message: message.into(),
        }
    }
}

/// A command that ran to its end: it either found nothing wrong or reported problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// Problems were reported (diagnostics, verify findings): exit 1.
    Problems,
}

impl Outcome {
    pub fn problems_if(found: bool) -> Outcome {
        if found {
            Outcome::Problems
        } else {
            Outcome::Success
        }
    }
}

pub type Exit = Result<Outcome, Fatal>;

/// The exit status of a command's result, printing a fatal error's message.
pub fn status(exit: Exit) -> u8 {
    match exit {
        Ok(Outcome::Success) => 0,
        Ok(Outcome::Problems) => 1,
        Err(f) => {
            if !f.message.is_empty() {
                eprintln!("error: {}", f.message);
            }
            f.code
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(status(Ok(Outcome::Success)), 0);
        assert_eq!(status(Ok(Outcome::problems_if(true))), 1);
        assert_eq!(status(Err(Fatal::usage(""))), 2);
        assert_eq!(status(Err(Fatal::input(""))), 1);
    }
}
