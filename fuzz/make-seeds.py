#!/usr/bin/env python3
"""Write seed corpora for the fuzz targets into fuzz/corpus/<target>/ (gitignored).

Seeds come from the public test vectors in ../shared/corpus (or $STIRCHECK_CORPUS): the Identity
headers of headers.jsonl, the STI-CA roots and intermediates, the libstirshaken/RFC fixtures and a
sample of the real leaves (every leaf with an unusual TNAuthList, key or signature algorithm, plus
every 40th). Nothing is copied into the repository; run this before fuzzing. Standard library only.
"""
import base64
import hashlib
import json
import os
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
SRC = pathlib.Path(os.environ.get("STIRCHECK_CORPUS", HERE.parent.parent / "shared" / "corpus"))
OUT = HERE / "corpus"

if not (SRC / "headers.jsonl").is_file():
    sys.exit(f"make-seeds: no corpus at {SRC} (set STIRCHECK_CORPUS)")

counts = {}


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)
    counts[target] = counts.get(target, 0) + 1


PEM_RE = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", re.S)


def pem_blocks(text):
    return [(m.group(0), m.group(1), base64.b64decode("".join(m.group(2).split()))) for m in PEM_RE.finditer(text)]


TNAUTH_OID = bytes.fromhex("06082b0601050507011a")  # id-pe-TNAuthList 1.3.6.1.5.5.7.1.26


def der_len(b, i):
    """Length at b[i]; returns (length, offset of content)."""
    n = b[i]
    if n < 0x80:
        return n, i + 1
    k = n & 0x7F
    return int.from_bytes(b[i + 1 : i + 1 + k], "big"), i + 1 + k


def tnauth_value(der):
    """The extnValue OCTET STRING content of the TNAuthList extension, if any."""
    i = der.find(TNAUTH_OID)
    if i < 0:
        return None
    i += len(TNAUTH_OID)
    if der[i] == 0x01:  # critical BOOLEAN
        i += 3
    if der[i] != 0x04:
        return None
    n, j = der_len(der, i + 1)
    return der[j : j + n]


# --- Identity headers -------------------------------------------------------------------------
headers = [json.loads(l) for l in (SRC / "headers.jsonl").read_text().splitlines() if l.strip()]
urls = set()
for h in headers:
    ident = h["identity"]
    token = ident.split(";")[0].strip()
    for k in ("x5u", "info_param"):
        if isinstance(h.get(k), str):
            urls.add(h[k])
    put("fuzz_identity", ident)
    put("fuzz_identity", token)
    put("fuzz_passport", token)
    for part in token.split(".")[:2]:
        try:
            put("fuzz_passport", base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        except Exception:
            pass
    sip = (
        "INVITE sip:+12155551213@example.com SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK776asdhds\r\n"
        "From: <sip:+12155551212@example.com>;tag=1928301774\r\n"
        "To: <sip:+12155551213@example.com>\r\n"
        "Call-ID: a84b4c76e66710@pc33.example.com\r\n"
        "CSeq: 314159 INVITE\r\n"
        "Date: Sun, 01 Jun 2025 12:00:00 GMT\r\n"
        f"Identity: {ident}\r\n"
        "Content-Length: 0\r\n\r\n"
    )
    for t in ("fuzz_input", "fuzz_sip", "fuzz_verify_with_chain"):
        put(t, ident)
        put(t, f"Identity: {ident}\n")
        put(t, sip)
    put("fuzz_input", token)
    put("fuzz_input", f"y: {ident}\n")
    put("fuzz_sip", "Identity: " + ident[:40] + "\r\n  " + ident[40:] + "\r\n")
    put("fuzz_sip", "SIP/2.0 200 OK\nFrom: <tel:+12155551212>\nTo: <tel:+12155551213>\nIdentity: " + ident + "\n")
    put("fuzz_verify_with_chain", token)
    # Paste shapes (src/paste.rs): what tickets, logs, webhooks and Wireshark make of a header.
    from urllib.parse import quote
    import html
    wrapped = "\n".join(ident[i:i + 64] for i in range(0, len(ident), 64))
    for t in ("fuzz_paste", "fuzz_input"):
        put(t, "Identity: " + wrapped)
        put(t, "\n".join(token[i:i + 64] for i in range(0, len(token), 64)))
        put(t, f"2026-12-01T09:14:03Z INFO sip: Identity: {ident}")
        put(t, f"\"Identity: {ident}\"")
        put(t, f"'{token}',")
        put(t, json.dumps({"CallSid": "CA1", "From": "+12155551212", "To": "+12155551213", "StirPassportToken": token}))
        put(t, json.dumps({"verificationRequest": {"from": {"tn": "12155551212"}, "to": {"tn": ["12155551213"]}, "time": 1, "identity": ident}}))
        put(t, json.dumps({"message": sip}))
        put(t, "From=%2B12155551212&To=%2B12155551213&StirPassportToken=" + quote(token, safe=""))
        put(t, quote(ident, safe=""))
        put(t, html.escape("Identity: " + ident))
        put(t, "\ufeffIdentity:\u00a0" + ident + "\r\n")
        put(t, sip.replace("\r\n", "\\r\\n"))
        put(t, "Session Initiation Protocol (INVITE)\n    Request-Line: " + sip.split("\r\n")[0] + "\n    Message Header\n"
            + "".join("        " + l + "\\r\\n\n" for l in sip.split("\r\n")[1:] if l))

for u in sorted(urls) + [
    "https://cert.example.com/sti/123A.pem",
    "https://127.0.0.1/x.pem",
    "https://[::1]:8443/x.pem",
    "https://user:pw@example.com/x.pem",
    "https://0x7f.1/x.pem",
    "http://example.com/x.pem",
    "https://[fe80::1%25eth0]/cert.pem",
    "https://xn--e1afmkfd.example/c.pem?x=1#f",
]:
    put("fuzz_x5u", u)

# --- Certificates -----------------------------------------------------------------------------
ca_files = sorted((SRC / "certs" / "roots").glob("*.pem")) + sorted((SRC / "certs" / "intermediates").glob("*.pem"))
fixture_files = sorted((SRC / "fixtures").rglob("*.pem"))
for f in ca_files + fixture_files:
    text = f.read_text()
    put("fuzz_cert", text)
    for pem, label, der in pem_blocks(text):
        put("fuzz_cert", der)

index = [json.loads(l) for l in (SRC / "certs" / "index.jsonl").read_text().splitlines() if l.strip()]
inter_pem = {pathlib.Path(e["file"]).name: (SRC / "certs" / e["file"]).read_text() for e in index if "file" in e}
by_subject = {e["subject"]: pathlib.Path(e["file"]).name for e in index if "file" in e}
leaves = pem_blocks((SRC / "certs" / "leaves.pem").read_text())
for e in index:
    if "position" not in e:
        continue
    pos = e["position"]
    tn = e.get("tnauthlist")
    unusual = (
        e["key"] != "EC-secp256r1"
        or e["sigalg"] != "ecdsa-with-SHA256"
        or not (isinstance(tn, list) and len(tn) == 1 and tn[0][2] == "explicit[0] IA5String" and len(tn[0][1]) == 4)
        or e.get("tnauth_critical")
    )
    if not unusual and pos % 40:
        continue
    pem, _, der = leaves[pos]
    put("fuzz_cert", der)
    tv = tnauth_value(der)
    if tv:
        put("fuzz_cert", tv)
    if e["issuer"] in by_subject and pos % 4 == 0:
        put("fuzz_cert", pem + "\n" + inter_pem[by_subject[e["issuer"]]])

for t, n in sorted(counts.items()):
    print(f"{t}: {n} seeds")
