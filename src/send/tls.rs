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
        TlsError::AlertReceived(alert) => refused(
            format!("the server ended the handshake ({alert:?})"),
            "check the server name and port with whoever runs the server",
        ),
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
        CertificateError::BadSignature => refused(
            "the server's certificate is not signed by the authority it names: it is damaged \
             or forged"
                .into(),
            ask,
        ),
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
        assert_eq!(
            describe(
                &TlsError::InvalidMessage(rustls::InvalidMessage::InvalidContentType),
                "x"
            ),
            Problem::PlainText
        );
    }
}
