use std::process::ExitCode;

/// mimalloc: a batch allocates and frees a few dozen strings a letter, on
/// every core, and with the system's allocator that was a quarter of its time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Run as the program is loaded, before the first allocation: mimalloc
/// commits its first arena (a gigabyte) whole on Linux, which tripled the
/// memory of one letter (9 MB to 27 MB); committed as used, it is 11 MB.
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static COMMIT_AS_USED: extern "C" fn() = commit_as_used;

#[cfg(target_os = "linux")]
extern "C" fn commit_as_used() {
    extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    /// `mi_option_arena_eager_commit` in mimalloc 3's `mi_option_t`: the
    /// version is pinned in Cargo.toml for this number.
    const ARENA_EAGER_COMMIT: std::ffi::c_int = 4;
    // SAFETY: sets one of mimalloc's options, which it reads as it allocates.
    unsafe { mi_option_set(ARENA_EAGER_COMMIT, 0) }
}

/// Run as the program is loaded, before Rust's runtime puts /dev/null on a
/// closed standard stream and so hides that it was closed (see `protest::stdio`).
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd",
    target_os = "dragonfly",
    target_os = "illumos",
    target_os = "solaris"
))]
#[used]
#[link_section = ".init_array"]
static NOTE_CLOSED_STREAMS: extern "C" fn() = protest::stdio::note_closed_streams;

#[cfg(target_vendor = "apple")]
#[used]
#[link_section = "__DATA,__mod_init_func"]
static NOTE_CLOSED_STREAMS: extern "C" fn() = protest::stdio::note_closed_streams;

fn main() -> ExitCode {
    // Before anything is written to stdout: a completion request answers there.
    protest::cmd::answer_completion_request();
    let cli = match protest::cmd::try_parse() {
        Ok(cli) => cli,
        // --help and --version print on standard output, as commands do:
        // not into one that is closed, which would look like success.
        Err(err) if !err.use_stderr() && protest::stdio::stdout_closed_at_start() => {
            eprintln!("error: {}", protest::stdio::stdout_closed());
            return ExitCode::from(protest::error::ErrorKind::Io.exit_code() as u8);
        }
        // Clap repeats the value it refuses: cut, when it is very long.
        Err(err) if err.use_stderr() => {
            match protest::text::cut_quoted_values(&err.render().to_string()) {
                Some(message) => {
                    eprint!("{message}");
                    return ExitCode::from(err.exit_code() as u8);
                }
                None => err.exit(),
            }
        }
        // Help and version are output like any command's: one that cannot
        // be written is a failure (74), not the success clap would report.
        Err(err) => {
            return match print_on_stdout(&err) {
                Ok(()) => ExitCode::SUCCESS,
                Err(failure) => {
                    protest::notice::say(format_args!("error: {failure}"));
                    ExitCode::from(failure.kind.exit_code() as u8)
                }
            };
        }
    };
    match protest::cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind == protest::error::ErrorKind::Cancelled => {
            protest::notice::say(&err);
            ExitCode::from(err.kind.exit_code() as u8)
        }
        Err(err) => {
            protest::notice::say(format_args!("error: {err}"));
            ExitCode::from(err.kind.exit_code() as u8)
        }
    }
}

/// Clap's help or version text, written and flushed so that a write that
/// fails is seen.
fn print_on_stdout(text: &clap::Error) -> protest::error::Result<()> {
    use std::io::Write;
    text.print()
        .and_then(|()| std::io::stdout().flush())
        .map_err(protest::output::stdout_error)
}
