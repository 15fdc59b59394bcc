//! Self-check answers: one plain sentence per customer number, from the counts of its calls.
//!
//! A business customer pastes many calls and wants, per number, the answer first ("0 of 4 calls
//! reached A — all signed B by Example Carrier (SPC 123A): your carrier knows you but has not
//! verified this number") and one next step. The counting is the page's job (it already holds the
//! rows); the words are written here, once, like every other verdict sentence. The number itself is
//! not in the sentence: the page lays it out beside it in its own format.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Bounds on what a caller may hand in (the page sends one tally per entered number).
pub const MAX_NUMBERS: usize = 10_000;
/// Signers named per tally; more are counted, not named.
pub const MAX_SIGNERS: usize = 64;
/// Longest signer label kept (a certificate's O can be long); longer ones are cut.
pub const MAX_SIGNER_LEN: usize = 120;
/// Branded names named per tally; more are counted, not named.
pub const MAX_BRANDS: usize = 8;

/// The calls counted for one number. Every call is in exactly one of the counts.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberTally {
    /// Canonical number (digits); echoed back, never interpreted.
    pub number: String,
    /// Valid calls at each level.
    #[serde(default)]
    pub a: u32,
    /// Valid calls signed B.
    #[serde(default)]
    pub b: u32,
    /// Valid calls signed C.
    #[serde(default)]
    pub c: u32,
    /// Calls whose header was checked and is wrong (Verdict outcome `failed`).
    #[serde(default)]
    pub failed: u32,
    /// Calls that could not be checked (outcome `unverified`: certificate not obtained).
    #[serde(default)]
    pub unverified: u32,
    /// Calls without an Identity header (outcome `unsigned`).
    #[serde(default)]
    pub unsigned: u32,
    /// Pasted lines showing this number in which no PASSporT could be read (a copy error, not a
    /// call result): counted apart so they do not read as signed and failed.
    #[serde(default)]
    pub unreadable: u32,
    /// Who signed the valid calls, with how many at each level.
    #[serde(default)]
    pub signers: Vec<SignerTally>,
    /// Branded names (RFC 9795 `nam`) shown on calls whose rich call data verified (Verdict
    /// `rcd.verified`), with how many calls each.
    #[serde(default)]
    pub brands: Vec<BrandTally>,
    /// Calls that carried rich call data that did not verify (Verdict `rcd` present, not verified).
    #[serde(default)]
    pub unverified_brands: u32,
}

/// One verified branded name of a number's calls.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrandTally {
    /// The verified `nam`, as in the Verdict's `rcd.nam`.
    pub name: String,
    /// Calls that showed it.
    #[serde(default)]
    pub calls: u32,
}

/// One signer of valid calls of a number: the Verdict's `summary.signer` words.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignerTally {
    /// The signer's words, as in the Verdict's `summary.signer`.
    pub signer: String,
    /// Valid calls this signer signed A.
    #[serde(default)]
    pub a: u32,
    /// Valid calls this signer signed B.
    #[serde(default)]
    pub b: u32,
    /// Valid calls this signer signed C.
    #[serde(default)]
    pub c: u32,
}

/// What decides the colour and the next step of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Every readable call reached A.
    #[serde(rename = "A")]
    A,
    /// Some valid calls were signed B (none failed or went unchecked).
    #[serde(rename = "B")]
    B,
    /// Some valid calls were signed C (none B, none failed or went unchecked).
    #[serde(rename = "C")]
    C,
    /// Some calls failed verification (none went unchecked).
    Failed,
    /// Some calls could not be checked: the certificate was not obtained.
    Unverified,
    /// The readable calls carried no signature.
    Unsigned,
    /// No readable call showed this number.
    None,
}

/// Where the page's "next step" link goes (sections of the self-check page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// "What to do to reach A".
    ReachA,
    /// Failures grouped by reason.
    Failures,
    /// The certificate panel (paste a chain).
    Certificates,
    /// "How to get the headers of your calls".
    HowTo,
}

/// The next step: link text and where it leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Next {
    /// The link text.
    pub text: &'static str,
    /// The page section it leads to.
    pub target: Target,
}

/// The answer for one number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NumberAnswer {
    /// The number, echoed from the tally.
    pub number: String,
    /// What decides the answer's colour.
    pub level: Level,
    /// The answer, one plain sentence (without the number).
    pub sentence: String,
    /// The next step, if any.
    pub next: Option<Next>,
}

/// A tally the page should never send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TallyError {
    /// More numbers than [`MAX_NUMBERS`] (how many were sent).
    TooManyNumbers(usize),
    /// The tally JSON could not be read (the parser's message).
    Json(String),
}

impl fmt::Display for TallyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TallyError::TooManyNumbers(n) => {
                write!(
                    f,
                    "{n} numbers: the self-check answers at most {MAX_NUMBERS} at once"
                )
            }
            TallyError::Json(e) => write!(f, "the tallies are not valid: {e}"),
        }
    }
}

impl std::error::Error for TallyError {}

/// Parse the tallies the page sends (a JSON array of [`NumberTally`]), bounded.
pub fn parse_tallies(json: &str) -> Result<Vec<NumberTally>, TallyError> {
    // A tally is well under 8 KiB even with MAX_SIGNERS long names.
    if json.len() > MAX_NUMBERS * 8 * 1024 {
        return Err(TallyError::TooManyNumbers(MAX_NUMBERS + 1));
    }
    let list: Vec<NumberTally> =
        serde_json::from_str(json).map_err(|e| TallyError::Json(e.to_string()))?;
    if list.len() > MAX_NUMBERS {
        return Err(TallyError::TooManyNumbers(list.len()));
    }
    Ok(list)
}

/// One answer per tally, in the same order.
pub fn answers(tallies: &[NumberTally]) -> Vec<NumberAnswer> {
    tallies.iter().map(answer).collect()
}

fn calls(n: u64) -> String {
    if n == 1 {
        "1 call".into()
    } else {
        format!("{n} calls")
    }
}

/// "the call", "all", "the other 3", "2": how many of the calls a clause is about.
fn how_many(k: u64, total: u64, rest: u64) -> String {
    match (k == total, k == rest) {
        (true, _) if k == 1 => "the call".into(),
        (true, _) => "all".into(),
        (false, true) if k == 1 => "the other one".into(),
        (false, true) => format!("the other {k}"),
        _ => k.to_string(),
    }
}

/// "Example Carrier (SPC 123A)", "X and Y", "X, Y and 3 other signers".
fn signer_names(names: &[&str]) -> String {
    let cut = |s: &str| -> String {
        if s.chars().count() > MAX_SIGNER_LEN {
            let head: String = s.chars().take(MAX_SIGNER_LEN - 1).collect();
            format!("{head}…")
        } else {
            s.to_string()
        }
    };
    match names {
        [] => "an unknown signer".into(),
        [one] => cut(one),
        [one, two] => format!("{} and {}", cut(one), cut(two)),
        [one, two, rest @ ..] => format!(
            "{}, {} and {} other signer{}",
            cut(one),
            cut(two),
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ),
    }
}

/// Signers with at least one call at the level `pick` counts.
fn signers_at(t: &NumberTally, pick: impl Fn(&SignerTally) -> u32) -> Vec<&str> {
    t.signers
        .iter()
        .take(MAX_SIGNERS)
        .filter(|s| pick(s) > 0)
        .map(|s| s.signer.trim())
        .filter(|s| !s.is_empty())
        .collect()
}

/// "; branded as "Acme" (verified) on 3 calls; the branded name of 1 call did not verify": only
/// verified names are named (RFC 9795: unverified rich call data is never the caller's).
fn brand_clause(t: &NumberTally) -> String {
    let mut out = String::new();
    let named: Vec<String> = t
        .brands
        .iter()
        .filter(|b| b.calls > 0 && !b.name.trim().is_empty())
        .take(MAX_BRANDS)
        .map(|b| {
            let name: String = b.name.trim().chars().take(MAX_SIGNER_LEN).collect();
            format!("{name:?} on {}", calls(u64::from(b.calls)))
        })
        .collect();
    if !named.is_empty() {
        out.push_str(&format!(
            "; branded as {} (verified rich call data)",
            named.join(", ")
        ));
    }
    match t.unverified_brands {
        0 => {}
        1 => out.push_str("; the branded name of 1 call did not verify and is not shown"),
        n => out.push_str(&format!(
            "; the branded names of {n} calls did not verify and are not shown"
        )),
    }
    out
}

/// The sentence and next step for one number.
pub fn answer(t: &NumberTally) -> NumberAnswer {
    let (a, b, c) = (u64::from(t.a), u64::from(t.b), u64::from(t.c));
    let (failed, unverified, unsigned) = (
        u64::from(t.failed),
        u64::from(t.unverified),
        u64::from(t.unsigned),
    );
    let total = a + b + c + failed + unverified + unsigned;
    let unreadable = u64::from(t.unreadable);
    let tail = brand_clause(t)
        + &match unreadable {
            0 => String::new(),
            1 => "; 1 more pasted line showing this number could not be read".into(),
            n => format!("; {n} more pasted lines showing this number could not be read"),
        };

    if total == 0 {
        let sentence = if unreadable > 0 {
            format!(
                "no call could be read: {} showing this number had no readable Identity header",
                if unreadable == 1 {
                    "the pasted line".to_string()
                } else {
                    format!("the {unreadable} pasted lines")
                }
            )
        } else {
            "no call in the paste showed this number".into()
        };
        return NumberAnswer {
            number: t.number.clone(),
            level: Level::None,
            sentence,
            next: Some(Next {
                text: "see how to get the headers of your calls",
                target: Target::HowTo,
            }),
        };
    }

    let lead = format!("{a} of {} reached A", calls(total));
    if a == total {
        let who = signer_names(&signers_at(t, |s| s.a));
        let sentence = if total == 1 {
            format!("the call reached A, signed by {who}{tail}")
        } else {
            format!("all {total} calls reached A, signed by {who}{tail}")
        };
        return NumberAnswer {
            number: t.number.clone(),
            level: Level::A,
            sentence,
            next: None,
        };
    }

    let rest = total - a;
    let scope = |k: u64| how_many(k, total, rest);
    let mut clauses = Vec::new();
    if b > 0 {
        clauses.push(format!(
            "{} signed B by {}: your carrier knows you but has not verified this number",
            scope(b),
            signer_names(&signers_at(t, |s| s.b))
        ));
    }
    if c > 0 {
        clauses.push(format!(
            "{} signed C by {}: the signer cannot say who placed the call",
            scope(c),
            signer_names(&signers_at(t, |s| s.c))
        ));
    }
    if failed > 0 {
        clauses.push(format!(
            "{} failed verification (a failed signature counts as none)",
            scope(failed)
        ));
    }
    if unverified > 0 {
        clauses.push(format!(
            "{} could not be checked because the signer's certificate could not be obtained",
            scope(unverified)
        ));
    }
    if unsigned > 0 {
        clauses.push(format!("{} carried no signature", scope(unsigned)));
    }

    // The next step follows the first thing to fix: a missing certificate hides the real result,
    // a failure is worse than a low level, and B/C are what "reach A" is about.
    let (level, next) = if unverified > 0 {
        (
            Level::Unverified,
            Next {
                text: if unverified == 1 {
                    "paste the certificate chain to check it"
                } else {
                    "paste the certificate chain to check them"
                },
                target: Target::Certificates,
            },
        )
    } else if failed > 0 {
        (
            Level::Failed,
            Next {
                text: if failed == 1 {
                    "see why it failed"
                } else {
                    "see why they failed"
                },
                target: Target::Failures,
            },
        )
    } else if b > 0 {
        (
            Level::B,
            Next {
                text: "see how to reach A",
                target: Target::ReachA,
            },
        )
    } else if c > 0 {
        (
            Level::C,
            Next {
                text: "see how to reach A",
                target: Target::ReachA,
            },
        )
    } else {
        (
            Level::Unsigned,
            Next {
                text: "see how to reach A",
                target: Target::ReachA,
            },
        )
    };
    NumberAnswer {
        number: t.number.clone(),
        level,
        sentence: format!("{lead} — {}{tail}", clauses.join("; ")),
        next: Some(next),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(f: impl FnOnce(&mut NumberTally)) -> NumberTally {
        let mut t = NumberTally {
            number: "12025550143".into(),
            ..Default::default()
        };
        f(&mut t);
        t
    }

    fn signer(name: &str, a: u32, b: u32, c: u32) -> SignerTally {
        SignerTally {
            signer: name.into(),
            a,
            b,
            c,
        }
    }

    #[test]
    fn verified_brands_are_named_and_unverified_ones_only_counted() {
        let t = tally(|t| {
            t.a = 3;
            t.signers = vec![signer("Example Carrier (SPC 123A)", 3, 0, 0)];
            t.brands = vec![BrandTally {
                name: "Acme Pharmacy".into(),
                calls: 2,
            }];
            t.unverified_brands = 1;
        });
        assert_eq!(
            answer(&t).sentence,
            "all 3 calls reached A, signed by Example Carrier (SPC 123A); branded as \"Acme Pharmacy\" on 2 calls (verified rich call data); the branded name of 1 call did not verify and is not shown"
        );
        let list = parse_tallies(
            r#"[{"number":"1","a":1,"brands":[{"name":"X","calls":1}],"unverified_brands":0}]"#,
        )
        .unwrap();
        assert_eq!(list[0].brands[0].name, "X");
    }

    #[test]
    fn all_b_names_the_signer_and_points_to_reach_a() {
        let t = tally(|t| {
            t.b = 4;
            t.signers = vec![signer("Example Carrier (SPC 123A)", 0, 4, 0)];
        });
        let a = answer(&t);
        assert_eq!(
            a.sentence,
            "0 of 4 calls reached A — all signed B by Example Carrier (SPC 123A): your carrier knows you but has not verified this number"
        );
        assert_eq!(a.level, Level::B);
        assert_eq!(a.next.unwrap().target, Target::ReachA);
        assert_eq!(a.number, "12025550143");
    }

    #[test]
    fn all_a_needs_no_next_step() {
        let t = tally(|t| {
            t.a = 2;
            t.signers = vec![signer("Example Carrier (SPC 123A)", 2, 0, 0)];
        });
        let a = answer(&t);
        assert_eq!(
            a.sentence,
            "all 2 calls reached A, signed by Example Carrier (SPC 123A)"
        );
        assert_eq!(a.level, Level::A);
        assert!(a.next.is_none());
    }

    #[test]
    fn the_next_step_speaks_of_one_call_as_it() {
        let next = |f: fn(&mut NumberTally)| answer(&tally(f)).next.unwrap().text;
        assert_eq!(
            next(|t| t.unverified = 1),
            "paste the certificate chain to check it"
        );
        assert_eq!(
            next(|t| t.unverified = 2),
            "paste the certificate chain to check them"
        );
        assert_eq!(next(|t| t.failed = 1), "see why it failed");
        assert_eq!(next(|t| t.failed = 3), "see why they failed");
    }

    #[test]
    fn mixed_calls_say_the_other_ones_and_the_first_fix() {
        let t = tally(|t| {
            t.a = 1;
            t.c = 1;
            t.failed = 1;
            t.signers = vec![
                signer("X (SPC 1)", 1, 0, 0),
                signer("Gateway Co (SPC 9)", 0, 0, 1),
            ];
        });
        let a = answer(&t);
        assert!(
            a.sentence
                .starts_with("1 of 3 calls reached A — 1 signed C by Gateway Co (SPC 9)"),
            "{}",
            a.sentence
        );
        assert!(
            a.sentence.contains("1 failed verification"),
            "{}",
            a.sentence
        );
        assert!(
            !a.sentence.contains("X (SPC 1)"),
            "A signers are not named for C: {}",
            a.sentence
        );
        assert_eq!(a.level, Level::Failed);
        assert_eq!(a.next.unwrap().target, Target::Failures);
    }

    #[test]
    fn the_other_ones_when_a_single_kind_remains() {
        let t = tally(|t| {
            t.a = 1;
            t.b = 2;
            t.signers = vec![signer("X (SPC 1)", 1, 2, 0)];
        });
        assert!(
            answer(&t)
                .sentence
                .starts_with("1 of 3 calls reached A — the other 2 signed B by X (SPC 1)")
        );
    }

    #[test]
    fn unverified_is_not_a_failure_and_asks_for_the_chain() {
        let t = tally(|t| t.unverified = 3);
        let a = answer(&t);
        assert_eq!(a.level, Level::Unverified);
        assert!(
            a.sentence.contains("could not be checked"),
            "{}",
            a.sentence
        );
        assert!(!a.sentence.contains("failed"), "{}", a.sentence);
        assert_eq!(a.next.unwrap().target, Target::Certificates);
    }

    #[test]
    fn unreadable_lines_are_counted_apart() {
        let t = tally(|t| {
            t.b = 1;
            t.unreadable = 2;
            t.signers = vec![signer("X (SPC 1)", 0, 1, 0)];
        });
        let s = answer(&t).sentence;
        assert!(
            s.starts_with("0 of 1 call reached A — the call signed B"),
            "{s}"
        );
        assert!(
            s.ends_with("; 2 more pasted lines showing this number could not be read"),
            "{s}"
        );
        let only = answer(&tally(|t| t.unreadable = 1));
        assert_eq!(only.level, Level::None);
        assert!(
            only.sentence.contains("no readable Identity header"),
            "{}",
            only.sentence
        );
        assert_eq!(only.next.unwrap().target, Target::HowTo);
    }

    #[test]
    fn no_calls_points_to_how_to_get_headers() {
        let a = answer(&tally(|_| {}));
        assert_eq!(a.sentence, "no call in the paste showed this number");
        assert_eq!(a.next.unwrap().target, Target::HowTo);
    }

    #[test]
    fn many_signers_are_counted_not_listed() {
        let t = tally(|t| {
            t.b = 4;
            t.signers = (0..4).map(|i| signer(&format!("S{i}"), 0, 1, 0)).collect();
        });
        assert!(
            answer(&t)
                .sentence
                .contains("signed B by S0, S1 and 2 other signers")
        );
        let long = "x".repeat(500);
        let t = tally(|t| {
            t.b = 1;
            t.signers = vec![signer(&long, 0, 1, 0)];
        });
        assert!(answer(&t).sentence.len() < 300);
    }

    #[test]
    fn parse_is_strict_and_bounded() {
        assert!(
            parse_tallies(r#"[{"number":"1","b":1,"signers":[{"signer":"X","b":1}]}]"#).is_ok()
        );
        assert!(matches!(
            parse_tallies(r#"[{"number":"1","bogus":1}]"#),
            Err(TallyError::Json(_))
        ));
        assert!(matches!(
            parse_tallies(r#"[{"number":"1","a":-1}]"#),
            Err(TallyError::Json(_))
        ));
        let many = format!("[{}]", vec![r#"{"number":"1"}"#; MAX_NUMBERS + 1].join(","));
        assert!(matches!(
            parse_tallies(&many),
            Err(TallyError::TooManyNumbers(_))
        ));
    }
}
