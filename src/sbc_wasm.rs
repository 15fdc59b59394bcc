//! wasm-bindgen glue for the SBC interface (src/sbc.rs). Answers cross to JS as the response
//! body text plus its HTTP status, so the worker sends them without touching their JSON.

use crate::sbc::{self, ErrorKind, RequestError};
use crate::verify::Options;
use crate::wasm::{Pending, Verifier};
use js_sys::{Object, Reflect};
use std::collections::HashMap;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
export interface SbcAnswer { status: number; body: string }
"#;

fn object(pairs: &[(&str, JsValue)]) -> Result<JsValue, JsError> {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v)
            .map_err(|_| JsError::new("cannot build the answer"))?;
    }
    Ok(o.into())
}

fn answer(status: u16, body: String) -> Result<JsValue, JsError> {
    object(&[
        ("status", JsValue::from(status)),
        ("body", JsValue::from(body)),
    ])
}

fn error_answer(e: &RequestError) -> Result<JsValue, JsError> {
    answer(e.status(), e.to_json())
}

/// A `verificationRequest` body → an [`SbcVerification`], or the request error as
/// `{ status, body }`.
#[wasm_bindgen(js_name = sbcVerificationRequest, unchecked_return_type = "SbcVerification | SbcAnswer")]
pub fn sbc_verification_request(body: &str) -> Result<JsValue, JsError> {
    verification(body)
}

/// `sbcVerificationRequest` for the body as the runtime received it (bytes): no decoding into
/// a JS string and encoding back. A body that is not UTF-8 is the request error `body` (400).
#[wasm_bindgen(js_name = sbcVerificationRequestBytes, unchecked_return_type = "SbcVerification | SbcAnswer")]
pub fn sbc_verification_request_bytes(body: &[u8]) -> Result<JsValue, JsError> {
    match sbc::body_text(body) {
        Ok(text) => verification(text),
        Err(e) => error_answer(&e),
    }
}

fn verification(body: &str) -> Result<JsValue, JsError> {
    match sbc::verification_request(body) {
        Ok(r) => {
            // Parsed once: `needed`, `rcd_urls` and `prepare` all read this.
            let parsed = crate::verify::parse(&r.input);
            let crate::verify::NeededUrls {
                x5u: needed,
                rcd: rcd_urls,
            } = parsed.needed_urls();
            Ok(SbcVerification {
                req: r,
                parsed: Some(parsed),
                needed,
                rcd_urls,
                resources: HashMap::new(),
                resource_fetch_errors: HashMap::new(),
                certs: HashMap::new(),
                fetch_errors: HashMap::new(),
                crls_by_url: HashMap::new(),
                crl_fetch_errors: HashMap::new(),
            }
            .into())
        }
        Err(e) => error_answer(&e),
    }
}

/// A parsed verification request. Its input (the call as SIP header lines) stays in wasm memory:
/// JS reads only the x5u URLs it must supply, then `prepare`s on the isolate's verifier. Free it
/// after use.
#[wasm_bindgen]
pub struct SbcVerification {
    req: sbc::VerificationRequest,
    parsed: Option<crate::verify::Parsed>,
    needed: Vec<String>,
    rcd_urls: Vec<String>,
    resources: HashMap<String, Vec<u8>>,
    resource_fetch_errors: HashMap<String, String>,
    certs: HashMap<String, Vec<u8>>,
    fetch_errors: HashMap<String, String>,
    crls_by_url: HashMap<String, Arc<Vec<u8>>>,
    crl_fetch_errors: HashMap<String, String>,
}

#[wasm_bindgen]
impl SbcVerification {
    /// The verification time (the request's `time`), unix seconds.
    #[wasm_bindgen(getter)]
    pub fn at(&self) -> f64 {
        self.req.time as f64
    }

    /// The x5u URLs the identities need (what `neededCerts` gives for the input).
    #[wasm_bindgen(getter)]
    pub fn needed(&self) -> Vec<String> {
        self.needed.clone()
    }

    /// The rcd content URLs the identities' `rcdi` digests cover (what `rcdUrls` gives).
    #[wasm_bindgen(getter, js_name = rcdUrls)]
    pub fn rcd_urls(&self) -> Vec<String> {
        self.rcd_urls.clone()
    }

    /// The content (standard base64) served at the rcd URL `url` (`resources`).
    #[wasm_bindgen(js_name = supplyResource)]
    pub fn supply_resource(&mut self, url: String, base64: &str) -> Result<(), JsError> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(base64.trim())
            .map_err(|e| JsError::new(&format!("resource {url:?} is not standard base64 ({e})")))?;
        self.resources.insert(url, bytes);
        Ok(())
    }

    /// Why the content at `url` could not be obtained (`resourceFetchErrors`).
    #[wasm_bindgen(js_name = resourceUnavailable)]
    pub fn resource_unavailable(&mut self, url: String, reason: String) {
        self.resource_fetch_errors.insert(url, reason);
    }

    /// The chain (PEM) served at `x5u`.
    pub fn supply(&mut self, x5u: String, pem: String) {
        self.certs.insert(x5u, pem.into_bytes());
    }

    /// `supply` with the chain as bytes (a shell that keeps its cached chains encoded): one copy
    /// into wasm memory instead of encoding the text character by character on every request.
    #[wasm_bindgen(js_name = supplyBytes)]
    pub fn supply_bytes(&mut self, x5u: String, pem: Vec<u8>) {
        self.certs.insert(x5u, pem);
    }

    /// Why the chain at `x5u` could not be obtained (the verdict's `cert.fetch` failure).
    pub fn unavailable(&mut self, x5u: String, reason: String) {
        self.fetch_errors.insert(x5u, reason);
    }

    /// The CRL (PEM, DER or base64 DER) served at the distribution point `url` (`crlsByUrl`).
    #[wasm_bindgen(js_name = supplyCrl)]
    pub fn supply_crl(&mut self, url: String, crl: String) {
        self.crls_by_url.insert(url, Arc::new(crl.into_bytes()));
    }

    /// Why the CRL at `url` could not be obtained (`crlFetchErrors`: the revocation warning).
    #[wasm_bindgen(js_name = crlUnavailable)]
    pub fn crl_unavailable(&mut self, url: String, reason: String) {
        self.crl_fetch_errors.insert(url, reason);
    }

    /// Phase one on the isolate's verifier, as of the request's time, with the supplied chains
    /// (the options are built here: nothing is read back from JS objects).
    pub fn prepare(&mut self, verifier: &Verifier) -> Pending {
        let mut opts = Options::at(self.req.time);
        opts.certs = std::mem::take(&mut self.certs);
        opts.fetch_errors = std::mem::take(&mut self.fetch_errors);
        opts.crls_by_url = std::mem::take(&mut self.crls_by_url);
        opts.crl_fetch_errors = std::mem::take(&mut self.crl_fetch_errors);
        opts.resources = std::mem::take(&mut self.resources);
        opts.resource_fetch_errors = std::mem::take(&mut self.resource_fetch_errors);
        let parsed = self
            .parsed
            .take()
            .unwrap_or_else(|| crate::verify::parse(&self.req.input));
        Pending {
            inner: Some(verifier.inner.prepare_parsed(parsed, &opts)),
            verifier: verifier.inner.clone(),
        }
    }
}

/// A request error the shell found itself (`kind`: "too-large", "method", "media-type",
/// "not-found", "unauthorized", "forbidden", "body", "internal") as `{ status, body }`.
#[wasm_bindgen(js_name = sbcError, unchecked_return_type = "SbcAnswer")]
pub fn sbc_error(kind: &str, text: &str) -> Result<JsValue, JsError> {
    let kind = ErrorKind::parse(kind)
        .ok_or_else(|| JsError::new(&format!("unknown SBC error kind {kind:?}")))?;
    error_answer(&RequestError::new(kind, text, Vec::new()))
}

/// The operator's signer: key and x5u loaded once (per isolate).
#[wasm_bindgen]
pub struct SbcSigner {
    inner: sbc::Signer,
}

#[wasm_bindgen]
impl SbcSigner {
    /// Throws an Error saying what is wrong with the key or the x5u URL.
    #[wasm_bindgen(constructor)]
    pub fn new(key_pem: &str, x5u: &str) -> Result<SbcSigner, JsError> {
        sbc::Signer::new(key_pem, x5u)
            .map(|inner| SbcSigner { inner })
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// A `signingRequest` body → `{ status: 200, body: signingResponse }` or the request error.
    /// `now`: unix seconds, the iat when the request gives none.
    #[wasm_bindgen(unchecked_return_type = "SbcAnswer")]
    pub fn respond(&self, body: &str, now: f64) -> Result<JsValue, JsError> {
        match self.inner.respond(body, now.floor() as i64) {
            Ok(b) => answer(200, b),
            Err(e) => error_answer(&e),
        }
    }

    /// `respond` for the body as received (bytes); not UTF-8 is the request error `body`.
    #[wasm_bindgen(js_name = respondBytes, unchecked_return_type = "SbcAnswer")]
    pub fn respond_bytes(&self, body: &[u8], now: f64) -> Result<JsValue, JsError> {
        match sbc::body_text(body) {
            Ok(text) => self.respond(text, now),
            Err(e) => error_answer(&e),
        }
    }
}

/// The body bound of the SBC endpoints (bytes): larger bodies are refused with 413.
#[wasm_bindgen(js_name = sbcMaxBodyBytes)]
pub fn sbc_max_body_bytes() -> usize {
    sbc::MAX_BODY_BYTES
}
