//! Delivering notifications to an integrator's running webhook, and where
//! a run delivers them.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::Duration;

/// Where notification cases are delivered.
#[derive(Debug, Clone)]
pub enum NotificationTarget {
    /// Through [`Implementation::verify_notification`](crate::protocol::Implementation::verify_notification).
    Implementation,
    /// Posted over HTTP to a running webhook (loopback only).
    Webhook {
        /// `http://127.0.0.1:PORT/path`.
        url: String,
        /// The client id the webhook expects.
        client_id: String,
    },
}

/// Errors talking to a webhook.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// The URL is not an `http://` URL on a loopback address.
    #[error(
        "webhook URL `{0}` must be http:// on a loopback address (127.0.0.1, ::1 or localhost)"
    )]
    NotLoopback(String),
    /// The HTTP exchange failed.
    #[error("posting to the webhook failed: {0}")]
    Http(String),
}

/// Checks that `url` is `http://` on a loopback host.
pub fn check_loopback(url: &str) -> Result<(), WebhookError> {
    let bad = || WebhookError::NotLoopback(url.to_owned());
    let rest = url.strip_prefix("http://").ok_or_else(bad)?;
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.contains('@') {
        return Err(bad());
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    if host.eq_ignore_ascii_case("localhost") {
        return Ok(());
    }
    match host.parse::<IpAddr>() {
        Ok(ip) if ip.is_loopback() => Ok(()),
        _ => Err(bad()),
    }
}

/// Posts one notification; returns the HTTP status and body of the reply.
pub async fn post(
    url: &str,
    headers: &BTreeMap<String, String>,
    body: &str,
) -> Result<(u16, String), WebhookError> {
    check_loopback(url)?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .no_proxy()
        .build()
        .map_err(|e| WebhookError::Http(e.to_string()))?;
    let mut req = client.post(url).body(body.to_owned());
    for (k, v) in headers {
        req = req.header(k.as_str(), v.as_str());
    }
    let resp = req
        .send()
        .await
        .map_err(|e| WebhookError::Http(e.to_string()))?;
    let status = resp.status().as_u16();
    let text = resp
        .text()
        .await
        .map_err(|e| WebhookError::Http(e.to_string()))?;
    Ok((status, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback() {
        assert!(check_loopback("http://127.0.0.1:8080/notify").is_ok());
        assert!(check_loopback("http://localhost:8080/notify").is_ok());
        assert!(check_loopback("http://[::1]:8080/n").is_ok());
        assert!(check_loopback("http://10.0.0.1:8080/n").is_err());
        assert!(check_loopback("https://127.0.0.1/n").is_err());
        assert!(check_loopback("http://example.com/n").is_err());
        assert!(check_loopback("http://127.0.0.1@evil.com/n").is_err());
    }
}
