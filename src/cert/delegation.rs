//! Delegate certificates (RFC 9060, ATIS-1000092): a certificate whose TNAuthList lists telephone
//! numbers or ranges instead of a service provider code. The number holder's provider — or a
//! subordinate CA it runs (an STI-SCA, a CA certificate whose TNAuthList holds the provider's
//! SPC) — issues one to a customer such as a call center, which can then sign for exactly those
//! numbers.
//!
//! This module holds the scope rules: which numbers a TNAuthList covers, whether a parent's list
//! encompasses a child's (RFC 9060 §4: a subordinate certificate may only narrow what its issuer
//! holds), the profile lints that differ from an SP certificate, and the facts the signer card
//! shows. The checks that use them are in `verify::delegation`.

use super::parse::ParsedCert;
use super::tnauth::{Span, TnAuthList, TnEntry};
use serde::Serialize;

/// A TN range as shown to people: first and last number, and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RangeInfo {
    pub start: String,
    pub end: String,
    pub count: u64,
}

/// What a delegate certificate on the signer card says: its numbers and who delegated them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delegate {
    /// Single numbers listed.
    pub tns: Vec<String>,
    /// Ranges listed.
    pub ranges: Vec<RangeInfo>,
    /// How many numbers the certificate covers in all.
    pub count: u64,
    /// The SPC of the STI-SCA above it (the provider that delegated the numbers), if any.
    pub issuer_spc: Option<String>,
    /// The organization of that STI-SCA (or of the issuing CA when there is no STI-SCA).
    pub issuer_org: Option<String>,
    /// Delegate CA certificates between the leaf and the STI-SCA (nested delegation).
    pub nested: usize,
    /// One sentence for people, e.g. "signed with a delegate certificate for 3 numbers issued by
    /// Example Carrier's STI-SCA (SPC 123A)".
    pub sentence: String,
}

/// The TNAuthList of a certificate when it decoded.
pub fn tn_list(c: &ParsedCert) -> Option<&TnAuthList> {
    c.tn_auth.as_ref().and_then(|(_, r)| r.as_ref().ok())
}

/// A leaf is a delegate certificate when its TNAuthList lists numbers.
pub fn is_delegate(c: &ParsedCert) -> bool {
    tn_list(c).is_some_and(|l| l.has_numbers())
}

/// Human form of one entry: `12025550100`, `12025550100–12025550199 (100 numbers)`, `SPC 123A`.
pub fn describe_entry(e: &TnEntry) -> String {
    match e {
        TnEntry::Spc { value } => format!("SPC {value}"),
        TnEntry::One { value } => value.clone(),
        TnEntry::Range { start, count } => match range_info(start, *count) {
            Some(r) => format!("{}–{} ({} numbers)", r.start, r.end, r.count),
            None => format!("{start} + {count}"),
        },
    }
}

/// The numbers of a list, described, comma-separated (at most `max` entries, then "…").
pub fn describe_numbers(list: &TnAuthList, max: usize) -> String {
    let all: Vec<String> = list.numbers().map(describe_entry).collect();
    if all.len() > max {
        format!("{}, … ({} entries)", all[..max].join(", "), all.len())
    } else {
        all.join(", ")
    }
}

fn range_info(start: &str, count: u64) -> Option<RangeInfo> {
    let span = TnEntry::Range {
        start: start.to_owned(),
        count,
    }
    .span()?;
    Some(RangeInfo {
        start: start.to_owned(),
        end: format!("{:0width$}", span.hi, width = span.digits),
        count: (span.hi - span.lo + 1).min(u64::MAX as u128) as u64,
    })
}

/// How many numbers the list's TN and range entries cover (overlaps counted once).
pub fn number_count(list: &TnAuthList) -> u64 {
    let mut spans: Vec<Span> = list.numbers().filter_map(TnEntry::span).collect();
    let others = list.numbers().filter(|e| e.span().is_none()).count() as u128;
    spans.sort_by_key(|s| (s.digits, s.lo));
    let mut total: u128 = others;
    let mut cur: Option<Span> = None;
    for s in spans {
        match cur {
            Some(c) if c.digits == s.digits && s.lo <= c.hi.saturating_add(1) => {
                cur = Some(Span {
                    hi: c.hi.max(s.hi),
                    ..c
                })
            }
            _ => {
                if let Some(c) = cur {
                    total += c.hi - c.lo + 1;
                }
                cur = Some(s);
            }
        }
    }
    if let Some(c) = cur {
        total += c.hi - c.lo + 1;
    }
    total.min(u64::MAX as u128) as u64
}

/// Is every number of the child entry covered by the parent's TN/range entries? A child range
/// may be covered by several adjacent parent entries together.
fn entry_within(parent: &TnAuthList, child: &TnEntry) -> bool {
    match child {
        // An SPC is only "encompassed" by the same SPC.
        TnEntry::Spc { value } => parent
            .entries
            .iter()
            .any(|e| matches!(e, TnEntry::Spc { value: v } if v == value)),
        TnEntry::One { value } if child.span().is_none() => parent.covers(value),
        _ => {
            let Some(want) = child.span() else {
                // A range that covers nothing (count 0) is trivially inside.
                return true;
            };
            let mut spans: Vec<Span> = parent
                .numbers()
                .filter_map(TnEntry::span)
                .filter(|s| s.digits == want.digits)
                .collect();
            spans.sort_by_key(|s| s.lo);
            let mut next = want.lo; // first number not yet shown covered
            for s in spans {
                if s.lo > next {
                    break;
                }
                if s.hi >= next {
                    if s.hi >= want.hi {
                        return true;
                    }
                    next = s.hi + 1;
                }
            }
            false
        }
    }
}

/// The child's entries that the parent does not encompass (RFC 9060 §4), described.
pub fn not_encompassed(parent: &TnAuthList, child: &TnAuthList) -> Vec<String> {
    child
        .entries
        .iter()
        .filter(|e| !entry_within(parent, e))
        .map(describe_entry)
        .collect()
}

/// Profile findings that apply to a delegate end-entity certificate instead of the SP rules
/// (one SPC, CN "SHAKEN <SPC>", no numbers — ATIS-1000080 v005 §6.4.1). ATIS-1000092 delegate
/// certificates list the delegated numbers in the TNAuthList; RFC 8226 §9 bounds each entry.
pub fn delegate_lints(list: &TnAuthList) -> Vec<String> {
    let mut out = Vec::new();
    if list.spc().is_some() {
        out.push(
            "the TNAuthList mixes an SPC with telephone numbers: an SP certificate carries one SPC \
             and no numbers (ATIS-1000080), a delegate certificate lists numbers only (ATIS-1000092)"
                .to_string(),
        );
    }
    for e in list.numbers() {
        let tn = match e {
            TnEntry::One { value } => value,
            TnEntry::Range { start, .. } => start,
            TnEntry::Spc { .. } => continue,
        };
        if tn.is_empty()
            || tn.len() > 15
            || !tn
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'#' || b == b'*')
        {
            out.push(format!(
                "telephone number {tn:?} is not 1–15 characters of 0-9, # and * (RFC 8226 §9)"
            ));
        }
        if let TnEntry::Range { start, count } = e {
            if *count < 2 {
                out.push(format!(
                    "the range starting at {start} has count {count}; RFC 8226 requires at least 2 (a single number is a TN entry)"
                ));
            } else if let Some(s) = e.span()
                && s.hi - s.lo + 1 < *count as u128
            {
                out.push(format!(
                        "the range starting at {start} with count {count} runs past the last {}-digit number",
                        s.digits
                    ));
            }
        }
    }
    out
}

/// The facts for the signer card, from the path (leaf first). `None` unless the leaf is a
/// delegate certificate.
pub fn delegate_of(path: &[std::sync::Arc<ParsedCert>]) -> Option<Delegate> {
    let leaf = path.first()?;
    let list = tn_list(leaf).filter(|l| l.has_numbers())?;
    let mut tns = Vec::new();
    let mut ranges = Vec::new();
    for e in list.numbers() {
        match e {
            TnEntry::One { value } => tns.push(value.clone()),
            TnEntry::Range { start, count } => {
                ranges.push(range_info(start, *count).unwrap_or(RangeInfo {
                    start: start.clone(),
                    end: start.clone(),
                    count: *count,
                }))
            }
            TnEntry::Spc { .. } => {}
        }
    }
    let count = number_count(list);
    // The STI-SCA: the nearest CA above with an SPC in its TNAuthList.
    let sca = path[1..]
        .iter()
        .find(|c| tn_list(c).is_some_and(|l| l.spc().is_some()));
    let nested = path[1..]
        .iter()
        .take_while(|c| tn_list(c).is_none_or(|l| l.spc().is_none()))
        .filter(|c| is_delegate(c))
        .count();
    let issuer_spc = sca
        .and_then(|c| tn_list(c))
        .and_then(|l| l.spc().map(str::to_owned));
    let issuer_org = sca
        .and_then(|c| c.subject_o.clone())
        .or_else(|| leaf.issuer_o.clone());
    let what = if count == 1 {
        "1 number".to_string()
    } else {
        format!("{count} numbers")
    };
    let by = match (&issuer_org, &issuer_spc) {
        (Some(o), Some(s)) => format!("{o}'s STI-SCA (SPC {s})"),
        (None, Some(s)) => format!("the STI-SCA of SPC {s}"),
        (Some(o), None) => o.clone(),
        (None, None) => format!("\"{}\"", leaf.issuer),
    };
    let through = match nested {
        0 => String::new(),
        1 => " through 1 delegate CA".to_string(),
        n => format!(" through {n} delegate CAs"),
    };
    Some(Delegate {
        tns,
        ranges,
        count,
        issuer_spc,
        issuer_org,
        nested,
        sentence: format!("signed with a delegate certificate for {what} issued by {by}{through}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(entries: Vec<TnEntry>) -> TnAuthList {
        TnAuthList {
            entries,
            spc_encoding: None,
        }
    }
    fn one(v: &str) -> TnEntry {
        TnEntry::One { value: v.into() }
    }
    fn range(s: &str, c: u64) -> TnEntry {
        TnEntry::Range {
            start: s.into(),
            count: c,
        }
    }

    #[test]
    fn ranges_cover_both_ends_and_not_one_past() {
        let l = list(vec![range("12025550100", 100)]);
        assert!(l.covers("12025550100") && l.covers("12025550199"));
        assert!(!l.covers("12025550200") && !l.covers("12025550099"));
        assert!(
            !l.covers("112025550100"),
            "another length is another number"
        );
    }

    #[test]
    fn encompassing_ranges_singles_and_unions() {
        let parent = list(vec![range("12025550100", 100), one("12025559999")]);
        let ok = list(vec![
            range("12025550150", 50),
            one("12025550100"),
            one("12025559999"),
        ]);
        assert!(not_encompassed(&parent, &ok).is_empty());
        let over = list(vec![range("12025550150", 51)]);
        assert_eq!(
            not_encompassed(&parent, &over),
            ["12025550150–12025550200 (51 numbers)"]
        );
        // Two adjacent parent ranges together cover a child range spanning both.
        let split = list(vec![range("12025550100", 50), range("12025550150", 50)]);
        assert!(not_encompassed(&split, &list(vec![range("12025550140", 20)])).is_empty());
        assert!(!not_encompassed(&split, &list(vec![range("12025550140", 61)])).is_empty());
        // A child SPC is not inside a list of numbers.
        assert!(
            !not_encompassed(
                &parent,
                &list(vec![TnEntry::Spc {
                    value: "123A".into()
                }])
            )
            .is_empty()
        );
    }

    #[test]
    fn counts_overlaps_once() {
        let l = list(vec![
            range("100", 10),
            range("105", 10),
            one("200"),
            one("101"),
        ]);
        assert_eq!(number_count(&l), 16);
        assert_eq!(describe_entry(&range("998", 5)), "998–999 (2 numbers)");
    }

    #[test]
    fn delegate_lints_flag_spc_mix_and_bad_ranges() {
        assert!(delegate_lints(&list(vec![range("12025550100", 100)])).is_empty());
        let l = list(vec![
            TnEntry::Spc {
                value: "123A".into(),
            },
            range("12025550100", 1),
            one("+1202"),
        ]);
        let lints = delegate_lints(&l);
        assert_eq!(lints.len(), 3, "{lints:?}");
    }
}
