//! What went wrong in a TLS handshake, in the words of someone who runs a
//! branch's mail account: which certificate, why it is not trusted, and what
//! to do, instead of `UnknownIssuer`.

use rustls::{CertificateError, Error as TlsError};

use super::files::shown;
use crate::date::Date;

/// A failed handshake, as the user should hear of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The other end answered in plain text: not a TLS port.
    PlainText,
    /// The certificate, or the handshake, was refused: the sentence and how
    /// to fix it.
    Refused { reason: String, help: String },
}

/// The TLS error behind `err`, if there is one.
pub fn problem(err: &(dyn std::error::Error + 'static), name: &str) -> Option<Problem> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(error) = cause {
        if let Some(tls) = error.downcast_ref::<TlsError>() {
            return Some(describe(tls, name));
        }
        // An io::Error hides the error it wraps from `source`.
        if let Some(tls) = error
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<TlsError>())
        {
            return Some(describe(tls, name));
        }
        cause = error.source();
    }
    None
}

/// `name`: the name the certificate was checked against.
fn describe(err: &TlsError, name: &str) -> Problem {
    let refused = |reason: String, help: &str| Problem::Refused {
        reason,
        help: help.to_string(),
    };
    match err {
        TlsError::InvalidMessage(_)
        | TlsError::PeerSentOversizedRecord
        | TlsError::InappropriateMessage { .. } => Problem::PlainText,
        TlsError::InvalidCertificate(certificate) => certificate_problem(certificate, name),
        TlsError::NoCertificatesPresented => refused(
            "the server presented no certificate".into(),
            "the server's TLS is not set up: tell whoever runs it",
        ),
        TlsError::PeerIncompatible(_) => refused(
            "the server and this program have no TLS version or cipher in common (TLS 1.2 \
             or newer is needed)"
                .into(),
            "the server's TLS is out of date: tell whoever runs it",
        ),
        TlsError::AlertReceived(alert) => alert_problem(*alert),
        other => refused(
            shown(&other.to_string(), 200),
            "check the server name and port with whoever runs the server",
        ),
    }
}

fn certificate_problem(err: &CertificateError, name: &str) -> Problem {
    let refused = |reason: String, help: String| Problem::Refused { reason, help };
    let ask = "tell whoever runs the server; nothing was sent".to_string();
    match err {
        CertificateError::UnknownIssuer => refused(
            "the server's certificate is signed by an authority this machine does not trust".into(),
            "if the server is yours, give its authority's certificate: SSL_CERT_FILE=ca.pem \
             protest send ..., or install it among the system's certificates; otherwise the \
             server may not be who it claims to be"
                .into(),
        ),
        CertificateError::NotValidForNameContext { presented, .. } => {
            let names: Vec<String> = presented
                .iter()
                .filter_map(|n| presented_name(n))
                .take(4)
                .map(|n| shown(n, 80))
                .collect();
            let reason = match names.as_slice() {
                [] => format!("the server's certificate names no server, not {name}"),
                names => format!(
                    "the server's certificate is for {}, not {name}",
                    names.join(", ")
                ),
            };
            let help = match names.first() {
                Some(first) => format!(
                    "connect by the name the certificate is for (smtp://{first}); through a \
                     tunnel or by address, say which name to check: --tls-name {first}"
                ),
                None => ask,
            };
            refused(reason, help)
        }
        CertificateError::NotValidForName => refused(
            format!("the server's certificate is not for {name}"),
            "connect by the name the certificate is for; through a tunnel or by address, say \
             which name to check with --tls-name NAME"
                .into(),
        ),
        CertificateError::ExpiredContext { not_after, .. } => refused(
            format!(
                "the server's certificate expired on {}",
                day(not_after.as_secs())
            ),
            ask,
        ),
        CertificateError::Expired => refused("the server's certificate has expired".into(), ask),
        CertificateError::NotValidYetContext { not_before, .. } => refused(
            format!(
                "the server's certificate is not valid until {}",
                day(not_before.as_secs())
            ),
            "check this computer's date and time; if they are right, tell whoever runs the \
             server"
                .into(),
        ),
        CertificateError::NotValidYet => refused(
            "the server's certificate is not valid yet".into(),
            "check this computer's date and time".into(),
        ),
        CertificateError::Revoked => refused(
            "the server's certificate has been revoked by its authority".into(),
            ask,
        ),
        // ring refuses an RSA key under 2048 bits as it refuses a bad
        // signature: either may be why.
        CertificateError::BadSignature => refused(
            "the server's certificate does not pass its signature check: its key is too weak \
             (RSA under 2048 bits), or it is damaged or forged"
                .into(),
            ask,
        ),
        CertificateError::UnsupportedSignatureAlgorithmContext { .. }
        | CertificateError::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => refused(
            "the server's certificate is signed in an outdated way that is no longer safe \
             (such as SHA-1) or unknown to this program"
                .into(),
            "the server needs a certificate signed with SHA-256 or newer: tell whoever runs it; \
             nothing was sent"
                .into(),
        ),
        CertificateError::UnhandledCriticalExtension => critical_extension(ask),
        CertificateError::Other(other)
            if other.to_string().contains("UnsupportedCriticalExtension") =>
        {
            critical_extension(ask)
        }
        CertificateError::BadEncoding => {
            refused("the server's certificate cannot be read".into(), ask)
        }
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
            refused(
                "the server's certificate is not one for a server".into(),
                ask,
            )
        }
        CertificateError::Other(other) if other.to_string().contains("CaUsedAsEndEntity") => {
            refused(
                "the server presents an authority's certificate (a CA) as its own; it needs \
                 a certificate issued for the server"
                    .into(),
                ask,
            )
        }
        other => refused(
            format!(
                "the server's certificate is not valid ({})",
                shown(&format!("{other:?}"), 120)
            ),
            ask,
        ),
    }
}

fn critical_extension(help: String) -> Problem {
    Problem::Refused {
        reason: "the server's certificate has a part marked as one that must be understood \
                 (a critical extension) that this program does not know"
            .into(),
        help,
    }
}

/// An alert the server ended the handshake with, in words.
fn alert_problem(alert: rustls::AlertDescription) -> Problem {
    use rustls::AlertDescription as Alert;
    let (reason, help) = match alert {
        Alert::HandshakeFailure | Alert::ProtocolVersion | Alert::InsufficientSecurity => (
            "the server and this program have no TLS version or cipher in common (TLS 1.2 \
             or newer is needed)"
                .to_string(),
            "the server's TLS is out of date: tell whoever runs it",
        ),
        Alert::CertificateRequired => (
            "the server asks for a certificate of the client, which this program does not \
             send"
                .to_string(),
            "use the server's port for mail programs that log in with a password (587 or \
             465), or ask whoever runs it",
        ),
        Alert::UnrecognisedName => (
            "the server does not know the name it was reached by".to_string(),
            "check the server name; through a tunnel, give the real one with --tls-name NAME",
        ),
        other => (
            format!(
                "the server ended the handshake with the TLS alert \"{}\"",
                shown(&words(&format!("{other:?}")), 60)
            ),
            "check the server name and port with whoever runs the server",
        ),
    };
    Problem::Refused {
        reason,
        help: help.to_string(),
    }
}

/// `BadCertificate` as "bad certificate".
fn words(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 8);
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push(' ');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The name in webpki's `DnsName("mail.example.org")` or `IpAddress(192.0.2.1)`.
fn presented_name(text: &str) -> Option<&str> {
    if let Some(dns) = text.strip_prefix("DnsName(\"") {
        return dns.strip_suffix("\")");
    }
    text.strip_prefix("IpAddress(")?.strip_suffix(')')
}

/// `2026-11-30` of a time in seconds since 1970.
fn day(secs: u64) -> String {
    Date::from_days_since_epoch((secs / 86_400) as i64).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(problem: Problem) -> (String, String) {
        match problem {
            Problem::Refused { reason, help } => (reason, help),
            Problem::PlainText => panic!("plain text"),
        }
    }

    #[test]
    fn certificate_errors_are_said_in_words() {
        let (text, help) = reason(describe(
            &TlsError::InvalidCertificate(CertificateError::UnknownIssuer),
            "127.0.0.1",
        ));
        assert_eq!(
            text,
            "the server's certificate is signed by an authority this machine does not trust"
        );
        assert!(help.contains("SSL_CERT_FILE="), "{help}");
        let (text, help) = reason(describe(
            &TlsError::InvalidCertificate(CertificateError::NotValidForNameContext {
                expected: rustls::pki_types::ServerName::try_from("127.0.0.1")
                    .unwrap()
                    .to_owned(),
                presented: vec!["DnsName(\"mail.example.org\")".into()],
            }),
            "127.0.0.1",
        ));
        assert_eq!(
            text,
            "the server's certificate is for mail.example.org, not 127.0.0.1"
        );
        assert!(help.contains("--tls-name"), "{help}");
        let (text, _) = reason(describe(
            &TlsError::InvalidCertificate(CertificateError::UnsupportedSignatureAlgorithmContext {
                signature_algorithm_id: vec![6, 9, 42, 134, 72],
                supported_algorithms: Vec::new(),
            }),
            "x",
        ));
        assert!(text.contains("(such as SHA-1)"), "{text}");
        let (text, _) = reason(describe(
            &TlsError::InvalidCertificate(CertificateError::BadSignature),
            "x",
        ));
        assert!(text.contains("too weak (RSA under 2048 bits)"), "{text}");
        let critical = std::io::Error::other("UnsupportedCriticalExtension");
        let (text, _) = reason(describe(
            &TlsError::InvalidCertificate(CertificateError::Other(rustls::OtherError(
                std::sync::Arc::new(critical),
            ))),
            "x",
        ));
        assert!(text.contains("(a critical extension)"), "{text}");
        for alert in [
            rustls::AlertDescription::HandshakeFailure,
            rustls::AlertDescription::ProtocolVersion,
        ] {
            let (text, _) = reason(describe(&TlsError::AlertReceived(alert), "x"));
            assert!(
                text.contains("no TLS version or cipher in common"),
                "{text}"
            );
        }
        let (text, _) = reason(describe(
            &TlsError::AlertReceived(rustls::AlertDescription::CertificateRequired),
            "x",
        ));
        assert_eq!(
            text,
            "the server asks for a certificate of the client, which this program does not send"
        );
        let (text, _) = reason(describe(
            &TlsError::AlertReceived(rustls::AlertDescription::DecryptError),
            "x",
        ));
        assert_eq!(
            text,
            "the server ended the handshake with the TLS alert \"decrypt error\""
        );
        assert_eq!(
            describe(
                &TlsError::InvalidMessage(rustls::InvalidMessage::InvalidContentType),
                "x"
            ),
            Problem::PlainText
        );
    }
}
