//! Special-purpose IP addresses: an x5u, CRL or rcd URL whose host is one of these is refused
//! before any lookup, and the CLI refuses a name that resolves to one. The tables follow the IANA
//! IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and the RFCs that added to them),
//! plus multicast and the reserved 240/4; every entry is refused, including the few the registry
//! marks "globally reachable" (AS112, AMT, NAT64): no certificate repository lives there.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// (network, prefix length, what it is).
const V4: &[([u8; 4], u8, &str)] = &[
    ([0, 0, 0, 0], 8, "\"this network\" (0.0.0.0/8)"),
    ([10, 0, 0, 0], 8, "private-use (10.0.0.0/8)"),
    ([100, 64, 0, 0], 10, "shared address space (100.64.0.0/10)"),
    ([127, 0, 0, 0], 8, "loopback (127.0.0.0/8)"),
    ([169, 254, 0, 0], 16, "link-local (169.254.0.0/16)"),
    ([172, 16, 0, 0], 12, "private-use (172.16.0.0/12)"),
    (
        [192, 0, 0, 0],
        24,
        "IETF protocol assignments (192.0.0.0/24)",
    ),
    ([192, 0, 2, 0], 24, "documentation (192.0.2.0/24)"),
    ([192, 31, 196, 0], 24, "AS112-v4 (192.31.196.0/24)"),
    ([192, 52, 193, 0], 24, "AMT (192.52.193.0/24)"),
    (
        [192, 88, 99, 0],
        24,
        "deprecated 6to4 relay anycast (192.88.99.0/24)",
    ),
    ([192, 168, 0, 0], 16, "private-use (192.168.0.0/16)"),
    (
        [192, 175, 48, 0],
        24,
        "direct delegation AS112 (192.175.48.0/24)",
    ),
    ([198, 18, 0, 0], 15, "benchmarking (198.18.0.0/15)"),
    ([198, 51, 100, 0], 24, "documentation (198.51.100.0/24)"),
    ([203, 0, 113, 0], 24, "documentation (203.0.113.0/24)"),
    ([224, 0, 0, 0], 4, "multicast (224.0.0.0/4)"),
    (
        [240, 0, 0, 0],
        4,
        "reserved (240.0.0.0/4, including broadcast)",
    ),
];

/// (network, prefix length, what it is). Checked in order, most specific first.
const V6: &[(u128, u8, &str)] = &[
    (0, 128, "the unspecified address (::/128)"),
    (1, 128, "loopback (::1/128)"),
    (0xffff_0000_0000, 96, "IPv4-mapped (::ffff:0:0/96)"),
    (
        0xffff_0000_0000_0000,
        96,
        "IPv4-translated (::ffff:0:0:0/96)",
    ),
    (0, 96, "IPv4-compatible, deprecated (::/96)"),
    (
        0x0064_ff9b << 96,
        96,
        "NAT64 IPv4/IPv6 translation (64:ff9b::/96)",
    ),
    (
        0x0064_ff9b_0001 << 80,
        48,
        "local-use NAT64 translation (64:ff9b:1::/48)",
    ),
    (0x0100 << 112, 64, "discard-only (100::/64)"),
    (
        (0x0100 << 112) | (1 << 64),
        64,
        "dummy IPv6 prefix (100:0:0:1::/64)",
    ),
    (0x2001_0db8 << 96, 32, "documentation (2001:db8::/32)"),
    (
        0x2001 << 112,
        23,
        "IETF protocol assignments, incl. Teredo, ORCHID, AS112 (2001::/23)",
    ),
    (0x2002 << 112, 16, "6to4 (2002::/16)"),
    (
        0x2620_004f_8000 << 80,
        48,
        "direct delegation AS112 (2620:4f:8000::/48)",
    ),
    (0x3fff << 112, 20, "documentation (3fff::/20)"),
    (0x5f00 << 112, 16, "segment routing SIDs (5f00::/16)"),
    (0xfc00 << 112, 7, "unique-local (fc00::/7)"),
    (0xfe80 << 112, 10, "link-local (fe80::/10)"),
    (0xfec0 << 112, 10, "site-local, deprecated (fec0::/10)"),
    (0xff00 << 112, 8, "multicast (ff00::/8)"),
];

/// What special-purpose range `ip` is in, or `None` for an ordinary public address.
pub fn special_v4(ip: &Ipv4Addr) -> Option<&'static str> {
    let a = u32::from(*ip);
    V4.iter()
        .find(|(net, bits, _)| {
            a >> (32 - *bits as u32) == u32::from_be_bytes(*net) >> (32 - *bits as u32)
        })
        .map(|(_, _, what)| *what)
}

/// What special-purpose range `ip` is in, or `None`. Outside 2000::/3 (global unicast) nothing
/// is allocated for public use, so every such address is refused even if no entry names it.
pub fn special_v6(ip: &Ipv6Addr) -> Option<&'static str> {
    let a = u128::from(*ip);
    let named = V6
        .iter()
        .find(|(net, bits, _)| {
            let shift = 128 - *bits as u32;
            shift == 128 || a.checked_shr(shift) == net.checked_shr(shift)
        })
        .map(|(_, _, what)| *what);
    named.or((a >> 125 != 1).then_some("outside the global unicast range 2000::/3"))
}

/// The special-purpose registry entry `ip` falls in (why it may not be fetched), if any.
pub fn special(ip: &IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => special_v4(v4),
        IpAddr::V6(v6) => special_v6(v6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v6(s: &str) -> Option<&'static str> {
        special_v6(&s.parse().unwrap())
    }

    #[test]
    fn ranges_match_their_prefix_only() {
        assert!(special_v4(&"192.31.196.1".parse().unwrap()).is_some());
        assert!(special_v4(&"192.31.197.1".parse().unwrap()).is_none());
        assert!(special_v4(&"100.127.255.255".parse().unwrap()).is_some());
        assert!(special_v4(&"100.128.0.0".parse().unwrap()).is_none());
        assert!(special_v4(&"255.255.255.255".parse().unwrap()).is_some());
        assert!(special_v4(&"8.8.8.8".parse().unwrap()).is_none());
        assert_eq!(v6("::ffff:8.8.8.8"), Some("IPv4-mapped (::ffff:0:0/96)"));
        assert_eq!(
            v6("::ffff:0:7f00:1"),
            Some("IPv4-translated (::ffff:0:0:0/96)")
        );
        assert!(v6("3fff:fff::1").is_some());
        assert!(v6("3fff:1000::1").is_none());
        assert!(v6("64:ff9b:1:ffff::1").is_some());
        assert!(v6("64:ff9b:2::1").is_some(), "outside 2000::/3");
        assert!(v6("2001:1ff::1").is_some());
        assert!(v6("2001:200::1").is_none());
        assert!(v6("2606:4700::1111").is_none());
        assert!(v6("::").is_some() && v6("::2").is_some());
    }
}
