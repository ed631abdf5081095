//! The request layer: resolves who is asking (API token or session cookie) and refuses
//! every state-changing request (POST, PUT, PATCH, DELETE) authenticated by the session
//! cookie that does not carry the session's CSRF token. Then it turns error responses
//! into Swedish pages (or JSON under `/api/`).
//!
//! Where the token may be:
//! - the header `X-CSRF-Token` (scripts using the cookie, e.g. from the browser);
//! - the form field `csrf` of an `application/x-www-form-urlencoded` body (every form of
//!   the application has it as a hidden field; the layer reads the body, at most 1 MiB,
//!   and hands it on unchanged);
//! - the field `csrf` as the *first* part of a `multipart/form-data` body (uploads: put
//!   the hidden field first in the form, browsers send fields in document order; the
//!   layer reads only until that part and streams the rest on).
//!
//! Requests with `Authorization: Bearer` are exempt: the token is not sent by a browser
//! on its own, and such a request never uses the cookie. Anonymous requests (the login
//! form) have no session to protect. Because the layer wraps every route, a handler
//! cannot forget the check; handlers use plain `axum::Form` or `Multipart`.

use crate::auth::{cookie, AuthKind, CurrentUser, SESSION_COOKIE};
use crate::error::{AppError, ErrorMessage};
use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use futures_util::StreamExt;

/// The largest urlencoded form body read to look for the token.
const FORM_LIMIT: usize = 1024 * 1024;
/// How much of a multipart body is read to find its first part.
const MULTIPART_PEEK: usize = 64 * 1024;

/// The message of a CSRF refusal.
pub const CSRF_MESSAGE: &str =
    "formuläret saknar rätt säkerhetstoken (CSRF-skydd): ladda om sidan \
     och skicka formuläret igen; skript som använder sessionskakan skickar token i huvudet \
     X-CSRF-Token, eller använder en API-token";

fn state_changing(method: &Method) -> bool {
    matches!(
        *method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    )
}

/// Compares two tokens in time independent of where they differ.
fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && !a.is_empty()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The layer; see the module documentation.
pub async fn session_layer(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let user = match resolve(&state, &mut req).await {
        Ok(user) => user,
        Err(e) => return finish(&state, is_api, None, e.into_response()),
    };
    if let Some(u) = &user {
        if let AuthKind::Session { csrf_token, .. } = &u.auth {
            if state_changing(req.method()) {
                match check(req, csrf_token).await {
                    Ok(r) => req = r,
                    Err(e) => return finish(&state, is_api, user.as_ref(), e.into_response()),
                }
            }
        }
        req.extensions_mut().insert(u.clone());
    }
    let response = next.run(req).await;
    finish(&state, is_api, user.as_ref(), response)
}

/// The user of the request: by API token if an `Authorization` header is present (an
/// unknown or malformed token gives an anonymous request), else by the session cookie.
async fn resolve(state: &AppState, req: &mut Request) -> Result<Option<CurrentUser>, AppError> {
    if let Some(h) = req.headers().get(AUTHORIZATION) {
        let token = h
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let Some(token) = token else {
            return Ok(None);
        };
        return Ok(state
            .store
            .user_for_token(token)
            .await?
            .map(|u| CurrentUser::from_user(u, AuthKind::Bearer)));
    }
    let Some(session_id) = cookie(req.headers(), SESSION_COOKIE) else {
        return Ok(None);
    };
    Ok(state.store.session(&session_id).await?.map(|s| {
        CurrentUser::from_user(
            s.user,
            AuthKind::Session {
                session_id,
                csrf_token: s.csrf_token,
            },
        )
    }))
}

/// Checks the CSRF token of a state-changing request and gives the request back with
/// its body intact.
async fn check(req: Request, expected: &str) -> Result<Request, AppError> {
    let refused = || AppError::Forbidden(CSRF_MESSAGE.into());
    if let Some(h) = req.headers().get("x-csrf-token") {
        return if h.to_str().is_ok_and(|v| same_token(v, expected)) {
            Ok(req)
        } else {
            Err(refused())
        };
    }
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, FORM_LIMIT)
            .await
            .map_err(|_| AppError::TooLarge("formuläret är för stort (högst 1 MiB)".into()))?;
        let ok = form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == "csrf")
            .is_some_and(|(_, v)| same_token(&v, expected));
        if !ok {
            return Err(refused());
        }
        return Ok(Request::from_parts(parts, Body::from(bytes)));
    }
    if content_type.starts_with("multipart/form-data") {
        let boundary = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.split(';').map(str::trim).find_map(|p| {
                    let (k, b) = p.split_once('=')?;
                    k.eq_ignore_ascii_case("boundary")
                        .then(|| b.trim_matches('"').to_string())
                })
            });
        let Some(boundary) = boundary else {
            return Err(refused());
        };
        let (parts, body) = req.into_parts();
        let mut stream = body.into_data_stream();
        let mut buf: Vec<u8> = Vec::new();
        let found = loop {
            if let Some(found) = first_part_csrf(&buf, &boundary) {
                break found;
            }
            if buf.len() > MULTIPART_PEEK {
                break None;
            }
            match stream.next().await {
                Some(Ok(chunk)) => buf.extend_from_slice(&chunk),
                Some(Err(_)) | None => break None,
            }
        };
        if !found.is_some_and(|v| same_token(&v, expected)) {
            return Err(refused());
        }
        let head =
            futures_util::stream::once(async move { Ok::<Bytes, axum::Error>(Bytes::from(buf)) });
        let body = Body::from_stream(head.chain(stream));
        return Ok(Request::from_parts(parts, body));
    }
    Err(refused())
}

/// The value of the first part of a multipart body if that part is the field `csrf`:
/// `None` when more bytes are needed, `Some(None)` when the first part is another one.
fn first_part_csrf(buf: &[u8], boundary: &str) -> Option<Option<String>> {
    let delimiter = format!("--{boundary}");
    let start = find(buf, delimiter.as_bytes())? + delimiter.len();
    let rest = &buf[start..];
    let rest = rest.strip_prefix(b"\r\n")?;
    let header_end = find(rest, b"\r\n\r\n")?;
    let headers = String::from_utf8_lossy(&rest[..header_end]).to_ascii_lowercase();
    let is_csrf = headers.lines().any(|l| {
        l.starts_with("content-disposition:")
            && l.split(';').any(|p| {
                let p = p.trim();
                p == "name=\"csrf\"" || p == "name=csrf"
            })
    });
    if !is_csrf {
        return Some(None);
    }
    let value = &rest[header_end + 4..];
    let end = find(value, format!("\r\n{delimiter}").as_bytes())?;
    Some(String::from_utf8(value[..end].to_vec()).ok())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Turns an error response into what the client reads: under `/api/` JSON
/// `{"error": "..."}`; elsewhere a Swedish HTML page with the status, or for 401 a
/// redirect to the login page. Also responses of axum's own refusals (plain text).
fn finish(
    state: &AppState,
    is_api: bool,
    user: Option<&CurrentUser>,
    response: Response,
) -> Response {
    let status = response.status();
    let ours = response.extensions().get::<ErrorMessage>().cloned();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let rendered = content_type.starts_with("text/html")
        || content_type.starts_with("application/json")
        || content_type.starts_with("text/csv");
    if !(status.is_client_error() || status.is_server_error()) || (ours.is_none() && rendered) {
        return response;
    }
    let message = match ours {
        Some(ErrorMessage(m)) => m,
        None => generic_message(status).to_string(),
    };
    let retry_after = response.headers().get("retry-after").cloned();
    let mut out = if is_api {
        (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
    } else if status == StatusCode::UNAUTHORIZED {
        Redirect::to("/logga-in").into_response()
    } else {
        crate::templates::error_page(state, user, status, &message)
    };
    if let Some(v) = retry_after {
        out.headers_mut().insert("retry-after", v);
    }
    out
}

/// A Swedish message for an error status without one of ours.
fn generic_message(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "begäran kunde inte läsas; kontrollera det som skickades",
        401 => "du är inte inloggad",
        403 => "det här får du inte göra",
        404 => "sidan finns inte; kontrollera adressen",
        405 => "metoden stöds inte för den här adressen",
        413 => "det som skickades är för stort",
        415 => "fel innehållstyp i begäran",
        422 => "det som skickades är inte giltigt; kontrollera fälten",
        429 => "för många försök; vänta en stund och försök igen",
        _ if status.is_server_error() => "ett internt fel inträffade; försök igen",
        _ => "begäran kunde inte utföras",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_multipart_part() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.zip\"\r\n\r\nPK";
        assert_eq!(first_part_csrf(body, "XyZ"), Some(Some("abc123".into())));
        assert_eq!(first_part_csrf(&body[..30], "XyZ"), None);
        let other = b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nPK";
        assert_eq!(first_part_csrf(other, "XyZ"), Some(None));
    }

    #[test]
    fn tokens_compare_exactly() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "ab"));
        assert!(!same_token("", ""));
    }
}
