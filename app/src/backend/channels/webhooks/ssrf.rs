//! A guard against server-side request forgery: webhook URLs are typed in by
//! tenants, so without it a URL could make the server call its own admin
//! ports, the cloud metadata service (169.254.169.254) or anything else on
//! the private network behind it.
//!
//! Two layers, both needed:
//! - [`check_url`] when an endpoint is saved AND before each delivery
//!   attempt: scheme, no user info, https unless allow-listed, and the
//!   addresses of the host. It is the only check for IP-literal hosts
//!   (`https://10.0.0.1/`), because reqwest does not call a resolver for those.
//! - [`GuardedResolver`] as the delivery client's DNS resolver: the addresses
//!   reqwest actually connects to are filtered at connect time, so a name that
//!   resolved to a public address during the check and to a private one a
//!   moment later (DNS rebinding) still cannot reach the private one.
//!
//! The delivery client must also: not follow redirects
//! (`redirect::Policy::none()`, since a redirect to an IP literal would skip
//! the resolver — a 3xx is simply a failed attempt), and ignore proxy settings
//! from the environment (`.no_proxy()`, since through a proxy the resolver
//! sees only the proxy's name).
//!
//! Addresses that must be reachable despite being private (a receiver on the
//! same host in tests, or a deliberate on-premises setup) are listed in an
//! [`AllowList`] from configuration.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

/// One allow-listed network: an address and how many leading bits must match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Net {
    addr: IpAddr,
    prefix: u8,
}

impl Net {
    fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                masked(u32::from(net).into(), self.prefix, 32) == masked(u32::from(ip).into(), self.prefix, 32)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => masked(u128::from(net), self.prefix, 128) == masked(u128::from(ip), self.prefix, 128),
            _ => false,
        }
    }
}

/// The top `prefix` bits of a `width`-bit number.
fn masked(value: u128, prefix: u8, width: u8) -> u128 {
    if prefix == 0 {
        0
    } else {
        value >> (width - prefix)
    }
}

/// Addresses that may be reached despite being refused by [`refusal`]
/// (from configuration; tests allow 127.0.0.1). Empty by default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllowList {
    nets: Vec<Net>,
}

impl AllowList {
    /// Reads a comma-separated list of IP addresses and CIDR networks, e.g.
    /// `"127.0.0.1,10.1.0.0/16,::1"`. Blanks around items are ignored; an
    /// empty string allows nothing. IPv4-mapped IPv6 items count as IPv4.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut nets = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (addr, prefix) = match item.split_once('/') {
                Some((addr, prefix)) => (addr.trim(), Some(prefix.trim())),
                None => (item, None),
            };
            let addr: IpAddr = addr
                .parse()
                .map_err(|_| format!("{item:?} is not an IP address or a CIDR network like 10.1.0.0/16"))?;
            let width = if addr.is_ipv4() { 32 } else { 128 };
            let prefix = match prefix {
                None => width,
                Some(p) => match p.parse::<u8>() {
                    Ok(p) if p <= width => p,
                    _ => return Err(format!("{item:?} has a prefix length that is not a number from 0 to {width}")),
                },
            };
            // ::ffff:10.0.0.0/104 is the same network as 10.0.0.0/8.
            let net = match addr {
                IpAddr::V6(v6) if prefix >= 96 && v6.to_ipv4_mapped().is_some() => Net {
                    addr: IpAddr::V4(v6.to_ipv4_mapped().unwrap()),
                    prefix: prefix - 96,
                },
                _ => Net { addr, prefix },
            };
            nets.push(net);
        }
        Ok(Self { nets })
    }

    /// Whether `ip` is in one of the listed networks (an IPv4-mapped IPv6
    /// address is matched as its IPv4 address).
    pub fn allows(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.nets.iter().any(|n| n.contains(ip))
    }

    pub fn is_empty(&self) -> bool {
        self.nets.is_empty()
    }
}

/// Why an IPv4 address may not be called, or `None` when it is public.
fn refusal_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        _ if ip.is_unspecified() => "unspecified address",
        _ if ip.is_broadcast() => "broadcast address",
        (0, _, _) => "\"this network\" address (0.0.0.0/8)",
        (127, _, _) => "loopback address",
        (10, _, _) => "private address (10.0.0.0/8)",
        (172, 16..=31, _) => "private address (172.16.0.0/12)",
        (192, 168, _) => "private address (192.168.0.0/16)",
        (169, 254, 169) if ip.octets()[3] == 254 => "cloud metadata address (link-local)",
        (169, 254, _) => "link-local address (169.254.0.0/16)",
        (100, 64..=127, _) => "carrier-grade NAT address (100.64.0.0/10)",
        (192, 0, 0) => "IETF protocol assignment address (192.0.0.0/24)",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "documentation address",
        (198, 18..=19, _) => "benchmarking address (198.18.0.0/15)",
        (192, 88, 99) => "6to4 relay anycast address (192.88.99.0/24)",
        (224..=239, _, _) => "multicast address",
        (240..=255, _, _) => "reserved address (240.0.0.0/4)",
        _ => return None,
    })
}

/// Why an address may not be called, or `None` when it is public.
///
/// Refused: unspecified, loopback, private (RFC 1918), link-local (with the
/// cloud metadata address), carrier-grade NAT, IETF protocol assignments,
/// documentation, benchmarking, multicast, broadcast and reserved IPv4; and
/// for IPv6 the unspecified and loopback addresses, unique-local, link-local,
/// site-local, multicast, discard-only, documentation, benchmarking, ORCHID,
/// Teredo, local-use NAT64 and anything outside global unicast (2000::/3).
/// IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible,
/// IPv4-translated, NAT64 64:ff9b::/96 and 6to4 2002::/16) are judged by that
/// IPv4 address.
pub fn refusal(ip: IpAddr) -> Option<&'static str> {
    let v6 = match ip {
        IpAddr::V4(v4) => return refusal_v4(v4),
        IpAddr::V6(v6) => v6,
    };
    if v6.is_unspecified() {
        return Some("unspecified address");
    }
    if v6.is_loopback() {
        return Some("loopback address");
    }
    let s = v6.segments();
    let bits = u128::from(v6);
    let embedded_low = Ipv4Addr::from((bits & 0xffff_ffff) as u32);
    match s {
        // ::a.b.c.d (IPv4-compatible, deprecated), ::ffff:a.b.c.d (IPv4-mapped),
        // ::ffff:0:a.b.c.d (IPv4-translated) and 64:ff9b::a.b.c.d (NAT64, well-known prefix).
        [0, 0, 0, 0, 0, 0, _, _] | [0, 0, 0, 0, 0, 0xffff, _, _] | [0, 0, 0, 0, 0xffff, 0, _, _] | [0x64, 0xff9b, 0, 0, 0, 0, _, _] => {
            return refusal_v4(embedded_low);
        }
        // 6to4: 2002:AABB:CCDD::/48 embeds a.b.c.d right after the prefix.
        [0x2002, hi, lo, ..] => return refusal_v4(Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo))),
        _ => {}
    }
    let net = |addr: u128, prefix: u8| masked(bits, prefix, 128) == masked(addr, prefix, 128);
    Some(match () {
        _ if net(0xff00 << 112, 8) => "multicast address",
        _ if net(0xfc00 << 112, 7) => "unique-local address (fc00::/7)",
        _ if net(0xfe80 << 112, 10) => "link-local address (fe80::/10)",
        _ if net(0xfec0 << 112, 10) => "site-local address (fec0::/10)",
        _ if net(0x0100 << 112, 64) => "discard-only address (100::/64)",
        _ if net(0x0064_ff9b_0001 << 80, 48) => "local-use NAT64 address (64:ff9b:1::/48)",
        _ if net(0x2001_0db8 << 96, 32) => "documentation address (2001:db8::/32)",
        _ if net(0x3fff << 112, 20) => "documentation address (3fff::/20)",
        _ if net(0x2001_0000 << 96, 32) => "Teredo tunnelling address (2001::/32)",
        _ if net(0x2001_0002 << 96, 48) => "benchmarking address (2001:2::/48)",
        _ if net(0x2001_0010 << 96, 28) => "ORCHID address (2001:10::/28)",
        _ if net(0x2001_0020 << 96, 28) => "ORCHIDv2 address (2001:20::/28)",
        _ if !net(0x2000 << 112, 3) => "address outside global unicast (2000::/3)",
        _ => return None,
    })
}

/// The address may be called: public, or allow-listed.
fn usable(ip: IpAddr, allow: &AllowList) -> bool {
    refusal(ip).is_none() || allow.allows(ip)
}

/// Validates a webhook destination URL and returns it parsed:
/// - `http` or `https` only, with a host and no user name or password
///   (credentials belong in the endpoint's authentication settings);
/// - the host's addresses (the host itself when it is an IP literal, else
///   what it resolves to now) must include at least one that is public or
///   allow-listed; refused ones are named in the error. (Only usable
///   addresses are ever connected to, through [`GuardedResolver`].)
/// - `https` is required unless every usable address is allow-listed.
///
/// The worker calls this before each attempt as well as when the endpoint is
/// saved (IP-literal hosts never reach the resolver), and delivers through a
/// client that uses [`GuardedResolver`].
pub async fn check_url(url: &str, allow: &AllowList) -> Result<reqwest::Url, String> {
    // The parser's own words ("relative URL without a base") mean nothing to
    // the admin typing the address: say what a good one looks like.
    let parsed = reqwest::Url::parse(url.trim()).map_err(|e| {
        tracing::debug!("webhook URL {url:?} does not parse: {e}");
        "enter the whole address, starting with https://, for example https://example.com/hooks/frontdesk".to_string()
    })?;
    let scheme = parsed.scheme();
    if scheme != "http" && scheme != "https" {
        return Err(format!("a webhook URL must start with https:// (this one uses {scheme}:)"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("a webhook URL may not contain a user name or password (user:pass@); set up authentication instead".into());
    }
    let port = parsed.port_or_known_default().unwrap_or(443);
    let host = parsed.host_str().filter(|h| !h.is_empty()).ok_or("the webhook URL has no host")?;
    // The parser has already turned every IPv4 spelling (0x7f.1, 2130706433, ...)
    // into dotted form and bracketed IPv6, so whatever does not parse as an
    // address here is a domain name.
    let literal = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host)
        .parse::<IpAddr>()
        .ok();
    let (shown, addrs): (String, Vec<IpAddr>) = match literal {
        Some(ip) => (ip.to_string(), vec![ip]),
        None => {
            let name = host;
            let found = tokio::net::lookup_host((name, port)).await.map_err(|e| {
                tracing::info!("webhook host {name} could not be resolved: {e}");
                format!("no server named {name} was found; check the spelling of the address")
            })?;
            let mut addrs: Vec<IpAddr> = found.map(|a| a.ip()).collect();
            addrs.dedup();
            if addrs.is_empty() {
                return Err(format!("the webhook host {name} has no addresses"));
            }
            (name.to_string(), addrs)
        }
    };
    let good: Vec<IpAddr> = addrs.iter().copied().filter(|ip| usable(*ip, allow)).collect();
    if good.is_empty() {
        let ip = addrs[0];
        let reason = refusal(ip).unwrap_or("refused address");
        let target = if shown == ip.to_string() {
            format!("{ip}")
        } else {
            format!("{shown} ({ip})")
        };
        return Err(format!(
            "webhooks may not be sent to {target}: {reason}, not a public internet address"
        ));
    }
    if scheme == "http" && !good.iter().all(|ip| allow.allows(*ip)) {
        return Err(format!(
            "webhook URLs must use https:// (http:// is only allowed for allow-listed addresses, and {shown} is not one)"
        ));
    }
    Ok(parsed)
}

/// A DNS resolver for reqwest that resolves with the system resolver (through
/// tokio) and drops every address [`refusal`] refuses unless allow-listed.
/// When nothing is left the lookup fails with an error that says why, so the
/// request fails before any connection is made.
///
/// ```ignore
/// let client = reqwest::Client::builder()
///     .dns_resolver(Arc::new(GuardedResolver::new(allow.clone())))
///     .redirect(reqwest::redirect::Policy::none())
///     .no_proxy()
///     .build()?;
/// ```
///
/// reqwest does not ask a resolver about IP-literal hosts: [`check_url`]
/// covers those.
#[derive(Clone, Debug)]
pub struct GuardedResolver {
    allow: Arc<AllowList>,
}

impl GuardedResolver {
    pub fn new(allow: AllowList) -> Self {
        Self { allow: Arc::new(allow) }
    }
}

/// The error of a lookup whose addresses were all refused.
#[derive(Debug)]
struct Refused(String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow = self.allow.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            // Port 0: reqwest puts in the URL's port.
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let (good, refused): (Vec<SocketAddr>, Vec<SocketAddr>) = found.into_iter().partition(|a| usable(a.ip(), &allow));
            if good.is_empty() {
                let message = match refused.first() {
                    Some(a) => format!(
                        "webhooks may not be sent to {host} ({}): {}, not a public internet address",
                        a.ip(),
                        refusal(a.ip()).unwrap_or("refused address")
                    ),
                    None => format!("the webhook host {host} has no addresses"),
                };
                return Err(Box::new(Refused(message)) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(good.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn refuses_non_public_addresses() {
        for (addr, reason) in [
            ("0.0.0.0", "unspecified"),
            ("0.1.2.3", "this network"),
            ("127.0.0.1", "loopback"),
            ("127.0.0.2", "loopback"),
            ("10.0.0.1", "private"),
            ("172.16.0.1", "private"),
            ("172.31.255.255", "private"),
            ("192.168.1.1", "private"),
            ("169.254.169.254", "metadata"),
            ("169.254.1.1", "link-local"),
            ("100.64.0.1", "carrier-grade NAT"),
            ("100.127.255.255", "carrier-grade NAT"),
            ("192.0.0.170", "protocol assignment"),
            ("192.0.2.1", "documentation"),
            ("198.51.100.7", "documentation"),
            ("203.0.113.9", "documentation"),
            ("198.18.0.1", "benchmarking"),
            ("224.0.0.1", "multicast"),
            ("239.255.255.250", "multicast"),
            ("240.0.0.1", "reserved"),
            ("255.255.255.255", "broadcast"),
            ("::", "unspecified"),
            ("::1", "loopback"),
            ("fd00::1", "unique-local"),
            ("fc00::1", "unique-local"),
            ("fe80::1", "link-local"),
            ("febf::1", "link-local"),
            ("fec0::1", "site-local"),
            ("ff02::1", "multicast"),
            ("100::1", "discard"),
            ("2001:db8::1", "documentation"),
            ("3fff::1", "documentation"),
            ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"),
            ("2001:2::1", "benchmarking"),
            ("64:ff9b:1::1", "local-use NAT64"),
            ("4000::1", "outside global unicast"),
            // IPv6 forms embedding a refused IPv4 address are judged by it.
            ("::ffff:127.0.0.1", "loopback"),
            ("::ffff:10.0.0.1", "private"),
            ("::ffff:169.254.169.254", "metadata"),
            ("::127.0.0.1", "loopback"),
            ("::ffff:0:192.168.0.1", "private"),
            ("64:ff9b::10.0.0.1", "private"),
            ("64:ff9b::169.254.169.254", "metadata"),
            ("2002:7f00:1::", "loopback"),
            ("2002:a9fe:a9fe::1", "metadata"),
            ("2002:c0a8:0101::", "private"),
        ] {
            let got = refusal(ip(addr));
            assert!(got.is_some_and(|r| r.contains(reason)), "{addr}: {got:?}, expected {reason}");
        }
    }

    #[test]
    fn allows_public_addresses() {
        for addr in [
            "8.8.8.8",
            "1.1.1.1",
            "172.15.255.255",
            "172.32.0.1",
            "100.63.255.255",
            "100.128.0.1",
            "169.253.1.1",
            "192.169.0.1",
            "2606:4700::1111",
            "2a00:1450:4001::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::8.8.8.8",
            "2002:0808:0808::1",
            "2001:4860:4860::8888",
        ] {
            assert_eq!(refusal(ip(addr)), None, "{addr}");
        }
    }

    #[test]
    fn allow_list() {
        let one = AllowList::parse("127.0.0.1").unwrap();
        assert!(one.allows(ip("127.0.0.1")));
        assert!(one.allows(ip("::ffff:127.0.0.1")));
        assert!(!one.allows(ip("127.0.0.2")));
        assert!(!one.allows(ip("::1")));
        assert!(usable(ip("127.0.0.1"), &one) && !usable(ip("127.0.0.2"), &one));

        let nets = AllowList::parse(" 10.1.0.0/16 , fd00::/8,, 192.168.5.5/32,::ffff:172.20.0.0/112").unwrap();
        assert!(nets.allows(ip("10.1.200.3")));
        assert!(!nets.allows(ip("10.2.0.1")));
        assert!(nets.allows(ip("fd12::1")));
        assert!(!nets.allows(ip("fc00::1")));
        assert!(nets.allows(ip("192.168.5.5")));
        assert!(!nets.allows(ip("192.168.5.6")));
        assert!(nets.allows(ip("172.20.9.9")));
        assert!(!nets.allows(ip("172.21.0.1")));
        // Host bits in a network are ignored; /0 matches a whole family.
        assert!(AllowList::parse("10.1.2.3/16").unwrap().allows(ip("10.1.99.99")));
        let all4 = AllowList::parse("0.0.0.0/0").unwrap();
        assert!(all4.allows(ip("10.0.0.1")) && !all4.allows(ip("fd00::1")));

        let empty = AllowList::parse("").unwrap();
        assert!(empty.is_empty() && !empty.allows(ip("127.0.0.1")));
        assert_eq!(AllowList::parse(" , ").unwrap(), AllowList::default());
        for bad in ["localhost", "10.0.0.0/33", "::/129", "10.0.0.0/x", "10.0.0.300", "10.0.0.0/"] {
            let err = AllowList::parse(bad).unwrap_err();
            assert!(err.contains(bad), "names the item: {bad}: {err}");
        }
    }

    #[tokio::test]
    async fn check_url_rules() {
        let none = AllowList::default();
        let local = AllowList::parse("127.0.0.1").unwrap();

        assert_eq!(
            check_url("https://8.8.8.8/hook", &none).await.unwrap().as_str(),
            "https://8.8.8.8/hook"
        );
        assert!(check_url("https://[2606:4700::1111]:8443/x", &none).await.is_ok());

        let err = check_url("http://8.8.8.8/hook", &none).await.unwrap_err();
        assert!(err.contains("https://"), "{err}");
        let err = check_url("ftp://8.8.8.8/file", &none).await.unwrap_err();
        assert!(err.contains("ftp"), "{err}");
        assert!(check_url("file:///etc/passwd", &none).await.unwrap_err().contains("file"));
        let err = check_url("https://user:pass@8.8.8.8/", &none).await.unwrap_err();
        assert!(err.contains("user name or password"), "{err}");
        assert!(check_url("https://user@8.8.8.8/", &none).await.unwrap_err().contains("user name"));
        assert!(check_url("not a url", &none).await.unwrap_err().contains("enter the whole address"));

        // Literal private addresses, in any spelling, are refused.
        for url in [
            "https://127.0.0.2/",
            "https://10.0.0.1/",
            "https://169.254.169.254/latest/meta-data/",
            "https://100.64.0.1/",
            "https://192.168.1.1/",
            "https://[::1]/",
            "https://[fd00::1]/",
            "https://[fe80::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://0x7f.1/",
            "https://2130706433/",
            "https://0/",
        ] {
            let err = check_url(url, &none).await.unwrap_err();
            assert!(err.contains("may not be sent to"), "{url}: {err}");
        }
        let err = check_url("https://169.254.169.254/", &none).await.unwrap_err();
        assert!(err.contains("169.254.169.254") && err.contains("metadata"), "{err}");

        // Allow-listed: exactly that address, and plain http is fine for it.
        assert!(check_url("http://127.0.0.1:8080/hook", &local).await.is_ok());
        assert!(check_url("https://127.0.0.1:8080/hook", &local).await.is_ok());
        assert!(check_url("http://127.0.0.2:8080/hook", &local).await.is_err());
        // A name is judged by what it resolves to (localhost is 127.0.0.1 offline).
        let err = check_url("https://localhost:8080/", &none).await.unwrap_err();
        assert!(err.contains("localhost") && err.contains("loopback"), "{err}");
        assert!(check_url("http://localhost:8080/hook", &local).await.is_ok());
        let err = check_url("https://no-such-host.invalid/", &none).await.unwrap_err();
        assert!(err.contains("was found"), "{err}");
    }

    /// A one-request HTTP server on 127.0.0.1.
    async fn tiny_server() -> u16 {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                let _ = socket.write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n").await;
            }
        });
        port
    }

    fn client(allow: AllowList) -> reqwest::Client {
        reqwest::Client::builder()
            .dns_resolver(Arc::new(GuardedResolver::new(allow)))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn resolver_filters_at_connect_time() {
        let port = tiny_server().await;
        let url = format!("http://localhost:{port}/hook");

        let err = client(AllowList::default()).post(&url).send().await.unwrap_err();
        let mut chain = format!("{err}");
        let mut source = std::error::Error::source(&err);
        while let Some(s) = source {
            chain.push_str(&format!(": {s}"));
            source = s.source();
        }
        assert!(
            chain.contains("may not be sent to localhost") && chain.contains("loopback"),
            "{chain}"
        );

        let ok = client(AllowList::parse("127.0.0.1").unwrap()).post(&url).send().await.unwrap();
        assert_eq!(ok.status().as_u16(), 204);
        assert!(client(AllowList::parse("127.0.0.2").unwrap()).post(&url).send().await.is_err());
    }
}
