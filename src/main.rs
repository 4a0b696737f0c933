use std::process::ExitCode;

fn main() -> ExitCode {
    // Before anything is written to stdout: a completion request answers there.
    protest::cmd::answer_completion_request();
    let cli = protest::cmd::parse();
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
