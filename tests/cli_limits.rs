//! Every file the CLI reads is size-bounded before it is read: `/dev/zero` and a 50 MB file given
//! as any input exit 2 at once with a message naming the file and the bound, in bounded memory:
//! the CLI runs under a 32 MiB address-space limit, so reading any of them whole would abort
//! (an allocation failure) instead of exiting 2. (Peak RSS from `wait4` is not used: on Linux it
//! includes the test process's memory copied at fork.)

mod common;

use common::*;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_stircheck");

use common::tempdir::Dir;

/// A file of `n` bytes that starts like PEM and goes on and on.
fn big_file(dir: &Dir, name: &str, n: usize) -> String {
    let mut b = b"-----BEGIN CERTIFICATE-----\n".to_vec();
    b.resize(n, b'A');
    dir.file(name, &b)
}

struct Run {
    code: Option<i32>,
    stderr: String,
}

/// Run the CLI under a 32 MiB address-space limit and report its exit and stderr.
fn run(args: &[&str]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe and touches no memory of the parent.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 32 << 20,
                rlim_max: 32 << 20,
            };
            libc::setrlimit(libc::RLIMIT_AS, &lim);
            Ok(())
        });
    }
    // Reaped by wait4 below (for its status), not by Child::wait.
    #[allow(clippy::zombie_processes)]
    let mut child = cmd.spawn().expect("spawn stircheck");
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).ok();
        s
    });
    let mut status = 0;
    // SAFETY: plain FFI call on our own child's pid with valid out-pointers.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert!(pid > 0, "wait4 failed");
    let code = if libc::WIFEXITED(status) {
        Some(libc::WEXITSTATUS(status))
    } else {
        None
    };
    Run {
        code,
        stderr: reader.join().unwrap(),
    }
}

fn assert_refused(args: &[&str], file: &str, bound: &str) {
    let r = run(args);
    assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
    assert!(
        r.stderr.contains(file) && r.stderr.contains("larger than") && r.stderr.contains(bound),
        "{args:?}: {}",
        r.stderr
    );
}

fn good_input(dir: &Dir) -> (String, String, String) {
    let pki = Pki::shared();
    (
        dir.file("in.txt", pki.sign(&claims()).as_bytes()),
        dir.file("chain.pem", pki.chain.pem.as_bytes()),
        dir.file("root.pem", pki.root.pem().as_bytes()),
    )
}

#[test]
fn dev_zero_is_refused_for_every_file_argument() {
    let dir = Dir::new("limits", "zero");
    let (input, chain, root) = good_input(&dir);
    let z = "/dev/zero";
    assert_refused(&["verify", z, "--offline"], z, "256 KiB");
    assert_refused(&["decode", z], z, "256 KiB");
    assert_refused(
        &["verify", &input, "--cert", z, "--trust", &root],
        z,
        "64 KiB",
    );
    assert_refused(
        &["verify", &input, "--cert", &chain, "--trust", z],
        z,
        "4 MiB",
    );
    assert_refused(
        &[
            "verify", &input, "--cert", &chain, "--trust", &root, "--crl", z,
        ],
        z,
        "1 MiB",
    );
    assert_refused(
        &[
            "sign", "--key", z, "--x5u", X5U, "--attest", "A", "--orig", ORIG, "--dest", DEST,
        ],
        z,
        "16 KiB",
    );
}

#[test]
fn a_50_mb_file_is_refused_without_being_read() {
    let dir = Dir::new("limits", "50mb");
    let (input, chain, root) = good_input(&dir);
    let big = big_file(&dir, "big.pem", 50 * 1024 * 1024);
    assert_refused(&["verify", &big, "--offline"], &big, "256 KiB");
    assert_refused(
        &["verify", &input, "--cert", &big, "--trust", &root],
        &big,
        "64 KiB",
    );
    assert_refused(
        &["verify", &input, "--cert", &chain, "--trust", &big],
        &big,
        "4 MiB",
    );
    assert_refused(
        &[
            "verify", &input, "--cert", &chain, "--trust", &root, "--crl", &big,
        ],
        &big,
        "1 MiB",
    );
}

#[test]
fn trust_directory_entries_are_bounded_one_by_one_and_together() {
    let pki = Pki::shared();
    let (dir, one, many) = (
        Dir::new("limits", "in"),
        Dir::new("limits", "one"),
        Dir::new("limits", "many"),
    );
    let (input, chain, _) = good_input(&dir);
    // One entry of 50 MB.
    one.file("root.pem", pki.root.pem().as_bytes());
    let big = big_file(&one, "zz-big.pem", 50 * 1024 * 1024);
    assert_refused(
        &["verify", &input, "--cert", &chain, "--trust", &one.path()],
        &big,
        "4 MiB",
    );
    // Six entries of 1 MiB each: each fits, together they do not.
    for i in 0..6 {
        big_file(&many, &format!("part{i}.pem"), 1024 * 1024);
    }
    let r = run(&["verify", &input, "--cert", &chain, "--trust", &many.path()]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("together"), "{}", r.stderr);
}

#[test]
fn files_within_their_bounds_still_verify() {
    let dir = Dir::new("limits", "ok");
    let (input, chain, root) = good_input(&dir);
    let at = NOW.to_string();
    let r = run(&[
        "verify",
        &input,
        "--cert",
        &chain,
        "--trust",
        &root,
        "--at",
        &at,
        "--offline",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}
