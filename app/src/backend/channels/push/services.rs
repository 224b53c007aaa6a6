//! Which push services pushes may go to. A subscription's endpoint is a URL
//! the browser chose, but anyone signed in can send any URL, so by default
//! only the push services of the browsers staff use are accepted; an operator
//! with another (a self-hosted autopush, say) adds its host.

/// The browsers' push services: Chrome and other Chromium browsers (FCM),
/// Firefox (Mozilla autopush), Safari (Apple), Edge on Windows (WNS).
pub const DEFAULT: &str = "fcm.googleapis.com,android.googleapis.com,push.services.mozilla.com,push.apple.com,notify.windows.com";

/// Host names (each also covering its subdomains: `notify.windows.com` takes
/// `wns2-par02p.notify.windows.com`) or IP addresses; `*` accepts any host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushServices {
    any: bool,
    hosts: Vec<String>,
}

impl Default for PushServices {
    fn default() -> Self {
        Self::parse(DEFAULT).expect("the default push services parse")
    }
}

impl PushServices {
    /// A comma-separated list; empty means the default.
    pub fn parse(list: &str) -> Result<Self, String> {
        if list.trim().is_empty() {
            return Ok(Self::default());
        }
        let mut services = Self {
            any: false,
            hosts: Vec::new(),
        };
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            if entry == "*" {
                services.any = true;
                continue;
            }
            let host = entry.trim_start_matches("*.").trim_end_matches('.').to_ascii_lowercase();
            let valid = !host.is_empty()
                && host.len() <= 253
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
            if !valid {
                return Err(format!("{entry:?} is not a host name or IP address"));
            }
            services.hosts.push(host.trim_start_matches('[').trim_end_matches(']').to_string());
        }
        Ok(services)
    }

    /// Whether `host` (as a parsed URL gives it: lower case, IPv6 in brackets) is accepted.
    pub fn allows(&self, host: &str) -> bool {
        if self.any {
            return true;
        }
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .trim_end_matches('.')
            .to_ascii_lowercase();
        self.hosts.iter().any(|h| {
            host == *h || (host.len() > h.len() && host.ends_with(h.as_str()) && host.as_bytes()[host.len() - h.len() - 1] == b'.')
        })
    }

    /// Whether the endpoint URL's host is accepted (an unparseable one is not).
    pub fn allows_endpoint(&self, endpoint: &str) -> bool {
        reqwest::Url::parse(endpoint)
            .ok()
            .and_then(|u| u.host_str().map(|h| self.allows(h)))
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browsers_push_services_and_their_subdomains_are_accepted_by_default_and_nothing_else() {
        let d = PushServices::default();
        for (host, accepted) in [
            ("fcm.googleapis.com", true),
            ("FCM.googleapis.com", true),
            ("updates.push.services.mozilla.com", true),
            ("web.push.apple.com", true),
            ("wns2-par02p.notify.windows.com", true),
            ("googleapis.com", false),
            ("evilfcm.googleapis.com.example", false),
            ("xfcm.googleapis.com", false),
            ("notify.windows.com.evil.example", false),
            ("push.example", false),
            ("127.0.0.1", false),
        ] {
            assert_eq!(d.allows(host), accepted, "{host}");
        }
    }

    #[test]
    fn an_operator_lists_hosts_ip_addresses_or_any() {
        let s = PushServices::parse(" push.example , *.autopush.internal, 127.0.0.1, [::1] ").unwrap();
        assert!(s.allows("push.example") && s.allows("eu.push.example"));
        assert!(s.allows("autopush.internal") && s.allows("a.autopush.internal"));
        assert!(s.allows("127.0.0.1") && s.allows("[::1]"));
        assert!(!s.allows("fcm.googleapis.com"), "a list replaces the default");
        assert!(PushServices::parse("*").unwrap().allows("anything.example"));
        assert_eq!(PushServices::parse("").unwrap(), PushServices::default());
        assert!(PushServices::parse("push.example/x").is_err());
        assert!(PushServices::parse("a b").is_err());
        assert!(s.allows_endpoint("https://eu.push.example/wpush/v2/abc"));
        assert!(!s.allows_endpoint("https://other.example/push"));
        assert!(!s.allows_endpoint("not a url"));
    }
}
