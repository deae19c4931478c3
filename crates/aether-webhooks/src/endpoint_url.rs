//! The rules for the URLs an endpoint may be registered with.
//!
//! Deliveries leave Aether's network with a body the customer controls the destination of, so
//! a registration must name a public HTTPS service by host name. A development setting lifts
//! the rule for loopback receivers.

use core::fmt;

/// The maximum length of an endpoint URL, in bytes.
pub const MAX_URL_LENGTH: usize = 2_048;

const BLOCKED_SUFFIXES: [&str; 5] = [".localhost", ".local", ".internal", ".lan", ".home.arpa"];

/// Checks that `url` may receive deliveries.
///
/// Accepted: `https://` followed by a host name with at least one dot, no user-info, and no
/// port or port 443. With `allow_local_targets` (development only) `http://` is accepted too,
/// and so are `localhost`, `127.0.0.1`, `[::1]` and any port.
///
/// This check reads the URL only: a public host name that resolves to a private address passes
/// it, so production deployments rely on the platform refusing such connections.
///
/// # Errors
/// Returns the [`EndpointUrlError`] of the first rule `url` breaks.
pub fn validate_endpoint_url(url: &str, allow_local_targets: bool) -> Result<(), EndpointUrlError> {
    if url.len() > MAX_URL_LENGTH {
        return Err(EndpointUrlError::TooLong);
    }
    if url.chars().any(|character| character.is_whitespace() || character.is_control()) {
        return Err(EndpointUrlError::Whitespace);
    }

    let (secure, rest) = split_scheme(url).ok_or(EndpointUrlError::UnsupportedScheme)?;
    if !secure && !allow_local_targets {
        return Err(EndpointUrlError::UnsupportedScheme);
    }

    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    if authority.contains('@') {
        return Err(EndpointUrlError::UserInfo);
    }

    let (host, port) = split_port(authority)?;
    let host = host.to_ascii_lowercase();

    if allow_local_targets && is_loopback(&host) {
        return Ok(());
    }
    check_host(&host)?;
    if let Some(port) = port {
        let default_port = if secure { "443" } else { "80" };
        if port != default_port && !allow_local_targets {
            return Err(EndpointUrlError::Port);
        }
    }
    Ok(())
}

/// Splits off `https://` or `http://`, matched without regard to case; returns whether it was
/// HTTPS and the rest.
fn split_scheme(url: &str) -> Option<(bool, &str)> {
    for (prefix, secure) in [("https://", true), ("http://", false)] {
        if url.len() >= prefix.len() && url[..prefix.len()].eq_ignore_ascii_case(prefix) {
            return Some((secure, &url[prefix.len()..]));
        }
    }
    None
}

/// Splits `host[:port]`; an IPv6 literal keeps its brackets.
fn split_port(authority: &str) -> Result<(&str, Option<&str>), EndpointUrlError> {
    let (host, port) = if authority.starts_with('[') {
        let close = authority.find(']').ok_or(EndpointUrlError::InvalidHost)?;
        let after = &authority[close + 1..];
        let port = match after.strip_prefix(':') {
            Some(port) => Some(port),
            None if after.is_empty() => None,
            None => return Err(EndpointUrlError::InvalidHost),
        };
        (&authority[..=close], port)
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };

    if host.is_empty() {
        return Err(EndpointUrlError::MissingHost);
    }
    if let Some(port) = port {
        let valid = !port.is_empty() && port.len() <= 5 && port.bytes().all(|byte| byte.is_ascii_digit()) && port.parse::<u16>().is_ok();
        if !valid {
            return Err(EndpointUrlError::InvalidPort);
        }
    }
    Ok((host, port))
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host == "[::1]" || host.split('.').count() == 4 && host.starts_with("127.") && host.split('.').all(|part| part.parse::<u8>().is_ok())
}

/// Checks a lowercase host name against the rules for public endpoints.
fn check_host(host: &str) -> Result<(), EndpointUrlError> {
    let host = host.strip_suffix('.').unwrap_or(host);

    if host.starts_with('[') {
        return Err(EndpointUrlError::IpAddress);
    }
    let last_label = host.rsplit('.').next().unwrap_or(host);
    let looks_numeric = !last_label.is_empty()
        && (last_label.bytes().all(|byte| byte.is_ascii_digit()) || last_label.starts_with("0x"));
    if looks_numeric {
        return Err(EndpointUrlError::IpAddress);
    }

    if host == "localhost" || BLOCKED_SUFFIXES.iter().any(|suffix| host.ends_with(suffix)) {
        return Err(EndpointUrlError::LocalHost);
    }

    let labels_valid = host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
        });
    if !labels_valid {
        return Err(EndpointUrlError::InvalidHost);
    }
    if !host.contains('.') {
        return Err(EndpointUrlError::LocalHost);
    }
    Ok(())
}

/// The reason a URL cannot be registered as an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointUrlError {
    /// Longer than [`MAX_URL_LENGTH`].
    TooLong,
    /// Contains whitespace or control characters.
    Whitespace,
    /// Not `https://` (or `http://` where local targets are allowed).
    UnsupportedScheme,
    /// No host after the scheme.
    MissingHost,
    /// User name or password before the host.
    UserInfo,
    /// The host is an IP address rather than a name.
    IpAddress,
    /// The host is `localhost`, a single label, or ends in a private suffix such as `.local`
    /// or `.internal`.
    LocalHost,
    /// The host is not a valid DNS name.
    InvalidHost,
    /// The port is not a number from 0 to 65535.
    InvalidPort,
    /// A port other than the scheme's default.
    Port,
}

impl EndpointUrlError {
    /// Returns the stable machine-readable code of this error.
    #[must_use]
    pub const fn code(self) -> &'static str {
        "invalid_url"
    }
}

impl fmt::Display for EndpointUrlError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = match self {
            EndpointUrlError::TooLong => "the endpoint URL is longer than 2048 characters",
            EndpointUrlError::Whitespace => "the endpoint URL contains whitespace or control characters: percent-encode them",
            EndpointUrlError::UnsupportedScheme => "the endpoint URL must start with https:// (http:// is accepted only where the server allows local targets, as in local development)",
            EndpointUrlError::MissingHost => "the endpoint URL has no host name",
            EndpointUrlError::UserInfo => "the endpoint URL must not contain a user name or password: authenticate deliveries with the signature instead",
            EndpointUrlError::IpAddress => "the endpoint URL must use a host name, not an IP address",
            EndpointUrlError::LocalHost => "the endpoint URL must name a public host: localhost, single-label names and .local, .internal, .lan or .home.arpa hosts cannot receive deliveries",
            EndpointUrlError::InvalidHost => "the endpoint URL's host is not a valid DNS name",
            EndpointUrlError::InvalidPort => "the endpoint URL's port is not a number from 0 to 65535",
            EndpointUrlError::Port => "the endpoint URL must use the default port 443: remove the port",
        };
        formatter.write_str(message)
    }
}

impl core::error::Error for EndpointUrlError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_https_urls_are_accepted() {
        for url in ["https://your-app.com/hooks/aether", "https://API.example.co.uk:443/x?y=1#z", "HTTPS://example.com", "https://xn--bcher-kva.example/"] {
            assert_eq!(validate_endpoint_url(url, false), Ok(()), "{url}");
        }
    }

    #[test]
    fn unsafe_urls_are_rejected_with_reason() {
        let cases = [
            ("http://example.com/", EndpointUrlError::UnsupportedScheme),
            ("ftp://example.com/", EndpointUrlError::UnsupportedScheme),
            ("https://", EndpointUrlError::MissingHost),
            ("https:///path", EndpointUrlError::MissingHost),
            ("https://user:pass@example.com/", EndpointUrlError::UserInfo),
            ("https://127.0.0.1/", EndpointUrlError::IpAddress),
            ("https://10.0.0.1/", EndpointUrlError::IpAddress),
            ("https://0x7f000001/", EndpointUrlError::IpAddress),
            ("https://[::1]/", EndpointUrlError::IpAddress),
            ("https://localhost/", EndpointUrlError::LocalHost),
            ("https://printer.local/", EndpointUrlError::LocalHost),
            ("https://metadata.google.internal/", EndpointUrlError::LocalHost),
            ("https://intranet/", EndpointUrlError::LocalHost),
            ("https://exa_mple.com/", EndpointUrlError::InvalidHost),
            ("https://-bad.com/", EndpointUrlError::InvalidHost),
            ("https://example.com:8443/", EndpointUrlError::Port),
            ("https://example.com:99999/", EndpointUrlError::InvalidPort),
            ("https://example.com:/", EndpointUrlError::InvalidPort),
            ("https://exa mple.com/", EndpointUrlError::Whitespace),
        ];
        for (url, expected) in cases {
            assert_eq!(validate_endpoint_url(url, false), Err(expected), "{url}");
        }
    }

    #[test]
    fn local_targets_allowed_only_by_setting() {
        for url in ["http://127.0.0.1:8080/hooks", "http://localhost:3000/api", "https://[::1]:8443/"] {
            assert!(validate_endpoint_url(url, false).is_err(), "{url}");
            assert_eq!(validate_endpoint_url(url, true), Ok(()), "{url}");
        }
        assert_eq!(validate_endpoint_url("http://10.0.0.1/", true), Err(EndpointUrlError::IpAddress));
    }

    #[test]
    fn overlong_url_is_rejected() {
        let url = alloc::format!("https://example.com/{}", "a".repeat(MAX_URL_LENGTH));
        assert_eq!(validate_endpoint_url(&url, false), Err(EndpointUrlError::TooLong));
    }
}
