//! What a fetched body may be, per kind of URL: a size bound (shells stop reading past it) and
//! the media types a server may label it with. What the bytes must parse as is decided by the
//! kind's own parser (`cert::chain` for x5u, `cert::crl` for CRLs).

use super::FetchKind;
use std::fmt;

/// A CRL distribution point's body: STI-PA CRLs are a few KiB; indirect CRLs can grow.
pub const MAX_CRL_BYTES: usize = 1024 * 1024;
/// Rich Call Data content (`icn` logo, `jcl` card): small by design (RFC 9796 §6).
pub const MAX_RCD_BYTES: usize = 256 * 1024;

/// Why a fetched body is refused before it is parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyProblem {
    /// The server sent an empty body.
    Empty,
    /// The body is larger than the kind allows.
    TooLarge {
        /// What the body was fetched for.
        kind: FetchKind,
        /// The bound, bytes.
        max: usize,
    },
    /// The server labelled it with a media type the kind does not take.
    ContentType {
        /// What the body was fetched for.
        kind: FetchKind,
        /// The Content-Type as sent.
        got: String,
    },
    /// The server sent no Content-Type where the kind needs one.
    NoContentType(FetchKind),
}

impl fmt::Display for BodyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyProblem::Empty => write!(f, "the server sent an empty body"),
            BodyProblem::TooLarge { kind, max } => {
                write!(
                    f,
                    "the {} is larger than {} KiB",
                    kind.body_name(),
                    max / 1024
                )
            }
            BodyProblem::ContentType { kind, got } => write!(
                f,
                "the server labelled it {got:?}, which is not a {} media type",
                kind.body_name()
            ),
            BodyProblem::NoContentType(kind) => {
                write!(
                    f,
                    "the server did not say what media type the {} is",
                    kind.body_name()
                )
            }
        }
    }
}

/// The most bytes a shell may read for `kind`; one byte more is `TooLarge`.
pub fn max_body_bytes(kind: FetchKind) -> usize {
    match kind {
        FetchKind::X5u => crate::limits::MAX_CHAIN_BYTES,
        FetchKind::Crl => MAX_CRL_BYTES,
        FetchKind::RcdContent => MAX_RCD_BYTES,
    }
}

/// The `Accept` header a shell sends for `kind`.
pub fn accept_header(kind: FetchKind) -> &'static str {
    match kind {
        FetchKind::X5u => {
            "application/pem-certificate-chain, application/x-pem-file, application/pkix-cert;q=0.8, */*;q=0.1"
        }
        FetchKind::Crl => "application/pkix-crl, application/x-pem-file;q=0.8, */*;q=0.1",
        FetchKind::RcdContent => "image/png, image/jpeg, image/svg+xml, application/json;q=0.8",
    }
}

/// Media types a repository of `kind` is seen to use. Generic binary/text labels are accepted
/// for certificates and CRLs because many repositories serve them that way; a web page,
/// JSON or an image is not a certificate chain, whatever its bytes happen to contain.
fn allowed(kind: FetchKind) -> &'static [&'static str] {
    const GENERIC: [&str; 3] = [
        "application/octet-stream",
        "binary/octet-stream",
        "text/plain",
    ];
    match kind {
        FetchKind::X5u => &[
            "application/pem-certificate-chain",
            "application/x-pem-file",
            "application/pkix-cert",
            "application/x-x509-ca-cert",
            "application/x-x509-user-cert",
            GENERIC[0],
            GENERIC[1],
            GENERIC[2],
        ],
        FetchKind::Crl => &[
            "application/pkix-crl",
            "application/x-pkcs7-crl",
            "application/x-pem-file",
            GENERIC[0],
            GENERIC[1],
            GENERIC[2],
        ],
        FetchKind::RcdContent => &[
            "image/png",
            "image/jpeg",
            "image/gif",
            "image/webp",
            "image/svg+xml",
            "application/json",
            "application/vcard+json",
        ],
    }
}

/// Checks the server's `Content-Type` (parameters such as `charset` ignored). A missing label is
/// accepted for certificates and CRLs, refused for rcd content (it must say what it is).
pub fn accept_content_type(kind: FetchKind, content_type: Option<&str>) -> Result<(), BodyProblem> {
    let essence = content_type
        .map(|t| {
            t.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|t| !t.is_empty());
    match essence {
        None if kind == FetchKind::RcdContent => Err(BodyProblem::NoContentType(kind)),
        None => Ok(()),
        Some(t) if allowed(kind).contains(&t.as_str()) => Ok(()),
        Some(t) => Err(BodyProblem::ContentType { kind, got: t }),
    }
}

/// The checks every fetched body passes before its parser sees it: size, media type, non-empty.
pub fn accept_body(
    kind: FetchKind,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<(), BodyProblem> {
    let max = max_body_bytes(kind);
    if body.len() > max {
        return Err(BodyProblem::TooLarge { kind, max });
    }
    accept_content_type(kind, content_type)?;
    if body.is_empty() {
        return Err(BodyProblem::Empty);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_media_types_per_kind() {
        let k = FetchKind::X5u;
        assert!(
            accept_body(
                k,
                Some("application/pem-certificate-chain; charset=utf-8"),
                b"x"
            )
            .is_ok()
        );
        assert!(accept_body(k, None, b"x").is_ok());
        assert!(matches!(
            accept_body(k, Some("text/html"), b"x"),
            Err(BodyProblem::ContentType { .. })
        ));
        assert!(matches!(
            accept_body(k, None, &vec![b'a'; 64 * 1024 + 1]),
            Err(BodyProblem::TooLarge { .. })
        ));
        assert_eq!(accept_body(k, None, b""), Err(BodyProblem::Empty));
        assert!(
            accept_body(
                FetchKind::Crl,
                Some("application/pkix-crl"),
                &vec![0; 500_000]
            )
            .is_ok()
        );
        assert!(accept_body(FetchKind::Crl, Some("image/png"), b"x").is_err());
        assert!(accept_body(FetchKind::RcdContent, Some("image/png"), b"x").is_ok());
        assert!(accept_body(FetchKind::RcdContent, None, b"x").is_err());
        assert!(accept_body(FetchKind::RcdContent, Some("text/html"), b"x").is_err());
    }
}
