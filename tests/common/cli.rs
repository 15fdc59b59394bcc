//! The `stircheck` binary with the shared test PKI: a scratch directory holding its chain and
//! root, and the `verify` command that uses them as of [`NOW`] (what the CLI suites all start from).

use super::tempdir::Dir;
use super::{NOW, Pki};
use std::process::Command;

/// The CLI built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_stircheck");

/// A scratch directory with `pki`'s chain (`chain.pem`) and root (`root.pem`) in it.
pub struct PkiFiles {
    pub dir: Dir,
    /// Path of the chain, leaf first.
    pub chain: String,
    /// Path of the root, the only trust anchor.
    pub root: String,
}

impl PkiFiles {
    /// `stircheck-<suite>-<name>-<pid>` holding `pki`'s chain and root.
    pub fn new(suite: &str, name: &str, pki: &Pki) -> PkiFiles {
        let dir = Dir::new(suite, name);
        let chain = dir.file("chain.pem", pki.chain.pem.as_bytes());
        let root = dir.file("root.pem", pki.root.pem().as_bytes());
        PkiFiles { dir, chain, root }
    }

    /// Write `bytes` to `name` in the directory; its path.
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        self.dir.file(name, bytes.as_ref())
    }

    /// `stircheck verify --cert CHAIN --trust ROOT --at NOW`: add the input and other flags.
    pub fn verify(&self) -> Command {
        let mut c = Command::new(BIN);
        c.args(["verify", "--cert", &self.chain, "--trust", &self.root])
            .args(["--at", &NOW.to_string()]);
        c
    }
}
