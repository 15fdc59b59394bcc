//! Human-readable output: the verdict in one line first, then the signer, then every check.

use std::fmt::Write;
use stircheck::advise::Advice;
use stircheck::decode::Decoded;
use stircheck::verdict::{Outcome, Status, Verdict, attest_meaning};

pub fn verdict(v: &Verdict) -> String {
    let mut s = String::new();
    let head = match v.status {
        Status::Valid => format!(
            "VALID: attestation {} ({})",
            v.attest.as_deref().unwrap_or("?"),
            v.verstat_str()
        ),
        Status::Invalid => format!(
            "INVALID: {} {} ({})",
            v.sip_code.unwrap_or(0),
            v.sip_reason.unwrap_or(""),
            v.verstat_str()
        ),
        Status::NoIdentity => format!("NO IDENTITY: the call is not signed ({})", v.verstat_str()),
    };
    let _ = writeln!(s, "{head}");
    let _ = writeln!(s, "  {}", v.reason);
    if let Some(a) = &v.attest {
        let _ = writeln!(s, "  Attestation {a} means {}.", attest_meaning(a));
    }
    if let Some(sg) = &v.signer {
        let _ = writeln!(s, "\nSigner");
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
    let when = if v.as_of_call {
        " (as of the call)"
    } else {
        ""
    };
    let _ = writeln!(s, "Verified at: {}{when}", date(v.verified_at));
    let _ = writeln!(s, "\nChecks");
    for c in &v.checks {
        let _ = writeln!(s, "  {:<5} {:<16} {}", outcome(c.outcome), c.id, c.detail);
        let _ = writeln!(s, "        {:<16} [{}]", "", c.spec);
    }
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
        let _ = writeln!(s, "\nWhat {} documents:\n  {}\n  {}\n  ({})", p.provider, p.documents, p.for_you, p.check);
    }
    if !a.changes.is_empty() {
        let _ = writeln!(s, "\nWhat changed in 2025-2026:");
        for c in &a.changes {
            let tag = match c.status {
                stircheck::advise::ChangeStatus::Proposed => "PROPOSED ",
                stircheck::advise::ChangeStatus::InForce => "",
            };
            let _ = writeln!(s, "  - {tag}{}", c.text);
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
