//! Which `Host` this server answers for. Links and cookies are made for the
//! public URL; a request naming another host was either misrouted or comes
//! through a name an attacker points at us (DNS rebinding: a page on
//! `evil.example` that resolves to 127.0.0.1 reaching a local install, then
//! reading answers as same-origin). Such requests get 421 and nothing else.

use std::net::SocketAddr;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hosts {
    /// Any host (listening on all interfaces with no public URL: we cannot know the names).
    Any,
    /// These `host[:port]` spellings, lower case.
    Only(Vec<String>),
}

impl Hosts {
    /// From the configured public URL, or else the address listened on.
    pub fn new(public_url: Option<&str>, addr: SocketAddr) -> Result<Self, String> {
        if let Some(url) = public_url {
            let uri: axum::http::Uri = url.parse().map_err(|e| format!("public URL {url:?}: {e}"))?;
            if !matches!(uri.scheme_str(), Some("http" | "https")) {
                return Err(format!("public URL {url:?} must start with https:// or http://"));
            }
            let host = uri
                .host()
                .ok_or_else(|| format!("public URL {url:?} has no host"))?
                .to_ascii_lowercase();
            let default_port = if uri.scheme_str() == Some("https") { 443 } else { 80 };
            let port = uri.port_u16().unwrap_or(default_port);
            let mut names = vec![format!("{host}:{port}")];
            if port == default_port {
                names.push(host);
            }
            return Ok(Hosts::Only(names));
        }
        if !addr.ip().is_loopback() {
            return Ok(Hosts::Any);
        }
        let port = addr.port();
        Ok(Hosts::Only(vec![
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ]))
    }

    /// Whether a request naming `host` (its `Host` header or HTTP/2 authority) is ours.
    pub fn allows(&self, host: Option<&str>) -> bool {
        match self {
            Hosts::Any => true,
            Hosts::Only(names) => host.is_some_and(|h| {
                let h = h.trim().trim_end_matches('.').to_ascii_lowercase();
                names.contains(&h)
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_answered_only_for_the_public_host_or_a_local_name_of_a_local_install() {
        let addr = |s: &str| s.parse::<SocketAddr>().unwrap();
        let public = Hosts::new(Some("https://Book.Example.com/"), addr("0.0.0.0:3000")).unwrap();
        let local = Hosts::new(None, addr("127.0.0.1:3000")).unwrap();
        let odd_port = Hosts::new(Some("http://book.example.com:8080"), addr("0.0.0.0:8080")).unwrap();
        for (hosts, host, allowed) in [
            (&public, Some("book.example.com"), true),
            (&public, Some("BOOK.example.com:443"), true),
            (&public, Some("book.example.com."), true),
            (&public, Some("evil.example"), false),
            (&public, Some("book.example.com:8443"), false),
            (&public, None, false),
            (&local, Some("127.0.0.1:3000"), true),
            (&local, Some("localhost:3000"), true),
            (&local, Some("[::1]:3000"), true),
            (&local, Some("rebind.evil.example:3000"), false),
            (&local, Some("127.0.0.1:80"), false),
            (&odd_port, Some("book.example.com:8080"), true),
            (&odd_port, Some("book.example.com"), false),
        ] {
            assert_eq!(hosts.allows(host), allowed, "{hosts:?} {host:?}");
        }
        let anywhere = Hosts::new(None, addr("0.0.0.0:3000")).unwrap();
        assert!(anywhere.allows(Some("whatever.example")) && anywhere.allows(None));
        assert!(
            Hosts::new(Some("book.example.com"), addr("0.0.0.0:1")).is_err(),
            "no scheme, no host"
        );
    }
}
