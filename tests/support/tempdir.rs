//! A scratch directory for CLI tests, removed when dropped.

use std::path::PathBuf;

/// A per-process temporary directory named after the test.
pub struct Dir(PathBuf);

impl Dir {
    /// `stircheck-<suite>-<name>-<pid>` under the system temp dir.
    pub fn new(suite: &str, name: &str) -> Dir {
        let d =
            std::env::temp_dir().join(format!("stircheck-{suite}-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }
    /// Write `bytes` to `name` inside the directory; its path as a CLI argument.
    pub fn file(&self, name: &str, bytes: &[u8]) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).unwrap();
        p.display().to_string()
    }
    /// The directory's path as a CLI argument.
    #[allow(dead_code)] // not every suite passes a directory
    pub fn path(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
