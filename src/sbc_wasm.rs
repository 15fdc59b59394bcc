//! wasm-bindgen glue for the SBC interface (src/sbc.rs). Answers cross to JS as the response
//! body text plus its HTTP status, so the worker sends them without touching their JSON.

use crate::sbc::{self, ErrorKind, RequestError};
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
export interface SbcAnswer { status: number; body: string }
export interface SbcVerification { input: string; at: number }
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

/// A `verificationRequest` body → `{ input, at }` for `neededCerts` / `prepare`, or the request
/// error as `{ status, body }`.
#[wasm_bindgen(js_name = sbcVerificationRequest, unchecked_return_type = "SbcVerification | SbcAnswer")]
pub fn sbc_verification_request(body: &str) -> Result<JsValue, JsError> {
    match sbc::verification_request(body) {
        Ok(r) => object(&[
            ("input", JsValue::from(r.input)),
            ("at", JsValue::from(r.time as f64)),
        ]),
        Err(e) => error_answer(&e),
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
}

/// The body bound of the SBC endpoints (bytes): larger bodies are refused with 413.
#[wasm_bindgen(js_name = sbcMaxBodyBytes)]
pub fn sbc_max_body_bytes() -> usize {
    sbc::MAX_BODY_BYTES
}
