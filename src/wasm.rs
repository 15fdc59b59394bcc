//! wasm-bindgen glue: the JS API of docs/js-api.md. Plain JS objects in and out
//! (serde-wasm-bindgen); errors as JS `Error`s with the core's message.

use crate::crypto::CryptoJob;
use crate::trust::TrustStore;
use crate::verify::{self, Options};
use js_sys::{Array, Object, Uint8Array};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
export interface VerifyOptions {
  at?: number; maxAge?: number; asOfCall?: boolean;
  certs?: { [x5u: string]: string }; fetchErrors?: { [x5u: string]: string }; trust?: string[];
  crls?: string[];
  crlsByUrl?: { [crlDistributionPointUrl: string]: string }; crlFetchErrors?: { [crlDistributionPointUrl: string]: string };
  /** rcd content (icn logo, jcl jCard) per URL from rcdUrls(), standard base64 of the fetched bytes. */
  resources?: { [url: string]: string }; resourceFetchErrors?: { [url: string]: string };
}
export interface RcdReport {
  /** Show as the caller's brand ONLY when true (PASSporT verified, every rcdi digest matched). */
  verified: boolean; reason: string; source: "shaken" | "rcd";
  nam: string | null; apn: string | null; crn: string | null;
  icn: { url: string; verified: boolean; content_type: string | null; data: string | null; detail: string } | null;
  jcl: { url: string; verified: boolean; detail: string } | null;
  digests: { pointer: string; alg: string; result: "match" | "mismatch" | "unavailable" | "not-covered"; detail: string }[];
}
export interface CrlReport {
  url: string | null; source: "distribution-point" | "supplied"; issuer: string | null;
  this_update: number | null; next_update: number | null;
  result: "not-revoked" | "revoked" | "stale" | "unusable" | "unavailable" | "not-applicable"; detail: string;
}
export interface Check { id: string; outcome: "pass" | "fail" | "warn" | "skip"; detail: string; spec: string }
export interface ChainEntry { subject: string; issuer: string; not_before: number; not_after: number; sha256: string }
export interface Signer {
  spc: string | null; organization: string | null; common_name: string | null; subject: string; issuer: string;
  issuer_organization: string | null; not_before: number; not_after: number; serial: string; x5u: string;
  chain: ChainEntry[]; anchor: { subject: string; sha256: string } | null;
  delegate?: { tns: string[]; ranges: { start: string; end: string; count: number }[]; count: number;
    issuer_spc: string | null; issuer_org: string | null; nested: number; sentence: string };
  constraints?: { certificate: string; kind: "JWTClaimConstraints" | "EnhancedJWTClaimConstraints";
    must_include: string[]; permitted_values: { claim: string; values: string[] }[]; must_exclude: string[] }[];
}
export interface TrustInfo { source: "built-in" | "custom"; name: string; date: string | null; anchors: { subject: string; sha256: string; not_after: number }[] }
export interface CallContext {
  request_uri: string | null; from: string | null; to: string | null; pai: string | null; date: string | null;
  orig_tn: string | null; dest_tn: string | null; date_unix: number | null;
}
export interface IdentityResult {
  index: number; ppt: string | null; role: "shaken" | "div" | "rcd" | "base" | "unsupported";
  form: "full" | "compact" | "invalid"; token: string; info: string | null; alg: string | null;
  header: any; claims: any; x5u: string | null; iat: number | null;
  status: "valid" | "invalid" | "ignored"; sip_code: number | null; reason: string; checks: Check[]; signer?: Signer;
  revocation?: CrlReport[]; rcd?: RcdReport;
}
export interface Verdict {
  status: "valid" | "invalid" | "no-identity"; attest: "A" | "B" | "C" | null;
  verstat: "TN-Validation-Passed" | "TN-Validation-Failed" | "No-TN-Validation";
  sip_code: number | null; sip_reason: string | null; reason: string; checks: Check[];
  identities: IdentityResult[]; signer: Signer | null; trust: TrustInfo; verified_at: number;
  as_of_call: boolean; max_age: number; call: CallContext | null; revocation: CrlReport[];
  outcome: "verified" | "failed" | "unverified" | "unsigned"; summary: Summary; rcd: RcdReport | null;
}
export interface Summary {
  headline: string; action: string | null; orig: string | null; dest: string[] | null;
  signer: string | null; age_s: number | null;
}
export interface Decoded { kind: string | null; error: string | null; call: CallContext | null; identities: IdentityResult[] }
export interface CryptoJob {
  id: number; alg: "ES256" | "ES384" | "ES512" | "RS256"; curve: "P-256" | "P-384" | "P-521" | null;
  spki: Uint8Array; message: Uint8Array; signature: Uint8Array; purpose: "passport" | "certificate";
}
export interface SignOptions {
  keyPem: string; x5u: string; attest: "A" | "B" | "C"; orig: string; dest: string[]; origid?: string; iat?: number;
  /** Rich call data with rcdi digests; tamper signs a wrong /nam or /icn digest (a tampered demo call). */
  rcd?: { nam?: string; icn?: string; jcl?: string; crn?: string; tamper?: "nam" | "icn" };
  /** The content at rcd.icn / rcd.jcl, standard base64, needed for their digests. */
  rcdResources?: { [url: string]: string };
}
export interface Scenario {
  role: string; relationship: string; number: string; verification: string;
  provider?: "twilio" | "telnyx" | "signalwire" | "plivo" | "vonage" | "other" | null;
  delegate_certificate?: boolean | null; signing_certificate?: "provider-own" | "third-party" | null;
}
export interface Advice {
  attest: "A" | "B" | "C"; why: string; to_reach_a: string[]; caveats: string[]; rule: string;
  changes: { id: string; status: "in-force" | "proposed"; since: string; text: string }[];
  provider_rules?: { provider: string; documents: string; for_you: string; at_most: "A" | "B" | "C" | null; check: string };
}
export interface DemoDelegateOptions {
  tns?: string[]; ranges?: { start: string; count: number }[]; client?: string;
  constraints?: { mustInclude?: string[]; permittedValues?: { claim: string; values: string[] }[]; mustExclude?: string[] };
}
export interface DemoPkiOptions { spc?: string; org?: string; now?: number; days?: number; delegate?: DemoDelegateOptions }
export interface DemoPki { rootPem: string; chainPem: string; keyPem: string; spc: string }
export interface DemoLogo { url: string; pngBase64: string }
export interface SignerTally { signer: string; a?: number; b?: number; c?: number }
export interface NumberTally {
  number: string; a?: number; b?: number; c?: number; failed?: number; unverified?: number;
  unsigned?: number; unreadable?: number; signers?: SignerTally[];
  /** Verified branded names (Verdict rcd.verified → rcd.nam) and calls whose rcd did not verify. */
  brands?: { name: string; calls: number }[]; unverified_brands?: number;
}
export interface NumberAnswer {
  number: string; level: "A" | "B" | "C" | "failed" | "unverified" | "unsigned" | "none"; sentence: string;
  next: { text: string; target: "reach-a" | "failures" | "certificates" | "how-to" } | null;
}
export type FetchKind = "x5u" | "crl" | "rcd";
export interface UrlDecision { ok: boolean; canonical: string | null; reason: string | null; message: string | null }
export interface BodyDecision { ok: boolean; reason: string | null }
export interface FetchLimits { maxBytes: number; accept: string }
export interface ChainInfo {
  ok: boolean; reason: string | null; keyOnly: boolean; count: number; pem: string | null;
  leafNotAfter: number | null; notAfter: number | null;
}
export interface CrlInfo { ok: boolean; reason: string | null; pem: string | null; count: number; thisUpdate: number | null; nextUpdate: number | null }
export interface CacheLimits { minTtl: number; maxTtl: number; negativeTtl: number; maxCrls: number; maxCrlUrls: number }
"#;

fn js_err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// Results cross into JS as one JSON string parsed by the engine: building the same object
/// property by property through the wasm boundary costs several times more per verdict.
fn to_js<T: serde::Serialize>(v: &T) -> Result<JsValue, JsError> {
    let text = serde_json::to_string(v).map_err(js_err)?;
    js_sys::JSON::parse(&text).map_err(|_| js_err("cannot hand the result to JavaScript"))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsOptions {
    at: Option<f64>,
    max_age: Option<f64>,
    as_of_call: Option<bool>,
    certs: Option<HashMap<String, String>>,
    fetch_errors: Option<HashMap<String, String>>,
    trust: Option<Vec<String>>,
    crls: Option<Vec<String>>,
    crls_by_url: Option<HashMap<String, String>>,
    crl_fetch_errors: Option<HashMap<String, String>>,
    resources: Option<HashMap<String, String>>,
    resource_fetch_errors: Option<HashMap<String, String>>,
}

/// Standard base64 (padding optional) of fetched bytes, per URL.
fn base64_map(m: HashMap<String, String>, what: &str) -> Result<HashMap<String, Vec<u8>>, JsError> {
    use base64::Engine;
    let b64 = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    m.into_iter()
        .map(|(url, v)| {
            let bytes = b64.decode(v.trim()).map_err(|e| {
                js_err(format!(
                    "{what}[{url:?}] must be standard base64 of the bytes ({e})"
                ))
            })?;
            Ok((url, bytes))
        })
        .collect()
}

/// serde-wasm-bindgen reads only the fields a struct declares, so `deny_unknown_fields` never
/// fires on a JS object: check its own keys here, so a typo (`asofcall`, `max_age`) is an error
/// instead of a silently ignored option. `allowed` must list the struct's (camelCase) fields.
fn reject_unknown_fields(v: &JsValue, allowed: &[&str], what: &str) -> Result<(), JsError> {
    if !v.is_object() {
        return Ok(());
    }
    for key in Object::keys(v.unchecked_ref::<Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        if !allowed.contains(&key.as_str()) {
            let expected: Vec<String> = allowed.iter().map(|f| format!("`{f}`")).collect();
            return Err(js_err(format!(
                "{what}: unknown field `{key}`, expected one of {}",
                expected.join(", ")
            )));
        }
    }
    Ok(())
}

const OPTION_FIELDS: &[&str] = &[
    "at",
    "maxAge",
    "asOfCall",
    "certs",
    "fetchErrors",
    "trust",
    "crls",
    "crlsByUrl",
    "crlFetchErrors",
    "resources",
    "resourceFetchErrors",
];

fn options(v: JsValue) -> Result<Options, JsError> {
    let o: JsOptions = if v.is_undefined() || v.is_null() {
        JsOptions::default()
    } else {
        reject_unknown_fields(&v, OPTION_FIELDS, "bad options")?;
        serde_wasm_bindgen::from_value(v).map_err(|e| js_err(format!("bad options: {e}")))?
    };
    let now = o.at.unwrap_or_else(|| js_sys::Date::now() / 1000.0);
    if !now.is_finite() || !(0.0..=1e11).contains(&now) {
        return Err(js_err("options.at must be unix seconds"));
    }
    let mut opts = Options::at(now.floor() as i64);
    if let Some(m) = o.max_age {
        if !(0.0..=1e9).contains(&m) {
            return Err(js_err("options.maxAge must be a number of seconds"));
        }
        opts.max_age = m as i64;
    }
    opts.as_of_call = o.as_of_call.unwrap_or(false);
    opts.certs = o
        .certs
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, v.into_bytes()))
        .collect();
    opts.fetch_errors = o.fetch_errors.unwrap_or_default();
    opts.crls = o
        .crls
        .unwrap_or_default()
        .into_iter()
        .map(String::into_bytes)
        .collect();
    // CRL bodies as text: PEM, or base64 of the DER a distribution point serves.
    opts.crls_by_url = o
        .crls_by_url
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, Arc::new(v.into_bytes())))
        .collect();
    opts.crl_fetch_errors = o.crl_fetch_errors.unwrap_or_default();
    opts.resources = base64_map(o.resources.unwrap_or_default(), "options.resources")?;
    opts.resource_fetch_errors = o.resource_fetch_errors.unwrap_or_default();
    if let Some(t) = o.trust {
        opts.trust = Some(Arc::new(trust_store(&t)?));
    }
    Ok(opts)
}

fn trust_store(pems: &[String]) -> Result<TrustStore, JsError> {
    let bundles: Vec<&[u8]> = pems.iter().map(|s| s.as_bytes()).collect();
    TrustStore::from_bundles("custom trust store", &bundles).map_err(js_err)
}

/// A verifier with its trust store and chain cache; keep one per page or isolate.
#[wasm_bindgen]
pub struct Verifier {
    pub(crate) inner: verify::Verifier,
}

#[wasm_bindgen]
impl Verifier {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string[] | null | undefined")] trust: JsValue,
    ) -> Result<Verifier, JsError> {
        let store = if trust.is_null() || trust.is_undefined() {
            TrustStore::builtin()
        } else {
            let pems: Vec<String> = serde_wasm_bindgen::from_value(trust)
                .map_err(|e| js_err(format!("trust must be an array of PEM strings: {e}")))?;
            Arc::new(trust_store(&pems)?)
        };
        Ok(Verifier {
            inner: verify::Verifier::new(store),
        })
    }

    #[wasm_bindgen(js_name = trustInfo, unchecked_return_type = "TrustInfo")]
    pub fn trust_info(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.trust().info())
    }

    /// Phase one of a host-crypto verification: the jobs to run, then `finish`.
    pub fn prepare(
        &self,
        text: &str,
        #[wasm_bindgen(unchecked_param_type = "VerifyOptions | undefined")] options_v: JsValue,
    ) -> Result<Pending, JsError> {
        let opts = options(options_v)?;
        Ok(Pending {
            inner: Some(self.inner.prepare_parsed(parsed_for(text), &opts)),
            verifier: self.inner.clone(),
        })
    }

    #[wasm_bindgen(js_name = cacheSize)]
    pub fn cache_size(&self) -> usize {
        self.inner.cache().len()
    }

    /// Forget validated chains and known CA signatures.
    #[wasm_bindgen(js_name = clearCache)]
    pub fn clear_cache(&self) {
        self.inner.clear_caches()
    }
}

// Only modules built with the core's own crypto (`fallback-crypto`) verify synchronously; the
// page's first module verifies through `prepare` + WebCrypto + `finish` only.
#[cfg(feature = "fallback-crypto")]
#[wasm_bindgen]
impl Verifier {
    /// Verify with the built-in RustCrypto path.
    #[wasm_bindgen(unchecked_return_type = "Verdict")]
    pub fn verify(
        &self,
        text: &str,
        #[wasm_bindgen(unchecked_param_type = "VerifyOptions | undefined")] options_v: JsValue,
    ) -> Result<JsValue, JsError> {
        let opts = options(options_v)?;
        to_js(
            &self
                .inner
                .verify_with(text, &opts, &crate::crypto::RustCrypto),
        )
    }
}

/// Crypto jobs waiting for the host's results.
#[wasm_bindgen]
pub struct Pending {
    pub(crate) inner: Option<verify::Pending>,
    pub(crate) verifier: verify::Verifier,
}

#[wasm_bindgen]
impl Pending {
    #[wasm_bindgen(unchecked_return_type = "CryptoJob[]")]
    pub fn jobs(&self) -> Result<Array, JsError> {
        let p = self
            .inner
            .as_ref()
            .ok_or_else(|| js_err("this verification is already finished"))?;
        let out = Array::new();
        for (i, j) in p.jobs().iter().enumerate() {
            out.push(&job_object(i, j, JobBytes::Copied));
        }
        Ok(out)
    }

    /// `jobs()` with `spki`, `message` and `signature` as views of this module's memory instead
    /// of copies: no buffer to allocate (and collect) per job. A view is good only until the
    /// next call into the module (any call may grow its memory, which empties every view), so a
    /// host must hand the bytes to WebCrypto (which copies them when called) or copy them before
    /// that; www/webcrypto.js uses it when no job can outlive its first await.
    #[wasm_bindgen(js_name = jobViews, unchecked_return_type = "CryptoJob[]")]
    pub fn job_views(&self) -> Result<Array, JsError> {
        let p = self
            .inner
            .as_ref()
            .ok_or_else(|| js_err("this verification is already finished"))?;
        let memory = wasm_bindgen::memory()
            .unchecked_into::<js_sys::WebAssembly::Memory>()
            .buffer();
        let out = Array::new();
        for (i, j) in p.jobs().iter().enumerate() {
            out.push(&job_object(i, j, JobBytes::Views(&memory)));
        }
        Ok(out)
    }

    /// One result per job: true, false, or null (the core then runs that job itself).
    #[wasm_bindgen(unchecked_return_type = "Verdict")]
    pub fn finish(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "(boolean | null)[]")] results: JsValue,
    ) -> Result<JsValue, JsError> {
        let (p, r) = self.take(results)?;
        to_js(&self.verifier.finish(p, &r))
    }

    /// The work and the checked results. The results are checked before the work is taken:
    /// a bad call must leave `finish` callable.
    fn take(&mut self, results: JsValue) -> Result<(verify::Pending, Vec<Option<bool>>), JsError> {
        let r = job_results(&results)?;
        let p = self
            .inner
            .take()
            .ok_or_else(|| js_err("this verification is already finished"))?;
        Ok((p, r))
    }
}

/// The host's answers to the jobs: an array of true, false or null/undefined (the core runs that
/// job itself). Read element by element: one or two values per call, where serde-wasm-bindgen's
/// sequence reader costs several calls into JS per element.
fn job_results(results: &JsValue) -> Result<Vec<Option<bool>>, JsError> {
    let bad = |what: String| {
        js_err(format!(
            "results must be an array of true/false/null: {what}"
        ))
    };
    let list = results
        .dyn_ref::<Array>()
        .ok_or_else(|| bad("not an array".to_string()))?;
    (0..list.length())
        .map(|i| {
            let v = list.get(i);
            if v.is_null() || v.is_undefined() {
                Ok(None)
            } else {
                v.as_bool()
                    .map(Some)
                    .ok_or_else(|| bad(format!("element {i} is neither")))
            }
        })
        .collect()
}

// The worker's compact/SBC views; the page renders the full verdict.
#[cfg(feature = "host-glue")]
#[wasm_bindgen]
impl Pending {
    /// `finish`, with the verdict rendered by the core as JSON text in `view` ("full",
    /// "compact" or "sbc", src/view.rs): one string crosses to JS, which sends it as it is.
    #[wasm_bindgen(js_name = finishView)]
    pub fn finish_view(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "(boolean | null)[]")] results: JsValue,
        #[wasm_bindgen(unchecked_param_type = "\"full\" | \"compact\" | \"sbc\"")] view: &str,
    ) -> Result<String, JsError> {
        let view = crate::view::View::parse(view).map_err(js_err)?;
        let (p, r) = self.take(results)?;
        Ok(crate::view::render(&self.verifier.finish(p, &r), view))
    }

    /// `finishView` as UTF-8 bytes: what an HTTP body is. The text is copied out of wasm memory
    /// as it is, without decoding it into a JS string that the runtime encodes again to send.
    #[wasm_bindgen(js_name = finishViewBytes)]
    pub fn finish_view_bytes(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "(boolean | null)[]")] results: JsValue,
        #[wasm_bindgen(unchecked_param_type = "\"full\" | \"compact\" | \"sbc\"")] view: &str,
    ) -> Result<Vec<u8>, JsError> {
        self.finish_view(results, view).map(String::into_bytes)
    }
}

#[cfg(feature = "host-glue")]
/// An inbound call from a provider's webhook (src/webhook.rs), ready to verify.
#[wasm_bindgen]
pub struct WebhookCall {
    inner: crate::webhook::InboundCall,
    provider: crate::webhook::Provider,
}

#[cfg(feature = "host-glue")]
#[wasm_bindgen]
impl WebhookCall {
    /// Read a webhook body: `provider` is "twilio" (form body), "bandwidth", "telnyx" or "api" (JSON).
    pub fn parse(
        #[wasm_bindgen(unchecked_param_type = "\"twilio\" | \"bandwidth\" | \"telnyx\" | \"api\"")]
        provider: &str,
        body: &str,
    ) -> Result<WebhookCall, JsError> {
        use crate::webhook::{self as w, Provider};
        let (provider, call) = match provider {
            "twilio" => (Provider::Twilio, w::twilio_call(&w::form_params(body))),
            "bandwidth" => (Provider::Bandwidth, w::bandwidth_call(body)),
            "telnyx" => (Provider::Telnyx, w::telnyx_call(body)),
            "api" => (Provider::Api, w::api_call(body)),
            other => return Err(js_err(format!("unknown webhook provider {other:?}"))),
        };
        Ok(WebhookCall {
            inner: call.map_err(js_err)?,
            provider,
        })
    }

    /// The text the verifier takes (SIP header lines or the SIP message).
    #[wasm_bindgen(getter)]
    pub fn input(&self) -> String {
        self.inner.input()
    }

    /// The verification time the caller asked for (`/api/calls` `time`), else undefined.
    #[wasm_bindgen(getter)]
    pub fn time(&self) -> Option<f64> {
        self.inner.time.map(|t| t as f64)
    }
}

#[cfg(feature = "host-glue")]
#[derive(serde::Serialize)]
struct WebhookAnswer {
    record: crate::webhook::CallRecord,
    sentence: String,
    /// TwiML (Twilio) or BXML (Bandwidth) that speaks `sentence`; null for JSON answers.
    reply: Option<String>,
}

#[cfg(feature = "host-glue")]
#[wasm_bindgen]
impl Pending {
    /// `finish` for a webhook call: the history record, the spoken sentence and the provider's
    /// reply document, instead of the whole verdict.
    #[wasm_bindgen(js_name = finishCall, unchecked_return_type = "{ record: any; sentence: string; reply: string | null }")]
    pub fn finish_call(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "(boolean | null)[]")] results: JsValue,
        call: &WebhookCall,
        received_at: f64,
        keep_token: bool,
    ) -> Result<JsValue, JsError> {
        use crate::webhook::{self as w, Provider};
        let (p, r) = self.take(results)?;
        let v = self.verifier.finish(p, &r);
        let sentence = w::spoken_for(&v, &call.inner, call.provider);
        let reply = match call.provider {
            Provider::Twilio => Some(w::twiml(&sentence)),
            Provider::Bandwidth => Some(w::bxml(&sentence)),
            Provider::Telnyx | Provider::Api => None,
        };
        let record = w::record(
            &v,
            &call.inner,
            call.provider,
            received_at.floor() as i64,
            keep_token,
        );
        to_js(&WebhookAnswer {
            record,
            sentence,
            reply,
        })
    }
}

#[cfg(feature = "host-glue")]
/// What Twilio signs (HMAC-SHA1 with the auth token): the full URL, then the sorted form parameters.
#[wasm_bindgen(js_name = twilioSignatureBase)]
pub fn twilio_signature_base(url: &str, form_body: &str) -> String {
    crate::webhook::twilio_signature_base(url, &crate::webhook::form_params(form_body))
}

#[cfg(feature = "host-glue")]
/// What Telnyx signs (Ed25519): `timestamp|body`; undefined when the timestamp is outside the
/// replay window around `now`.
#[wasm_bindgen(js_name = telnyxSignedMessage)]
pub fn telnyx_signed_message(timestamp: &str, body: &str, now: f64) -> Option<String> {
    crate::webhook::telnyx_signed_message(timestamp, body, now.floor() as i64)
}

#[cfg(feature = "host-glue")]
/// Is this Telnyx event a new inbound call (others are acknowledged and not recorded)?
#[wasm_bindgen(js_name = telnyxIsInboundCall)]
pub fn telnyx_is_inbound_call(body: &str) -> bool {
    crate::webhook::telnyx_is_inbound_call(body)
}

#[cfg(feature = "host-glue")]
/// Canonical form of a telephone number (src/tn.rs), or undefined when it is not one.
#[wasm_bindgen(js_name = canonicalTn)]
pub fn canonical_tn(number: &str) -> Option<String> {
    crate::tn::canonical(number)
}

#[cfg(feature = "host-glue")]
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct WebhookLimits {
    max_body_bytes: usize,
    default_calls_per_number: u32,
    max_calls_per_number: u32,
    default_retention_days: u32,
}

#[cfg(feature = "host-glue")]
/// The webhook and history bounds (src/webhook.rs).
#[wasm_bindgen(js_name = webhookLimits, unchecked_return_type = "{ maxBodyBytes: number; defaultCallsPerNumber: number; maxCallsPerNumber: number; defaultRetentionDays: number }")]
pub fn webhook_limits() -> Result<JsValue, JsError> {
    use crate::webhook as w;
    to_js(&WebhookLimits {
        max_body_bytes: w::MAX_BODY_BYTES,
        default_calls_per_number: w::DEFAULT_CALLS_PER_NUMBER,
        max_calls_per_number: w::MAX_CALLS_PER_NUMBER,
        default_retention_days: w::DEFAULT_RETENTION_DAYS,
    })
}

/// The property names and the few string values of a job object, made once per isolate: a JS
/// string made from Rust costs a trip through the TextDecoder, and a job has ten of them.
struct JobWords {
    keys: [JsValue; 7],
    algs: [JsValue; 4],
    curves: [JsValue; 3],
    purposes: [JsValue; 2],
}

impl JobWords {
    fn new() -> JobWords {
        let s = JsValue::from_str;
        JobWords {
            keys: [
                "id",
                "alg",
                "curve",
                "spki",
                "message",
                "signature",
                "purpose",
            ]
            .map(s),
            algs: ["ES256", "ES384", "ES512", "RS256"].map(s),
            curves: ["P-256", "P-384", "P-521"].map(s),
            purposes: ["passport", "certificate"].map(s),
        }
    }
}

thread_local! {
    static JOB_WORDS: JobWords = JobWords::new();
}

#[wasm_bindgen]
extern "C" {
    /// `Reflect.set` on a fresh plain object, which cannot throw: bound without `catch`, so the
    /// glue calls it directly instead of through a try/catch wrapper per property.
    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    fn set_property(target: &Object, key: &JsValue, value: &JsValue) -> bool;
}

/// How a job object holds its byte strings.
#[derive(Clone, Copy)]
enum JobBytes<'a> {
    /// Copied out of wasm memory: good for as long as the host keeps them.
    Copied,
    /// Views of wasm memory (its buffer): good until the next call into the module (`jobViews`).
    Views(&'a JsValue),
}

fn job_object(id: usize, j: &CryptoJob, bytes: JobBytes<'_>) -> JsValue {
    use crate::crypto::{Alg, KeyKind, Purpose};
    // Nothing below allocates in wasm memory once JOB_WORDS exists (`with` makes it first), so
    // no view made here is emptied by a memory growth before the host gets it.
    JOB_WORDS.with(|w| {
        let o = Object::new();
        let alg = match j.alg {
            Alg::ES256 => 0,
            Alg::ES384 => 1,
            Alg::ES512 => 2,
            Alg::RS256 => 3,
        };
        let curve = match j.key {
            KeyKind::P256 => w.curves[0].clone(),
            KeyKind::P384 => w.curves[1].clone(),
            KeyKind::P521 => w.curves[2].clone(),
            KeyKind::Rsa => JsValue::NULL,
        };
        let purpose = match j.purpose {
            Purpose::Passport => 0,
            Purpose::Certificate => 1,
        };
        let [spki, message, signature] = match bytes {
            // The three byte strings in one copy out of wasm memory, handed out as views of it:
            // one buffer for the engine to allocate (and collect) per job instead of three.
            JobBytes::Copied => {
                let all = [j.spki.as_slice(), &j.message, &j.signature].concat();
                let copy = Uint8Array::from(all.as_slice());
                let (a, b) = (j.spki.len() as u32, (j.spki.len() + j.message.len()) as u32);
                [
                    copy.subarray(0, a),
                    copy.subarray(a, b),
                    copy.subarray(b, all.len() as u32),
                ]
            }
            // Views of the job's own bytes, which stay allocated (and unchanged) until the
            // Pending is finished or freed; `jobViews` says how long a host may use them.
            JobBytes::Views(memory) => [&j.spki, &j.message, &j.signature].map(|b| {
                Uint8Array::new_with_byte_offset_and_length(
                    memory,
                    b.as_ptr() as usize as u32,
                    b.len() as u32,
                )
            }),
        };
        let values = [
            JsValue::from(id as u32),
            w.algs[alg].clone(),
            curve,
            spki.into(),
            message.into(),
            signature.into(),
            w.purposes[purpose].clone(),
        ];
        for (k, v) in w.keys.iter().zip(values.iter()) {
            set_property(&o, k, v);
        }
        o.into()
    })
}

/// Run one crypto job (an entry of `Pending.jobs()`) with the core's own RustCrypto code: the
/// page's fallback module answers a job WebCrypto cannot run (no `crypto.subtle`, a curve the
/// browser lacks), and the page passes the answer to the first module's `finish`. The key type
/// comes from the SPKI itself (the same parser as certificates' keys), not from `curve`.
#[cfg(feature = "fallback-crypto")]
#[wasm_bindgen(js_name = verifyJob)]
pub fn verify_job(
    #[wasm_bindgen(unchecked_param_type = "CryptoJob")] job: JsValue,
) -> Result<bool, JsError> {
    use crate::crypto::{Alg, Backend, Purpose, RustCrypto};
    if !job.is_object() {
        return Err(js_err("the job must be an object from Pending.jobs()"));
    }
    let get =
        |k: &str| js_sys::Reflect::get(&job, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let bytes = |k: &str| {
        get(k)
            .dyn_into::<Uint8Array>()
            .map(|a| a.to_vec())
            .map_err(|_| js_err(format!("job.{k} must be a Uint8Array")))
    };
    let alg = match get("alg").as_string().as_deref() {
        Some("ES256") => Alg::ES256,
        Some("ES384") => Alg::ES384,
        Some("ES512") => Alg::ES512,
        Some("RS256") => Alg::RS256,
        other => {
            return Err(js_err(format!(
                "job.alg {other:?} is not ES256, ES384, ES512 or RS256"
            )));
        }
    };
    let spki = bytes("spki")?;
    // A key the parser refuses cannot have signed anything: not verified, as RustCrypto answers.
    let Ok((key, public_key)) = crate::cert::parse::spki_key(&spki) else {
        return Ok(false);
    };
    let job = CryptoJob {
        alg,
        key,
        spki,
        public_key,
        message: bytes("message")?,
        signature: bytes("signature")?,
        purpose: Purpose::Certificate,
    };
    Ok(RustCrypto.verify(&job).unwrap_or(false))
}

#[wasm_bindgen(unchecked_return_type = "Decoded")]
pub fn decode(text: &str) -> Result<JsValue, JsError> {
    to_js(&crate::decode::decode(text))
}

thread_local! {
    /// The input `neededCerts` last read, decoded: the shell's next `prepare`/`verify` of the
    /// same text takes it instead of parsing the input a second time (issue 14). One entry,
    /// taken by its first use.
    static LAST_READ: std::cell::RefCell<Option<(String, verify::Parsed)>> =
        const { std::cell::RefCell::new(None) };
}

/// `text` read and decoded: the one `neededCerts` kept, else parsed now.
fn parsed_for(text: &str) -> verify::Parsed {
    match LAST_READ.with(|l| l.borrow_mut().take()) {
        Some((t, p)) if t == text => p,
        _ => verify::parse(text),
    }
}

/// Read `text` once, keep the read for the next `prepare` of the same text, and list what it
/// needs fetched.
fn read_keeping(text: &str) -> crate::verify::NeededUrls {
    let parsed = verify::parse(text);
    let needed = parsed.needed_urls();
    LAST_READ.with(|l| *l.borrow_mut() = Some((text.to_string(), parsed)));
    needed
}

/// `neededCerts` and `rcdUrls` from one parse of the input: `{ x5u, rcd }` (the per-call path).
#[wasm_bindgen(js_name = neededUrls, unchecked_return_type = "{ x5u: string[]; rcd: string[] }")]
pub fn needed_urls(text: &str) -> Result<JsValue, JsError> {
    to_js(&read_keeping(text))
}

/// An input read once and kept in wasm memory: the URLs to fetch (`x5u`, `rcd`, as
/// `neededUrls` lists them), then `prepare` on a verifier without reading the input again. For
/// a shell that awaits fetches in between while other requests run (a worker): `neededUrls`
/// keeps only the last input it read. Free it after use.
#[cfg(feature = "host-glue")]
#[wasm_bindgen]
pub struct ReadInput {
    text: String,
    parsed: Option<verify::Parsed>,
    needed: verify::NeededUrls,
    /// Chains the shell supplied as bytes (`supplyBytes`), added to each `prepare`'s `certs`.
    certs: HashMap<String, Vec<u8>>,
}

/// Read `text` (anything `prepare` takes) and keep the read: see [`ReadInput`].
#[cfg(feature = "host-glue")]
#[wasm_bindgen(js_name = readInput)]
pub fn read_input(text: String) -> ReadInput {
    let parsed = verify::parse(&text);
    let needed = parsed.needed_urls();
    ReadInput {
        text,
        parsed: Some(parsed),
        needed,
        certs: HashMap::new(),
    }
}

#[cfg(feature = "host-glue")]
#[wasm_bindgen]
impl ReadInput {
    /// The x5u URLs the identities need (what `neededCerts` gives for the input).
    #[wasm_bindgen(getter)]
    pub fn x5u(&self) -> Vec<String> {
        self.needed.x5u.clone()
    }

    /// The rcd content URLs the identities' `rcdi` digests cover (what `rcdUrls` gives).
    #[wasm_bindgen(getter)]
    pub fn rcd(&self) -> Vec<String> {
        self.needed.rcd.clone()
    }

    /// The chain (PEM bytes) served at `x5u`, for the next `prepare`s (as `options.certs`; an
    /// entry of `options.certs` for the same URL wins): a shell that keeps its cached chains
    /// encoded hands them over as one copy instead of encoding the text on every request.
    #[wasm_bindgen(js_name = supplyBytes)]
    pub fn supply_bytes(&mut self, x5u: String, pem: Vec<u8>) {
        self.certs.insert(x5u, pem);
    }

    /// `verifier.prepare(text, options)` from the kept read. Bad options throw and leave the
    /// read in place; a second `prepare` reads the input again.
    pub fn prepare(
        &mut self,
        verifier: &Verifier,
        #[wasm_bindgen(unchecked_param_type = "VerifyOptions | undefined")] options_v: JsValue,
    ) -> Result<Pending, JsError> {
        let mut opts = options(options_v)?;
        // The supplied chains are lent to this prepare and taken back after it (no copy of
        // each chain per call); an entry of `options.certs` for the same URL wins.
        let mut lent = Vec::new();
        for (url, pem) in std::mem::take(&mut self.certs) {
            match opts.certs.entry(url) {
                std::collections::hash_map::Entry::Occupied(e) => {
                    self.certs.insert(e.key().clone(), pem);
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    lent.push(e.key().clone());
                    e.insert(pem);
                }
            }
        }
        let parsed = self
            .parsed
            .take()
            .unwrap_or_else(|| verify::parse(&self.text));
        let inner = verifier.inner.prepare_parsed(parsed, &opts);
        for url in lent {
            if let Some(pem) = opts.certs.remove(&url) {
                self.certs.insert(url, pem);
            }
        }
        Ok(Pending {
            inner: Some(inner),
            verifier: verifier.inner.clone(),
        })
    }
}

#[wasm_bindgen(js_name = neededCerts, unchecked_return_type = "string[]")]
pub fn needed_certs(text: &str) -> Result<JsValue, JsError> {
    to_js(&read_keeping(text).x5u)
}

/// The CRL distribution point URLs to fetch for x5u content (the core's fetch rules applied):
/// fetch them, then pass the bodies as `crlsByUrl` (failures as `crlFetchErrors`). Not gated by
/// `host-glue`: the page module asks the worker's `/api/crl` for them too.
#[wasm_bindgen(js_name = crlUrls, unchecked_return_type = "string[]")]
pub fn crl_urls(chain: &str) -> Result<JsValue, JsError> {
    to_js(&crate::cert::crl::crl_urls_for_chain(chain.as_bytes()))
}

/// The rcd content URLs (`icn`, `jcl`) in the input's PASSporTs that an `rcdi` digest covers
/// (src/rcd): fetch each as kind `rcd` (checkUrl / acceptBody), then pass the bodies as
/// `resources` (base64) and failures as `resourceFetchErrors`.
/// With `resources` (what was fetched so far, base64), it also lists the URLs inside a fetched
/// `jcl` jCard that a `/jcl/...` digest covers: a second round of fetching.
#[wasm_bindgen(js_name = rcdUrls, unchecked_return_type = "string[]")]
pub fn rcd_urls(
    text: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "{ [url: string]: string }")] resources: Option<
        JsValue,
    >,
) -> Result<JsValue, JsError> {
    let fetched = match resources.filter(|r| !r.is_undefined() && !r.is_null()) {
        None => HashMap::new(),
        Some(r) => {
            let m: HashMap<String, String> = serde_wasm_bindgen::from_value(r)
                .map_err(|e| js_err(format!("rcdUrls: resources must map URLs to base64 ({e})")))?;
            base64_map(m, "resources")?
        }
    };
    // From the read `neededUrls` kept for this text when there is one (not taken: `prepare`
    // still wants it), else read now.
    let urls = LAST_READ.with(|l| match &*l.borrow() {
        Some((t, read)) if t == text => read.rcd_urls(&fetched),
        _ => verify::parse(text).rcd_urls(&fetched),
    });
    to_js(&urls)
}

#[cfg(feature = "demo")]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsRcd {
    nam: Option<String>,
    icn: Option<String>,
    jcl: Option<String>,
    crn: Option<String>,
    tamper: Option<String>,
}

#[cfg(feature = "demo")]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsSign {
    key_pem: String,
    x5u: String,
    attest: String,
    orig: String,
    dest: Vec<String>,
    origid: Option<String>,
    iat: Option<f64>,
    rcd: Option<JsRcd>,
    rcd_resources: Option<HashMap<String, String>>,
}

#[cfg(feature = "demo")]
/// Sign a SHAKEN PASSporT; returns the `Identity: ...` header line.
#[wasm_bindgen]
pub fn sign(
    #[wasm_bindgen(unchecked_param_type = "SignOptions")] options_v: JsValue,
) -> Result<String, JsError> {
    reject_unknown_fields(
        &options_v,
        &[
            "keyPem",
            "x5u",
            "attest",
            "orig",
            "dest",
            "origid",
            "iat",
            "rcd",
            "rcdResources",
        ],
        "bad sign options",
    )?;
    let o: JsSign = serde_wasm_bindgen::from_value(options_v)
        .map_err(|e| js_err(format!("bad sign options: {e}")))?;
    let key = crate::sign::load_key(&o.key_pem).map_err(js_err)?;
    let claims = crate::sign::Claims {
        x5u: o.x5u,
        attest: o.attest,
        orig: o.orig,
        dest: o.dest,
        iat: o
            .iat
            .unwrap_or_else(|| js_sys::Date::now() / 1000.0)
            .floor() as i64,
        origid: o.origid,
    };
    let Some(r) = o.rcd else {
        if o.rcd_resources.is_some() {
            return Err(js_err("bad sign options: rcdResources without rcd"));
        }
        return crate::sign::identity_header(&key, &claims).map_err(js_err);
    };
    let tamper = match r.tamper.as_deref() {
        None => None,
        Some(t) => Some(crate::sign::Tamper::from_name(t).ok_or_else(|| {
            js_err(format!(
                "bad sign options: rcd.tamper must be \"nam\" or \"icn\", not {t:?}"
            ))
        })?),
    };
    let rcd = crate::sign::RcdClaims {
        nam: r.nam,
        icn: r.icn,
        jcl: r.jcl,
        crn: r.crn,
        resources: base64_map(o.rcd_resources.unwrap_or_default(), "rcdResources")?,
        tamper,
    };
    crate::sign::identity_header_with_rcd(&key, &claims, &rcd).map_err(js_err)
}

#[cfg(feature = "advise")]
#[wasm_bindgen(unchecked_return_type = "Advice")]
pub fn advise(
    #[wasm_bindgen(unchecked_param_type = "Scenario")] scenario: JsValue,
) -> Result<JsValue, JsError> {
    let json =
        js_sys::JSON::stringify(&scenario).map_err(|_| js_err("scenario must be an object"))?;
    let s = crate::advise::parse_scenario(&String::from(json)).map_err(js_err)?;
    to_js(&crate::advise::advise(&s))
}

#[cfg(feature = "demo")]
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsDemoOptions {
    spc: Option<String>,
    org: Option<String>,
    now: Option<f64>,
    days: Option<f64>,
    /// A delegate chain instead of an SP leaf (read by `demo::DemoDelegate::from_json`).
    delegate: Option<serde_json::Value>,
}

#[cfg(feature = "demo")]
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsDemoPki {
    root_pem: String,
    chain_pem: String,
    key_pem: String,
    spc: String,
}

#[cfg(feature = "demo")]
/// Generate a DEMO root, leaf certificate and leaf key (src/demo.rs) from 32 random bytes.
#[wasm_bindgen(js_name = demoPki, unchecked_return_type = "DemoPki")]
pub fn demo_pki(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] seed: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "DemoPkiOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsError> {
    let options_v = options.unwrap_or(JsValue::UNDEFINED);
    let seed: [u8; 32] = match seed.dyn_ref::<Uint8Array>() {
        Some(a) if a.length() == 32 => {
            let mut s = [0u8; 32];
            a.copy_to(&mut s);
            s
        }
        Some(a) => {
            return Err(js_err(format!(
                "the seed must be 32 bytes (crypto.getRandomValues(new Uint8Array(32))), not {}",
                a.length()
            )));
        }
        None => {
            return Err(js_err(
                "the seed must be a Uint8Array of 32 random bytes (crypto.getRandomValues(new Uint8Array(32)))",
            ));
        }
    };
    let o: JsDemoOptions = if options_v.is_undefined() || options_v.is_null() {
        JsDemoOptions::default()
    } else if !options_v.is_object() || Array::is_array(&options_v) {
        return Err(js_err(
            "demo options must be an object { spc?, org?, now?, days?, delegate? }",
        ));
    } else {
        reject_unknown_fields(
            &options_v,
            &["spc", "org", "now", "days", "delegate"],
            "bad demo options",
        )?;
        serde_wasm_bindgen::from_value(options_v)
            .map_err(|e| js_err(format!("bad demo options: {e}")))?
    };
    let now = o.now.unwrap_or_else(|| js_sys::Date::now() / 1000.0);
    if !now.is_finite() || !(0.0..=1e13).contains(&now) {
        return Err(js_err("options.now must be unix seconds"));
    }
    let mut opts = crate::demo::DemoOptions::new(now.floor() as i64);
    if let Some(spc) = o.spc {
        opts.spc = spc;
    }
    if let Some(org) = o.org {
        opts.org = org;
    }
    if let Some(days) = o.days {
        if !days.is_finite() || days.fract() != 0.0 {
            return Err(js_err(format!(
                "options.days must be a whole number of days, not {days}"
            )));
        }
        if !(0.0..=f64::from(u32::MAX)).contains(&days) {
            return Err(js_err(crate::demo::DemoError::Days(days as i64)));
        }
        opts.days = days as u32;
    }
    if let Some(d) = o.delegate {
        opts.delegate = Some(crate::demo::DemoDelegate::from_json(d).map_err(js_err)?);
    }
    let pki = crate::demo::generate(&seed, &opts).map_err(js_err)?;
    to_js(&JsDemoPki {
        root_pem: pki.root_pem,
        chain_pem: pki.chain_pem,
        key_pem: pki.key_pem,
        spc: pki.spc,
    })
}

#[cfg(feature = "demo")]
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsDemoLogo {
    url: &'static str,
    png_base64: String,
}

#[cfg(feature = "demo")]
/// The DEMO logo for branded demo calls: sign with `rcd.icn = url` and
/// `rcdResources[url] = pngBase64`, verify with `resources[url] = pngBase64` (src/demo.rs).
#[wasm_bindgen(js_name = demoLogo, unchecked_return_type = "DemoLogo")]
pub fn demo_logo() -> Result<JsValue, JsError> {
    use base64::Engine;
    to_js(&JsDemoLogo {
        url: crate::demo::DEMO_LOGO_URL,
        png_base64: base64::engine::general_purpose::STANDARD.encode(crate::demo::DEMO_LOGO_PNG),
    })
}

#[cfg(feature = "advise")]
/// Self-check: one sentence per number from the page's counts (src/selfcheck.rs).
#[wasm_bindgen(js_name = selfCheckAnswers, unchecked_return_type = "NumberAnswer[]")]
pub fn self_check_answers(
    #[wasm_bindgen(unchecked_param_type = "NumberTally[]")] tallies: JsValue,
) -> Result<JsValue, JsError> {
    let json = js_sys::JSON::stringify(&tallies).map_err(|_| js_err("tallies must be an array"))?;
    let list = crate::selfcheck::parse_tallies(&String::from(json)).map_err(js_err)?;
    to_js(&crate::selfcheck::answers(&list))
}

#[cfg(feature = "host-glue")]
fn fetch_kind(kind: &str) -> Result<crate::fetch_rules::FetchKind, JsError> {
    crate::fetch_rules::FetchKind::from_name(kind).ok_or_else(|| {
        js_err(format!(
            "unknown fetch kind {kind:?}: use \"x5u\", \"crl\" or \"rcd\""
        ))
    })
}

#[cfg(feature = "host-glue")]
#[derive(serde::Serialize)]
struct UrlDecision {
    ok: bool,
    canonical: Option<String>,
    /// Why it is refused (completes "refused because ...").
    reason: Option<String>,
    /// The refusal as a sentence: "x5u URL refused: ...".
    message: Option<String>,
}

#[cfg(feature = "host-glue")]
fn url_decision(
    kind: crate::fetch_rules::FetchKind,
    r: Result<crate::fetch_rules::CheckedUrl, crate::fetch_rules::UrlProblem>,
) -> UrlDecision {
    match r {
        Ok(u) => UrlDecision {
            ok: true,
            canonical: Some(u.canonical),
            reason: None,
            message: None,
        },
        Err(e) => UrlDecision {
            ok: false,
            canonical: None,
            message: Some(format!("{} refused: {e}", kind.url_name())),
            reason: Some(e.to_string()),
        },
    }
}

#[cfg(feature = "host-glue")]
/// The fetch rules (src/fetch_rules): may `url` be fetched as `kind`, and its canonical form
/// (the string to fetch and cache under). `reason` completes "the URL is refused because ...".
#[wasm_bindgen(js_name = checkUrl, unchecked_return_type = "UrlDecision")]
pub fn check_url(
    #[wasm_bindgen(unchecked_param_type = "FetchKind")] kind: &str,
    url: &str,
) -> Result<JsValue, JsError> {
    let kind = fetch_kind(kind)?;
    to_js(&url_decision(kind, crate::fetch_rules::check(kind, url)))
}

#[cfg(feature = "host-glue")]
/// The target of a redirect from `base` (a URL `checkUrl` accepted) to `location`, checked.
#[wasm_bindgen(js_name = resolveRedirect, unchecked_return_type = "UrlDecision")]
pub fn resolve_redirect(
    #[wasm_bindgen(unchecked_param_type = "FetchKind")] kind: &str,
    base: &str,
    location: &str,
) -> Result<JsValue, JsError> {
    let kind = fetch_kind(kind)?;
    let r = crate::fetch_rules::check(kind, base)
        .and_then(|from| crate::fetch_rules::redirect(&from, location));
    to_js(&url_decision(kind, r))
}

#[cfg(feature = "host-glue")]
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct FetchLimits {
    max_bytes: usize,
    accept: &'static str,
}

#[cfg(feature = "host-glue")]
/// How much a shell may read for `kind` (one byte more is refused) and the Accept header to send.
#[wasm_bindgen(js_name = fetchLimits, unchecked_return_type = "FetchLimits")]
pub fn fetch_limits(
    #[wasm_bindgen(unchecked_param_type = "FetchKind")] kind: &str,
) -> Result<JsValue, JsError> {
    let k = fetch_kind(kind)?;
    to_js(&FetchLimits {
        max_bytes: crate::fetch_rules::max_body_bytes(k),
        accept: crate::fetch_rules::accept_header(k),
    })
}

#[cfg(feature = "host-glue")]
#[derive(serde::Serialize)]
struct BodyDecision {
    ok: bool,
    reason: Option<String>,
}

#[cfg(feature = "host-glue")]
/// Size, media type and emptiness of a fetched body of `kind` (before its parser sees it).
#[wasm_bindgen(js_name = acceptBody, unchecked_return_type = "BodyDecision")]
pub fn accept_body(
    #[wasm_bindgen(unchecked_param_type = "FetchKind")] kind: &str,
    content_type: Option<String>,
    body: &[u8],
) -> Result<JsValue, JsError> {
    let r = crate::fetch_rules::accept_body(fetch_kind(kind)?, content_type.as_deref(), body);
    to_js(&BodyDecision {
        ok: r.is_ok(),
        reason: r.err().map(|e| e.to_string()),
    })
}

#[cfg(feature = "host-glue")]
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ChainInfo {
    ok: bool,
    reason: Option<String>,
    key_only: bool,
    count: usize,
    pem: Option<String>,
    leaf_not_after: Option<i64>,
    not_after: Option<i64>,
}

#[cfg(feature = "host-glue")]
/// What an x5u body holds, decided by the verifier's own chain parser (src/cert/chain.rs): the
/// normalised PEM to cache and serve, and the notAfter dates that bound its cache lifetime.
#[wasm_bindgen(js_name = inspectChain, unchecked_return_type = "ChainInfo")]
pub fn inspect_chain(body: &[u8]) -> Result<JsValue, JsError> {
    to_js(&match crate::cert::chain::inspect(body) {
        Ok(c) => ChainInfo {
            ok: true,
            reason: None,
            key_only: c.key_only,
            count: c.count,
            pem: Some(c.pem),
            leaf_not_after: c.leaf_not_after,
            not_after: c.not_after,
        },
        Err(e) => ChainInfo {
            ok: false,
            reason: Some(e.to_string()),
            key_only: false,
            count: 0,
            pem: None,
            leaf_not_after: None,
            not_after: None,
        },
    })
}

#[cfg(feature = "host-glue")]
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct CrlInfo {
    ok: bool,
    reason: Option<String>,
    pem: Option<String>,
    count: usize,
    this_update: Option<i64>,
    next_update: Option<i64>,
}

/// What a fetched CRL body holds, decided by the verifier's own CRL parser (src/cert/crl.rs):
/// the PEM to cache and pass back as `crlsByUrl`, and the nextUpdate that bounds its lifetime.
#[cfg(feature = "host-glue")]
#[wasm_bindgen(js_name = inspectCrl, unchecked_return_type = "CrlInfo")]
pub fn inspect_crl(body: &[u8]) -> Result<JsValue, JsError> {
    to_js(&match crate::cert::crl::inspect(body) {
        Ok(c) => CrlInfo {
            ok: true,
            reason: None,
            pem: Some(c.pem),
            count: c.count,
            this_update: c.this_update,
            next_update: c.next_update,
        },
        Err(e) => CrlInfo {
            ok: false,
            reason: Some(e.to_string()),
            pem: None,
            count: 0,
            this_update: None,
            next_update: None,
        },
    })
}

/// The cache lifetime rule (src/fetch_rules/lifetime.rs) for a body fetched at `now` (unix s)
/// with these response headers, usable until `usableUntil` (earliest notAfter / nextUpdate).
#[cfg(feature = "host-glue")]
#[wasm_bindgen(js_name = cacheLifetime)]
pub fn cache_lifetime(
    cache_control: Option<String>,
    expires: Option<String>,
    date: Option<String>,
    now: f64,
    usable_until: Option<f64>,
) -> f64 {
    let h = crate::fetch_rules::CacheHeaders {
        cache_control: cache_control.as_deref(),
        expires: expires.as_deref(),
        date: date.as_deref(),
    };
    crate::fetch_rules::cache_lifetime(
        &h,
        now.floor() as i64,
        usable_until.map(|t| t.floor() as i64),
    ) as f64
}

#[cfg(feature = "host-glue")]
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct CacheLimits {
    min_ttl: i64,
    max_ttl: i64,
    negative_ttl: i64,
    max_crls: usize,
    max_crl_urls: usize,
}

/// Cache bounds of the lifetime rule (failures are kept `negativeTtl` s) and how many CRLs one
/// verification considers (`maxCrls`, supplied and fetched) / fetches per chain (`maxCrlUrls`).
#[cfg(feature = "host-glue")]
#[wasm_bindgen(js_name = cacheLimits, unchecked_return_type = "CacheLimits")]
pub fn cache_limits() -> Result<JsValue, JsError> {
    to_js(&CacheLimits {
        min_ttl: crate::fetch_rules::MIN_TTL,
        max_ttl: crate::fetch_rules::MAX_TTL,
        negative_ttl: crate::fetch_rules::NEGATIVE_TTL,
        max_crls: crate::limits::MAX_CRLS,
        max_crl_urls: crate::limits::MAX_CRL_URLS,
    })
}

/// Whether this module can verify `text` itself: false only in the page's first module for a
/// PASSporT with `rcdi` digests (built without `rcd-integrity`); the page verifies that input
/// with the full module, so the verdict is the same (issue 14).
#[wasm_bindgen(js_name = canVerify)]
pub fn can_verify(text: &str) -> bool {
    if cfg!(feature = "rcd-integrity") {
        return true;
    }
    // The read is kept for the `prepare` that follows (as `neededCerts` keeps it).
    let parsed = parsed_for(text);
    let can = !parsed.needs_integrity();
    LAST_READ.with(|l| *l.borrow_mut() = Some((text.to_string(), parsed)));
    can
}

#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
