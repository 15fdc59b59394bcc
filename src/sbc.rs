//! The SBC interface (DESIGN.md "SBC interface (ATIS-1000082 style)"): the JSON an SBC or a
//! softswitch exchanges with an external verification (STI-VS) or signing (STI-AS) service over
//! HTTP, in the `verificationRequest` / `verificationResponse` and `signingRequest` /
//! `signingResponse` shapes of ATIS-1000082 implementations.
//!
//! Everything about that protocol lives here, once: which request fields are needed and how they
//! are typed, the `requestError.serviceException` message ids, how `from`/`to` become the call
//! context that `call.orig`/`call.dest` compare with, and how a [`Verdict`] maps to `verstat`,
//! `reasoncode`, `reasontext` and the RFC 9410 `Reason` header value. The shells only move bytes
//! (read the body under a bound, fetch chains, run the signature jobs, send the answer).

#[cfg(feature = "demo")]
use crate::sign::{self, SignError};
use crate::verdict::{Verdict, Verstat};
use crate::{limits, tn};
#[cfg(feature = "demo")]
use p256::ecdsa::SigningKey;
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt;

/// Bodies above this are refused (413) before they are read whole: a verification request with
/// the 16 Identity headers the core examines fits with room.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// `to.tn` entries: the To number and, after retargeting, the Request-URI number.
pub const MAX_TO: usize = 2;

/// Why a request could not be served. Each kind has one HTTP status and one message id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A mandatory parameter is absent.
    Missing,
    /// A parameter has the wrong type or an unusable value.
    Invalid,
    /// The body is not a JSON object (malformed JSON, not UTF-8, empty).
    Body,
    /// The body is not `application/json`.
    MediaType,
    /// The body is larger than [`MAX_BODY_BYTES`].
    TooLarge,
    /// The HTTP method is not the one the resource takes.
    Method,
    /// No such resource (also: signing is not enabled on this deployment).
    NotFound,
    /// No `Authorization: Bearer` credential was presented.
    Unauthorized,
    /// The credential presented is not the configured one.
    Forbidden,
    /// The operator's configuration cannot serve the request (e.g. an unusable signing key).
    Internal,
}

impl ErrorKind {
    /// The HTTP status this kind is answered with.
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::Missing | ErrorKind::Invalid | ErrorKind::Body => 400,
            ErrorKind::Unauthorized => 401,
            ErrorKind::Forbidden => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::Method => 405,
            ErrorKind::TooLarge => 413,
            ErrorKind::MediaType => 415,
            ErrorKind::Internal => 500,
        }
    }

    /// ATIS-1000082 / OMA-style service exception ids. SVC4000 and SVC4001 are the interface's;
    /// the others number stircheck's own request errors in the same series.
    pub fn message_id(self) -> &'static str {
        match self {
            ErrorKind::Missing => "SVC4000",
            ErrorKind::Invalid => "SVC4001",
            ErrorKind::Body => "SVC4002",
            ErrorKind::MediaType => "SVC4003",
            ErrorKind::TooLarge => "SVC4004",
            ErrorKind::Method => "SVC4005",
            ErrorKind::NotFound => "SVC4006",
            ErrorKind::Unauthorized => "SVC4010",
            ErrorKind::Forbidden => "SVC4011",
            ErrorKind::Internal => "SVC5000",
        }
    }

    /// The kind a shell names (`"too-large"`, …), for errors the shell detects itself.
    pub fn parse(name: &str) -> Option<ErrorKind> {
        Some(match name {
            "missing" => ErrorKind::Missing,
            "invalid" => ErrorKind::Invalid,
            "body" => ErrorKind::Body,
            "media-type" => ErrorKind::MediaType,
            "too-large" => ErrorKind::TooLarge,
            "method" => ErrorKind::Method,
            "not-found" => ErrorKind::NotFound,
            "unauthorized" => ErrorKind::Unauthorized,
            "forbidden" => ErrorKind::Forbidden,
            "internal" => ErrorKind::Internal,
            _ => return None,
        })
    }
}

/// A request error: `{ "requestError": { "serviceException": { messageId, text, variables } } }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestError {
    /// What kind of error, which fixes the HTTP status and message id.
    pub kind: ErrorKind,
    /// What went wrong, in one sentence.
    pub text: String,
    /// The offending parameters, as paths (`verificationRequest.from.tn`).
    pub variables: Vec<String>,
}

impl RequestError {
    /// An error of `kind` with its text and the offending parameter paths.
    pub fn new(kind: ErrorKind, text: impl Into<String>, variables: Vec<String>) -> Self {
        RequestError {
            kind,
            text: text.into(),
            variables,
        }
    }
    fn missing(path: &str) -> Self {
        Self::new(
            ErrorKind::Missing,
            format!("missing mandatory parameter {path}"),
            vec![path.into()],
        )
    }
    fn invalid(path: &str, why: impl fmt::Display) -> Self {
        Self::new(
            ErrorKind::Invalid,
            format!("invalid value for {path}: {why}"),
            vec![path.into()],
        )
    }
    /// The HTTP status to answer with.
    pub fn status(&self) -> u16 {
        self.kind.status()
    }
    /// The response body.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Exception<'a> {
            message_id: &'static str,
            text: &'a str,
            variables: &'a [String],
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body<'a> {
            service_exception: Exception<'a>,
        }
        let body = serde_json::json!({ "requestError": Body {
            service_exception: Exception {
                message_id: self.kind.message_id(),
                text: &self.text,
                variables: &self.variables,
            },
        }});
        body.to_string()
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind.message_id(), self.text)
    }
}

impl std::error::Error for RequestError {}

// ---------------------------------------------------------------------------------------------
// Verification

/// A verification request turned into what the verifier takes: the input text (the Identity
/// headers with the call's From/To, so `call.orig`/`call.dest` compare with them) and the time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationRequest {
    /// The verifier's input: the Identity headers plus the call's From/To.
    pub input: String,
    /// Verification time, unix seconds (the request's `time`).
    pub time: i64,
}

/// A request body as the shell received it (bytes) → its text: the SBC endpoints take UTF-8
/// JSON only, so anything else is the request error `body` (400).
pub fn body_text(body: &[u8]) -> Result<&str, RequestError> {
    std::str::from_utf8(body).map_err(|_| {
        RequestError::new(
            ErrorKind::Body,
            "the request body is not valid UTF-8",
            Vec::new(),
        )
    })
}

/// Parse `{ "verificationRequest": { "from": { "tn" }, "to": { "tn": [...] }, "time",
/// "identity": "..." | [...] } }`. Unknown members are tolerated (implementations add their own).
pub fn verification_request(body: &str) -> Result<VerificationRequest, RequestError> {
    let root = json_object(body)?;
    let req = object(&root, "verificationRequest", "verificationRequest")?;
    let from = number(
        object(req, "from", "verificationRequest.from")?,
        "verificationRequest.from.tn",
    )?;
    let to = numbers(
        object(req, "to", "verificationRequest.to")?,
        "verificationRequest.to.tn",
        MAX_TO,
    )?;
    let time = unix_seconds(req, "time", "verificationRequest.time")?
        .ok_or_else(|| RequestError::missing("verificationRequest.time"))?;
    let identities = identities(req)?;
    Ok(VerificationRequest {
        input: call_input(&from, &to, &identities),
        time,
    })
}

/// The call as SIP header lines the core's input parser reads: From and To as tel URIs (the
/// first `to` number; a second one as the Request-URI of a request line, which `call.dest` also
/// accepts after retargeting), then one Identity header per identity. Values were checked to
/// hold no line breaks, so nothing here can add a header the request did not ask for.
fn call_input(from: &str, to: &[String], identities: &[&str]) -> String {
    let mut s = String::with_capacity(96 + identities.iter().map(|i| i.len() + 12).sum::<usize>());
    if let Some(ruri) = to.get(1) {
        for part in ["INVITE tel:+", ruri, " SIP/2.0\r\n"] {
            s.push_str(part);
        }
    }
    for part in ["From: <tel:+", from, ">\r\nTo: <tel:+", &to[0], ">\r\n"] {
        s.push_str(part);
    }
    for id in identities {
        s.push_str("Identity: ");
        s.push_str(id);
        s.push_str("\r\n");
    }
    s
}

fn identities(req: &Map<String, Value>) -> Result<Vec<&str>, RequestError> {
    const PATH: &str = "verificationRequest.identity";
    let list: Vec<&Value> = match req.get("identity") {
        None | Some(Value::Null) => return Err(RequestError::missing(PATH)),
        Some(v @ Value::String(_)) => vec![v],
        Some(Value::Array(a)) if a.is_empty() => {
            return Err(RequestError::invalid(PATH, "an empty list"));
        }
        Some(Value::Array(a)) if a.len() > limits::MAX_IDENTITY_HEADERS => {
            return Err(RequestError::invalid(
                PATH,
                format!("more than {} identities", limits::MAX_IDENTITY_HEADERS),
            ));
        }
        Some(Value::Array(a)) => a.iter().collect(),
        Some(_) => {
            return Err(RequestError::invalid(
                PATH,
                "must be an Identity header value or a list of them",
            ));
        }
    };
    let mut out = Vec::with_capacity(list.len());
    for (i, v) in list.iter().enumerate() {
        let path = if list.len() == 1 && v.is_string() && req["identity"].is_string() {
            PATH.to_string()
        } else {
            format!("{PATH}[{i}]")
        };
        let Some(s) = v.as_str() else {
            return Err(RequestError::invalid(&path, "must be a string"));
        };
        let s = s.trim();
        if s.is_empty() {
            return Err(RequestError::invalid(&path, "is empty"));
        }
        if crate::text::has_control(s) {
            // A line break would start another header in the input the core parses.
            return Err(RequestError::invalid(
                &path,
                "contains a line break or another control character",
            ));
        }
        if s.len() > limits::MAX_HEADER_BYTES {
            return Err(RequestError::invalid(
                &path,
                format!("is longer than {} KiB", limits::MAX_HEADER_BYTES / 1024),
            ));
        }
        out.push(s);
    }
    Ok(out)
}

/// The verification outcome as the SBC receives it: always a 200.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerificationResponse<'a> {
    /// The outcome, under the `verificationResponse` member.
    #[serde(rename = "verificationResponse")]
    pub response: VerificationOutcome<'a>,
}

/// `verstat` for P-Asserted-Identity/From; the SIP code and phrase a rejecting SBC sends (or puts
/// in a Reason header when it lets the call continue); the verdict's reason; the attestation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerificationOutcome<'a> {
    /// The verstat to put on P-Asserted-Identity/From.
    pub verstat: Verstat,
    /// The SIP code a rejecting SBC sends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasoncode: Option<u16>,
    /// The reason phrase of that SIP code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasontext: Option<&'static str>,
    /// The verdict's reason, in one sentence.
    pub reasondesc: &'a str,
    /// The attestation level (A/B/C), only when valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attest: Option<&'a str>,
    /// The RFC 9410 `Reason` header field value for this outcome (`STIR;cause=438;text="…"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasonheader: Option<String>,
}

impl<'a> VerificationResponse<'a> {
    /// The checklist's mapping, as the verdict already decided it: the code and phrase of the
    /// first failing check, verstat from the verdict mapping, attest only when valid.
    pub fn of(v: &'a Verdict) -> VerificationResponse<'a> {
        VerificationResponse {
            response: VerificationOutcome {
                verstat: v.verstat,
                reasoncode: v.sip_code,
                reasontext: v.sip_reason,
                reasondesc: &v.reason,
                attest: v.attest.as_deref(),
                reasonheader: v
                    .sip_code
                    .zip(v.sip_reason)
                    .map(|(c, t)| reason_header(c, t)),
            },
        }
    }
}

/// RFC 9410 §4: the `Reason` header field value with protocol `STIR` a verifier adds when it lets
/// a call with a failed Identity header continue.
pub fn reason_header(code: u16, phrase: &str) -> String {
    format!("STIR;cause={code};text=\"{phrase}\"")
}

// ---------------------------------------------------------------------------------------------
// Signing

/// What a `signingRequest` asks to sign. Values (attest level, numbers) are judged by
/// [`sign::passport`]; here only presence and types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningRequest {
    /// The attestation level to sign (A, B or C).
    pub attest: String,
    /// The calling number (`orig.tn`).
    pub orig: String,
    /// The called numbers (`dest.tn`).
    pub dest: Vec<String>,
    /// Issued-at time, unix seconds; the current time when absent.
    pub iat: Option<i64>,
    /// The origination id (a UUID); derived from the other claims when absent.
    pub origid: Option<String>,
}

/// Parse `{ "signingRequest": { "attest", "orig": { "tn" }, "dest": { "tn": [...] }, "iat"?,
/// "origid"? } }`.
pub fn signing_request(body: &str) -> Result<SigningRequest, RequestError> {
    let root = json_object(body)?;
    let req = object(&root, "signingRequest", "signingRequest")?;
    let attest = match req.get("attest") {
        None | Some(Value::Null) => return Err(RequestError::missing("signingRequest.attest")),
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            return Err(RequestError::invalid(
                "signingRequest.attest",
                "must be \"A\", \"B\" or \"C\"",
            ));
        }
    };
    let orig = string(
        object(req, "orig", "signingRequest.orig")?,
        "tn",
        "signingRequest.orig.tn",
    )?;
    let dest = strings(
        object(req, "dest", "signingRequest.dest")?,
        "signingRequest.dest.tn",
        limits::MAX_IDENTITY_HEADERS,
    )?;
    let iat = unix_seconds(req, "iat", "signingRequest.iat")?;
    let origid = match req.get("origid") {
        None | Some(Value::Null) => None,
        Some(Value::String(s))
            if !s.is_empty() && s.len() <= 64 && !s.chars().any(char::is_control) =>
        {
            Some(s.clone())
        }
        Some(_) => {
            return Err(RequestError::invalid(
                "signingRequest.origid",
                "must be a UUID string",
            ));
        }
    };
    Ok(SigningRequest {
        attest,
        orig,
        dest,
        iat,
        origid,
    })
}

/// The operator's signing credential, loaded once (per isolate) from the worker's bindings.
#[cfg(feature = "demo")]
pub struct Signer {
    key: SigningKey,
    x5u: String,
}

#[cfg(feature = "demo")]
impl Signer {
    /// `key_pem`: a P-256 private key (PKCS#8 or SEC1 PEM); `x5u`: where its certificate chain
    /// is published (checked against the x5u URL rules: a verifier would refuse anything else).
    pub fn new(key_pem: &str, x5u: &str) -> Result<Signer, SignError> {
        let key = sign::load_key(key_pem)?;
        crate::x5u::check(x5u).map_err(|e| SignError::X5u(e.to_string()))?;
        Ok(Signer {
            key,
            x5u: x5u.to_string(),
        })
    }

    /// Serve one signing request body; `now` is the default iat. Returns the response body.
    pub fn respond(&self, body: &str, now: i64) -> Result<String, RequestError> {
        let r = signing_request(body)?;
        let identity = self.identity(r, now)?;
        Ok(serde_json::json!({ "signingResponse": { "identity": identity } }).to_string())
    }

    /// The Identity header value (without the `Identity:` name) for a request.
    pub fn identity(&self, r: SigningRequest, now: i64) -> Result<String, RequestError> {
        let claims = sign::Claims {
            x5u: self.x5u.clone(),
            attest: r.attest,
            orig: r.orig,
            dest: r.dest,
            iat: r.iat.unwrap_or(now),
            origid: r.origid,
        };
        let line = sign::identity_header(&self.key, &claims).map_err(|e| {
            let path = match &e {
                SignError::Attest(_) => "signingRequest.attest",
                SignError::Number { which: "orig", .. } => "signingRequest.orig.tn",
                SignError::Number { .. } | SignError::NoDest => "signingRequest.dest.tn",
                // The key and x5u were checked when the signer was made; no rcd is signed here.
                SignError::Key(_) | SignError::X5u(_) | SignError::Rcd(_) => {
                    return RequestError::new(ErrorKind::Internal, e.to_string(), Vec::new());
                }
            };
            RequestError::invalid(path, e)
        })?;
        let value = line.split_once(": ").map(|(_, v)| v).unwrap_or(&line);
        Ok(value.to_string())
    }
}

// ---------------------------------------------------------------------------------------------
// Field access with errors that name the field

fn json_object(body: &str) -> Result<Map<String, Value>, RequestError> {
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(RequestError::new(
            ErrorKind::Body,
            "the request body must be a JSON object",
            Vec::new(),
        )),
        Err(e) => Err(RequestError::new(
            ErrorKind::Body,
            format!("the request body is not JSON: {e}"),
            Vec::new(),
        )),
    }
}

fn object<'a>(
    m: &'a Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<&'a Map<String, Value>, RequestError> {
    match m.get(key) {
        None | Some(Value::Null) => Err(RequestError::missing(path)),
        Some(Value::Object(o)) => Ok(o),
        Some(_) => Err(RequestError::invalid(path, "must be an object")),
    }
}

fn string(m: &Map<String, Value>, key: &str, path: &str) -> Result<String, RequestError> {
    match m.get(key) {
        None | Some(Value::Null) => Err(RequestError::missing(path)),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(RequestError::invalid(path, "must be a string")),
    }
}

/// `{ "tn": "<number>" }` → the canonical number.
fn number(m: &Map<String, Value>, path: &str) -> Result<String, RequestError> {
    let s = string(m, "tn", path)?;
    tn::canonical(&s)
        .ok_or_else(|| RequestError::invalid(path, format!("{s:?} is not a telephone number")))
}

/// `{ "tn": ["<number>", ...] }` (1..=max entries) as strings.
fn strings(m: &Map<String, Value>, path: &str, max: usize) -> Result<Vec<String>, RequestError> {
    match m.get("tn") {
        None | Some(Value::Null) => Err(RequestError::missing(path)),
        Some(Value::Array(a)) if a.is_empty() => Err(RequestError::invalid(path, "an empty list")),
        Some(Value::Array(a)) if a.len() > max => Err(RequestError::invalid(
            path,
            format!("more than {max} numbers"),
        )),
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_str().map(str::to_owned).ok_or_else(|| {
                    RequestError::invalid(&format!("{path}[{i}]"), "must be a string")
                })
            })
            .collect(),
        Some(_) => Err(RequestError::invalid(path, "must be a list of numbers")),
    }
}

/// Like [`strings`], each canonicalized.
fn numbers(m: &Map<String, Value>, path: &str, max: usize) -> Result<Vec<String>, RequestError> {
    strings(m, path, max)?
        .iter()
        .enumerate()
        .map(|(i, s)| {
            tn::canonical(s).ok_or_else(|| {
                RequestError::invalid(
                    &format!("{path}[{i}]"),
                    format!("{s:?} is not a telephone number"),
                )
            })
        })
        .collect()
}

/// An optional whole number of unix seconds (0 ..= year 5000).
fn unix_seconds(
    m: &Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<Option<i64>, RequestError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(t) if (0..=95_617_584_000).contains(&t) => Ok(Some(t)),
            _ => Err(RequestError::invalid(
                path,
                "must be a whole number of unix seconds",
            )),
        },
        Some(_) => Err(RequestError::invalid(
            path,
            "must be a number (unix seconds)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_call_becomes_header_lines_with_a_request_line_for_a_second_number() {
        let one = r#"{"verificationRequest":{"from":{"tn":"+1 215 555 1212"},"to":{"tn":["12155551213"]},"time":7,"identity":" a.b.c;info=<https://x/y> "}}"#;
        let r = verification_request(one).unwrap();
        assert_eq!(
            (r.input.as_str(), r.time),
            (
                "From: <tel:+12155551212>\r\nTo: <tel:+12155551213>\r\nIdentity: a.b.c;info=<https://x/y>\r\n",
                7
            )
        );
        let two = r#"{"verificationRequest":{"from":{"tn":"12155551212"},"to":{"tn":["12155551213","12155551214"]},"time":7,"identity":["i1","i2"]}}"#;
        assert_eq!(
            verification_request(two).unwrap().input,
            "INVITE tel:+12155551214 SIP/2.0\r\nFrom: <tel:+12155551212>\r\nTo: <tel:+12155551213>\r\nIdentity: i1\r\nIdentity: i2\r\n"
        );
    }

    #[test]
    fn missing_and_ill_typed_fields_name_the_field() {
        let e = verification_request(
            r#"{"verificationRequest":{"to":{"tn":["1"]},"time":1,"identity":"x"}}"#,
        )
        .unwrap_err();
        assert_eq!((e.kind.message_id(), e.status()), ("SVC4000", 400));
        assert_eq!(e.variables, ["verificationRequest.from"]);
        let e = verification_request(r#"{"verificationRequest":{"from":{"tn":12},"to":{"tn":["1"]},"time":1,"identity":"x"}}"#).unwrap_err();
        assert_eq!(
            (e.kind.message_id(), e.variables.as_slice()),
            (
                "SVC4001",
                ["verificationRequest.from.tn".to_string()].as_slice()
            )
        );
        let e = verification_request(r#"{"verificationRequest":{"from":{"tn":"1"},"to":{"tn":["1"]},"time":"now","identity":"x"}}"#).unwrap_err();
        assert_eq!(e.variables, ["verificationRequest.time"]);
        let e = verification_request("[1]").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Body);
    }

    #[test]
    fn a_body_that_is_not_utf8_is_a_body_error() {
        assert_eq!(body_text(b"{\"a\":1}"), Ok("{\"a\":1}"));
        let e = body_text(b"{\"a\":\"\xff\"}").unwrap_err();
        assert_eq!((e.kind, e.status()), (ErrorKind::Body, 400));
        assert_eq!(e.kind.message_id(), "SVC4002");
        assert!(e.text.contains("not valid UTF-8"), "{}", e.text);
    }

    #[test]
    fn an_identity_cannot_add_headers() {
        let e = verification_request(
            r#"{"verificationRequest":{"from":{"tn":"1"},"to":{"tn":["2"]},"time":1,"identity":["a","b\r\nFrom: <tel:+1>"]}}"#,
        )
        .unwrap_err();
        assert_eq!(e.variables, ["verificationRequest.identity[1]"]);
    }

    #[test]
    fn from_and_to_become_the_call_context() {
        let r = verification_request(
            r#"{"verificationRequest":{"from":{"tn":"+1-215-555-1212"},"to":{"tn":["12155551213","12155550000"]},"time":5,"identity":"tok;info=<https://a.example/x.pem>"}}"#,
        )
        .unwrap();
        assert_eq!(r.time, 5);
        let m = crate::sip::parse(&r.input).unwrap();
        let ctx = m.context.unwrap();
        assert_eq!(ctx.orig_tn.as_deref(), Some("12155551212"));
        assert_eq!(ctx.dest_tn.as_deref(), Some("12155551213"));
        assert_eq!(ctx.request_uri.as_deref(), Some("tel:+12155550000"));
        assert_eq!(m.identities.len(), 1);
    }

    #[test]
    fn request_error_shape() {
        let e = RequestError::missing("verificationRequest.time");
        let v: Value = serde_json::from_str(&e.to_json()).unwrap();
        assert_eq!(
            v["requestError"]["serviceException"]["messageId"],
            "SVC4000"
        );
        assert_eq!(
            v["requestError"]["serviceException"]["variables"][0],
            "verificationRequest.time"
        );
    }

    #[test]
    fn reason_header_is_rfc_9410_shaped() {
        assert_eq!(
            reason_header(438, "Invalid Identity Header"),
            "STIR;cause=438;text=\"Invalid Identity Header\""
        );
    }
}
