//! `mlcycle serve`: a small static file server for `www/` on 127.0.0.1.
//!
//! Serves files with the MIME types browsers insist on (`application/wasm`,
//! `text/javascript` for module workers) and the security headers the page
//! relies on, on every response. Native only; no wasm here.

use std::io;
use std::path::{Component, Path, PathBuf};

use tiny_http::{Header, Method, Response, Server, StatusCode};

/// The Content-Security-Policy sent with every response. `wasm-unsafe-eval`
/// lets the worker compile the module; no inline script or style; Trusted
/// Types guard the one script URL the page builds (the worker's).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
worker-src 'self'; connect-src 'self'; img-src 'self' blob: data:; style-src 'self'; \
object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; \
require-trusted-types-for 'script'; trusted-types mlcycle-worker";

/// Every header sent with every response, in order.
pub fn security_headers() -> Vec<(&'static str, &'static str)> {
    vec![
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("Cache-Control", "no-cache"),
    ]
}

/// The MIME type for a file name.
pub fn mime_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        "ts" => "text/plain; charset=utf-8",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// What a request path maps to.
#[derive(Debug, PartialEq)]
pub enum Resolved {
    /// A file to send.
    File(PathBuf),
    /// Nothing there.
    NotFound,
    /// A path that tries to leave the root.
    Forbidden,
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Maps a URL path to a file under `root`, or under `pkg` for `/pkg/…`
/// when a separate package directory is given.
pub fn resolve(root: &Path, pkg: Option<&Path>, url: &str) -> Resolved {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let Some(path) = percent_decode(path) else { return Resolved::Forbidden };
    if path.contains('\0') || path.contains('\\') {
        return Resolved::Forbidden;
    }
    let rel = Path::new(path.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Resolved::Forbidden;
    }
    let mut file = match (pkg, rel.strip_prefix("pkg")) {
        (Some(pkg), Ok(rest)) => pkg.join(rest),
        _ => root.join(rel),
    };
    if file.is_dir() {
        file = file.join("index.html");
    }
    if file.is_file() { Resolved::File(file) } else { Resolved::NotFound }
}

fn header(name: &str, value: &str) -> Header {
    // Names and values here are ASCII constants or MIME types from the table.
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("ASCII header")
}

/// Serves `root` on 127.0.0.1:`port` until the process ends. Prints
/// `serving http://127.0.0.1:PORT` once listening (port 0 picks a free one).
pub fn serve(root: &Path, pkg: Option<&Path>, port: u16) -> io::Result<()> {
    let server = Server::http(("127.0.0.1", port)).map_err(|e| io::Error::other(e.to_string()))?;
    let port = server.server_addr().to_ip().map_or(port, |a| a.port());
    println!("serving http://127.0.0.1:{port}");
    use std::io::Write;
    io::stdout().flush()?;
    let (root, pkg) = (std::sync::Arc::new(root.to_path_buf()), std::sync::Arc::new(pkg.map(Path::to_path_buf)));
    for request in server.incoming_requests() {
        // Each response on its own thread: a client that stops reading (or
        // thirty laptops fetching the wasm at once) must not hold up the rest.
        let (root, pkg) = (root.clone(), pkg.clone());
        std::thread::spawn(move || respond(&root, pkg.as_deref(), request));
    }
    Ok(())
}

fn respond(root: &Path, pkg: Option<&Path>, request: tiny_http::Request) {
    {
        let (status, body, mime): (u16, Vec<u8>, &str) = if !matches!(request.method(), Method::Get | Method::Head) {
            (405, b"method not allowed\n".to_vec(), "text/plain; charset=utf-8")
        } else {
            match resolve(root, pkg, request.url()) {
                Resolved::File(path) => match std::fs::read(&path) {
                    Ok(bytes) => (200, bytes, mime_type(&path)),
                    Err(_) => (404, b"not found\n".to_vec(), "text/plain; charset=utf-8"),
                },
                Resolved::NotFound => (404, b"not found\n".to_vec(), "text/plain; charset=utf-8"),
                Resolved::Forbidden => (403, b"forbidden\n".to_vec(), "text/plain; charset=utf-8"),
            }
        };
        let mut response = Response::from_data(body).with_status_code(StatusCode(status));
        response.add_header(header("Content-Type", mime));
        for (name, value) in security_headers() {
            response.add_header(header(name, value));
        }
        // A client that hung up is not our error.
        let _ = request.respond(response);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_root() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for url in ["/../Cargo.toml", "/%2e%2e/Cargo.toml", "/a/../../x", "/%00", "/..%5cCargo.toml", "/%zz"] {
            assert_eq!(resolve(&root, None, url), Resolved::Forbidden, "{url}");
        }
        assert_eq!(resolve(&root, None, "/lib.rs?x=1"), Resolved::File(root.join("lib.rs")));
        assert_eq!(resolve(&root, None, "/nope.js"), Resolved::NotFound);
    }

    #[test]
    fn pkg_can_be_served_from_elsewhere() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("www");
        let pkg = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        assert_eq!(resolve(&root, Some(&pkg), "/pkg/lib.rs"), Resolved::File(pkg.join("lib.rs")));
    }

    #[test]
    fn wasm_and_modules_get_their_types() {
        assert_eq!(mime_type(Path::new("x/mlcycle_bg.wasm")), "application/wasm");
        assert_eq!(mime_type(Path::new("worker.js")), "text/javascript; charset=utf-8");
    }
}
