//! Attestation advisor: which SHAKEN level a careful signing carrier would give a call, and why.
//!
//! The answer is advice about the *signer's* claim, not a verdict on the caller: a carrier's own
//! policy may be stricter, and the verifier elsewhere in this crate can only prove who signed.
//!
//! # Decision table
//!
//! Checked top to bottom; the first row that matches decides, and its id is [`Advice::rule`].
//!
//! | Rule                        | Role              | Relationship | Number                       | Verification | Level |
//! |-----------------------------|-------------------|--------------|------------------------------|--------------|-------|
//! | `not-originated`            | not `originating` | any          | any                          | any          | C     |
//! | `no-relationship`           | `originating`     | `none`       | any                          | any          | C     |
//! | `own-number`                | `originating`     | `direct`     | `assigned-by-signer`         | any          | A     |
//! | `client-number-verified`    | `originating`     | `direct`     | `client-number` or `unknown` | not `none`   | A     |
//! | `client-number-unverified`  | `originating`     | `direct`     | `client-number`              | `none`       | B     |
//! | `not-in-inventory-is-not-c` | `originating`     | `direct`     | `unknown`                    | `none`       | B     |
//!
//! Choices for combinations the source table leaves open:
//! - A carrier's own number assignment *is* its record, so `assigned-by-signer` earns A even with
//!   `verification: none`.
//! - Role is checked before relationship: a gateway or intermediate cannot identify the caller
//!   whatever else is true, and the advice for it (move origination) comes first.
//! - An originating carrier without a direct relationship meets neither the A nor the B
//!   conditions, so only C remains, even for a number it assigned itself.
//! - An `unknown` number that the carrier did verify (LOA, records, TN database, delegate
//!   certificate) is treated like a verified client number: the verified association is what A
//!   needs, not who holds the number.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Who the signing carrier is for this call; only the originating carrier can vouch for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The carrier puts the caller's calls onto its network.
    Originating,
    /// Entry point for calls from abroad or from a network without STIR/SHAKEN.
    Gateway,
    /// Passes on calls received from another carrier.
    Intermediate,
    /// Re-sends calls that were forwarded to another destination.
    Forwarding,
}

/// Whether the signing carrier knows and has authenticated the caller as its customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relationship {
    /// The caller is the carrier's own authenticated customer.
    Direct,
    /// The carrier cannot say who placed the call.
    None,
}

/// Where the presented calling number comes from, as far as the signing carrier is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NumberSource {
    /// The signing carrier assigned this number to the caller.
    AssignedBySigner,
    /// The caller (e.g. a call center) presents a number that belongs to its own client.
    ClientNumber,
    /// Not in the carrier's inventory and not known to be a client's number.
    Unknown,
}

/// What the signing carrier has done to confirm the caller may use a number it did not assign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verification {
    /// Assignment records from the number holder's carrier or RespOrg.
    CarrierRecords,
    /// A letter of authorization from the number holder, checked by the carrier.
    LoaChecked,
    /// A lookup in a central TN database or the toll-free registry.
    TnDatabase,
    /// A PASSporT signed with a delegate certificate (RFC 9060) covering the number.
    DelegateCertificate,
    /// Nothing has been checked.
    None,
}

/// The situation to advise on. Field names and values match the `advise --json` input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The signing carrier's position in the call path.
    pub role: Role,
    /// Whether that carrier knows and authenticates the caller.
    pub relationship: Relationship,
    /// Where the presented number comes from.
    pub number: NumberSource,
    /// How the carrier confirmed the right to use the number, if at all.
    pub verification: Verification,
}

/// SHAKEN attestation level, serialized as the bare letter used in the `attest` claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Attest {
    /// Full: caller known and number association verified.
    A,
    /// Partial: caller known, number association not verified.
    B,
    /// Gateway: the signer cannot identify who placed the call.
    C,
}

/// Which row of the decision table produced the advice.
///
/// The serialized ids are a stable contract for the page and the CLI; new rows get new ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// The signer is a gateway, intermediate or forwarder, not the originator.
    NotOriginated,
    /// The originating signer has no direct relationship with the caller.
    NoRelationship,
    /// The signer assigned the number to its own customer.
    OwnNumber,
    /// The signer verified the caller's right to a number it did not assign.
    ClientNumberVerified,
    /// A client's number presented without any verification.
    ClientNumberUnverified,
    /// A number outside the signer's inventory, unverified: B, because the caller is known.
    NotInInventoryIsNotC,
}

impl Rule {
    /// The stable id, identical to the serialized form.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::NotOriginated => "not-originated",
            Rule::NoRelationship => "no-relationship",
            Rule::OwnNumber => "own-number",
            Rule::ClientNumberVerified => "client-number-verified",
            Rule::ClientNumberUnverified => "client-number-unverified",
            Rule::NotInInventoryIsNotC => "not-in-inventory-is-not-c",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The advisor's answer, shaped for a call-center manager rather than a SIP engineer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advice {
    /// The level a careful signing carrier would give.
    pub attest: Attest,
    /// One to three plain sentences explaining the level.
    pub why: String,
    /// Concrete steps towards A, in order; empty when the answer is already A.
    pub to_reach_a: Vec<String>,
    /// Limits of this advice that apply whatever the answer.
    pub caveats: Vec<String>,
    /// The decision-table row that decided.
    pub rule: Rule,
}

/// Why a scenario could not be read. Each message names the field and what it accepts, so the
/// CLI and page can show it to a non-engineer as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdviseError {
    /// The input is not JSON at all.
    Json(String),
    /// The input is JSON but not an object.
    NotAnObject,
    /// A required field is absent.
    MissingField {
        field: &'static str,
        allowed: &'static [&'static str],
    },
    /// A field has a value outside its allowed set (or is not a string); `value` is its JSON text.
    BadValue {
        field: &'static str,
        value: String,
        allowed: &'static [&'static str],
    },
    /// The object has a field the advisor does not know; rejected so typos are not ignored.
    UnknownField { field: String },
}

const FIELDS: &[&str] = &["role", "relationship", "number", "verification"];
const ROLES: &[&str] = &["originating", "gateway", "intermediate", "forwarding"];
const RELATIONSHIPS: &[&str] = &["direct", "none"];
const NUMBERS: &[&str] = &["assigned-by-signer", "client-number", "unknown"];
const VERIFICATIONS: &[&str] = &[
    "carrier-records",
    "loa-checked",
    "tn-database",
    "delegate-certificate",
    "none",
];

impl fmt::Display for AdviseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdviseError::Json(msg) => write!(f, "the scenario is not valid JSON: {msg}"),
            AdviseError::NotAnObject => write!(
                f,
                "the scenario must be a JSON object with the fields {}",
                FIELDS.join(", ")
            ),
            AdviseError::MissingField { field, allowed } => write!(
                f,
                "missing field `{field}`; give one of: {}",
                allowed.join(", ")
            ),
            AdviseError::BadValue {
                field,
                value,
                allowed,
            } => write!(
                f,
                "field `{field}` cannot be {value}; give one of: {}",
                allowed.join(", ")
            ),
            AdviseError::UnknownField { field } => write!(
                f,
                "unknown field `{field}`; the scenario only takes: {}",
                FIELDS.join(", ")
            ),
        }
    }
}

impl std::error::Error for AdviseError {}

/// Reads a scenario from JSON with errors a person can act on.
///
/// Plain `serde_json::from_str::<Scenario>` also works, but its messages are written for
/// developers; this one always names the field and lists the values it accepts.
pub fn parse_scenario(json: &str) -> Result<Scenario, AdviseError> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| AdviseError::Json(e.to_string()))?;
    let obj = value.as_object().ok_or(AdviseError::NotAnObject)?;
    if let Some(key) = obj.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(AdviseError::UnknownField { field: key.clone() });
    }
    let pick = |field: &'static str, allowed: &'static [&'static str]| {
        let v = obj
            .get(field)
            .ok_or(AdviseError::MissingField { field, allowed })?;
        v.as_str()
            .and_then(|s| allowed.iter().position(|a| *a == s))
            .ok_or_else(|| AdviseError::BadValue {
                field,
                value: v.to_string(),
                allowed,
            })
    };
    // Indexes follow the order of the constant lists above.
    let role = [
        Role::Originating,
        Role::Gateway,
        Role::Intermediate,
        Role::Forwarding,
    ][pick("role", ROLES)?];
    let relationship =
        [Relationship::Direct, Relationship::None][pick("relationship", RELATIONSHIPS)?];
    let number = [
        NumberSource::AssignedBySigner,
        NumberSource::ClientNumber,
        NumberSource::Unknown,
    ][pick("number", NUMBERS)?];
    let verification = [
        Verification::CarrierRecords,
        Verification::LoaChecked,
        Verification::TnDatabase,
        Verification::DelegateCertificate,
        Verification::None,
    ][pick("verification", VERIFICATIONS)?];
    Ok(Scenario {
        role,
        relationship,
        number,
        verification,
    })
}

/// Advises on one scenario. Pure and total: every combination of inputs has an answer.
///
/// See the module documentation for the decision table and the choices made for odd
/// combinations.
pub fn advise(s: &Scenario) -> Advice {
    let rule = decide(s);
    let attest = match rule {
        Rule::NotOriginated | Rule::NoRelationship => Attest::C,
        Rule::OwnNumber | Rule::ClientNumberVerified => Attest::A,
        Rule::ClientNumberUnverified | Rule::NotInInventoryIsNotC => Attest::B,
    };
    let to_reach_a = if attest == Attest::A {
        Vec::new()
    } else {
        steps(s)
    };
    Advice {
        attest,
        why: why(s, rule),
        to_reach_a,
        caveats: caveats(),
        rule,
    }
}

fn decide(s: &Scenario) -> Rule {
    if s.role != Role::Originating {
        return Rule::NotOriginated;
    }
    if s.relationship == Relationship::None {
        return Rule::NoRelationship;
    }
    match (s.number, s.verification) {
        (NumberSource::AssignedBySigner, _) => Rule::OwnNumber,
        (NumberSource::ClientNumber, Verification::None) => Rule::ClientNumberUnverified,
        (NumberSource::Unknown, Verification::None) => Rule::NotInInventoryIsNotC,
        (NumberSource::ClientNumber | NumberSource::Unknown, _) => Rule::ClientNumberVerified,
    }
}

/// How the carrier checked the number, as a phrase completing "has checked your right ...".
fn method(v: Verification) -> &'static str {
    match v {
        Verification::CarrierRecords => "against the number holder's carrier records",
        Verification::LoaChecked => {
            "against a letter of authorization (LOA) from the number holder"
        }
        Verification::TnDatabase => "in a central TN database or the toll-free registry",
        Verification::DelegateCertificate => {
            "through a call signature made with a delegate certificate that covers the number"
        }
        Verification::None => "",
    }
}

/// The evidence itself, as a noun phrase, for steps that take it to another carrier.
fn evidence(v: Verification) -> &'static str {
    match v {
        Verification::CarrierRecords => "the number holder's carrier records",
        Verification::LoaChecked => "the letter of authorization (LOA)",
        Verification::TnDatabase => "the central TN database or toll-free registry entry",
        Verification::DelegateCertificate => "the delegate certificate",
        Verification::None => "",
    }
}

fn why(s: &Scenario, rule: Rule) -> String {
    match rule {
        Rule::NotOriginated => {
            let how = match s.role {
                Role::Gateway => {
                    "it only lets them in from abroad or from a network without STIR/SHAKEN"
                }
                Role::Intermediate => "it only carries them on from another carrier",
                Role::Forwarding => "they reach it as forwarded calls",
                Role::Originating => unreachable!("originating never decides not-originated"),
            };
            format!(
                "The carrier signing these calls did not originate them: {how}. \
                 From there it cannot tell who placed a call, so the most it can sign is gateway \
                 attestation (C)."
            )
        }
        Rule::NoRelationship => "The carrier signing these calls has no direct, authenticated \
             relationship with whoever places them, so it cannot identify the caller. Without that, \
             neither A nor B is possible and it can only sign C."
            .to_owned(),
        Rule::OwnNumber => "You are the carrier's own customer and the number you show is one it \
             assigned to you, so its records already prove you may use it. That meets every \
             condition for full attestation (A)."
            .to_owned(),
        Rule::ClientNumberVerified => {
            let who = if s.number == NumberSource::Unknown {
                "The carrier did not assign this number, but it knows you and has checked your \
                 right to show it"
            } else {
                "The carrier knows you and has checked your right to show your client's number"
            };
            format!(
                "{who} {}. Being a customer is not enough on its own; the verified number is what \
                 earns full attestation (A).",
                method(s.verification)
            )
        }
        Rule::ClientNumberUnverified => "The carrier knows you and can trace every call back to \
             your account, but nobody has confirmed that you may show your client's number. \
             That is partial attestation (B)."
            .to_owned(),
        Rule::NotInInventoryIsNotC => "The number is not in the carrier's own inventory, but that \
             does not push the call down to C: what counts is that the carrier originates your \
             calls and knows who you are. It vouches for you but not for the number, which is \
             partial attestation (B)."
            .to_owned(),
    }
}

fn steps(s: &Scenario) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if s.role != Role::Originating {
        let path = match s.role {
            Role::Gateway => "entering through an international or non-STIR/SHAKEN gateway",
            Role::Intermediate => "being handed on by an intermediate carrier",
            _ => "reaching the network as forwarded calls",
        };
        out.push(format!(
            "Place the calls through a carrier that originates them for you and signs them itself, \
             instead of {path}."
        ));
    }
    if s.relationship == Relationship::None {
        out.push(
            "Become the originating carrier's direct customer and pass its know-your-customer \
             checks (company details, contacts, tax ID) so it can identify you as the caller."
                .to_owned(),
        );
    }
    match (s.number, s.verification) {
        (NumberSource::AssignedBySigner, _) => out.push(
            "Present a number the originating carrier itself assigned to you; its own records are \
             the proof it needs."
                .to_owned(),
        ),
        (_, Verification::None) => {
            if s.number == NumberSource::Unknown {
                out.push(
                    "Find out who holds the number: if a client does, get its permission as \
                     below; if it is yours through another carrier, collect that carrier's \
                     assignment records or invoices."
                        .to_owned(),
                );
            }
            out.push(
                "Get a letter of authorization (LOA) from each client for every number you \
                 present for it, and keep it with the number holder's carrier or RespOrg records."
                    .to_owned(),
            );
            out.push(
                "Hand that evidence to your originating carrier, ask which kinds it accepts (its \
                 own records, LOA, a central TN database, the toll-free registry), and ask it to \
                 mark the numbers as verified for your account."
                    .to_owned(),
            );
            out.push(
                "Where the carrier supports delegate certificates (RFC 9060, ATIS-1000092), ask \
                 the client's number provider to issue one for those numbers; calls signed with it \
                 let the originating carrier justify A."
                    .to_owned(),
            );
        }
        (_, v) => out.push(format!(
            "Give the originating carrier the evidence you already have, {}, and ask it to mark \
             the number as verified for your account.",
            evidence(v)
        )),
    }
    out.push(
        "Present each number the same way in P-Asserted-Identity and From, in full international \
         form, so the signed calling number matches it."
            .to_owned(),
    );
    out.push(
        "Make test calls and check the Identity header that arrives (or have your client use the \
         self-check page) to confirm the level and the signing carrier."
            .to_owned(),
    );
    out
}

fn caveats() -> Vec<String> {
    vec![
        "Carrier policies differ: some only ever sign A or C, and some refuse or flag calls they \
         would sign B."
            .to_owned(),
        "Terminating carriers and call-analytics engines weigh levels differently; some show a \
         verified mark only for A."
            .to_owned(),
        "Since FCC 24-120 took effect on 18 September 2025, the originating provider must decide \
         the level itself and the call must be signed with that provider's own certificate, even \
         when a third party does the signing."
            .to_owned(),
    ]
}
