//! The state of one verification between [`super::Verifier::prepare`] and
//! [`super::Verifier::finish`].

use super::cert_checks::Credential;
use super::passport::Claims;
use super::revocation;
use super::signature::SigWork;
use crate::trust::TrustStore;
use crate::verdict::{CallContext, Check, IdentityResult};
use std::sync::Arc;

/// Everything `finish` needs besides the job results.
pub struct Work {
    pub trust: Arc<TrustStore>,
    pub now: i64,
    pub as_of_call: bool,
    pub max_age: i64,
    pub top: Vec<Check>,
    pub call: Option<CallContext>,
    pub ids: Vec<IdWork>,
    pub crls: revocation::Crls,
}

/// One Identity header between the phases.
pub struct IdWork {
    pub result: IdentityResult,
    pub claims: Claims,
    /// The PASSporT is in full form, so the per-call checks were made.
    pub full: bool,
    /// Time this identity is verified at.
    pub at: i64,
    pub cert: Credential,
    pub sig: SigWork,
}
