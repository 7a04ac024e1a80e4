//! Who is on the other end of a request, for rate limits and idempotency scopes.
//!
//! A forwarding header (`X-Forwarded-For`) is written by whoever sends the request, so it is
//! believed only when the peer is one of the configured proxies, and then only up to the
//! first hop (from the right) that is not itself a configured proxy: everything left of that
//! hop was written by the client and could say anything.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// An address block such as `10.0.0.0/8`, `::1/128` or a single address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for IpNet {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| format!("{s:?} is not an IP address or block"))?;
        let addr = canonical(addr);
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(|| format!("{s:?}: bad prefix length"))?,
        };
        Ok(IpNet { addr, prefix })
    }
}

impl fmt::Display for IpNet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`) are the IPv4 address they carry.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// The client's address as far as it can be known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl ClientAddress {
    /// Resolves the client from the socket `peer` and the `X-Forwarded-For` values in the
    /// order they arrived (several headers are one list).
    pub fn resolve<'a>(
        peer: Option<IpAddr>,
        forwarded_for: impl IntoIterator<Item = &'a str>,
        trusted: &[IpNet],
    ) -> Option<ClientAddress> {
        let peer = canonical(peer?);
        let is_trusted = |ip: IpAddr| trusted.iter().any(|net| net.contains(ip));
        if !is_trusted(peer) {
            return Some(ClientAddress(peer));
        }
        let hops: Vec<&str> = forwarded_for.into_iter().flat_map(|v| v.split(',')).map(str::trim).collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            match hop.parse::<IpAddr>().map(canonical) {
                Ok(ip) if is_trusted(ip) => client = ip,
                Ok(ip) => return Some(ClientAddress(ip)),
                // Garbage where an address should be: stop at the last hop we could trust.
                Err(_) => break,
            }
        }
        Some(ClientAddress(client))
    }

    /// What rate limits count against: the address, or its /64 for IPv6, because one
    /// subscriber is commonly given a whole /64 and can pick any address in it.
    pub fn limit_key(&self) -> String {
        match self.0 {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let prefix = u128::from(v6) & (u128::MAX << 64);
                format!("{}/64", std::net::Ipv6Addr::from(prefix))
            }
        }
    }
}

impl fmt::Display for ClientAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    fn resolve(peer: &str, xff: &[&str], trusted: &[&str]) -> String {
        ClientAddress::resolve(ip(peer), xff.iter().copied(), &nets(trusted)).unwrap().to_string()
    }

    #[test]
    fn blocks() {
        let n: IpNet = "10.0.0.0/8".parse().unwrap();
        assert!(n.contains("10.200.3.4".parse().unwrap()));
        assert!(!n.contains("11.0.0.1".parse().unwrap()));
        assert!(n.contains("::ffff:10.1.2.3".parse().unwrap()));
        let all: IpNet = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("203.0.113.9".parse().unwrap()));
        let one: IpNet = "2001:db8::1".parse().unwrap();
        assert!(one.contains("2001:db8::1".parse().unwrap()) && !one.contains("2001:db8::2".parse().unwrap()));
        assert!("10.0.0.0/33".parse::<IpNet>().is_err());
        assert!("proxy.internal".parse::<IpNet>().is_err());
    }

    #[test]
    fn headers_from_untrusted_peers_are_ignored() {
        assert_eq!(resolve("198.51.100.7", &["1.2.3.4"], &[]), "198.51.100.7");
        assert_eq!(resolve("198.51.100.7", &["1.2.3.4"], &["10.0.0.0/8"]), "198.51.100.7");
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        // The client wrote "6.6.6.6" itself; the proxy appended the address it saw.
        assert_eq!(resolve("10.0.0.2", &["6.6.6.6, 203.0.113.5"], &["10.0.0.0/8"]), "203.0.113.5");
        // Two proxies in a row, and the header split over two lines.
        assert_eq!(resolve("10.0.0.2", &["6.6.6.6, 203.0.113.5", "10.0.0.3"], &["10.0.0.0/8"]), "203.0.113.5");
        // Nothing forwarded: the proxy itself.
        assert_eq!(resolve("10.0.0.2", &[], &["10.0.0.0/8"]), "10.0.0.2");
        // Garbage stops the walk at the last trusted hop.
        assert_eq!(resolve("10.0.0.2", &["6.6.6.6, nonsense"], &["10.0.0.0/8"]), "10.0.0.2");
    }

    #[test]
    fn ipv6_is_limited_by_its_64() {
        let a = ClientAddress("2001:db8:1:2:aaaa::1".parse().unwrap());
        let b = ClientAddress("2001:db8:1:2:bbbb::9".parse().unwrap());
        let c = ClientAddress("2001:db8:1:3::1".parse().unwrap());
        assert_eq!(a.limit_key(), b.limit_key());
        assert_ne!(a.limit_key(), c.limit_key());
        assert_eq!(ClientAddress("192.0.2.1".parse().unwrap()).limit_key(), "192.0.2.1");
    }
}
