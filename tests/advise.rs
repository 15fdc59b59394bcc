//! Advisor behaviour: every row of the attestation.md table, every input value, the error
//! messages and the JSON shape the CLI and page depend on.

use stircheck::advise::{
    Advice, AdviseError, Attest, NumberSource, Relationship, Role, Rule, Scenario, Verification,
    advise, parse_scenario,
};

const ROLES: [Role; 4] = [
    Role::Originating,
    Role::Gateway,
    Role::Intermediate,
    Role::Forwarding,
];
const RELATIONSHIPS: [Relationship; 2] = [Relationship::Direct, Relationship::None];
const NUMBERS: [NumberSource; 3] = [
    NumberSource::AssignedBySigner,
    NumberSource::ClientNumber,
    NumberSource::Unknown,
];
const VERIFIED: [Verification; 4] = [
    Verification::CarrierRecords,
    Verification::LoaChecked,
    Verification::TnDatabase,
    Verification::DelegateCertificate,
];
const VERIFICATIONS: [Verification; 5] = [
    Verification::CarrierRecords,
    Verification::LoaChecked,
    Verification::TnDatabase,
    Verification::DelegateCertificate,
    Verification::None,
];

fn sc(
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
    }
}

/// Originating carrier, direct customer: the call-center baseline.
fn direct(number: NumberSource, verification: Verification) -> Scenario {
    sc(
        Role::Originating,
        Relationship::Direct,
        number,
        verification,
    )
}

fn all_scenarios() -> Vec<Scenario> {
    let mut out = Vec::new();
    for r in ROLES {
        for rel in RELATIONSHIPS {
            for n in NUMBERS {
                for v in VERIFICATIONS {
                    out.push(sc(r, rel, n, v));
                }
            }
        }
    }
    out
}

fn steps_text(a: &Advice) -> String {
    a.to_reach_a.join("\n").to_lowercase()
}

fn assert_reaches_a_via_evidence(a: &Advice) {
    let t = steps_text(a);
    assert!(
        t.contains("letter of authorization") && t.contains("loa"),
        "steps should mention LOA: {t}"
    );
    assert!(
        t.contains("delegate certificate"),
        "steps should mention delegate certificates: {t}"
    );
    assert!(
        t.contains("tn database"),
        "steps should mention TN database: {t}"
    );
}

// ---- Table rows of attestation.md -------------------------------------------------------------

#[test]
fn row_own_number_is_a() {
    let a = advise(&direct(
        NumberSource::AssignedBySigner,
        Verification::CarrierRecords,
    ));
    assert_eq!(a.attest, Attest::A);
    assert_eq!(a.rule, Rule::OwnNumber);
    assert!(a.to_reach_a.is_empty());
}

#[test]
fn own_number_without_separate_verification_is_still_a() {
    // The carrier's own assignment is its record; "none" must not downgrade it.
    for v in VERIFICATIONS {
        let a = advise(&direct(NumberSource::AssignedBySigner, v));
        assert_eq!(a.attest, Attest::A, "{v:?}");
        assert_eq!(a.rule, Rule::OwnNumber);
        assert!(a.to_reach_a.is_empty());
    }
}

#[test]
fn row_client_number_verified_each_method_is_a() {
    for v in VERIFIED {
        let a = advise(&direct(NumberSource::ClientNumber, v));
        assert_eq!(a.attest, Attest::A, "{v:?}");
        assert_eq!(a.rule, Rule::ClientNumberVerified);
        assert!(a.to_reach_a.is_empty());
    }
}

#[test]
fn client_number_verified_why_names_the_method() {
    let expect = [
        (Verification::CarrierRecords, "carrier records"),
        (Verification::LoaChecked, "loa"),
        (Verification::TnDatabase, "tn database"),
        (Verification::DelegateCertificate, "delegate certificate"),
    ];
    for (v, word) in expect {
        let why = advise(&direct(NumberSource::ClientNumber, v))
            .why
            .to_lowercase();
        assert!(why.contains(word), "{v:?}: {why}");
    }
}

#[test]
fn row_client_number_unverified_is_b_with_path_to_a() {
    let a = advise(&direct(NumberSource::ClientNumber, Verification::None));
    assert_eq!(a.attest, Attest::B);
    assert_eq!(a.rule, Rule::ClientNumberUnverified);
    assert_reaches_a_via_evidence(&a);
}

#[test]
fn row_not_in_inventory_is_not_c() {
    let a = advise(&direct(NumberSource::Unknown, Verification::None));
    assert_eq!(a.attest, Attest::B);
    assert_ne!(a.attest, Attest::C);
    assert_eq!(a.rule, Rule::NotInInventoryIsNotC);
    assert_reaches_a_via_evidence(&a);
    assert!(steps_text(&a).contains("who holds the number"));
}

#[test]
fn not_in_inventory_but_verified_is_a() {
    for v in VERIFIED {
        let a = advise(&direct(NumberSource::Unknown, v));
        assert_eq!(a.attest, Attest::A, "{v:?}");
        assert_eq!(a.rule, Rule::ClientNumberVerified);
        assert!(a.to_reach_a.is_empty());
    }
}

#[test]
fn row_not_originated_is_c_whatever_else() {
    for role in [Role::Gateway, Role::Intermediate, Role::Forwarding] {
        for rel in RELATIONSHIPS {
            for n in NUMBERS {
                for v in VERIFICATIONS {
                    let a = advise(&sc(role, rel, n, v));
                    assert_eq!(a.attest, Attest::C, "{role:?} {rel:?} {n:?} {v:?}");
                    assert_eq!(a.rule, Rule::NotOriginated);
                    assert!(
                        steps_text(&a).contains("originates"),
                        "first fix is to move origination: {:?}",
                        a.to_reach_a
                    );
                }
            }
        }
    }
}

#[test]
fn not_originated_why_fits_the_role() {
    let word = [
        (Role::Gateway, "abroad"),
        (Role::Intermediate, "another carrier"),
        (Role::Forwarding, "forwarded"),
    ];
    for (role, w) in word {
        let a = advise(&sc(
            role,
            Relationship::Direct,
            NumberSource::ClientNumber,
            Verification::None,
        ));
        assert!(a.why.contains(w), "{role:?}: {}", a.why);
    }
}

#[test]
fn no_relationship_is_c_even_for_own_number() {
    for n in NUMBERS {
        for v in VERIFICATIONS {
            let a = advise(&sc(Role::Originating, Relationship::None, n, v));
            assert_eq!(a.attest, Attest::C, "{n:?} {v:?}");
            assert_eq!(a.rule, Rule::NoRelationship);
            assert!(steps_text(&a).contains("know-your-customer"));
        }
    }
}

// ---- Steps towards A depend on what is missing -------------------------------------------------

#[test]
fn c_with_own_number_does_not_ask_for_loa() {
    let a = advise(&sc(
        Role::Gateway,
        Relationship::None,
        NumberSource::AssignedBySigner,
        Verification::None,
    ));
    let t = steps_text(&a);
    assert!(!t.contains("loa"), "{t}");
    assert!(t.contains("know-your-customer"));
}

#[test]
fn c_with_existing_evidence_reuses_it_rather_than_starting_over() {
    let a = advise(&sc(
        Role::Intermediate,
        Relationship::Direct,
        NumberSource::ClientNumber,
        Verification::DelegateCertificate,
    ));
    let t = steps_text(&a);
    assert!(
        t.contains("already have") && t.contains("delegate certificate"),
        "{t}"
    );
    assert!(!t.contains("know-your-customer"));
}

#[test]
fn c_with_nothing_verified_lists_evidence_steps() {
    let a = advise(&sc(
        Role::Forwarding,
        Relationship::None,
        NumberSource::ClientNumber,
        Verification::None,
    ));
    assert_reaches_a_via_evidence(&a);
}

// ---- Properties over every combination ---------------------------------------------------------

#[test]
fn every_combination_is_consistent() {
    let all = all_scenarios();
    assert_eq!(all.len(), 4 * 2 * 3 * 5);
    for s in all {
        let a = advise(&s);
        assert_eq!(
            a.to_reach_a.is_empty(),
            a.attest == Attest::A,
            "steps empty exactly when A: {s:?}"
        );
        // A only ever with originating + direct, as the definition requires.
        if a.attest != Attest::C {
            assert_eq!(s.role, Role::Originating);
            assert_eq!(s.relationship, Relationship::Direct);
        }
        let sentences = a.why.matches(". ").count() + 1;
        assert!((1..=3).contains(&sentences), "{s:?}: {}", a.why);
        assert!(a.why.ends_with('.'));
        assert!(a.to_reach_a.iter().all(|t| !t.trim().is_empty()));
        assert_eq!(a.caveats.len(), 3);
    }
}

#[test]
fn caveats_cover_policy_terminating_and_fcc_24_120() {
    let a = advise(&direct(NumberSource::ClientNumber, Verification::None));
    let c = a.caveats.join("\n");
    assert!(c.contains("policies differ"));
    assert!(c.contains("Terminating"));
    assert!(c.contains("FCC 24-120") && c.contains("18 September 2025"));
    assert!(c.contains("own certificate"));
}

// ---- Parsing --------------------------------------------------------------------------------

#[test]
fn parses_every_value_of_every_field() {
    let cases: [(&str, &str, Scenario); 14] = {
        let base = direct(NumberSource::ClientNumber, Verification::None);
        [
            ("role", "originating", base),
            (
                "role",
                "gateway",
                Scenario {
                    role: Role::Gateway,
                    ..base
                },
            ),
            (
                "role",
                "intermediate",
                Scenario {
                    role: Role::Intermediate,
                    ..base
                },
            ),
            (
                "role",
                "forwarding",
                Scenario {
                    role: Role::Forwarding,
                    ..base
                },
            ),
            ("relationship", "direct", base),
            (
                "relationship",
                "none",
                Scenario {
                    relationship: Relationship::None,
                    ..base
                },
            ),
            (
                "number",
                "assigned-by-signer",
                Scenario {
                    number: NumberSource::AssignedBySigner,
                    ..base
                },
            ),
            ("number", "client-number", base),
            (
                "number",
                "unknown",
                Scenario {
                    number: NumberSource::Unknown,
                    ..base
                },
            ),
            (
                "verification",
                "carrier-records",
                Scenario {
                    verification: Verification::CarrierRecords,
                    ..base
                },
            ),
            (
                "verification",
                "loa-checked",
                Scenario {
                    verification: Verification::LoaChecked,
                    ..base
                },
            ),
            (
                "verification",
                "tn-database",
                Scenario {
                    verification: Verification::TnDatabase,
                    ..base
                },
            ),
            (
                "verification",
                "delegate-certificate",
                Scenario {
                    verification: Verification::DelegateCertificate,
                    ..base
                },
            ),
            ("verification", "none", base),
        ]
    };
    for (field, value, want) in cases {
        let mut obj = serde_json::json!({
            "role": "originating",
            "relationship": "direct",
            "number": "client-number",
            "verification": "none",
        });
        obj[field] = value.into();
        let json = obj.to_string();
        assert_eq!(parse_scenario(&json), Ok(want), "{json}");
        // The plain serde path must agree with the friendly parser.
        assert_eq!(serde_json::from_str::<Scenario>(&json).unwrap(), want);
    }
}

#[test]
fn scenario_serializes_in_the_input_format() {
    for s in all_scenarios() {
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(parse_scenario(&json), Ok(s));
    }
}

#[test]
fn bad_value_names_field_and_allowed_values() {
    let err = parse_scenario(
        r#"{"role":"carrier","relationship":"direct","number":"unknown","verification":"none"}"#,
    )
    .unwrap_err();
    assert!(
        matches!(err, AdviseError::BadValue { field: "role", .. }),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("`role`") && msg.contains("\"carrier\""),
        "{msg}"
    );
    for v in ["originating", "gateway", "intermediate", "forwarding"] {
        assert!(msg.contains(v), "{msg}");
    }
}

#[test]
fn bad_value_in_each_field() {
    let fields = [
        ("relationship", "indirect", "direct, none"),
        (
            "number",
            "ported",
            "assigned-by-signer, client-number, unknown",
        ),
        (
            "verification",
            "invoice",
            "carrier-records, loa-checked, tn-database, delegate-certificate, none",
        ),
    ];
    for (field, bad, allowed) in fields {
        let mut obj = serde_json::json!({
            "role": "originating",
            "relationship": "direct",
            "number": "client-number",
            "verification": "none",
        });
        obj[field] = bad.into();
        let msg = parse_scenario(&obj.to_string()).unwrap_err().to_string();
        assert!(msg.contains(&format!("`{field}`")), "{msg}");
        assert!(msg.contains(bad) && msg.contains(allowed), "{msg}");
    }
}

#[test]
fn non_string_value_is_a_bad_value() {
    let err = parse_scenario(
        r#"{"role":"originating","relationship":true,"number":"unknown","verification":"none"}"#,
    )
    .unwrap_err();
    assert!(matches!(
        err,
        AdviseError::BadValue { field: "relationship", ref value, .. } if value == "true"
    ));
}

#[test]
fn missing_field_names_it_and_allowed_values() {
    let err =
        parse_scenario(r#"{"role":"originating","relationship":"direct","number":"unknown"}"#)
            .unwrap_err();
    assert!(
        matches!(
            err,
            AdviseError::MissingField {
                field: "verification",
                ..
            }
        ),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("missing") && msg.contains("`verification`"),
        "{msg}"
    );
    assert!(msg.contains("delegate-certificate"), "{msg}");
}

#[test]
fn unknown_field_is_rejected_by_name() {
    let err = parse_scenario(
        r#"{"role":"originating","relationship":"direct","number":"unknown","verification":"none","attest":"A"}"#,
    )
    .unwrap_err();
    assert_eq!(
        err,
        AdviseError::UnknownField {
            field: "attest".into()
        }
    );
    let msg = err.to_string();
    assert!(
        msg.contains("`attest`") && msg.contains("verification"),
        "{msg}"
    );
    // The serde path is just as strict.
    assert!(
        serde_json::from_str::<Scenario>(
            r#"{"role":"originating","relationship":"direct","number":"unknown","verification":"none","attest":"A"}"#
        )
        .is_err()
    );
}

#[test]
fn not_json_and_not_object() {
    let err = parse_scenario("{role: originating").unwrap_err();
    assert!(matches!(err, AdviseError::Json(_)));
    assert!(err.to_string().contains("not valid JSON"));
    let err = parse_scenario(r#"["originating"]"#).unwrap_err();
    assert_eq!(err, AdviseError::NotAnObject);
    assert!(
        err.to_string()
            .contains("role, relationship, number, verification")
    );
}

#[test]
fn errors_are_std_errors() {
    fn takes(_: &dyn std::error::Error) {}
    takes(&AdviseError::NotAnObject);
}

// ---- Output JSON shape ------------------------------------------------------------------------

#[test]
fn advice_json_has_exact_field_names_and_round_trips() {
    for s in all_scenarios() {
        let a = advise(&s);
        let v = serde_json::to_value(&a).unwrap();
        let obj = v.as_object().unwrap();
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["attest", "caveats", "rule", "to_reach_a", "why"]);
        assert!(["A", "B", "C"].contains(&v["attest"].as_str().unwrap()));
        assert_eq!(v["rule"], a.rule.as_str());
        assert!(v["to_reach_a"].is_array() && v["caveats"].is_array());
        let back: Advice = serde_json::from_value(v).unwrap();
        assert_eq!(back, a);
    }
}

#[test]
fn rule_ids_are_stable() {
    let ids = [
        (Rule::NotOriginated, "not-originated"),
        (Rule::NoRelationship, "no-relationship"),
        (Rule::OwnNumber, "own-number"),
        (Rule::ClientNumberVerified, "client-number-verified"),
        (Rule::ClientNumberUnverified, "client-number-unverified"),
        (Rule::NotInInventoryIsNotC, "not-in-inventory-is-not-c"),
    ];
    for (rule, id) in ids {
        assert_eq!(rule.as_str(), id);
        assert_eq!(rule.to_string(), id);
        assert_eq!(serde_json::to_value(rule).unwrap(), id);
    }
}

#[test]
fn sample_advice_json() {
    let a = advise(&direct(NumberSource::ClientNumber, Verification::None));
    let v = serde_json::to_value(&a).unwrap();
    assert_eq!(v["attest"], "B");
    assert_eq!(v["rule"], "client-number-unverified");
}
