//! The connection to the mail server: TLS, login, and one message at a time
//! with each recipient's answer kept apart.
//!
//! lettre's blocking `SmtpConnection` speaks the protocol; this module
//! decides what each answer means for the run: a refused login or a failed
//! TLS handshake stops everything, a 5xx for one recipient is that
//! recipient's, a 4xx or a dropped connection is worth another try.

use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::transport::smtp::response::Response;
use lettre::Address;

use super::files::{in_quotes, shown};
use super::relay;
use super::stop::{self, Phase};
use super::tls::{self, Problem};

/// How long to wait for the server before taking the connection as dropped.
const TIMEOUT: Duration = Duration::from_secs(60);
/// How long the server may take to answer the end of a message's data: it
/// may be scanning it, and a client that gave up sooner and sent it again
/// would deliver it twice. RFC 5321 section 4.5.3.2.6 asks for 10 minutes.
pub const DATA_END_WAIT: Duration = Duration::from_secs(10 * 60);
/// How long a server may take to greet: a port that speaks TLS from the
/// start says nothing until the client does, and is found out by this.
const GREETING_WAIT: Duration = Duration::from_secs(10);
/// The longest server reply kept, in characters.
const MAX_REPLY: usize = 300;

/// Set to 1, the client requires STARTTLS even from a server on this
/// computer. The tests use it to check the rule for remote servers against a
/// local one; it only ever makes the client stricter.
pub const REQUIRE_TLS_ENV: &str = "PROTEST_SMTP_REQUIRE_TLS";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `smtp://`: plain, then STARTTLS whenever the server offers it,
    /// required unless the server is on this computer.
    StartTls,
    /// `smtps://`: TLS from the first byte.
    Tls,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// The name the certificate is checked against, when it is not `host`
    /// (a tunnel to the real server, a server reached by its address).
    pub tls_name: Option<String>,
}

impl Server {
    /// `smtp://host[:port]` (587 by default) or `smtps://host[:port]` (465).
    pub fn parse(url: &str) -> Result<Server, String> {
        let (security, rest, default_port) = if let Some(rest) = url.strip_prefix("smtp://") {
            (Security::StartTls, rest, 587)
        } else if let Some(rest) = url.strip_prefix("smtps://") {
            (Security::Tls, rest, 465)
        } else {
            return Err(format!(
                "{} is not an SMTP URL: write smtp://HOST:587 (STARTTLS) or smtps://HOST:465 (TLS)",
                in_quotes(url, 100)
            ));
        };
        let rest = rest.trim_end_matches('/');
        if rest.contains('@') {
            // Not echoed: what is before the @ may be a password.
            return Err("the SMTP URL has a user name in it: give the user with --user and the password in PROTEST_SMTP_PASSWORD".into());
        }
        let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
            let (host, after) = v6.split_once(']').ok_or_else(|| {
                format!(
                    "{}: an IPv6 address needs its closing ]",
                    in_quotes(url, 100)
                )
            })?;
            (host, after.strip_prefix(':'))
        } else {
            match rest.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (rest, None),
            }
        };
        if host.is_empty()
            || host.contains(['/', '?', '#', ' '])
            || host.chars().any(char::is_control)
        {
            return Err(format!("{} has no host name", in_quotes(url, 100)));
        }
        let port = match port {
            Some(port) => port.parse().map_err(|_| {
                format!(
                    "{}: the port {} is not a number",
                    in_quotes(url, 100),
                    in_quotes(port, 20)
                )
            })?,
            None => default_port,
        };
        // The ports RFC 8314 gives each way: the other scheme there would wait
        // for a greeting that never comes, or greet a TLS server in plain text.
        match (security, port) {
            (Security::StartTls, 465) => {
                return Err(format!(
                    "port 465 speaks TLS from the start: use smtps://{}:465 (smtp:// is for STARTTLS, on 587)",
                    url_host(host)
                ))
            }
            (Security::Tls, 587) => {
                return Err(format!(
                    "port 587 speaks plain SMTP and then STARTTLS: use smtp://{}:587 (smtps:// is for TLS from the start, on 465)",
                    url_host(host)
                ))
            }
            _ => {}
        }
        Ok(Server {
            host: host.to_string(),
            port,
            security,
            tls_name: None,
        })
    }

    /// A server on this computer: what passes between us never leaves it.
    pub fn is_loopback(&self) -> bool {
        self.host.eq_ignore_ascii_case("localhost")
            || self.host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }

    /// The name the server's certificate must be for.
    pub fn tls_name(&self) -> &str {
        self.tls_name.as_deref().unwrap_or(&self.host)
    }

    /// `smtp://host:port` as the user would write it, with the other scheme.
    fn with_scheme(&self, security: Security) -> String {
        let scheme = match security {
            Security::StartTls => "smtp",
            Security::Tls => "smtps",
        };
        format!("{scheme}://{}:{}", url_host(&self.host), self.port)
    }
}

/// A host as a URL writes it: an IPv6 address in brackets.
fn url_host(host: &str) -> String {
    match host.contains(':') {
        true => format!("[{host}]"),
        false => host.to_string(),
    }
}

/// A failure that no retry mends: what happened and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub reason: String,
    pub help: String,
}

/// Why a step failed, by what the run should do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Login refused, TLS failed or missing, a wrong port: stop at once,
    /// send nothing more.
    Fatal(Refusal),
    /// 4xx or a dropped connection: reconnect and try again later.
    Transient(String),
    /// 5xx for the whole message: it will not go, whatever we try.
    Permanent(String),
    /// The message was handed over and no answer came (a timeout, a
    /// dropped connection): the server may have it, so it is not sent again.
    Unanswered(String),
}

fn fatal(reason: String, help: &str) -> Failure {
    Failure::Fatal(Refusal {
        reason,
        help: help.to_string(),
    })
}

/// What the server did with one message.
#[derive(Debug, Clone, Default)]
pub struct Delivery {
    /// The reply to the end of the data; none when no recipient was accepted.
    pub reply: Option<String>,
    pub accepted: Vec<String>,
    /// Each refused recipient with the server's reply.
    pub rejected: Vec<(String, String)>,
}

pub struct Client {
    server: Server,
    credentials: Option<Credentials>,
    /// The user said the password may cross a connection to this computer
    /// unencrypted (`--insecure-plain-auth`).
    plain_login_here: bool,
    hello: ClientId,
    connection: Option<SmtpConnection>,
    /// Set when the server of this connection sent more than the relay lets through.
    overran: Arc<AtomicBool>,
}

impl Client {
    pub fn new(server: Server, login: Option<(String, String)>, plain_login_here: bool) -> Client {
        Client {
            server,
            credentials: login.map(|(user, password)| Credentials::new(user, password)),
            plain_login_here,
            hello: ClientId::default(),
            connection: None,
            overran: Arc::default(),
        }
    }

    /// Connects, secures and logs in, unless already connected.
    pub fn connect(&mut self) -> Result<(), Failure> {
        if self.connection.as_ref().is_some_and(|c| !c.has_broken()) {
            return Ok(());
        }
        self.connection = None;
        let Some(_talking) = stop::enter(Phase::Talking) else {
            return Err(Failure::Transient("stopped before connecting".into()));
        };
        let result = self.log_in();
        result.map_err(|failure| self.overran_or(failure))
    }

    /// A failure as it was, or, when the server sent more than the relay
    /// lets through, that in its place: the rest is its consequence.
    fn overran_or(&self, failure: Failure) -> Failure {
        if !self.overran.load(Ordering::SeqCst) {
            return failure;
        }
        let reason = format!(
            "{}:{} sent more than {} KiB without ending its reply: it does not speak SMTP as a \
             mail server should",
            self.server.host,
            self.server.port,
            relay::SERVER_BUDGET / 1024
        );
        match failure {
            Failure::Unanswered(_) => Failure::Unanswered(reason),
            _ => Failure::Transient(reason),
        }
    }

    fn log_in(&mut self) -> Result<(), Failure> {
        let mut connection = self.open()?;
        // Greeted: the rest (STARTTLS, a login a slow directory checks) gets
        // the time any answer gets.
        connection
            .set_timeout(Some(TIMEOUT))
            .map_err(|err| Failure::Transient(format!("cannot set a timeout: {err}")))?;
        let server = &self.server;
        if server.security == Security::StartTls {
            if connection.can_starttls() {
                let parameters = self.tls_parameters()?;
                connection
                    .starttls(&parameters, &self.hello)
                    .map_err(|err| match err.status() {
                        Some(_) if err.is_transient() => Failure::Transient(reply_of(&err)),
                        _ => tls_failure(server, "STARTTLS with", &server.host, &err),
                    })?;
            } else if !server.is_loopback()
                || std::env::var_os(REQUIRE_TLS_ENV).is_some_and(|v| v == "1")
            {
                connection.abort();
                return Err(fatal(
                    format!(
                        "{} does not offer STARTTLS: the password and the letters would cross the network unencrypted",
                        server.host
                    ),
                    "use the server's STARTTLS port (587) or smtps://HOST:465; nothing was sent",
                ));
            } else if self.credentials.is_some() && !self.plain_login_here {
                connection.abort();
                return Err(fatal(
                    format!(
                        "{} does not offer STARTTLS: the password would go unencrypted",
                        server.host
                    ),
                    "on this computer that can be safe: say so with --insecure-plain-auth; \
                     nothing was sent",
                ));
            }
        }
        if let Some(credentials) = &self.credentials {
            connection
                .auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .map_err(|err| {
                    if err.is_transient() {
                        Failure::Transient(reply_of(&err))
                    } else if err.status().is_none() && err.is_client() {
                        fatal(
                            format!(
                                "{} offers no way of logging in that this program speaks (AUTH PLAIN or LOGIN)",
                                server.host
                            ),
                            "check the server and port with whoever runs it; nothing was sent",
                        )
                    } else {
                        fatal(
                            format!("{} refused the login: {}", server.host, reply_of(&err)),
                            "check --user and the password, then run again; nothing more was sent",
                        )
                    }
                })?;
        }
        self.connection = Some(connection);
        Ok(())
    }

    fn tls_parameters(&self) -> Result<TlsParameters, Failure> {
        TlsParameters::new_rustls(self.server.tls_name().to_string()).map_err(|err| {
            fatal(
                format!(
                    "TLS cannot be set up for {}: {}",
                    shown(self.server.tls_name(), 100),
                    describe(&err)
                ),
                "give --tls-name a host name (or an IP address)",
            )
        })
    }

    /// The connection, greeted, in TLS for `smtps://`. A port that speaks
    /// the other way than the URL says is found out and named.
    fn open(&mut self) -> Result<SmtpConnection, Failure> {
        let server = &self.server;
        let wrapper = match server.security {
            Security::Tls => Some(self.tls_parameters()?),
            Security::StartTls => None,
        };
        let at = format!("{}:{}", server.host, server.port);
        let relay =
            relay::start((server.host.as_str(), server.port), GREETING_WAIT).map_err(|err| {
                Failure::Transient(format!(
                    "cannot connect to {at}: {}",
                    match err.kind() {
                        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock =>
                            format!("no answer within {} s", GREETING_WAIT.as_secs()),
                        _ => shown(&err.to_string(), MAX_REPLY),
                    }
                ))
            })?;
        self.overran = relay.overflowed;
        let err = match SmtpConnection::connect(
            relay.local,
            Some(GREETING_WAIT),
            &self.hello,
            wrapper.as_ref(),
            None,
        ) {
            Ok(connection) => {
                super::sockets::no_delay();
                return Ok(connection);
            }
            Err(err) => err,
        };
        let server = &self.server;
        if wrapper.is_some() {
            if let Some(problem) = tls::problem(&err, server.tls_name()) {
                return Err(match problem {
                    Problem::PlainText => fatal(
                        format!("{at} answered in plain text, not TLS: this port speaks STARTTLS"),
                        &format!("use {}", server.with_scheme(Security::StartTls)),
                    ),
                    Problem::Refused { reason, help } => {
                        fatal(format!("TLS with {at} failed: {reason}"), &help)
                    }
                });
            }
        } else if timed_out(&err) && self.speaks_tls() {
            return Err(fatal(
                format!("{at} did not greet: this port speaks TLS from the start"),
                &format!("use {}", server.with_scheme(Security::Tls)),
            ));
        }
        Err(Failure::Transient(format!(
            "cannot connect to {at}: {}",
            if timed_out(&err) {
                format!("no answer within {} s", GREETING_WAIT.as_secs())
            } else {
                describe(&err)
            }
        )))
    }

    /// Whether the server, silent in plain text, answers a TLS handshake.
    fn speaks_tls(&self) -> bool {
        let Ok(parameters) = self.tls_parameters() else {
            return false;
        };
        let Ok(relay) = relay::start((self.server.host.as_str(), self.server.port), GREETING_WAIT)
        else {
            return false;
        };
        match SmtpConnection::connect(
            relay.local,
            Some(GREETING_WAIT),
            &self.hello,
            Some(&parameters),
            None,
        ) {
            Ok(mut connection) => {
                connection.abort();
                true
            }
            // A certificate refused is a handshake made: it is TLS.
            Err(err) => matches!(
                tls::problem(&err, self.server.tls_name()),
                Some(Problem::Refused { .. })
            ),
        }
    }

    /// Sends `message` from `from` to each of `to`. A recipient the server
    /// refuses for good is reported in the delivery, and the others still get
    /// the message; a 4xx for any of them defers the whole message. Until
    /// the server's answer, a stop waits (see [`stop`]).
    pub fn send(&mut self, from: &str, to: &[String], message: &[u8]) -> Result<Delivery, Failure> {
        self.connect()?;
        let Some(_delivering) = stop::enter(Phase::Delivering) else {
            return Err(Failure::Transient("stopped before sending".into()));
        };
        let connection = self.connection.as_mut().expect("connected");
        let result = transaction(connection, from, to, message).map_err(|f| self.overran_or(f));
        let connection = self.connection.as_mut().expect("connected");
        if matches!(result, Err(Failure::Transient(_) | Failure::Unanswered(_)))
            || connection.has_broken()
        {
            // Start the next try on a fresh connection.
            if let Some(mut connection) = self.connection.take() {
                connection.abort();
            }
        }
        result
    }

    /// Says goodbye; the messages are already the server's.
    pub fn quit(&mut self) {
        if let Some(mut connection) = self.connection.take() {
            // A server slow to answer a goodbye is not waited for.
            let _ = connection.set_timeout(Some(Duration::from_secs(5)));
            let _ = connection.quit();
        }
    }
}

/// A failed STARTTLS or TLS handshake with `host`, in words.
fn tls_failure(
    server: &Server,
    what: &str,
    host: &str,
    err: &lettre::transport::smtp::Error,
) -> Failure {
    match tls::problem(err, server.tls_name()) {
        Some(Problem::Refused { reason, help }) => {
            fatal(format!("{what} {host} failed: {reason}"), &help)
        }
        _ => fatal(
            format!("{what} {host} failed: {}", describe(err)),
            "check the server and port with whoever runs it; nothing was sent",
        ),
    }
}

/// A read that waited its time out: no greeting came.
fn timed_out(err: &lettre::transport::smtp::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(err);
    while let Some(error) = cause {
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            );
        }
        cause = error.source();
    }
    false
}

fn transaction(
    connection: &mut SmtpConnection,
    from: &str,
    to: &[String],
    message: &[u8],
) -> Result<Delivery, Failure> {
    let sender: Address = from.parse().map_err(|err| {
        Failure::Permanent(format!(
            "the sender {} is not an address: {err}",
            shown(from, 80)
        ))
    })?;
    let mut parameters = Vec::new();
    if !message.is_ascii() {
        if !connection
            .server_info()
            .supports_feature(Extension::EightBitMime)
        {
            return Err(Failure::Permanent(
                "the message has 8-bit text and the server does not take it (no 8BITMIME)".into(),
            ));
        }
        parameters.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    connection
        .command(Mail::new(Some(sender), parameters))
        .map_err(|err| match err.status().map(u16::from) {
            // Every message would get the same answer: stop, do not mark them all refused.
            Some(530) => fatal(
                format!("the server wants a login first ({})", reply_of(&err)),
                "give --user, and the password in PROTEST_SMTP_PASSWORD; nothing more was sent",
            ),
            // A refusal of the sender or of the account (not owned by the
            // login, a quota, a suspension) is no recipient's refusal.
            _ if err.is_permanent() => fatal(
                format!(
                    "the server refused the sender {}: {}",
                    in_quotes(from, 80),
                    reply_of(&err)
                ),
                "send as an address this login may use, e.g. --from \"Branch Name <you@your-domain>\", \
                 or ask whoever runs the server; nothing more was sent and no refusal was recorded",
            ),
            _ => classify(&err),
        })?;

    let mut delivery = Delivery::default();
    for recipient in to {
        let address: Address = match recipient.parse() {
            Ok(address) => address,
            Err(err) => {
                delivery
                    .rejected
                    .push((recipient.clone(), format!("not an address: {err}")));
                continue;
            }
        };
        match connection.command(Rcpt::new(address, Vec::new())) {
            Ok(_) => delivery.accepted.push(recipient.clone()),
            Err(err) => match classify(&err) {
                Failure::Permanent(reply) => delivery.rejected.push((recipient.clone(), reply)),
                other => return Err(reset(connection, other)),
            },
        }
    }
    if delivery.accepted.is_empty() {
        let _ = connection.command(Rset);
        return Ok(delivery);
    }
    // The last moment a stop ends the transaction cleanly: from DATA on,
    // the message is the server's to answer.
    if stop::requested().is_some() {
        return Err(reset(
            connection,
            Failure::Transient("stopped before sending".into()),
        ));
    }
    connection.command(Data).map_err(|err| classify(&err))?;
    // lettre ends the data with CRLF "." CRLF: the message's own last line
    // break is the first CRLF of that, or the server would get an extra blank line.
    let message = message.strip_suffix(b"\r\n").unwrap_or(message);
    connection
        .set_timeout(Some(DATA_END_WAIT))
        .map_err(|err| Failure::Transient(format!("cannot set a timeout: {err}")))?;
    let answer = connection.message(message);
    let _ = connection.set_timeout(Some(TIMEOUT));
    match answer {
        Ok(response) => {
            delivery.reply = Some(reply_text(&response));
            Ok(delivery)
        }
        Err(err) if err.status().is_some() => Err(classify(&err)),
        Err(err) => Err(Failure::Unanswered(if timed_out(&err) {
            format!("no answer within {} minutes", DATA_END_WAIT.as_secs() / 60)
        } else {
            describe(&err)
        })),
    }
}

/// Ends a transaction that will not go on, so the connection can carry the next.
fn reset(connection: &mut SmtpConnection, failure: Failure) -> Failure {
    let _ = connection.command(Rset);
    failure
}

fn classify(err: &lettre::transport::smtp::Error) -> Failure {
    if err.is_permanent() {
        Failure::Permanent(reply_of(err))
    } else if err.is_tls() {
        fatal(
            format!("TLS failed: {}", describe(err)),
            "check the server and port with whoever runs it; nothing more was sent",
        )
    } else {
        Failure::Transient(reply_of(err))
    }
}

/// The server's reply as it gave it ("550 5.1.1 no such user"), or what went
/// wrong on the way; escaped and cut, since a server writes what it likes.
fn reply_of(err: &lettre::transport::smtp::Error) -> String {
    match (err.status(), std::error::Error::source(err)) {
        (Some(code), Some(text)) => shown(&format!("{code} {text}"), MAX_REPLY),
        (Some(code), None) => code.to_string(),
        _ => describe(err),
    }
}

fn reply_text(response: &Response) -> String {
    let text = response.message().collect::<Vec<_>>().join(" ");
    shown(format!("{} {text}", response.code()).trim_end(), MAX_REPLY)
}

/// The error and its causes on one line, escaped and cut.
fn describe(err: &lettre::transport::smtp::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    shown(&text, MAX_REPLY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_smtp_urls() {
        let server = Server::parse("smtp://smtp.example.org").unwrap();
        assert_eq!(
            (server.host.as_str(), server.port, server.security),
            ("smtp.example.org", 587, Security::StartTls)
        );
        let server = Server::parse("smtps://mail.example.org:2465/").unwrap();
        assert_eq!((server.port, server.security), (2465, Security::Tls));
        let server = Server::parse("smtp://[::1]:2525").unwrap();
        assert_eq!((server.host.as_str(), server.port), ("::1", 2525));
        assert!(server.is_loopback());
        assert!(Server::parse("smtp://127.0.0.1:25").unwrap().is_loopback());
        assert!(Server::parse("smtp://localhost").unwrap().is_loopback());
        assert!(!Server::parse("smtp://127.example.org")
            .unwrap()
            .is_loopback());
    }

    #[test]
    fn refuses_urls_that_would_put_a_password_on_the_command_line() {
        let err = Server::parse("smtp://me:secret@smtp.example.org").unwrap_err();
        assert!(err.contains("PROTEST_SMTP_PASSWORD"), "{err}");
        assert!(!err.contains("secret"), "{err}");
        assert!(Server::parse("http://example.org").is_err());
        assert!(Server::parse("smtp://host:port").is_err());
    }

    #[test]
    fn a_port_spoken_the_other_way_is_told_its_scheme() {
        assert_eq!(
            Server::parse("smtp://mail.example.org:465").unwrap_err(),
            "port 465 speaks TLS from the start: use smtps://mail.example.org:465 \
             (smtp:// is for STARTTLS, on 587)"
        );
        assert!(Server::parse("smtps://[::1]:587")
            .unwrap_err()
            .starts_with("port 587 speaks plain SMTP and then STARTTLS: use smtp://[::1]:587"));
        assert!(Server::parse("smtps://mail.example.org").is_ok());
        assert!(Server::parse("smtp://mail.example.org").is_ok());
    }
}
