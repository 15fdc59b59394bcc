//! The shared URL list (tests/fixtures/urls.json) through the core natively: every URL gets the
//! listed decision for every fetch kind, accepted URLs come back in their listed canonical form,
//! and the canonical form is a fixed point. The same list runs through the wasm export
//! (tests/js/fetch-rules.test.mjs) and the running worker (worker/test/url-list.test.mjs).

use serde_json::Value;
use stircheck::fetch_rules::{self, FetchKind};

fn list() -> Vec<Value> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/urls.json"
    ))
    .expect("tests/fixtures/urls.json");
    let doc: Value = serde_json::from_str(&text).expect("urls.json is JSON");
    doc["urls"].as_array().expect("urls array").clone()
}

#[test]
fn the_shared_url_list_gets_its_decision_for_every_kind() {
    let urls = list();
    assert!(urls.len() >= 80, "the list has {} URLs", urls.len());
    let mut failures = Vec::new();
    for kind in [FetchKind::X5u, FetchKind::Crl, FetchKind::RcdContent] {
        for e in &urls {
            let url = e["url"].as_str().unwrap();
            match (fetch_rules::check(kind, url), e["ok"].as_bool().unwrap()) {
                (Ok(c), true) => {
                    let want = e["canonical"].as_str().unwrap();
                    if c.canonical != want {
                        failures.push(format!("{url}: canonical {} != {want}", c.canonical));
                    }
                    let again = fetch_rules::check(kind, &c.canonical).map(|c| c.canonical);
                    if again.as_deref() != Ok(want) {
                        failures.push(format!("{url}: canonical is not a fixed point: {again:?}"));
                    }
                }
                (Err(p), false) => {
                    let why = e["why"].as_str().unwrap();
                    if !p.to_string().contains(why) {
                        failures.push(format!("{url}: reason {:?} lacks {why:?}", p.to_string()));
                    }
                }
                (Ok(c), false) => failures.push(format!("{url}: accepted as {}", c.canonical)),
                (Err(p), true) => failures.push(format!("{url}: refused: {p}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_x5u_check_and_the_cli_guard_use_the_same_rules() {
    for e in list() {
        let url = e["url"].as_str().unwrap();
        assert_eq!(
            stircheck::x5u::check(url).is_ok(),
            e["ok"].as_bool().unwrap(),
            "{url}"
        );
        // An accepted IP literal is not special to the resolved-address guard either, and a
        // refused special-purpose literal is.
        if let Ok(c) = fetch_rules::check(FetchKind::X5u, url)
            && let Some(ip) = c.ip
        {
            assert!(fetch_rules::special(&ip).is_none(), "{url}");
        }
    }
}
