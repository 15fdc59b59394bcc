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
    Scenario::new(role, relationship, number, verification)
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
        // The original contract plus the additive `changes` (provider_rules only with a provider).
        assert_eq!(
            keys,
            ["attest", "caveats", "changes", "rule", "to_reach_a", "why"]
        );
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

// ---- Call-center words, delegate certificates, 2025–2026 rules, provider rules ----------------

use stircheck::advise::{ChangeStatus, Provider, SigningCertificate};

const CALL_CENTER_ROLES: [Role; 3] = [Role::OurCarrier, Role::OurCpaas, Role::OurBpoTrunk];

fn parse(json: serde_json::Value) -> Scenario {
    parse_scenario(&json.to_string()).unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn change<'a>(a: &'a Advice, id: &str) -> Option<&'a stircheck::advise::Change> {
    a.changes.iter().find(|c| c.id == id)
}

#[test]
fn call_center_roles_originate_and_get_the_originating_answer() {
    for role in CALL_CENTER_ROLES {
        for rel in RELATIONSHIPS {
            for n in NUMBERS {
                for v in VERIFICATIONS {
                    let new = advise(&sc(role, rel, n, v));
                    let old = advise(&sc(Role::Originating, rel, n, v));
                    assert_eq!(
                        (new.attest, new.rule),
                        (old.attest, old.rule),
                        "{role:?} {rel:?} {n:?} {v:?}"
                    );
                    assert_eq!(new.to_reach_a.is_empty(), new.attest == Attest::A);
                    let sentences = new.why.matches(". ").count() + 1;
                    assert!(
                        (1..=3).contains(&sentences) && new.why.ends_with('.'),
                        "{}",
                        new.why
                    );
                }
            }
        }
    }
}

#[test]
fn call_center_roles_are_worded_in_call_center_terms() {
    let base = |role| {
        advise(&sc(
            role,
            Relationship::Direct,
            NumberSource::ClientNumber,
            Verification::None,
        ))
    };
    let cpaas = base(Role::OurCpaas);
    assert!(
        cpaas.why.starts_with("Your CPaaS knows you"),
        "{}",
        cpaas.why
    );
    assert!(!cpaas.why.contains("The carrier"), "{}", cpaas.why);
    assert!(
        base(Role::OurCarrier)
            .why
            .starts_with("Your carrier knows you")
    );
    let bpo = base(Role::OurBpoTrunk);
    assert!(
        bpo.why.contains("Your BPO's trunk provider knows your BPO"),
        "{}",
        bpo.why
    );
    assert!(
        bpo.to_reach_a[0].contains("your BPO"),
        "{:?}",
        bpo.to_reach_a
    );
    // Parsed from the words the page offers.
    for (word, role) in [
        ("our-carrier", Role::OurCarrier),
        ("our-cpaas", Role::OurCpaas),
        ("our-bpo-trunk", Role::OurBpoTrunk),
        ("next-carrier", Role::NextCarrier),
    ] {
        let s = parse(
            serde_json::json!({"role": word, "relationship": "direct", "number": "client-number", "verification": "none"}),
        );
        assert_eq!(s.role, role);
        assert_eq!(serde_json::to_value(s).unwrap()["role"], word);
    }
}

#[test]
fn next_carrier_after_an_unsigned_first_hop_is_c_under_64_6302d() {
    let a = advise(&sc(
        Role::NextCarrier,
        Relationship::Direct,
        NumberSource::ClientNumber,
        Verification::None,
    ));
    assert_eq!((a.attest, a.rule), (Attest::C, Rule::NotOriginated));
    assert!(
        a.why.contains("64.6302(d)") && a.why.contains("without signing"),
        "{}",
        a.why
    );
    assert!(steps_text(&a).contains("unsigned"), "{:?}", a.to_reach_a);
    let c = change(&a, "unsigned-first-hop").expect("first-hop change");
    assert_eq!(c.status, ChangeStatus::InForce);
    assert!(c.text.contains("64.6302(d)"));
    // The old intermediate role gets the same rule note; an originating carrier does not.
    assert!(
        change(
            &advise(&sc(
                Role::Intermediate,
                Relationship::None,
                NumberSource::Unknown,
                Verification::None
            )),
            "unsigned-first-hop"
        )
        .is_some()
    );
    assert!(
        change(
            &advise(&direct(NumberSource::ClientNumber, Verification::None)),
            "unsigned-first-hop"
        )
        .is_none()
    );
}

#[test]
fn delegate_certificate_used_earns_a_for_a_client_number() {
    let s = parse(serde_json::json!({
        "role": "our-carrier", "relationship": "direct", "number": "client-number",
        "verification": "none", "delegate_certificate": true
    }));
    assert!(s.delegate_certificate);
    let a = advise(&s);
    assert_eq!((a.attest, a.rule), (Attest::A, Rule::DelegateCertificate));
    assert_eq!(Rule::DelegateCertificate.as_str(), "delegate-certificate");
    assert!(
        a.why.contains("RFC 9060") && a.why.contains("delegate certificate"),
        "{}",
        a.why
    );
    assert!(a.to_reach_a.is_empty());
    assert!(
        change(&a, "delegate-certificates")
            .unwrap()
            .text
            .starts_with("You sign with a delegate certificate")
    );
    // Through a BPO's trunk: the same level, worded for the client company.
    let bpo = advise(&Scenario {
        role: Role::OurBpoTrunk,
        ..s
    });
    assert_eq!(bpo.rule, Rule::DelegateCertificate);
    assert!(bpo.why.contains("Your BPO signs your calls"), "{}", bpo.why);
    // A carrier that does not originate still cannot vouch: C, and the certificate is reused.
    let c = advise(&Scenario {
        role: Role::Gateway,
        ..s
    });
    assert_eq!(c.attest, Attest::C);
    let t = steps_text(&c);
    assert!(
        t.contains("already have") && t.contains("delegate certificate"),
        "{t}"
    );
    // Without it, the standards route is suggested.
    let b = advise(&Scenario {
        delegate_certificate: false,
        ..s
    });
    assert_eq!(b.rule, Rule::ClientNumberUnverified);
    assert!(
        change(&b, "delegate-certificates")
            .unwrap()
            .text
            .contains("standards route")
    );
    // Own numbers do not need one.
    assert!(
        change(
            &advise(&direct(NumberSource::AssignedBySigner, Verification::None)),
            "delegate-certificates"
        )
        .is_none()
    );
}

#[test]
fn changes_2025_2026_are_dated_and_proposals_are_labelled() {
    for s in all_scenarios() {
        let a = advise(&s);
        for id in ["fcc-24-120", "do-not-originate", "rmd", "fnprm-25-76"] {
            assert!(change(&a, id).is_some(), "{id} for {s:?}");
        }
        for c in &a.changes {
            assert!(!c.since.is_empty() && c.text.ends_with('.'), "{c:?}");
            assert_eq!(
                c.status == ChangeStatus::Proposed,
                c.text.starts_with("PROPOSED, not adopted"),
                "{c:?}"
            );
        }
    }
    let a = advise(&direct(
        NumberSource::ClientNumber,
        Verification::LoaChecked,
    ));
    assert!(
        change(&a, "fcc-24-120")
            .unwrap()
            .text
            .contains("its own certificate")
    );
    assert!(
        change(&a, "do-not-originate")
            .unwrap()
            .text
            .contains("toll-free inbound")
    );
    assert!(
        change(&a, "rmd")
            .unwrap()
            .text
            .contains("Robocall Mitigation Database")
    );
    let f = change(&a, "fnprm-25-76").unwrap();
    assert_eq!(f.status, ChangeStatus::Proposed);
    assert!(
        f.text.contains("Rich Call Data"),
        "A answers mention the caller-name proposal"
    );
    let g = advise(&sc(
        Role::Gateway,
        Relationship::None,
        NumberSource::ClientNumber,
        Verification::None,
    ));
    assert!(change(&g, "fnprm-25-76").unwrap().text.contains("gateway"));
    let json = serde_json::to_value(&g).unwrap();
    assert_eq!(json["changes"][0]["status"], "in-force");
}

#[test]
fn third_party_certificate_is_flagged_under_fcc_24_120() {
    let s = parse(serde_json::json!({
        "role": "our-cpaas", "relationship": "direct", "number": "assigned-by-signer",
        "verification": "none", "signing_certificate": "third-party"
    }));
    assert_eq!(s.signing_certificate, Some(SigningCertificate::ThirdParty));
    let a = advise(&s);
    assert_eq!(
        a.attest,
        Attest::A,
        "the level is the provider's decision; the note says whose certificate"
    );
    assert!(
        change(&a, "fcc-24-120")
            .unwrap()
            .text
            .contains("someone else's certificate")
    );
    let own = Scenario {
        signing_certificate: Some(SigningCertificate::ProviderOwn),
        ..s
    };
    assert!(
        !change(&advise(&own), "fcc-24-120")
            .unwrap()
            .text
            .contains("someone else's")
    );
}

#[test]
fn provider_rules_say_what_the_provider_documents() {
    let with = |p: &str, number: &str| {
        advise(&parse(serde_json::json!({
            "role": "our-cpaas", "relationship": "direct", "number": number,
            "verification": "loa-checked", "provider": p
        })))
    };
    let t = with("twilio", "client-number");
    assert_eq!(t.attest, Attest::A, "the standards answer stays");
    let r = t.provider_rules.as_ref().expect("Twilio rules");
    assert_eq!(r.provider, "Twilio");
    assert!(
        r.documents.contains("Trust Product") && r.for_you.contains("at most B"),
        "{r:?}"
    );
    assert_eq!(r.at_most, Some(Attest::B));
    assert_eq!(
        r.check,
        "What Twilio documents (public documentation, 2025–2026) — check with it."
    );
    assert_eq!(
        with("twilio", "assigned-by-signer")
            .provider_rules
            .unwrap()
            .at_most,
        None
    );
    assert_eq!(
        with("telnyx", "client-number")
            .provider_rules
            .unwrap()
            .at_most,
        Some(Attest::B)
    );
    assert!(
        with("signalwire", "client-number")
            .provider_rules
            .unwrap()
            .documents
            .starts_with("C by default")
    );
    assert!(
        with("plivo", "client-number")
            .provider_rules
            .unwrap()
            .documents
            .contains("same account")
    );
    assert!(
        with("vonage", "client-number")
            .provider_rules
            .unwrap()
            .documents
            .contains("own Identity header")
    );
    let other = with("other", "client-number");
    assert!(other.provider_rules.is_none());
    let json = serde_json::to_value(&t).unwrap();
    assert_eq!(json["provider_rules"]["at_most"], "B");
    assert!(
        serde_json::to_value(&other)
            .unwrap()
            .get("provider_rules")
            .is_none()
    );
    let back: Advice = serde_json::from_value(json).unwrap();
    assert_eq!(back, t);
    assert_eq!(
        serde_json::to_value(Provider::SignalWire).unwrap(),
        "signalwire"
    );
}

#[test]
fn new_fields_are_optional_checked_and_never_guessed() {
    // The original four-field input still parses, and serializes back without the new fields.
    let s = parse(
        serde_json::json!({"role": "originating", "relationship": "direct", "number": "unknown", "verification": "none"}),
    );
    assert_eq!(
        (s.provider, s.delegate_certificate, s.signing_certificate),
        (None, false, None)
    );
    let v = serde_json::to_value(s).unwrap();
    assert_eq!(v.as_object().unwrap().len(), 4);
    // null means not said.
    let s = parse(
        serde_json::json!({"role": "originating", "relationship": "direct", "number": "unknown", "verification": "none", "provider": null}),
    );
    assert_eq!(s.provider, None);
    let bad = |field: &str, value: serde_json::Value| {
        let mut obj = serde_json::json!({"role": "originating", "relationship": "direct", "number": "unknown", "verification": "none"});
        obj[field] = value;
        parse_scenario(&obj.to_string()).unwrap_err()
    };
    let e = bad("provider", "acme".into());
    assert!(
        matches!(
            e,
            AdviseError::BadValue {
                field: "provider",
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        e.to_string()
            .contains("twilio, telnyx, signalwire, plivo, vonage, other"),
        "{e}"
    );
    let e = bad("delegate_certificate", "yes".into());
    assert!(
        e.to_string().contains("`delegate_certificate`") && e.to_string().contains("true, false"),
        "{e}"
    );
    let e = bad("signing_certificate", "mine".into());
    assert!(e.to_string().contains("provider-own, third-party"), "{e}");
    // Unknown fields are still refused, and the message lists the new ones.
    let e = bad("carrier", "x".into());
    assert!(
        e.to_string().contains("provider") && e.to_string().contains("delegate_certificate"),
        "{e}"
    );
}
