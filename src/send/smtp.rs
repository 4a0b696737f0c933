//! The connection to the mail server: TLS, login, and one message at a time
//! with each recipient's answer kept apart.
//!
//! lettre's blocking `SmtpConnection` speaks the protocol; this module
//! decides what each answer means for the run: a refused login or a failed
//! TLS handshake stops everything, a 5xx for one recipient is that
//! recipient's, a 4xx or a dropped connection is worth another try.

use std::net::IpAddr;
use std::time::Duration;

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::transport::smtp::response::Response;
use lettre::Address;

/// How long to wait for the server before taking the connection as dropped.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Set to 1, the client requires STARTTLS even from a server on this
/// computer. The tests use it to check the rule for remote servers against a
/// local one; it only ever makes the client stricter.
pub const REQUIRE_TLS_ENV: &str = "PROTEST_SMTP_REQUIRE_TLS";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `smtp://`: plain, then STARTTLS, required unless the server is on
    /// this computer.
    StartTls,
    /// `smtps://`: TLS from the first byte.
    Tls,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub host: String,
    pub port: u16,
    pub security: Security,
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
                crate::text::quote(url).in_double_quotes()
            ));
        };
        let rest = rest.trim_end_matches('/');
        if rest.contains('@') {
            // Not echoed: what is before the @ may be a password.
            return Err("the SMTP URL has a user name in it: give the user with --user and the password in PROTEST_SMTP_PASSWORD".into());
        }
        let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
            let (host, after) = v6
                .split_once(']')
                .ok_or_else(|| format!("\"{url}\": an IPv6 address needs its closing ]"))?;
            (host, after.strip_prefix(':'))
        } else {
            match rest.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (rest, None),
            }
        };
        if host.is_empty() || host.contains(['/', '?', '#', ' ']) {
            return Err(format!("\"{url}\" has no host name"));
        }
        let port = match port {
            Some(port) => port
                .parse()
                .map_err(|_| format!("\"{url}\": the port \"{port}\" is not a number"))?,
            None => default_port,
        };
        Ok(Server {
            host: host.to_string(),
            port,
            security,
        })
    }

    /// A server on this computer: what passes between us never leaves it.
    pub fn is_loopback(&self) -> bool {
        self.host.eq_ignore_ascii_case("localhost")
            || self.host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }

    /// True when STARTTLS is needed before the login and the messages.
    fn needs_starttls(&self) -> bool {
        self.security == Security::StartTls
            && (!self.is_loopback() || std::env::var_os(REQUIRE_TLS_ENV).is_some_and(|v| v == "1"))
    }
}

/// Why a step failed, by what the run should do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Login refused, TLS failed or missing: stop at once, send nothing more.
    Fatal(String),
    /// 4xx or a dropped connection: reconnect and try again later.
    Transient(String),
    /// 5xx for the whole message: it will not go, whatever we try.
    Permanent(String),
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
    hello: ClientId,
    connection: Option<SmtpConnection>,
}

impl Client {
    pub fn new(server: Server, login: Option<(String, String)>) -> Client {
        Client {
            server,
            credentials: login.map(|(user, password)| Credentials::new(user, password)),
            hello: ClientId::default(),
            connection: None,
        }
    }

    /// Connects, secures and logs in, unless already connected.
    pub fn connect(&mut self) -> Result<(), Failure> {
        if self.connection.as_ref().is_some_and(|c| !c.has_broken()) {
            return Ok(());
        }
        self.connection = None;
        let server = &self.server;
        let tls = || {
            TlsParameters::new_rustls(server.host.clone())
                .map_err(|err| Failure::Fatal(format!("TLS cannot be set up: {err}")))
        };
        let wrapper = match server.security {
            Security::Tls => Some(tls()?),
            Security::StartTls => None,
        };
        let address = (server.host.as_str(), server.port);
        let mut connection =
            SmtpConnection::connect(address, Some(TIMEOUT), &self.hello, wrapper.as_ref(), None)
                .map_err(|err| match (wrapper.is_some(), tls_failure(&err)) {
                    (true, true) => Failure::Fatal(format!(
                        "TLS with {}:{} failed: {}",
                        server.host,
                        server.port,
                        describe(&err)
                    )),
                    _ => Failure::Transient(format!(
                        "cannot connect to {}:{}: {}",
                        server.host,
                        server.port,
                        describe(&err)
                    )),
                })?;
        if server.needs_starttls() {
            if !connection.can_starttls() {
                connection.abort();
                return Err(Failure::Fatal(format!(
                    "{} does not offer STARTTLS: the password and the letters would cross the network unencrypted",
                    server.host
                )));
            }
            let parameters = tls()?;
            connection
                .starttls(&parameters, &self.hello)
                .map_err(|err| match err.status() {
                    Some(_) if err.is_transient() => Failure::Transient(reply_of(&err)),
                    _ => Failure::Fatal(format!(
                        "STARTTLS with {} failed: {}",
                        server.host,
                        describe(&err)
                    )),
                })?;
        }
        if let Some(credentials) = &self.credentials {
            connection
                .auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .map_err(|err| {
                    if err.is_transient() {
                        Failure::Transient(reply_of(&err))
                    } else {
                        Failure::Fatal(format!(
                            "{} refused the login: {}",
                            server.host,
                            reply_of(&err)
                        ))
                    }
                })?;
        }
        self.connection = Some(connection);
        Ok(())
    }

    /// Sends `message` from `from` to each of `to`. A recipient the server
    /// refuses for good is reported in the delivery, and the others still get
    /// the message; a 4xx for any of them defers the whole message.
    pub fn send(&mut self, from: &str, to: &[String], message: &[u8]) -> Result<Delivery, Failure> {
        self.connect()?;
        let connection = self.connection.as_mut().expect("connected");
        let result = transaction(connection, from, to, message);
        if matches!(result, Err(Failure::Transient(_))) || connection.has_broken() {
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
            let _ = connection.quit();
        }
    }
}

fn transaction(
    connection: &mut SmtpConnection,
    from: &str,
    to: &[String],
    message: &[u8],
) -> Result<Delivery, Failure> {
    let sender: Address = from
        .parse()
        .map_err(|err| Failure::Permanent(format!("the sender {from} is not an address: {err}")))?;
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
            Some(530) => Failure::Fatal(format!(
                "the server wants a login first ({}): give --user",
                reply_of(&err)
            )),
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
    connection.command(Data).map_err(|err| classify(&err))?;
    // lettre ends the data with CRLF "." CRLF: the message's own last line
    // break is the first CRLF of that, or the server would get an extra blank line.
    let message = message.strip_suffix(b"\r\n").unwrap_or(message);
    match connection.message(message) {
        Ok(response) => {
            delivery.reply = Some(reply_text(&response));
            Ok(delivery)
        }
        Err(err) => Err(classify(&err)),
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
        Failure::Fatal(format!("TLS failed: {}", describe(err)))
    } else {
        Failure::Transient(reply_of(err))
    }
}

/// The server's reply as it gave it ("550 5.1.1 no such user"), or what went
/// wrong on the way.
fn reply_of(err: &lettre::transport::smtp::Error) -> String {
    match (err.status(), std::error::Error::source(err)) {
        (Some(code), Some(text)) => format!("{code} {text}"),
        (Some(code), None) => code.to_string(),
        _ => describe(err),
    }
}

fn reply_text(response: &Response) -> String {
    let text = response.message().collect::<Vec<_>>().join(" ");
    format!("{} {text}", response.code()).trim_end().to_string()
}

/// The error and its causes on one line.
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
    text
}

/// rustls reports a failed handshake on the first read, as invalid data.
fn tls_failure(err: &lettre::transport::smtp::Error) -> bool {
    if err.is_tls() {
        return true;
    }
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return io.kind() == std::io::ErrorKind::InvalidData;
        }
        source = cause.source();
    }
    false
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
}
