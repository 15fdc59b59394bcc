//! Inbound-call webhooks (issue 15): what a CPaaS provider sends when a call arrives on a test
//! number, turned into what the verifier takes; the provider's request-signature base strings;
//! the one sentence spoken back to the caller; and the record kept in the per-number history.
//!
//! Sans-IO like the rest of the core: the worker reads the body, does the HMAC / Ed25519 with
//! WebCrypto over the bytes this module names, stores the record. Which fields each provider
//! sends is documented in worker/README.md ("Set up a test number").

use crate::summary::CallOutcome;
use crate::verdict::Verdict;
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt;

/// Webhook bodies larger than this are refused (413) before they are read whole. A Twilio voice
/// webhook with a PASSporT is ~2 KiB; a whole SIP INVITE on `/api/calls` fits many times over.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// A Telnyx webhook whose signed `telnyx-timestamp` is further than this from now is refused
/// (replay protection; Telnyx's own libraries use the same 5 minutes).
pub const TELNYX_TOLERANCE_S: i64 = 300;
/// Calls kept per presented number unless the tenant sets `max_calls`.
pub const DEFAULT_CALLS_PER_NUMBER: u32 = 50;
/// Upper bound a tenant may set for `max_calls`.
pub const MAX_CALLS_PER_NUMBER: u32 = 1000;
/// Days a call is kept unless the tenant sets `retention_days`.
pub const DEFAULT_RETENTION_DAYS: u32 = 90;
/// A stored check detail is cut to this many characters (it is engine text, for the report).
const MAX_DETAIL_CHARS: usize = 400;

/// Who delivered the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// A Twilio voice webhook (form-encoded).
    Twilio,
    /// A Bandwidth voice callback (JSON).
    Bandwidth,
    /// A Telnyx call webhook (JSON, Ed25519-signed).
    Telnyx,
    /// `POST /api/calls` (SBC logs, scripts).
    Api,
}

/// One inbound call as a provider described it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InboundCall {
    /// The provider's call id (CallSid, callId, call_control_id, …).
    pub call_id: Option<String>,
    /// Canonical calling number as the provider saw it.
    pub from: Option<String>,
    /// Canonical called number.
    pub to: Option<String>,
    /// The Identity header value (or bare PASSporT) the provider passed on, if any.
    pub identity: Option<String>,
    /// A whole SIP message (`/api/calls` `sip`), used instead of from/to/identity.
    pub sip: Option<String>,
    /// Verification time the caller asked for (`/api/calls` `time`), unix seconds.
    pub time: Option<i64>,
    /// What the provider's own verifier said (kept beside ours, never trusted for the verdict).
    pub provider_verstat: Option<String>,
    /// The attestation level the provider's own verifier reported, if any.
    pub provider_attest: Option<String>,
}

/// A webhook body that cannot be read: the client's mistake (400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookError {
    /// The body is not valid JSON (the parser's message).
    Json(String),
    /// The body, or the named member, is not a JSON object.
    NotObject(&'static str),
    /// A required field (named) is absent.
    Missing(&'static str),
    /// A field (named) has an unusable value, and why.
    Invalid(&'static str, String),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::Json(e) => write!(f, "the body is not valid JSON: {e}"),
            WebhookError::NotObject(what) => write!(f, "{what} must be a JSON object"),
            WebhookError::Missing(field) => write!(f, "\"{field}\" is required"),
            WebhookError::Invalid(field, why) => write!(f, "\"{field}\" {why}"),
        }
    }
}

impl std::error::Error for WebhookError {}

// ---------------------------------------------------------------------------------------------
// Twilio

/// The parameters of an `application/x-www-form-urlencoded` body, in order.
pub fn form_params(body: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(body.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// What Twilio signs with the account's auth token (HMAC-SHA1, base64, in
/// `X-Twilio-Signature`): the full URL it called, then every POST parameter sorted by name
/// (byte order), each as name immediately followed by value.
pub fn twilio_signature_base(url: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut s = String::with_capacity(
        url.len() + params.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>(),
    );
    s.push_str(url);
    for (k, v) in sorted {
        s.push_str(k);
        s.push_str(v);
    }
    s
}

/// A Twilio voice webhook: `From`, `To`, `CallSid`, and for a signed call `StirPassportToken`
/// (the PASSporT) and `StirVerstat` (Twilio's own verification result).
pub fn twilio_call(params: &[(String, String)]) -> Result<InboundCall, WebhookError> {
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    Ok(InboundCall {
        call_id: get("CallSid").map(str::to_string),
        from: get("From").and_then(number),
        to: get("To").and_then(number),
        identity: get("StirPassportToken").map(checked_identity).transpose()?,
        provider_verstat: get("StirVerstat").map(str::to_string),
        ..InboundCall::default()
    })
}

// ---------------------------------------------------------------------------------------------
// Bandwidth

/// A Bandwidth Voice `initiate` callback: `from`, `to`, `callId`, and `stirShaken` with
/// `verstat`, `attestationIndicator`, `originatingId` and (when the call was signed) `identity`.
pub fn bandwidth_call(body: &str) -> Result<InboundCall, WebhookError> {
    let root = object(body, "the callback")?;
    let stir = root.get("stirShaken").and_then(Value::as_object);
    Ok(InboundCall {
        call_id: str_field(Some(&root), "callId").map(str::to_string),
        from: str_field(Some(&root), "from").and_then(number),
        to: str_field(Some(&root), "to").and_then(number),
        identity: str_field(stir, "identity")
            .map(checked_identity)
            .transpose()?,
        provider_verstat: str_field(stir, "verstat").map(str::to_string),
        provider_attest: str_field(stir, "attestationIndicator").map(str::to_string),
        ..InboundCall::default()
    })
}

// ---------------------------------------------------------------------------------------------
// Telnyx

/// What Telnyx signs with its Ed25519 key (`telnyx-signature-ed25519`, base64): the
/// `telnyx-timestamp` header, a `|`, then the raw body. `None` when the timestamp is not whole
/// unix seconds or is further than [`TELNYX_TOLERANCE_S`] from `now` (a replayed webhook).
pub fn telnyx_signed_message(timestamp: &str, body: &str, now: i64) -> Option<String> {
    let ts: i64 = timestamp.trim().parse().ok()?;
    if (now - ts).abs() > TELNYX_TOLERANCE_S {
        return None;
    }
    Some(format!("{}|{body}", timestamp.trim()))
}

/// A Telnyx Call Control `call.initiated` event: `data.payload` with `from`, `to`,
/// `call_control_id`, `shaken_stir_attestation`, `shaken_stir_validated` and `custom_headers`
/// (`[{name, value}]`), where an `Identity` header is looked for.
pub fn telnyx_call(body: &str) -> Result<InboundCall, WebhookError> {
    let root = object(body, "the webhook")?;
    let data = root
        .get("data")
        .and_then(Value::as_object)
        .ok_or(WebhookError::NotObject("\"data\""))?;
    let payload = data
        .get("payload")
        .and_then(Value::as_object)
        .ok_or(WebhookError::NotObject("\"data.payload\""))?;
    let field = |k: &str| str_field(Some(payload), k);
    let identity = payload
        .get("custom_headers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|h| {
            h.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case("identity"))
        })
        .and_then(|h| h.get("value").and_then(Value::as_str))
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let validated = match payload.get("shaken_stir_validated") {
        Some(Value::Bool(true)) => Some("validated".to_string()),
        Some(Value::Bool(false)) => Some("not validated".to_string()),
        _ => None,
    };
    Ok(InboundCall {
        call_id: field("call_control_id").map(str::to_string),
        from: field("from").and_then(number),
        to: field("to").and_then(number),
        identity: identity.map(checked_identity).transpose()?,
        provider_verstat: validated,
        provider_attest: field("shaken_stir_attestation").map(str::to_string),
        ..InboundCall::default()
    })
}

fn str_field<'a>(m: Option<&'a Map<String, Value>>, k: &str) -> Option<&'a str> {
    m.and_then(|m| m.get(k))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Is this Telnyx event one that describes a new inbound call (the others are acknowledged only)?
pub fn telnyx_is_inbound_call(body: &str) -> bool {
    let Ok(v) = serde_json::from_str::<Value>(body) else {
        return false;
    };
    v.pointer("/data/event_type").and_then(Value::as_str) == Some("call.initiated")
        && v.pointer("/data/payload/direction")
            .and_then(Value::as_str)
            .is_none_or(|d| d == "incoming")
}

// ---------------------------------------------------------------------------------------------
// Generic: POST /api/calls

/// `{ "identity" | "sip", "from"?, "to"?, "time"? }`: an Identity header value (or bare
/// PASSporT) with the call's numbers, or a whole SIP message; `time` = when the call arrived.
/// A call without either is an unsigned call and is recorded as such.
pub fn api_call(body: &str) -> Result<InboundCall, WebhookError> {
    let root = object(body, "the body")?;
    let text = |k: &'static str| -> Result<Option<&str>, WebhookError> {
        match root.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim()).filter(|s| !s.is_empty())),
            Some(_) => Err(WebhookError::Invalid(k, "must be a string".into())),
        }
    };
    let num = |k: &'static str| -> Result<Option<String>, WebhookError> {
        text(k)?
            .map(|s| {
                number(s)
                    .ok_or_else(|| WebhookError::Invalid(k, "is not a telephone number".into()))
            })
            .transpose()
    };
    let time = match root.get("time") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_f64() {
            Some(t) if t.is_finite() && (0.0..1e11).contains(&t) => Some(t.floor() as i64),
            _ => return Err(WebhookError::Invalid("time", "must be unix seconds".into())),
        },
        Some(_) => return Err(WebhookError::Invalid("time", "must be unix seconds".into())),
    };
    let identity = text("identity")?.map(checked_identity).transpose()?;
    let sip = text("sip")?.map(str::to_string);
    if identity.is_some() && sip.is_some() {
        return Err(WebhookError::Invalid(
            "sip",
            "cannot be sent together with \"identity\"".into(),
        ));
    }
    let from = num("from")?;
    if sip.is_none() && from.is_none() {
        return Err(WebhookError::Missing("from"));
    }
    Ok(InboundCall {
        call_id: text("call_id")?.map(str::to_string),
        from,
        to: num("to")?,
        identity,
        sip,
        time,
        ..InboundCall::default()
    })
}

impl InboundCall {
    /// The text the verifier takes: the SIP message as given, or the call's From/To as SIP header
    /// lines (so `call.orig`/`call.dest` compare with them) and the Identity header. Without an
    /// identity this is a call the core answers as unsigned.
    pub fn input(&self) -> String {
        if let Some(sip) = &self.sip {
            return sip.clone();
        }
        let mut s = String::new();
        if let Some(from) = &self.from {
            s.push_str(&format!("From: <tel:+{from}>\r\n"));
        }
        if let Some(to) = &self.to {
            s.push_str(&format!("To: <tel:+{to}>\r\n"));
        }
        if let Some(id) = &self.identity {
            s.push_str("Identity: ");
            s.push_str(id);
            s.push_str("\r\n");
        }
        s
    }
}

// ---------------------------------------------------------------------------------------------
// What the caller hears

/// The sentence for a call a provider delivered: [`spoken`], except that a call stircheck got no
/// PASSporT for, but whose provider says it verified one, says so — the provider stripped or did
/// not pass on the signature, which is not the same as a call that arrived unsigned.
pub fn spoken_for(v: &Verdict, call: &InboundCall, provider: Provider) -> String {
    if v.outcome == CallOutcome::Unsigned && call.identity.is_none() && call.sip.is_none() {
        let name = match provider {
            Provider::Twilio => "Twilio",
            Provider::Bandwidth => "Bandwidth",
            Provider::Telnyx => "Telnyx",
            Provider::Api => "the sender",
        };
        let level = call
            .provider_attest
            .as_deref()
            .filter(|a| matches!(*a, "A" | "B" | "C"));
        let passed = call
            .provider_verstat
            .as_deref()
            .is_some_and(|s| s.contains("Passed") || s == "validated");
        match (level, passed) {
            (Some(l), _) => {
                return format!(
                    "{name} passed on no signature, so stircheck could not check this call; {name} reported level {l}."
                );
            }
            (None, true) => {
                return format!(
                    "{name} passed on no signature, so stircheck could not check this call; {name} reported that it verified it."
                );
            }
            _ => {}
        }
    }
    spoken(v)
}

/// One sentence for text-to-speech: level and signer when verified, else what went wrong, from
/// the verdict's own summary words.
pub fn spoken(v: &Verdict) -> String {
    let org = v
        .signer
        .as_ref()
        .and_then(|s| s.organization.as_deref().or(s.common_name.as_deref()))
        .map(str::trim)
        .filter(|o| !o.is_empty());
    match v.outcome {
        CallOutcome::Verified => {
            let by = org.map(|o| format!(" by {o}")).unwrap_or_default();
            match v.attest.as_deref() {
                Some(level) => format!("This call was signed at level {level}{by}; the signature checks out."),
                None => format!("This call was signed{by}; the signature checks out."),
            }
        }
        CallOutcome::Unsigned => "This call arrived unsigned: it carried no STIR/SHAKEN signature.".to_string(),
        CallOutcome::Unverified => "This call was signed, but its certificate could not be downloaded, so the signature could not be checked.".to_string(),
        CallOutcome::Failed => {
            let by = org.map(|o| format!(" by {o}")).unwrap_or_default();
            format!("This call was signed{by}, but the signature does not check out: {}.", lower_first(&v.summary.headline))
        }
    }
}

/// TwiML that says `sentence` and hangs up (Twilio; Telnyx TeXML reads the same).
pub fn twiml(sentence: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Say>{}</Say><Hangup/></Response>\n",
        xml_text(sentence)
    )
}

/// BXML (Bandwidth) that speaks `sentence` and hangs up.
pub fn bxml(sentence: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><SpeakSentence>{}</SpeakSentence><Hangup/></Response>\n",
        xml_text(sentence)
    )
}

fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn lower_first(s: &str) -> String {
    let s = s.trim_end_matches('.');
    let mut chars = s.chars();
    match chars.next() {
        // "The call showed…" -> "the call showed…"; an acronym ("PASSporT") keeps its case.
        Some(c) if c.is_uppercase() && !chars.clone().next().is_some_and(char::is_uppercase) => {
            c.to_lowercase().chain(chars).collect()
        }
        _ => s.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// The history record

/// What the per-number history keeps of one call: the verdict's answer, never the raw token
/// unless the tenant chose to keep it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallRecord {
    /// When the call was received, unix seconds.
    pub received_at: i64,
    /// Who delivered the call.
    pub provider: Provider,
    /// The provider's call id.
    pub call_id: Option<String>,
    /// The presented (calling) number the call is filed under.
    pub number: String,
    /// The called number, from the provider or else the SIP message.
    pub to: Option<String>,
    /// The answer for a person (verified / failed / unverified / unsigned).
    pub outcome: CallOutcome,
    /// The call-level status.
    pub status: crate::verdict::Status,
    /// The attestation level, only when the call verified.
    pub attest: Option<String>,
    /// The level the PASSporT claimed although it did not verify.
    pub claimed_attest: Option<String>,
    /// A PASSporT's claims could be read (false for unsigned and unreadable calls).
    pub passport: bool,
    /// "Company (SPC X)".
    pub signer: Option<String>,
    /// The signer's SPC, from its certificate.
    pub spc: Option<String>,
    /// The signer's organization, from its certificate.
    pub organization: Option<String>,
    /// Id of the check that decided a failure (the first failing one).
    pub failed_check: Option<crate::CheckId>,
    /// That check's detail, cut to a few hundred characters.
    pub failure_detail: Option<String>,
    /// The summary's one plain sentence.
    pub headline: String,
    /// The summary's next step, if any.
    pub action: Option<String>,
    /// The verdict's reason, cut to a few hundred characters.
    pub reason: String,
    /// The SIP code a rejecting verifier would send.
    pub sip_code: Option<u16>,
    /// The verstat to send on, as its wire string.
    pub verstat: &'static str,
    /// Signed calling / called numbers.
    pub orig: Option<String>,
    /// Canonical called numbers the deciding PASSporT signed.
    pub dest: Vec<String>,
    /// The deciding PASSporT's `x5u` certificate URL.
    pub x5u: Option<String>,
    /// The deciding PASSporT's issued-at time, unix seconds.
    pub iat: Option<i64>,
    /// The verification time, unix seconds.
    pub verified_at: i64,
    /// What the provider's own verifier said (kept beside ours, never trusted).
    pub provider_verstat: Option<String>,
    /// The attestation level the provider's own verifier reported.
    pub provider_attest: Option<String>,
    /// The raw Identity header, only when the tenant chose to keep tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// The record for `call`, verified as `v`. Filed under the provider's calling number, else the
/// SIP message's, else the signed `orig`; "unknown" when none was given.
pub fn record(
    v: &Verdict,
    call: &InboundCall,
    provider: Provider,
    received_at: i64,
    keep_token: bool,
) -> CallRecord {
    let decider = v
        .identities
        .iter()
        .find(|i| {
            matches!(
                i.role,
                crate::verdict::Role::Shaken | crate::verdict::Role::Base
            ) && i.claims.is_some()
        })
        .or_else(|| v.identities.first());
    let claims = decider.and_then(|d| d.claims.as_ref());
    let failure = v.first_failure();
    let number = call
        .from
        .clone()
        .or_else(|| v.call.as_ref().and_then(|c| c.orig_tn.clone()))
        .or_else(|| v.summary.orig.clone())
        .unwrap_or_else(|| "unknown".to_string());
    let valid = v.status == crate::verdict::Status::Valid;
    CallRecord {
        received_at,
        provider,
        call_id: call.call_id.clone(),
        number,
        to: call
            .to
            .clone()
            .or_else(|| v.call.as_ref().and_then(|c| c.dest_tn.clone())),
        outcome: v.outcome,
        status: v.status,
        attest: if valid { v.attest.clone() } else { None },
        claimed_attest: if valid {
            None
        } else {
            claims
                .and_then(|c| c.get("attest"))
                .and_then(Value::as_str)
                .map(str::to_string)
        },
        passport: claims.is_some(),
        signer: v.summary.signer.clone(),
        spc: v.signer.as_ref().and_then(|s| s.spc.clone()),
        organization: v.signer.as_ref().and_then(|s| s.organization.clone()),
        failed_check: failure.map(|c| c.id),
        failure_detail: failure.map(|c| c.detail.chars().take(MAX_DETAIL_CHARS).collect()),
        headline: v.summary.headline.clone(),
        action: v.summary.action.clone(),
        reason: v.reason.chars().take(MAX_DETAIL_CHARS).collect(),
        sip_code: v.sip_code,
        verstat: v.verstat_str(),
        orig: v.summary.orig.clone(),
        dest: v.summary.dest.clone().unwrap_or_default(),
        x5u: decider.and_then(|d| d.x5u.clone()),
        iat: decider.and_then(|d| d.iat),
        verified_at: v.verified_at,
        provider_verstat: call.provider_verstat.clone(),
        provider_attest: call.provider_attest.clone(),
        token: if keep_token {
            call.identity.clone()
        } else {
            None
        },
    }
}

// ---------------------------------------------------------------------------------------------

fn object(body: &str, what: &'static str) -> Result<Map<String, Value>, WebhookError> {
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(WebhookError::NotObject(what)),
        Err(e) => Err(WebhookError::Json(e.to_string())),
    }
}

/// A provider's number (`+12155551212`, `12155551212`, `sip:+1215…@host`) in canonical form.
fn number(s: &str) -> Option<String> {
    crate::tn::canonical(s).or_else(|| crate::tn::from_uri(s))
}

/// An identity must stay one header line: a line break would add headers to the verifier input.
fn checked_identity(s: &str) -> Result<String, WebhookError> {
    if crate::text::has_control(s) {
        return Err(WebhookError::Invalid(
            "identity",
            "contains a line break or another control character".into(),
        ));
    }
    if s.len() > crate::limits::MAX_HEADER_BYTES {
        return Err(WebhookError::Invalid(
            "identity",
            format!(
                "is longer than {} KiB",
                crate::limits::MAX_HEADER_BYTES / 1024
            ),
        ));
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twilio_base_string_sorts_params_by_name() {
        // Twilio's documented example: URL, then CallSid, Caller, Digits, From, To (sorted).
        let p = form_params(
            "Digits=1234&To=%2B18005551212&From=%2B14158675310&Caller=%2B14158675310&CallSid=CA1234567890ABCDE",
        );
        let base = twilio_signature_base("https://mycompany.com/myapp.php?foo=1&bar=2", &p);
        assert_eq!(
            base,
            "https://mycompany.com/myapp.php?foo=1&bar=2CallSidCA1234567890ABCDECaller+14158675310Digits1234From+14158675310To+18005551212"
        );
    }

    #[test]
    fn twilio_fields_are_read() {
        let p = form_params(
            "CallSid=CA1&From=%2B12155551212&To=%2B12155551213&StirVerstat=TN-Validation-Passed-A&StirPassportToken=a.b.c",
        );
        let c = twilio_call(&p).unwrap();
        assert_eq!(c.from.as_deref(), Some("12155551212"));
        assert_eq!(c.to.as_deref(), Some("12155551213"));
        assert_eq!(c.identity.as_deref(), Some("a.b.c"));
        assert_eq!(
            c.provider_verstat.as_deref(),
            Some("TN-Validation-Passed-A")
        );
        assert_eq!(
            c.input(),
            "From: <tel:+12155551212>\r\nTo: <tel:+12155551213>\r\nIdentity: a.b.c\r\n"
        );
    }

    #[test]
    fn an_identity_cannot_add_headers() {
        let p = form_params("From=%2B1&StirPassportToken=a.b.c%0D%0AFrom%3A+x");
        assert!(matches!(
            twilio_call(&p),
            Err(WebhookError::Invalid("identity", _))
        ));
    }

    #[test]
    fn telnyx_message_and_replay_window() {
        assert_eq!(
            telnyx_signed_message("1000", "{}", 1100).as_deref(),
            Some("1000|{}")
        );
        assert_eq!(
            telnyx_signed_message("1000", "{}", 1000 + TELNYX_TOLERANCE_S + 1),
            None
        );
        assert_eq!(telnyx_signed_message("10x", "{}", 1000), None);
    }

    #[test]
    fn telnyx_and_bandwidth_bodies() {
        let t = telnyx_call(r#"{"data":{"event_type":"call.initiated","payload":{"from":"+12155551212","to":"+12155551213","call_control_id":"v3:1","shaken_stir_attestation":"A","shaken_stir_validated":true,"custom_headers":[{"name":"Identity","value":"x.y.z;info=<https://a/b>"}]}}}"#).unwrap();
        assert_eq!(t.identity.as_deref(), Some("x.y.z;info=<https://a/b>"));
        assert_eq!(t.provider_attest.as_deref(), Some("A"));
        let b = bandwidth_call(r#"{"eventType":"initiate","from":"+12155551212","to":"+12155551213","callId":"c-1","stirShaken":{"verstat":"TN-Validation-Passed","attestationIndicator":"A","identity":"x.y.z"}}"#).unwrap();
        assert_eq!(b.identity.as_deref(), Some("x.y.z"));
        assert_eq!(b.call_id.as_deref(), Some("c-1"));
        assert!(matches!(
            bandwidth_call("[1]"),
            Err(WebhookError::NotObject(_))
        ));
    }

    #[test]
    fn api_call_fields() {
        assert!(matches!(api_call("{}"), Err(WebhookError::Missing("from"))));
        assert!(matches!(
            api_call(r#"{"from":"abc"}"#),
            Err(WebhookError::Invalid("from", _))
        ));
        assert!(matches!(
            api_call(r#"{"from":"1","time":"x"}"#),
            Err(WebhookError::Invalid("time", _))
        ));
        let c = api_call(r#"{"from":"+1 215 555 1212","time":1700000000.5}"#).unwrap();
        assert_eq!(c.from.as_deref(), Some("12155551212"));
        assert_eq!(c.time, Some(1700000000));
        assert_eq!(c.identity, None);
    }

    #[test]
    fn a_provider_claim_without_a_passport_is_said_as_such() {
        let v = crate::Verifier::new(crate::TrustStore::builtin()).verify_with(
            "From: <tel:+12155551212>\r\nTo: <tel:+12155551213>\r\n",
            &crate::Options::at(1_700_000_000),
            &crate::crypto::RustCrypto,
        );
        assert_eq!(v.outcome, CallOutcome::Unsigned);
        let plain = InboundCall {
            from: Some("12155551212".into()),
            ..InboundCall::default()
        };
        assert_eq!(spoken_for(&v, &plain, Provider::Telnyx), spoken(&v));
        let claimed = InboundCall {
            provider_attest: Some("A".into()),
            ..plain.clone()
        };
        assert_eq!(
            spoken_for(&v, &claimed, Provider::Telnyx),
            "Telnyx passed on no signature, so stircheck could not check this call; Telnyx reported level A."
        );
        let verstat = InboundCall {
            provider_verstat: Some("TN-Validation-Passed-B".into()),
            ..plain
        };
        assert!(
            spoken_for(&v, &verstat, Provider::Twilio)
                .ends_with("Twilio reported that it verified it.")
        );
    }

    #[test]
    fn xml_is_escaped() {
        assert_eq!(
            twiml("A & <B>"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Say>A &amp; &lt;B&gt;</Say><Hangup/></Response>\n"
        );
        assert!(bxml("x").contains("<SpeakSentence>x</SpeakSentence><Hangup/>"));
    }
}
