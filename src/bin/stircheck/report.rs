//! Human-readable output: the answer first (same words as the page), then every check.

use std::fmt::Write;
use stircheck::advise::Advice;
use stircheck::decode::Decoded;
use stircheck::summary::{CallOutcome, display_tn, plain_duration};
use stircheck::verdict::{Outcome, Verdict};

/// The report follows the page's order: the answer (headline, what to do, numbers, signer, age),
/// then the protocol line (SIP code, verstat, references), then failing checks first, the other
/// checks briefly, certificate and trust details, and the revocation note last.
pub fn verdict(v: &Verdict) -> String {
    let mut s = String::new();
    let sm = &v.summary;
    let label = match v.outcome {
        CallOutcome::Verified => "VERIFIED",
        CallOutcome::Failed => "FAILED",
        CallOutcome::Unverified => "UNVERIFIED",
        CallOutcome::Unsigned => "NOT SIGNED",
    };
    let _ = writeln!(s, "{label}: {}", sm.headline);
    if let Some(a) = &sm.action {
        let _ = writeln!(s, "  What to do: {a}");
    }
    let numbers = |tns: &[String]| {
        tns.iter()
            .map(|t| display_tn(t))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(o) = &sm.orig {
        let _ = writeln!(s, "  Caller:     {}", display_tn(o));
    }
    if let Some(d) = &sm.dest {
        let _ = writeln!(s, "  Called:     {}", numbers(d));
    }
    if let Some(sg) = &sm.signer {
        let _ = writeln!(s, "  Signed by:  {sg}");
    }
    // The core's words: the name only when verified, otherwise why not.
    if let Some(r) = &v.rcd {
        let _ = writeln!(s, "  Brand:      {}", stircheck::rcd::brand_line(r));
    }
    if let Some(age) = sm.age_s {
        let when = if age >= 0 {
            format!("{} old", plain_duration(age))
        } else {
            format!("dated {} in the future", plain_duration(age))
        };
        let _ = writeln!(
            s,
            "  Age:        {when} at {}{}",
            date(v.verified_at),
            if v.as_of_call {
                " (as of the call)"
            } else {
                ""
            }
        );
    } else {
        let _ = writeln!(
            s,
            "  Checked at: {}{}",
            date(v.verified_at),
            if v.as_of_call {
                " (as of the call)"
            } else {
                ""
            }
        );
    }
    let mut proto = Vec::new();
    if let (Some(code), Some(phrase)) = (v.sip_code, v.sip_reason) {
        proto.push(format!("SIP {code} {phrase}"));
    }
    proto.push(format!("verstat {}", v.verstat_str()));
    if let Some(a) = &v.attest {
        proto.push(format!("attest {a}"));
    }
    if let Some(f) = v.first_failure() {
        proto.push(format!("{} [{}]", f.id, f.spec()));
    }
    let _ = writeln!(s, "  {}", proto.join(" · "));
    let _ = writeln!(s, "  {}", v.reason);
    if let Some(input) = v.check("input").filter(|c| c.outcome != Outcome::Fail) {
        let _ = writeln!(s, "  Input: {}", input.detail);
    }

    let is_revocation = |c: &&stircheck::Check| {
        c.id == stircheck::CheckId::CertRevocation && c.outcome != Outcome::Fail
    };
    let failing: Vec<_> = v
        .checks
        .iter()
        .filter(|c| c.outcome == Outcome::Fail)
        .collect();
    if !failing.is_empty() {
        let _ = writeln!(s, "\nFailed checks");
        for c in &failing {
            let _ = writeln!(s, "  {:<5} {:<16} {}", outcome(c.outcome), c.id, c.detail);
            let _ = writeln!(s, "        {:<16} [{}]", "", c.spec());
        }
    }
    let notes: Vec<_> = v
        .checks
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Warn | Outcome::Skip))
        .filter(|c| !is_revocation(c))
        .collect();
    if !notes.is_empty() {
        let _ = writeln!(s, "\nWarnings and skipped checks");
        for c in &notes {
            let _ = writeln!(s, "  {:<5} {:<16} {}", outcome(c.outcome), c.id, c.detail);
        }
    }
    let passed: Vec<&str> = v
        .checks
        .iter()
        .filter(|c| c.outcome == Outcome::Pass)
        .map(|c| c.id.as_str())
        .collect();
    if !passed.is_empty() {
        let _ = writeln!(s, "\nPassed: {}", passed.join(", "));
    }
    if let Some(sg) = &v.signer {
        let _ = writeln!(s, "\nCertificate");
        let _ = writeln!(s, "  SPC:       {}", sg.spc.as_deref().unwrap_or("(none)"));
        let _ = writeln!(
            s,
            "  Company:   {}",
            sg.organization
                .as_deref()
                .unwrap_or("(no O= in certificate)")
        );
        let _ = writeln!(s, "  Subject:   {}", sg.subject);
        let _ = writeln!(s, "  Issuer:    {}", sg.issuer);
        let _ = writeln!(
            s,
            "  Valid:     {} to {}",
            date(sg.not_before),
            date(sg.not_after)
        );
        let _ = writeln!(s, "  x5u:       {}", sg.x5u);
        if let Some(a) = &sg.anchor {
            let _ = writeln!(s, "  Anchor:    {}", a.subject);
        }
    }
    let _ = writeln!(
        s,
        "\nTrust store: {}{}",
        v.trust.name,
        v.trust
            .date
            .as_deref()
            .map(|d| format!(" (dated {d})"))
            .unwrap_or_default()
    );
    for r in v
        .identities
        .iter()
        .filter(|r| r.role != stircheck::verdict::Role::Shaken && v.identities.len() > 1)
    {
        let _ = writeln!(
            s,
            "\nIdentity #{} (ppt {}): {:?} — {}",
            r.index + 1,
            r.ppt.as_deref().unwrap_or("none"),
            r.status,
            r.reason
        );
        for c in &r.checks {
            let _ = writeln!(s, "  {:<5} {:<16} {}", outcome(c.outcome), c.id, c.detail);
        }
    }
    if let Some(c) = v.checks.iter().find(|c| is_revocation(c)) {
        let _ = writeln!(s, "\nRevocation: {} {}", outcome(c.outcome), c.detail);
    }
    s
}

pub fn decoded(d: &Decoded) -> String {
    let mut s = String::new();
    if let Some(e) = &d.error {
        let _ = writeln!(s, "Cannot decode: {e}");
        return s;
    }
    let _ = writeln!(s, "{} Identity header(s)", d.identities.len());
    for r in &d.identities {
        let _ = writeln!(
            s,
            "\nIdentity #{} (ppt {}, {} form)",
            r.index + 1,
            r.ppt.as_deref().unwrap_or("none"),
            r.form
        );
        if let Some(h) = &r.header {
            let _ = writeln!(
                s,
                "  header: {}",
                serde_json::to_string_pretty(h)
                    .unwrap_or_default()
                    .replace('\n', "\n  ")
            );
        }
        if let Some(c) = &r.claims {
            let _ = writeln!(
                s,
                "  claims: {}",
                serde_json::to_string_pretty(c)
                    .unwrap_or_default()
                    .replace('\n', "\n  ")
            );
        }
        if let Some(i) = r.iat {
            let _ = writeln!(s, "  iat:    {} ({})", i, date(i));
        }
        for c in &r.checks {
            if c.outcome != Outcome::Pass {
                let _ = writeln!(s, "  {:<5} {:<16} {}", outcome(c.outcome), c.id, c.detail);
            }
        }
    }
    s
}

pub fn advice(a: &Advice) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Expected attestation: {}",
        serde_json::to_value(a.attest)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    );
    let _ = writeln!(s, "  {}", a.why);
    if !a.to_reach_a.is_empty() {
        let _ = writeln!(s, "\nTo reach A:");
        for (i, step) in a.to_reach_a.iter().enumerate() {
            let _ = writeln!(s, "  {}. {step}", i + 1);
        }
    }
    let _ = writeln!(s, "\nCaveats:");
    for c in &a.caveats {
        let _ = writeln!(s, "  - {c}");
    }
    if let Some(p) = &a.provider_rules {
        let _ = writeln!(
            s,
            "\nWhat {} documents:\n  {}\n  {}\n  ({})",
            p.provider, p.documents, p.for_you, p.check
        );
    }
    if !a.changes.is_empty() {
        let _ = writeln!(s, "\nWhat changed in 2025-2026:");
        for c in &a.changes {
            let _ = writeln!(s, "  - {}", c.text);
        }
    }
    s
}

fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "PASS",
        Outcome::Fail => "FAIL",
        Outcome::Warn => "WARN",
        Outcome::Skip => "skip",
    }
}

pub fn date(t: i64) -> String {
    stircheck::verdict::format_date(t)
}
