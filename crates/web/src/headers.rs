//! The security headers, set by one layer on every response (pages, errors, `/api/`,
//! static files): a Content-Security-Policy without inline script and without
//! `'unsafe-inline'`, nosniff, same-origin referrers, no framing, and `no-store` for
//! everything but the static files.
//!
//! The report HTML written by `delar_render::html` has one inline `<style>` element
//! with a constant text; [`report_style_source`] computes the CSP source
//! `'sha256-…'` that allows exactly that element, at start.

use axum::extract::{Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::Digest;

/// The CSP source allowing an inline `<style>` element whose text is `text`:
/// `'sha256-BASE64'`.
pub fn style_hash_source(text: &str) -> String {
    let digest = sha2::Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The CSP source allowing the inline style of the report HTML (see the module
/// documentation).
pub fn report_style_source() -> String {
    style_hash_source(&delar_render::html::inline_style())
}

/// The Content-Security-Policy of every response.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self' {}; img-src 'self' data:; \
         frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        report_style_source()
    )
}

/// The layer: adds the headers to every response (keeps a `Cache-Control` a handler
/// set, e.g. for `/static/`).
pub async fn security_headers(
    State(csp): State<HeaderValue>,
    req: Request,
    next: Next,
) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(CONTENT_SECURITY_POLICY, csp);
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(CACHE_CONTROL) {
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_of_known_text() {
        // echo -n 'a' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            style_hash_source("a"),
            "'sha256-ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs='"
        );
    }

    #[test]
    fn policy_has_no_unsafe_inline() {
        let csp = content_security_policy();
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(csp.contains(&report_style_source()));
    }
}
