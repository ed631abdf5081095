//! The pages' templates (minijinja, embedded in the binary, autoescaped: every
//! `{{ value }}` in an `.html` template is HTML-escaped) and the helper that renders a
//! page with what every page needs: `user`, `csrf_token`, `nav` (the links the user's
//! role may use, from the access layer), `current` (the path) and `flash` messages.

use crate::auth::{cookie, set_cookie, CurrentUser, FLASH_COOKIE};
use crate::error::AppError;
use crate::policy::{allowed, Action};
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::{CACHE_CONTROL, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use minijinja::value::ValueKind;
use minijinja::{context, Environment, Value};

/// The templates, by name, embedded at compile time.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("packages.html", include_str!("../templates/packages.html")),
    ("import.html", include_str!("../templates/import.html")),
    (
        "import_progress.html",
        include_str!("../templates/import_progress.html"),
    ),
    ("audit.html", include_str!("../templates/audit.html")),
    (
        "round/list.html",
        include_str!("../templates/round/list.html"),
    ),
    (
        "round/show.html",
        include_str!("../templates/round/show.html"),
    ),
    (
        "round/ansvar.html",
        include_str!("../templates/round/ansvar.html"),
    ),
    (
        "round/drill.html",
        include_str!("../templates/round/drill.html"),
    ),
    (
        "round/history.html",
        include_str!("../templates/round/history.html"),
    ),
    (
        "round/accuracy.html",
        include_str!("../templates/round/accuracy.html"),
    ),
    (
        "round/accuracy_list.html",
        include_str!("../templates/round/accuracy_list.html"),
    ),
    (
        "admin/users.html",
        include_str!("../templates/admin/users.html"),
    ),
    (
        "admin/user.html",
        include_str!("../templates/admin/user.html"),
    ),
];

/// The template environment.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    for (name, source) in TEMPLATES {
        if let Err(e) = env.add_template(name, source) {
            // A template that does not parse is a bug caught by the tests.
            tracing::error!("template {name}: {e:#}");
        }
    }
    env.add_filter("datetime", |micros: i64| format_time(micros));
    // A count with Swedish thousands grouping ("150 505").
    env.add_filter("tal", |n: i64| delar_core::money::format_thousands(n));
    env.set_formatter(escape_formatter);
    env
}

/// HTML-escapes `&`, `<`, `>`, `"` and `'` (minijinja's default also escapes `/`, which
/// makes paths in messages hard to read and is not needed in text or quoted
/// attributes); everything else as minijinja's default formatter.
fn escape_formatter(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    match value.as_str() {
        Some(text)
            if !value.is_safe() && matches!(state.auto_escape(), minijinja::AutoEscape::Html) =>
        {
            let mut escaped = String::with_capacity(text.len());
            for c in text.chars() {
                match c {
                    '&' => escaped.push_str("&amp;"),
                    '<' => escaped.push_str("&lt;"),
                    '>' => escaped.push_str("&gt;"),
                    '"' => escaped.push_str("&quot;"),
                    '\'' => escaped.push_str("&#39;"),
                    c => escaped.push(c),
                }
            }
            out.write_str(&escaped).map_err(|e| {
                minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string())
            })
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

/// What kind of flash message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlashKind {
    /// Something was done.
    Info,
    /// Something went wrong.
    Error,
}

/// A message shown once on the next page (after a redirect), or on this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    /// Kind.
    pub kind: FlashKind,
    /// Text (escaped when shown).
    pub message: String,
}

impl Flash {
    /// An info message.
    pub fn info(message: impl Into<String>) -> Flash {
        Flash {
            kind: FlashKind::Info,
            message: message.into(),
        }
    }

    /// An error message.
    pub fn error(message: impl Into<String>) -> Flash {
        Flash {
            kind: FlashKind::Error,
            message: message.into(),
        }
    }

    /// As stored in the flash cookie (before percent-encoding).
    pub(crate) fn encode(&self) -> String {
        let kind = match self.kind {
            FlashKind::Info => "i",
            FlashKind::Error => "e",
        };
        format!("{kind}:{}", self.message)
    }

    fn decode(text: &str) -> Option<Flash> {
        let (kind, message) = text.split_once(':')?;
        let kind = match kind {
            "i" => FlashKind::Info,
            "e" => FlashKind::Error,
            _ => return None,
        };
        Some(Flash {
            kind,
            message: message.chars().take(500).collect(),
        })
    }

    fn to_value(&self) -> Value {
        let kind = match self.kind {
            FlashKind::Info => "info",
            FlashKind::Error => "error",
        };
        context! { kind => kind, message => self.message }
    }
}

/// The flash message carried by the request's cookie, if any (the rendered page
/// clears the cookie).
#[derive(Debug, Clone, Default)]
pub struct FlashIn(pub Vec<Flash>);

impl<S: Send + Sync> FromRequestParts<S> for FlashIn {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let flash = cookie(&parts.headers, FLASH_COOKIE)
            .and_then(|v| {
                form_urlencoded::parse(format!("v={v}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
            })
            .and_then(|v| Flash::decode(&v));
        Ok(FlashIn(flash.into_iter().collect()))
    }
}

/// The navigation links `user` may use (decided by the access layer).
fn navigation(user: Option<&CurrentUser>) -> Vec<Value> {
    let Some(user) = user else {
        return Vec::new();
    };
    let links: [(&str, &str, Action); 7] = [
        ("/", "Start", Action::ListPackages),
        ("/rundor", "Rundor", Action::ListPackages),
        ("/prognossakerhet", "Prognossäkerhet", Action::ListPackages),
        ("/paket", "Paket", Action::ListPackages),
        ("/import", "Importera", Action::OpenImport),
        ("/logg", "Granskningslogg", Action::ReadAudit),
        ("/admin/anvandare", "Användare", Action::ManageUsers),
    ];
    links
        .into_iter()
        .filter(|(_, _, a)| allowed(user, a))
        .map(|(href, label, _)| context! { href => href, label => label })
        .collect()
}

/// The key under which serde_json (with `arbitrary_precision`, which the workspace
/// enables for exact percentages in report JSON) serialises a number.
const JSON_NUMBER_KEY: &str = "$serde_json::private::Number";

/// `value` with every serde_json number (serialised as a one-key map under
/// `arbitrary_precision`) turned back into a plain number: an integer where the text is
/// one, else the number's text. Everything else is kept as it is (safe strings stay
/// safe).
pub fn plain_numbers(value: Value) -> Value {
    match value.kind() {
        ValueKind::Map => {
            let keys: Vec<Value> = match value.try_iter() {
                Ok(keys) => keys.collect(),
                Err(_) => return value,
            };
            if keys.len() == 1 && keys[0].as_str() == Some(JSON_NUMBER_KEY) {
                let text = value
                    .get_item(&keys[0])
                    .ok()
                    .and_then(|n| n.as_str().map(str::to_owned))
                    .unwrap_or_default();
                return match text.parse::<i64>() {
                    Ok(n) => Value::from(n),
                    Err(_) => Value::from(text),
                };
            }
            Value::from_iter(keys.into_iter().map(|k| {
                let item = value.get_item(&k).unwrap_or_default();
                (k, plain_numbers(item))
            }))
        }
        ValueKind::Seq => match value.try_iter() {
            Ok(items) => Value::from_iter(items.map(plain_numbers)),
            Err(_) => value,
        },
        _ => value,
    }
}

/// Renders template `name` as a page: `ctx` merged with `user`, `csrf_token`, `nav`,
/// `current` (`path`) and `flash`. The response is `no-store` and clears the flash
/// cookie when a flash was shown.
pub fn render(
    state: &AppState,
    user: Option<&CurrentUser>,
    flash: Vec<Flash>,
    path: &str,
    name: &str,
    ctx: Value,
) -> Result<Response, AppError> {
    let had_flash = !flash.is_empty();
    let template = state.templates.get_template(name)?;
    let full = context! {
        user => user.map(CurrentUser::to_json),
        csrf_token => user.map_or("", CurrentUser::csrf_token),
        nav => navigation(user),
        current => path,
        flash => flash.iter().map(Flash::to_value).collect::<Vec<_>>(),
        ..ctx
    };
    let html = template.render(plain_numbers(full))?;
    let mut response = Html(html).into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if had_flash {
        response.headers_mut().append(
            SET_COOKIE,
            set_cookie(FLASH_COOKIE, "", 0, state.config.cookie_secure),
        );
    }
    Ok(response)
}

/// The Swedish error page for `status` with `message`.
pub fn error_page(
    state: &AppState,
    user: Option<&CurrentUser>,
    status: StatusCode,
    message: &str,
) -> Response {
    let title = match status.as_u16() {
        401 => "Inte inloggad",
        403 => "Åtkomst nekad",
        404 => "Sidan finns inte",
        409 => "Konflikt",
        413 => "För stort",
        422 => "Ogiltiga uppgifter",
        429 => "För många försök",
        _ if status.is_server_error() => "Internt fel",
        _ => "Fel",
    };
    let ctx = context! { status => status.as_u16(), title => title, message => message };
    let mut response = match render(state, user, Vec::new(), "", "error.html", ctx) {
        Ok(r) => r,
        Err(_) => (
            [(
                axum::http::header::CONTENT_TYPE,
                "text/plain; charset=utf-8",
            )],
            format!("{} {title}: {message}", status.as_u16()),
        )
            .into_response(),
    };
    *response.status_mut() = status;
    response
}

/// A moment (microseconds since 1970 UTC) as Swedish local time (CET/CEST by the EU
/// rule: summer time from the last Sunday of March to the last Sunday of October, at
/// 01:00 UTC), e.g. `2023-09-05 14:03`.
pub fn format_time(micros: i64) -> String {
    let secs = micros.div_euclid(1_000_000);
    let (y, _, _, _, _) = civil(secs);
    let summer_start = last_sunday_utc(y, 3) + 3600;
    let summer_end = last_sunday_utc(y, 10) + 3600;
    let offset = if (summer_start..summer_end).contains(&secs) {
        7200
    } else {
        3600
    };
    let (y, m, d, hh, mm) = civil(secs + offset);
    format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}")
}

/// Seconds since 1970 as (year, month, day, hour, minute) in UTC.
fn civil(secs: i64) -> (i64, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    (y, m, d, (rem / 3600) as u32, ((rem % 3600) / 60) as u32)
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days since 1970 of a civil date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Midnight UTC (in seconds since 1970) of the last Sunday of `month` in `year`.
fn last_sunday_utc(year: i64, month: u32) -> i64 {
    let last = days_from_civil(year, month, 31);
    // 1970-01-01 was a Thursday: weekday 0 = Monday.
    let weekday = (last + 3).rem_euclid(7);
    (last - (weekday + 1) % 7) * 86_400
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_local_time() {
        // 2023-09-05 12:00 UTC is 14:00 summer time.
        assert_eq!(format_time(1_693_915_200_000_000), "2023-09-05 14:00");
        // 2023-12-01 12:00 UTC is 13:00 winter time.
        assert_eq!(format_time(1_701_432_000_000_000), "2023-12-01 13:00");
        // 2023-03-26 00:59 UTC is still winter time, 01:00 UTC is summer time.
        assert_eq!(format_time(1_679_792_340_000_000), "2023-03-26 01:59");
        assert_eq!(format_time(1_679_792_400_000_000), "2023-03-26 03:00");
        // 2023-10-29 00:59 UTC is summer time, 01:00 UTC winter time.
        assert_eq!(format_time(1_698_541_140_000_000), "2023-10-29 02:59");
        assert_eq!(format_time(1_698_541_200_000_000), "2023-10-29 02:00");
    }

    #[test]
    fn every_template_parses() {
        let env = environment();
        for (name, _) in TEMPLATES {
            assert!(env.get_template(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn json_numbers_render_as_numbers() {
        let env = environment();
        let v = serde_json::json!({"id": 12, "list": [{"n": -3}], "big": 1.5, "s": "x"});
        let out = env
            .render_str(
                "{{ v.id }} {{ v.list[0].n }} {{ v.big }} {{ v.s }} {{ v.id + 1 }}",
                plain_numbers(context! { v => v }),
            )
            .unwrap();
        assert_eq!(out, "12 -3 1.5 x 13");
    }

    #[test]
    fn text_is_escaped() {
        let mut env = environment();
        env.add_template("t.html", "<p title=\"{{ v }}\">{{ v }}</p>{{ n }}")
            .unwrap();
        let html = env
            .get_template("t.html")
            .unwrap()
            .render(context! { v => "<script>\"a\" & 'b'</script> a/b", n => 5 })
            .unwrap();
        let e = "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt; a/b";
        assert_eq!(html, format!("<p title=\"{e}\">{e}</p>5"));
    }

    #[test]
    fn flash_round_trips() {
        let f = Flash::error("Fel: <b>x</b>");
        assert_eq!(Flash::decode(&f.encode()), Some(f));
        assert_eq!(Flash::decode("x:y"), None);
    }
}
