//! No import cycle among the library's modules (issue "one rule, one place": `verdict` once
//! imported `format_date` from `verify`, tying 13 modules into one cycle).
//!
//! Every `.rs` file under src/ (but the binaries) is a module. An edge A → B is a path in A that
//! names an item of B: `crate::…`, `super::…`, `self::…`, or a child module's name, resolved to
//! the longest module prefix. Declaring a child (`mod x;`) is not an import, and a child may use
//! its ancestors' items (a module and its submodules are one unit that the parent fronts); every
//! other edge counts, between siblings as between unrelated modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "bin") {
                files(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `src/verify/mod.rs` → `verify`; `src/cert/path.rs` → `cert::path`; `src/lib.rs` → ``.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("file name");
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts.join("::")
}

/// Source without comments and string literals (so prose and messages name no module).
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            i += 2;
            while i + 1 < b.len() && !b[i..].starts_with(b"*/") {
                i += 1;
            }
            i += 2;
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' && i + 2 < b.len() && (b[i + 2] == b'\'' || b[i + 1] == b'\\') {
            // A char literal ('"', '\n'); lifetimes have no closing quote here.
            let end = b[i + 1..]
                .iter()
                .position(|c| *c == b'\'')
                .map(|p| i + 2 + p);
            i = end.unwrap_or(i + 1);
        } else {
            out.push(b[i] as char);
            i += 1;
        }
    }
    out
}

/// `code` without its `#[cfg(test)] mod … { … }` blocks: their `super::` is the file's module
/// (and tests may use anything).
fn without_test_modules(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "#[cfg(test)]".len()..];
        let trimmed = after.trim_start();
        if !trimmed.starts_with("mod ") {
            rest = after;
            continue;
        }
        let Some(open) = trimmed.find('{') else {
            rest = after;
            continue;
        };
        let mut depth = 0usize;
        let mut end = trimmed.len();
        for (i, c) in trimmed[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &trimmed[end..];
    }
    out.push_str(rest);
    out
}

/// Expand `a::{b, c::{d, e}}` into `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(p).into_iter().map(move |x| format!("{prefix}{x}")))
        .collect()
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Paths this module's code names: every `use` tree, and every `x::y` run in the code.
fn paths_in(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(pos) = rest.find("use ") {
        let before = rest[..pos].chars().next_back();
        let after = &rest[pos + 4..];
        if before.is_none_or(|c| !is_ident(c))
            && let Some(end) = after.find(';')
        {
            for p in expand(&after[..end]) {
                out.push(p.split("::").map(str::to_owned).collect());
            }
        }
        rest = after;
    }
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if is_ident(chars[i]) && (i == 0 || !is_ident(chars[i - 1]) && chars[i - 1] != ':') {
            let mut segs = Vec::new();
            let mut j = i;
            loop {
                let s = j;
                while j < chars.len() && is_ident(chars[j]) {
                    j += 1;
                }
                segs.push(chars[s..j].iter().collect::<String>());
                if chars.get(j) == Some(&':') && chars.get(j + 1) == Some(&':') {
                    j += 2;
                } else {
                    break;
                }
            }
            if segs.len() > 1 {
                out.push(segs);
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// The module a path names, seen from `from` (None: another crate or a local item).
fn resolve(from: &str, path: &[String], modules: &BTreeSet<String>) -> Option<String> {
    let mut base: Vec<String> = if from.is_empty() {
        Vec::new()
    } else {
        from.split("::").map(str::to_owned).collect()
    };
    let mut segs = path;
    match segs.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            segs = &segs[1..];
        }
        Some("self") => segs = &segs[1..],
        Some("super") => {
            while segs.first().map(String::as_str) == Some("super") {
                base.pop()?;
                segs = &segs[1..];
            }
        }
        Some(first) => {
            // A child module of `from`, named without a prefix.
            let child = if from.is_empty() {
                first.to_string()
            } else {
                format!("{from}::{first}")
            };
            if !modules.contains(&child) {
                return None;
            }
        }
        None => return None,
    }
    let mut best = None;
    let mut cur = base.clone();
    if !cur.is_empty() || path.first().map(String::as_str) == Some("crate") {
        best = Some(cur.join("::"));
    }
    for s in segs {
        cur.push(s.clone());
        let m = cur.join("::");
        if modules.contains(&m) {
            best = Some(m);
        } else {
            break;
        }
    }
    best.filter(|m| !m.is_empty())
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut list = Vec::new();
    files(&src, &mut list);
    let modules: BTreeSet<String> = list.iter().map(|f| module_of(&src, f)).collect();
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &list {
        let m = module_of(&src, f);
        let code = without_test_modules(&code_only(&std::fs::read_to_string(f).expect("read")));
        let edges = g.entry(m.clone()).or_default();
        for p in paths_in(&code) {
            if let Some(to) = resolve(&m, &p, &modules)
                && to != m
                && !m.starts_with(&format!("{to}::"))
            {
                edges.insert(to);
            }
        }
    }
    // lib.rs only declares and re-exports.
    g.remove("");
    g
}

/// A cycle through `start`, if any (depth-first search over `g`).
fn cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        g: &BTreeMap<String, BTreeSet<String>>,
        n: &str,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for next in g.get(n).into_iter().flatten() {
            match state.get(next.as_str()).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|s| s == next).expect("on stack");
                    let mut c = stack[at..].to_vec();
                    c.push(next.clone());
                    return Some(c);
                }
                0 => {
                    if let Some(c) = visit(g, next, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in g.keys() {
        if state.get(n.as_str()).copied().unwrap_or(0) == 0
            && let Some(c) = visit(g, n, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

#[test]
fn src_modules_have_no_import_cycle() {
    let g = graph();
    // The reader must see the edges it is meant to see, or the test proves nothing.
    assert!(
        g["verify"].contains("verify::cert_checks"),
        "{:?}",
        g["verify"]
    );
    assert!(g["verify::cert_checks"].contains("cert::path"));
    assert!(g["verdict"].contains("check_id"), "{:?}", g["verdict"]);
    assert!(!g["verdict"].contains("verify"));
    if let Some(c) = cycle(&g) {
        panic!("import cycle: {}", c.join(" → "));
    }
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.entry("a".into()).or_default().insert("b".into());
    g.entry("b".into()).or_default().insert("c".into());
    assert_eq!(cycle(&g), None);
    g.entry("c".into()).or_default().insert("a".into());
    assert_eq!(cycle(&g).map(|c| c.len()), Some(4));
    assert_eq!(
        expand("crate::{a, b::{c, d}}"),
        ["crate::a", "crate::b::c", "crate::b::d"]
    );
}
