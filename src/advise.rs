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
//!
//! # Call-center words, 2025–2026 rules
//!
//! `role` also takes the words a call center uses for whoever signs its calls: `our-carrier`,
//! `our-cpaas` and `our-bpo-trunk` originate the calls (like `originating`); `next-carrier` is
//! the carrier after a provider that does not sign (an intermediate, 47 CFR 64.6302(d)). Optional
//! fields: `provider` (twilio, telnyx, signalwire, plivo, vonage, other), `delegate_certificate`
//! (the call center signs with a delegate certificate for its client's numbers — one more row,
//! `delegate-certificate` → A, checked after `client-number-unverified` would apply), and
//! `signing_certificate` (`provider-own` / `third-party`, FCC 24-120). The answer adds
//! `changes` (what 2025–2026 rules mean for this situation, proposals labelled as such) and, with
//! a provider, `provider_rules` (what that provider documents — to check with it). Scenarios
//! with only the original four fields get the same `attest`, `why`, `to_reach_a` and `caveats`
//! as before.

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
    /// Call-center words for the originating provider: the carrier it buys lines or a SIP trunk from.
    OurCarrier,
    /// The CPaaS (Twilio, Telnyx, …) whose API or trunk places the calls: it originates them.
    OurCpaas,
    /// For a company whose calls a BPO makes: the BPO's trunk provider originates them, and its
    /// customer is the BPO.
    OurBpoTrunk,
    /// The carrier after a provider that passes the calls on unsigned (47 CFR 64.6302(d)).
    NextCarrier,
}

impl Role {
    /// Does the signer put the caller's calls onto its network itself?
    pub fn originates(self) -> bool {
        matches!(
            self,
            Role::Originating | Role::OurCarrier | Role::OurCpaas | Role::OurBpoTrunk
        )
    }
}

/// The call center's provider, for its documented signing rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provider {
    /// Twilio.
    Twilio,
    /// Telnyx.
    Telnyx,
    /// SignalWire.
    #[serde(rename = "signalwire")]
    SignalWire,
    /// Plivo.
    Plivo,
    /// Vonage.
    Vonage,
    /// Another carrier or CPaaS.
    Other,
}

/// Whose certificate the calls are signed with (FCC 24-120).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SigningCertificate {
    /// The originating provider's own SPC certificate.
    ProviderOwn,
    /// A signing service's or another carrier's certificate.
    ThirdParty,
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
    /// Who the call center's provider is (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
    /// The call center signs its calls with a delegate certificate for its client's numbers
    /// (RFC 9060, ATIS-1000092), which its provider can check.
    #[serde(default, skip_serializing_if = "is_false")]
    pub delegate_certificate: bool,
    /// Whose certificate signs the calls (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_certificate: Option<SigningCertificate>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Scenario {
    /// A scenario with the four original fields and none of the optional ones.
    pub fn new(
        role: Role,
        relationship: Relationship,
        number: NumberSource,
        verification: Verification,
    ) -> Scenario {
        Scenario {
            role,
            relationship,
            number,
            verification,
            provider: None,
            delegate_certificate: false,
            signing_certificate: None,
        }
    }
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
    /// Nothing else verified, but the calls are signed with a delegate certificate for the
    /// number: the standards route to A for a call center (RFC 9060, ATIS-1000092).
    DelegateCertificate,
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
            Rule::DelegateCertificate => "delegate-certificate",
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
    /// What the 2025–2026 rules mean for this situation (in force, or proposed and labelled so).
    #[serde(default)]
    pub changes: Vec<Change>,
    /// What the call center's provider documents about its signing (when `provider` is given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_rules: Option<ProviderRules>,
}

/// Whether a rule applies today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeStatus {
    /// Adopted and in force.
    InForce,
    /// Proposed (an FNPRM), not adopted.
    Proposed,
}

/// One 2023–2026 rule change and what it means here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Stable id: `fcc-24-120`, `unsigned-first-hop`, `do-not-originate`, `rmd`,
    /// `fnprm-25-76`, `delegate-certificates`.
    pub id: String,
    /// Whether it is in force or only proposed.
    pub status: ChangeStatus,
    /// When it took (or would take) effect, as the source says it.
    pub since: String,
    /// Plain sentences; a proposal starts with "PROPOSED, not adopted".
    pub text: String,
}

/// A provider's own documented rules: not standards, and they change — to be checked with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderRules {
    /// The provider's name as written.
    pub provider: String,
    /// What its public documentation says (2025–2026).
    pub documents: String,
    /// What that means for this scenario.
    pub for_you: String,
    /// The most the documented rule allows here, when it caps the level.
    pub at_most: Option<Attest>,
    /// "What <provider> documents — check with it."
    pub check: String,
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
        /// The field's name.
        field: &'static str,
        /// The values it accepts.
        allowed: &'static [&'static str],
    },
    /// A field has a value outside its allowed set (or is not a string); `value` is its JSON text.
    BadValue {
        /// The field's name.
        field: &'static str,
        /// The value as given, as JSON text.
        value: String,
        /// The values it accepts.
        allowed: &'static [&'static str],
    },
    /// The object has a field the advisor does not know; rejected so typos are not ignored.
    UnknownField {
        /// The field's name as given.
        field: String,
    },
}

const FIELDS: &[&str] = &[
    "role",
    "relationship",
    "number",
    "verification",
    "provider",
    "delegate_certificate",
    "signing_certificate",
];
const ROLES: &[&str] = &[
    "originating",
    "gateway",
    "intermediate",
    "forwarding",
    "our-carrier",
    "our-cpaas",
    "our-bpo-trunk",
    "next-carrier",
];
const PROVIDERS: &[&str] = &["twilio", "telnyx", "signalwire", "plivo", "vonage", "other"];
const BOOLS: &[&str] = &["true", "false"];
const SIGNING_CERTIFICATES: &[&str] = &["provider-own", "third-party"];
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
        Role::OurCarrier,
        Role::OurCpaas,
        Role::OurBpoTrunk,
        Role::NextCarrier,
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
    // Optional fields: absent (or null) means not said.
    let given = |field: &str| obj.get(field).filter(|v| !v.is_null()).is_some();
    let provider = if given("provider") {
        Some(
            [
                Provider::Twilio,
                Provider::Telnyx,
                Provider::SignalWire,
                Provider::Plivo,
                Provider::Vonage,
                Provider::Other,
            ][pick("provider", PROVIDERS)?],
        )
    } else {
        None
    };
    let delegate_certificate = match obj.get("delegate_certificate") {
        None | Some(serde_json::Value::Null) => false,
        Some(serde_json::Value::Bool(b)) => *b,
        Some(v) => {
            return Err(AdviseError::BadValue {
                field: "delegate_certificate",
                value: v.to_string(),
                allowed: BOOLS,
            });
        }
    };
    let signing_certificate = if given("signing_certificate") {
        Some(
            [
                SigningCertificate::ProviderOwn,
                SigningCertificate::ThirdParty,
            ][pick("signing_certificate", SIGNING_CERTIFICATES)?],
        )
    } else {
        None
    };
    Ok(Scenario {
        role,
        relationship,
        number,
        verification,
        provider,
        delegate_certificate,
        signing_certificate,
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
        Rule::OwnNumber | Rule::ClientNumberVerified | Rule::DelegateCertificate => Attest::A,
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
        changes: changes(s, attest),
        provider_rules: s.provider.and_then(|p| provider_rules(p, s)),
    }
}

fn decide(s: &Scenario) -> Rule {
    if !s.role.originates() {
        return Rule::NotOriginated;
    }
    if s.relationship == Relationship::None {
        return Rule::NoRelationship;
    }
    match (s.number, s.verification) {
        (NumberSource::AssignedBySigner, _) => Rule::OwnNumber,
        (_, Verification::None) if s.delegate_certificate => Rule::DelegateCertificate,
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
    if s.role == Role::OurBpoTrunk {
        return why_bpo(s, rule);
    }
    let text = why_carrier(s, rule);
    // Call-center words for the signer; `originating` keeps the original wording.
    let (cap, low) = match s.role {
        Role::OurCarrier => ("Your carrier", "your carrier"),
        Role::OurCpaas => ("Your CPaaS", "your CPaaS"),
        _ => return text,
    };
    text.replace("The carrier", cap).replace("the carrier", low)
}

/// For a company whose BPO places its calls: the trunk provider's customer is the BPO.
fn why_bpo(s: &Scenario, rule: Rule) -> String {
    match rule {
        Rule::NotOriginated => unreachable!("the BPO's trunk provider originates"),
        Rule::NoRelationship => "Your BPO's trunk provider has no direct, authenticated relationship \
             with your BPO, so it cannot identify who places the calls. It can only sign C."
            .to_owned(),
        Rule::OwnNumber => "The number is one your BPO's trunk provider assigned to your BPO, so its \
             records prove the BPO may use it. That meets every condition for full attestation (A)."
            .to_owned(),
        Rule::ClientNumberVerified => format!(
            "Your BPO's trunk provider knows your BPO and has checked its right to show your number {}. \
             The verified number, not the BPO's account alone, is what earns full attestation (A).",
            method(s.verification)
        ),
        Rule::ClientNumberUnverified | Rule::NotInInventoryIsNotC => "Your BPO's trunk provider knows \
             your BPO and can trace its calls, but nobody has shown it that the BPO may present your \
             number. That is partial attestation (B)."
            .to_owned(),
        Rule::DelegateCertificate => "Your BPO signs your calls with a delegate certificate your number \
             provider issued for these numbers (RFC 9060, ATIS-1000092), which proves to its trunk \
             provider that the BPO may use them. That earns full attestation (A) where the trunk \
             provider accepts delegate certificates."
            .to_owned(),
    }
}

fn why_carrier(s: &Scenario, rule: Rule) -> String {
    match rule {
        Rule::NotOriginated if s.role == Role::NextCarrier => "Your own provider passes your calls \
             on without signing them, so the next carrier on the path must sign them (47 CFR \
             64.6302(d)). It only carries them on from another carrier and cannot tell who placed a \
             call, so the most it can sign is gateway attestation (C)."
            .to_owned(),
        Rule::DelegateCertificate => "The carrier knows you, and your calls carry a signature made \
             with a delegate certificate that your client's number provider issued for this number \
             (RFC 9060, ATIS-1000092). That proves you may use the number, so it can sign full \
             attestation (A) where it accepts delegate certificates."
            .to_owned(),
        Rule::NotOriginated => {
            let how = match s.role {
                Role::Gateway => {
                    "it only lets them in from abroad or from a network without STIR/SHAKEN"
                }
                Role::Intermediate => "it only carries them on from another carrier",
                Role::Forwarding => "they reach it as forwarded calls",
                _ => unreachable!("an originating role never decides not-originated"),
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
    if s.role == Role::OurBpoTrunk {
        out.push(
            "These steps are your BPO's to take with its trunk provider, whose customer it is: give \
             your BPO a letter of authorization for each of your numbers and your carrier's records \
             for them, or ask your number provider to issue a delegate certificate to your BPO."
                .to_owned(),
        );
    }
    if !s.role.originates() {
        let path = match s.role {
            Role::Gateway => "entering through an international or non-STIR/SHAKEN gateway",
            Role::Intermediate => "being handed on by an intermediate carrier",
            Role::NextCarrier => {
                "leaving your provider unsigned for the next carrier to sign (ask your provider to \
                 sign with its own certificate, or move to one that does)"
            }
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
    // A delegate certificate the call center signs with is evidence it already has.
    let verification = if s.verification == Verification::None && s.delegate_certificate {
        Verification::DelegateCertificate
    } else {
        s.verification
    };
    match (s.number, verification) {
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

fn change(id: &str, status: ChangeStatus, since: &str, text: String) -> Change {
    Change {
        id: id.to_owned(),
        status,
        since: since.to_owned(),
        text,
    }
}

/// What the 2023–2026 rules mean for this scenario (attestation.md, "What changed since 2023").
fn changes(s: &Scenario, attest: Attest) -> Vec<Change> {
    use ChangeStatus::*;
    let mut out = Vec::new();
    let fcc = match s.signing_certificate {
        Some(SigningCertificate::ThirdParty) => {
            "Your calls are signed with someone else's certificate. Since 18 September 2025 (FCC \
             24-120) a provider with a STIR/SHAKEN obligation may let a third party do the signing \
             only with the provider's own SPC token and certificate, and it must decide the level \
             itself: ask your provider to get its own certificate."
        }
        _ => {
            "Since 18 September 2025 (FCC 24-120) the provider that originates your calls decides \
             the level itself and has them signed with its own certificate, even when a signing \
             service does the work. So the signer you see when you check a call (its SPC and \
             company) should be your provider."
        }
    };
    out.push(change("fcc-24-120", InForce, "2025-09-18", fcc.to_owned()));
    if matches!(s.role, Role::Intermediate | Role::NextCarrier) {
        out.push(change(
            "unsigned-first-hop",
            InForce,
            "2023-12-31",
            "A call that leaves its first provider unsigned must be signed by the next carrier \
             (47 CFR 64.6302(d)), usually with C, because that carrier cannot vouch for a caller it \
             does not know. An unsigned first hop therefore costs you A and B."
                .to_owned(),
        ));
    }
    if s.number != NumberSource::AssignedBySigner {
        out.push(change(
            "delegate-certificates",
            InForce,
            "ATIS-1000092 (optional in SHAKEN)",
            if s.delegate_certificate {
                "You sign with a delegate certificate (RFC 9060, ATIS-1000092), the standards route \
                 for a call center presenting its clients' numbers. Check a test call here: the \
                 cert.delegation check shows whether it covers the number and who delegated it."
                    .to_owned()
            } else {
                "The standards route for a call center presenting its clients' numbers is a \
                 delegate certificate (RFC 9060, ATIS-1000092): the client's number provider, or an \
                 STI-SCA it runs, issues a certificate listing the client's numbers, and a call \
                 signed with it lets your provider justify A. Few providers accept them yet, so ask."
                    .to_owned()
            },
        ));
    }
    out.push(change(
        "do-not-originate",
        InForce,
        "2025-12-15",
        "Never present a number that is unassigned, inbound-only or on the Do-Not-Originate list, \
         such as a client's toll-free inbound line: carriers block such calls along the path since \
         15 December 2025 (FCC 25-15)."
            .to_owned(),
    ));
    out.push(change(
        "rmd",
        InForce,
        "2026",
        "Check that your provider is listed in the Robocall Mitigation Database with a current \
         filing (changes within 10 business days, recertified every 1 March, FCC 24-135): carriers \
         may not accept calls from providers missing from it."
            .to_owned(),
    ));
    let abroad = if s.role == Role::Gateway {
        " Your calls enter through a gateway, so plan for this now."
    } else {
        ""
    };
    let brand = if attest == Attest::A {
        "showing an A-level mark to the called person may come to require a verified caller name \
         (Rich Call Data), and "
    } else {
        ""
    };
    out.push(change(
        "fnprm-25-76",
        Proposed,
        "proposed October 2025",
        format!(
            "PROPOSED, not adopted (FCC 25-76 FNPRM, October 2025): {brand}calls that originate abroad may be \
             barred from presenting US numbers, which matters to offshore agents presenting a \
             client's US numbers.{abroad}"
        ),
    ));
    out
}

/// The provider's documented rules (attestation.md table), and what they mean here.
fn provider_rules(p: Provider, s: &Scenario) -> Option<ProviderRules> {
    let own = s.number == NumberSource::AssignedBySigner;
    let (name, documents, for_you, at_most) = match p {
        Provider::Other => return None,
        Provider::Twilio => (
            "Twilio",
            "A requires an approved Business Profile and a SHAKEN/STIR Trust Product, with the \
             number assigned to both; numbers not from Twilio get at most B; BPO call centers count \
             as direct customers.",
            if own {
                "Register the Business Profile and the Trust Product and assign the number to both."
            } else {
                "For a number that is not a Twilio number, expect at most B from Twilio whatever \
                 evidence you hold."
            },
            (!own).then_some(Attest::B),
        ),
        Provider::Telnyx => (
            "Telnyx",
            "A for numbers you own on Telnyx; B otherwise, verified numbers included; it does not \
             sign for customers that certified complete or partial STIR/SHAKEN themselves; hosting \
             your own certificate is a paid option.",
            if own {
                "A number you own on Telnyx can get A."
            } else {
                "For your client's numbers expect B from Telnyx, even when you have verified them."
            },
            (!own).then_some(Attest::B),
        ),
        Provider::SignalWire => (
            "SignalWire",
            "C by default; A or B after it has vetted the account.",
            "Ask SignalWire to vet your account; until then expect C.",
            None,
        ),
        Provider::Plivo => (
            "Plivo",
            "\"Verified\" (A) only for numbers rented in the same account.",
            if own {
                "A number rented in this Plivo account can get A."
            } else {
                "For numbers not rented in your Plivo account, expect less than A."
            },
            (!own).then_some(Attest::B),
        ),
        Provider::Vonage => (
            "Vonage",
            "It lets you supply your own Identity header (bring your own signing).",
            "If you sign yourself, the certificate must be the obligated provider's own (FCC \
             24-120); a delegate certificate is the standards way to sign for your client's numbers.",
            None,
        ),
    };
    Some(ProviderRules {
        provider: name.to_owned(),
        documents: documents.to_owned(),
        for_you: for_you.to_owned(),
        at_most,
        check: format!("What {name} documents (public documentation, 2025–2026) — check with it."),
    })
}
