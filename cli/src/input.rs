//! Reading keys, bodies and header dumps from files (`-` is stdin).

use std::io::Read;
use std::path::Path;

use antom_runtime::{PrivateKey, PublicKey};

/// Reads a file, or stdin for `-`.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, String> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        return Ok(buf);
    }
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn read_text(path: &Path, what: &str) -> Result<String, String> {
    let bytes = read_bytes(path)?;
    String::from_utf8(bytes).map_err(|_| format!("{what} {} is not UTF-8 text", path.display()))
}

/// Loads a private key (PKCS#8 or PKCS#1, PEM or bare base64).
pub fn private_key(path: &Path) -> Result<PrivateKey, String> {
    let text = read_text(path, "private key file")?;
    PrivateKey::from_pem_or_base64(&text)
        .map_err(|e| format!("private key {}: {e}", path.display()))
}

/// Loads a public key (SPKI PEM or bare base64).
pub fn public_key(path: &Path) -> Result<PublicKey, String> {
    let text = read_text(path, "public key file")?;
    PublicKey::from_pem_or_base64(&text).map_err(|e| format!("public key {}: {e}", path.display()))
}

/// Parses a header dump: `Name: value` lines; blank lines and an HTTP request
/// or status line (`POST /path HTTP/1.1`) are skipped.
pub fn headers(path: &Path) -> Result<Vec<(String, String)>, String> {
    let text = read_text(path, "headers file")?;
    parse_headers(&text).map_err(|e| format!("headers file {}: {e}", path.display()))
}

fn parse_headers(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut first = true;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let start_line = first && is_start_line(line);
        first = false;
        if start_line {
            continue;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("line {}: expected `Name: value`, found `{line}`", n + 1))?;
        out.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    Ok(out)
}

/// An HTTP request line (`POST /notify HTTP/1.1`) or status line
/// (`HTTP/1.1 200 OK`); only the first line of a dump can be one.
fn is_start_line(line: &str) -> bool {
    if line.starts_with("HTTP/") {
        return true;
    }
    let parts: Vec<&str> = line.split_whitespace().collect();
    matches!(parts.as_slice(), [method, _, version]
        if method.bytes().all(|b| b.is_ascii_uppercase()) && version.starts_with("HTTP/"))
}

#[cfg(test)]
mod tests {
    use super::parse_headers;

    #[test]
    fn header_dump_skips_request_line_and_blank_lines() {
        let h = parse_headers(
            "POST /notify HTTP/1.1\r\nclient-id: SANDBOX_1\r\nSignature: algorithm=RSA256,keyVersion=1,signature=a%3D\r\n\r\n",
        )
        .unwrap();
        assert_eq!(
            h,
            vec![
                ("client-id".to_owned(), "SANDBOX_1".to_owned()),
                (
                    "Signature".to_owned(),
                    "algorithm=RSA256,keyVersion=1,signature=a%3D".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn only_the_first_line_can_be_a_start_line() {
        let h = parse_headers(
            "HTTP/1.1 200 OK\nuser-agent: curl HTTP/2 client\nx-note: POST /a HTTP/1.1\n",
        )
        .unwrap();
        assert_eq!(
            h,
            vec![
                ("user-agent".to_owned(), "curl HTTP/2 client".to_owned()),
                ("x-note".to_owned(), "POST /a HTTP/1.1".to_owned()),
            ]
        );
        // A request line after the first line is not skipped silently.
        let err = parse_headers("client-id: A\nPOST /notify HTTP/1.1\n").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn header_dump_rejects_lines_without_colon() {
        let err = parse_headers("client-id SANDBOX_1").unwrap_err();
        assert!(err.contains("line 1"), "{err}");
    }
}
