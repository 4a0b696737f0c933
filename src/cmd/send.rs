//! `protest send`: deliver email drafts over SMTP, each once.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use super::print::print_json;
use super::prompt;
use crate::config::{self, SmtpConfig};
use crate::error::{Error, ErrorKind, Result};
use crate::send::lock::Lock;
use crate::send::message::{domain, Account};
use crate::send::smtp::{Client, Failure, Server};
use crate::send::{self, trust, Options, Plan, PlanOptions, Rate, Status, Summary};
use crate::text::{count, escape_for_terminal};

/// The environment variable that holds the SMTP password.
const PASSWORD_ENV: &str = "PROTEST_SMTP_PASSWORD";

/// Send email drafts over SMTP: each exactly once, at a polite rate, resumable
#[derive(Debug, Args)]
#[command(after_help = "\
Write first, look, then send: `protest write ... --format eml --out DIR` writes the drafts, you
open a few, and `protest send DIR` delivers them. It asks before sending (--yes does not), and
--dry-run connects and logs in but sends nothing.

The server: --smtp smtp://HOST:587 (STARTTLS, used whenever offered and required unless the
server is on this computer) or smtps://HOST:465, --user NAME. The password only from the
environment variable PROTEST_SMTP_PASSWORD, or from `password_command` in the config file; never
on the command line. The same settings can live in ~/.config/protest/config.toml (yours alone:
chmod 600):

  [smtp]
  url = \"smtp://smtp.example.org:587\"
  user = \"branch@example.org\"
  from = \"Leeds Branch <branch@example.org>\"
  rate = \"20/min\"
  password_command = \"pass show mail/branch\"

From a folder only the drafts `write` listed in its manifest.jsonl, unchanged, are sent; any other
is named and skipped (name a file on its own to send it). Each message is recorded in
send-log.jsonl next to the drafts before and after it goes, by its Message-ID, one run at a time:
a re-run sends only what the server has not accepted or refused for good. A crash at the moment
the server accepts a message can send that one message twice.

Exit codes: 0 all sent, 1 some recipients refused for good (the others were sent), 2 usage,
65 a draft is not an email, 66 a folder without its manifest or no draft left to send, 75 the
server kept deferring or another run is sending (run again later), 77 login, TLS or unsafe
settings refused (nothing more sent), 129/130/143 stopped by SIGHUP/SIGINT/SIGTERM (after the
answer to the message on its way).

Examples:
  protest send drafts/ --smtp smtp://smtp.example.org --user branch@example.org --dry-run
  protest send drafts/ --from \"Leeds Branch <branch@example.org>\" --rate 10/min
  protest send letter.eml --yes --json")]
pub struct SendArgs {
    /// The drafts: a folder written by `write --format eml --out DIR`, .eml files, or an mbox
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The mail server: smtp://HOST:587 (STARTTLS) or smtps://HOST:465 (TLS)
    #[arg(long, value_name = "URL")]
    smtp: Option<String>,
    /// Check the server's certificate against this name: the real server's, through a tunnel
    #[arg(long, value_name = "NAME")]
    tls_name: Option<String>,
    /// Log in without TLS to a server on this computer that does not offer STARTTLS
    #[arg(long)]
    insecure_plain_auth: bool,
    /// The login name (the password: PROTEST_SMTP_PASSWORD or password_command in the config)
    #[arg(long, value_name = "NAME")]
    user: Option<String>,
    /// Send From this account, as "Member via Branch", with Reply-To the member (DMARC)
    #[arg(long, value_name = "ADDRESS")]
    from: Option<String>,
    /// At most this many messages: N/min, N/h, or unlimited [default: 20/min]
    #[arg(long, value_name = "N/min")]
    rate: Option<String>,
    /// Send at most N messages this time; a re-run sends the rest
    #[arg(long, value_name = "N")]
    max: Option<usize>,
    /// Try again the recipients an earlier run saw refused for good (5xx)
    #[arg(long)]
    retry_refused: bool,
    /// Send without asking first
    #[arg(long, short = 'y')]
    yes: bool,
    /// Connect and log in, say what would be sent, and send nothing
    #[arg(long)]
    dry_run: bool,
    /// Print what was sent as JSON on standard output
    #[arg(long)]
    json: bool,
}

impl SendArgs {
    /// `--json` reports on standard output, and `--dry-run` lists there what
    /// would go: refused before anything is sent when it is closed.
    pub(super) fn prints_to_stdout(&self) -> bool {
        self.json || self.dry_run
    }
}

pub fn run(args: SendArgs) -> Result<()> {
    let config_path = config::path();
    let config = match &config_path {
        Some(path) => {
            trust::check_config(path)?;
            config::load(path)?.smtp
        }
        None => SmtpConfig::default(),
    };
    let config_name = config_path.as_ref().map_or_else(
        || "~/.config/protest/config.toml".to_string(),
        |p| p.display().to_string(),
    );

    let url = args.smtp.clone().or(config.url.clone()).ok_or_else(|| {
        Error::usage("which mail server? no --smtp and no url in the [smtp] config").with_help(
            format!("give --smtp smtp://HOST:587, or set url under [smtp] in {config_name}"),
        )
    })?;
    let mut server = Server::parse(&url).map_err(Error::usage)?;
    server.tls_name = args.tls_name.clone().or(config.tls_name.clone());
    if let Some(name) = &server.tls_name {
        if rustls_name(name).is_none() {
            return Err(Error::usage(format!(
                "--tls-name {} is not a host name or an IP address",
                crate::text::quote(&escape_for_terminal(name)).in_double_quotes()
            )));
        }
    }
    if args.insecure_plain_auth && !server.is_loopback() {
        return Err(Error::usage(format!(
            "--insecure-plain-auth is for a server on this computer, and {} is not",
            server.host
        ))
        .with_help("a password sent unencrypted over a network can be read on the way: use the server's STARTTLS or TLS port"));
    }
    let account = args
        .from
        .clone()
        .or(config.from.clone())
        .map(|text| Account::parse(&text))
        .transpose()
        .map_err(Error::usage)?;
    let rate_text = args
        .rate
        .clone()
        .or(config.rate.clone())
        .unwrap_or_else(|| Rate::DEFAULT.to_string());
    let rate = Rate::parse(&rate_text).map_err(|err| Error::usage(format!("--rate: {err}")))?;
    let options = Options {
        account,
        rate,
        max: args.max,
    };

    let mut plan = send::plan(
        &args.paths,
        &PlanOptions {
            lock: !args.dry_run,
            retry_refused: args.retry_refused,
            history: send::log::history_path(),
        },
    )?;
    for skipped in &plan.skipped {
        crate::notice::warn(format!(
            "{}: skipped: {}",
            escape_for_terminal(&skipped.draft),
            escape_for_terminal(&skipped.reason)
        ));
    }
    if plan.sent_elsewhere > 0 {
        crate::notice::warn(format!(
            "{} sent before from another folder (the send history {} records {}): not sent again",
            were(plan.sent_elsewhere),
            plan.history_path()
                .map_or(String::new(), |p| p.display().to_string()),
            if plan.sent_elsewhere == 1 {
                "it"
            } else {
                "them"
            }
        ));
    }
    for pending in plan.pending.iter().filter(|p| p.unanswered_before) {
        crate::notice::warn(format!(
            "{}: an earlier run handed it to the server and stopped before the answer: \
             it may have arrived, and is sent again",
            escape_for_terminal(&pending.name)
        ));
    }
    if plan.pending.is_empty() && plan.already_sent + plan.refused_before == 0 {
        return Err(Error::new(
            ErrorKind::NoInput,
            "no draft to send: every one was skipped (see above)",
        )
        .with_help("name a draft on its own to send it as it is: protest send FILE.eml"));
    }
    if plan.pending.is_empty() {
        let summary = Summary {
            already_sent: plan.already_sent,
            refused_before: plan.refused_before,
            skipped: plan.skipped.clone(),
            ..Summary::default()
        };
        if args.json {
            print_report(&summary, &plan)?;
        }
        crate::notice::note(match plan.refused_before {
            0 => format!(
                "nothing to send: the log says all {} drafts were accepted",
                plan.already_sent
            ),
            refused => format!(
                "nothing to send: the log says {} accepted and {} refused for good in an \
                 earlier run (--retry-refused tries {} again)",
                were(plan.already_sent),
                were(refused),
                if refused == 1 { "it" } else { "them" }
            ),
        });
        return Ok(());
    }

    let user = args.user.clone().or(config.user.clone());
    let login = match user {
        Some(user) => Some((user.clone(), password(&user, &config, &config_name)?)),
        None if std::env::var_os(PASSWORD_ENV).is_some_and(|p| !p.is_empty()) => {
            return Err(
                Error::usage(format!("{PASSWORD_ENV} is set, but no --user to log in as"))
                    .with_help(format!(
                        "give --user NAME, or set user under [smtp] in {config_name}"
                    )),
            );
        }
        None => None,
    };
    warn_about_dmarc(
        &plan,
        &options,
        login.as_ref().map(|(user, _)| user.as_str()),
    );

    let messages = options.max.unwrap_or(usize::MAX).min(plan.pending.len());
    let sender = match (&options.account, &login) {
        (Some(account), _) => account.address.clone(),
        _ => {
            let froms: std::collections::BTreeSet<&str> =
                plan.pending.iter().map(|p| p.from.as_str()).collect();
            match froms.len() {
                1 => froms.into_iter().next().unwrap_or_default().to_string(),
                n => format!("{n} senders (each draft's From)"),
            }
        }
    };
    let mut client = Client::new(server.clone(), login, args.insecure_plain_auth);

    if args.dry_run {
        return dry_run(&plan, &mut client, &server, messages, args.json);
    }
    if !args.yes {
        confirm(&plan, messages, &server, &sender)?;
    }

    let bar = (!args.json && !crate::notice::is_quiet() && std::io::stderr().is_terminal())
        .then(|| progress_bar(messages));
    let started = Instant::now();
    // Refusals are listed once, in the report at the end.
    let (summary, stop) = send::run(&mut plan, &mut client, &options, &mut || {
        if let Some(bar) = &bar {
            bar.inc(1);
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    // A run stopped before its first message says so in its error alone.
    if stop.is_none() || !summary.messages.is_empty() || args.json {
        report(&summary, &plan, &server, started, args.json)?;
    }
    if let Some(err) = stop {
        return Err(match err.kind {
            ErrorKind::Interrupted(_) => err.with_help(format!(
                "to send the rest, run the same command again: {}",
                command_line()
            )),
            _ => err,
        });
    }
    let refused: usize = summary.messages.iter().map(|m| m.rejected.len()).sum();
    if refused > 0 {
        return Err(Error::new(
            ErrorKind::Partial,
            format!(
                "{} refused for good; the server's replies are above and in the log",
                count(refused, "recipient")
            ),
        )
        .with_help("correct the address in the draft (or the directory) and run again: the rest is not sent twice, and the refused are not tried again unless you add --retry-refused"));
    }
    Ok(())
}

/// "1 draft was", "2 drafts were".
fn were(n: usize) -> String {
    match n {
        1 => "1 draft was".to_string(),
        n => format!("{n} drafts were"),
    }
}

/// `name` as rustls takes a server name: a DNS name or an IP address.
fn rustls_name(name: &str) -> Option<()> {
    rustls::pki_types::ServerName::try_from(name)
        .ok()
        .map(|_| ())
}

/// This command as it was typed, quoted for a POSIX shell: to run it again.
fn command_line() -> String {
    std::env::args_os()
        .map(|arg| {
            let arg = arg.to_string_lossy().into_owned();
            let plain = !arg.is_empty()
                && arg
                    .chars()
                    .all(|c| c.is_alphanumeric() || "-_./:=@,+%".contains(c));
            match plain {
                true => arg,
                false => format!("'{}'", arg.replace('\'', "'\\''")),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The password, from the environment or the configured command; never an argument.
fn password(user: &str, config: &SmtpConfig, config_name: &str) -> Result<String> {
    if let Some(password) = std::env::var_os(PASSWORD_ENV).filter(|p| !p.is_empty()) {
        return password
            .into_string()
            .map_err(|_| Error::usage(format!("{PASSWORD_ENV} is not valid UTF-8")));
    }
    let Some(command) = &config.password_command else {
        return Err(Error::usage(format!("no password for {user}"))
            .with_help(format!(
                "set {PASSWORD_ENV}, or password_command under [smtp] in {config_name} (a command that prints it)"
            )));
    };
    trust::password_from(command, config_name)
}

/// Drafts From another domain than the account's are rejected by many
/// providers or filed as spam (DMARC): say so before sending, and how to avoid it.
fn warn_about_dmarc(plan: &Plan, options: &Options, user: Option<&str>) {
    if options.account.is_some() {
        return;
    }
    let Some(account_domain) = user.filter(|u| u.contains('@')).map(domain) else {
        return;
    };
    let outside = plan
        .pending
        .iter()
        .filter(|p| !domain(&p.from).eq_ignore_ascii_case(account_domain))
        .count();
    if outside > 0 {
        crate::notice::warn(format!(
            "{} {} From an address outside {account_domain}, the account's domain: \
             the embassy's mail server may reject {} or file {} as spam (DMARC)\n  \
             help: send with --from \"Branch Name <{}>\": From \"Member via Branch Name\", Reply-To the member",
            count(outside, "draft"),
            if outside == 1 { "is" } else { "are" },
            if outside == 1 { "it" } else { "them" },
            if outside == 1 { "it" } else { "them" },
            user.unwrap_or_default()
        ));
    }
}

fn confirm(plan: &Plan, messages: usize, server: &Server, sender: &str) -> Result<()> {
    let recipients = plan.recipient_addresses();
    let question = format!(
        "Send {} to {recipients} recipient address{} via {} as {sender}?",
        count(messages, "message"),
        if recipients == 1 { "" } else { "es" },
        server.host
    );
    if !prompt::is_interactive() {
        return Err(Error::usage(format!(
            "not sending without a yes: {}",
            question.trim_end_matches('?')
        ))
        .with_help("add --yes to send without asking (try --dry-run first)"));
    }
    if prompt::Prompter::new().confirm(&question, false)? {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Cancelled,
            "cancelled: nothing was sent",
        ))
    }
}

fn dry_run(
    plan: &Plan,
    client: &mut Client,
    server: &Server,
    messages: usize,
    json: bool,
) -> Result<()> {
    client.connect().map_err(|failure| match failure {
        Failure::Transient(reason) | Failure::Unanswered(reason) => {
            Error::new(ErrorKind::TempFail, reason)
                .with_help("check the server's address and port, or try again later")
        }
        Failure::Fatal(refusal) => {
            Error::new(ErrorKind::NoPerm, refusal.reason).with_help(refusal.help)
        }
        Failure::Permanent(reason) => Error::new(ErrorKind::NoPerm, reason)
            .with_help("check the server, --user and the password"),
    })?;
    for log in plan.log_paths() {
        if let Some(holder) = Lock::holder(&log) {
            crate::notice::warn(format!(
                "{}: another `protest send` is using this send log now ({holder}): a run \
                 would wait for it to end",
                log.display()
            ));
        }
    }
    client.quit();
    let would: Vec<_> = plan.pending[..messages]
        .iter()
        .map(|p| {
            serde_json::json!({
                "draft": p.name,
                "message_id": p.message_id,
                "from": p.from,
                "recipients": p.recipients,
            })
        })
        .collect();
    if json {
        print_json(&serde_json::json!({
            "dry_run": true,
            "server": server.host,
            "would_send": would,
            "already_sent": plan.already_sent,
            "refused_before": plan.refused_before,
            "skipped": plan.skipped,
            "left": plan.pending.len() - messages,
        }))?;
    } else {
        let mut text = String::new();
        for p in &plan.pending[..messages] {
            text.push_str(&format!("{}  to {}\n", p.name, p.recipients.join(", ")));
        }
        crate::output::write_stdout(text.as_bytes())?;
    }
    crate::notice::note(format_args!(
        "dry run: connected to {} and logged in; would send {} ({} already sent); sent nothing",
        server.host,
        count(messages, "message"),
        plan.already_sent
    ));
    Ok(())
}

fn report(
    summary: &Summary,
    plan: &Plan,
    server: &Server,
    started: Instant,
    json: bool,
) -> Result<()> {
    if json {
        print_report(summary, plan)?;
    }
    for message in &summary.messages {
        for rejection in &message.rejected {
            crate::notice::say(format_args!(
                "refused: {} to {}: {}",
                escape_for_terminal(&message.draft),
                rejection.recipient,
                rejection.reply
            ));
        }
    }
    // Delivered to all their recipients, to some, to none.
    let all = summary.count(Status::Sent);
    let some = summary.count(Status::Partly);
    let mut line = format!(
        "sent {} via {} in {:.1}s",
        count(all + some, "message"),
        server.host,
        started.elapsed().as_secs_f64()
    );
    if some > 0 {
        line.push_str(&format!(
            " ({all} to all their recipients, {some} to only some)"
        ));
    }
    let unanswered = summary.messages.iter().filter(|m| m.unanswered).count();
    for (count, what) in [
        (
            summary.count(Status::Rejected),
            "refused by every recipient",
        ),
        (summary.count(Status::Deferred) - unanswered, "deferred"),
        (
            unanswered,
            "handed over without an answer (the server may have it)",
        ),
        (summary.already_sent, "already sent before"),
        (
            summary.refused_before,
            "refused in an earlier run (not tried again)",
        ),
        (summary.left, "left for a later run"),
    ] {
        if count > 0 {
            line.push_str(&format!(", {count} {what}"));
        }
    }
    crate::notice::note(line);
    Ok(())
}

/// The run as JSON: the counts, every message, and the logs that record it.
fn print_report(summary: &Summary, plan: &Plan) -> Result<()> {
    #[derive(serde::Serialize)]
    struct Report<'a> {
        sent: usize,
        partly: usize,
        rejected: usize,
        deferred: usize,
        #[serde(flatten)]
        summary: &'a Summary,
        logs: Vec<PathBuf>,
    }
    print_json(&Report {
        sent: summary.count(Status::Sent),
        partly: summary.count(Status::Partly),
        rejected: summary.count(Status::Rejected),
        deferred: summary.count(Status::Deferred),
        summary,
        logs: plan.log_paths(),
    })
}

fn progress_bar(total: usize) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} sent {eta}") {
        bar.set_style(style);
    }
    bar
}
