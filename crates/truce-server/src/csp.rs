//! The dashboard's Content-Security-Policy, made once from the settings:
//! scripts from the server only (the dashboard has no inline script), map
//! tiles only from the origin of the configured `tile_url`, the map library's
//! worker from a `blob:` URL (MapLibre builds its worker that way), styles
//! inline (the map library positions its elements through their `style`; no
//! script can be injected through a style), no framing.

/// The origin (`scheme://host[:port]`) of a tile URL template, when it has one.
fn tile_origin(tile_url: &str) -> Option<&str> {
    let (scheme, rest) = tile_url.split_once("://")?;
    if !matches!(scheme, "https" | "http") {
        return None;
    }
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    // A template in the host (`{s}.tile.example.org`) would need a wildcard:
    // allow the subdomains of the rest of the host, never every host.
    if host.is_empty() || host.contains(['"', ';', ' ', '\'', ',']) {
        return None;
    }
    Some(&tile_url[..scheme.len() + 3 + host_end])
}

/// The Content-Security-Policy for `tile_url`.
pub fn content_security_policy(tile_url: Option<&str>) -> String {
    let tiles = tile_url
        .and_then(tile_origin)
        .map(|origin| {
            // `{s}.tile.example.org`: its subdomains, by CSP's own wildcard.
            match origin.split_once('{') {
                Some(_) => {
                    let (scheme, host) = origin.split_once("://").unwrap_or(("https", origin));
                    let rest = host.split_once('.').map_or(host, |(_, rest)| rest);
                    format!(" {scheme}://*.{rest}")
                }
                None => format!(" {origin}"),
            }
        })
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'; worker-src 'self' blob:; child-src 'self' blob:; \
         connect-src 'self'{tiles}; img-src 'self' data: blob:{tiles}; style-src 'self' 'unsafe-inline'; \
         font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'; manifest-src 'self'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_are_allowed_from_their_origin_only() {
        let policy = content_security_policy(Some("https://tile.example.org/{z}/{x}/{y}.png"));
        assert!(policy.contains("img-src 'self' data: blob: https://tile.example.org;"));
        assert!(policy.contains("connect-src 'self' https://tile.example.org;"));
        assert!(policy.contains("script-src 'self';") && !policy.contains("'unsafe-eval'"));
        let any = content_security_policy(Some("https://{s}.tile.example.org/{z}/{x}/{y}.png"));
        assert!(any.contains("https://*.tile.example.org;"), "{any}");
        let none = content_security_policy(None);
        assert!(none.contains("connect-src 'self';"));
        for bad in [
            "javascript:alert(1)",
            "/tiles/{z}/{x}/{y}.png",
            "https://a b;c/",
        ] {
            assert_eq!(content_security_policy(Some(bad)), none, "{bad}");
        }
    }
}
