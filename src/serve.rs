//! `mlcycle serve`: a small static file server for `www/` on 127.0.0.1.
//!
//! Serves files with the MIME types browsers insist on (`application/wasm`,
//! `text/javascript` for module workers) and the security headers the page
//! relies on, on every response. Native only; no wasm here.

use std::io;
use std::path::{Component, Path, PathBuf};

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

/// The Content-Security-Policy sent with every response. `wasm-unsafe-eval`
/// lets the workers compile the module; no inline script or style; Trusted
/// Types guard the script URLs the page builds (the engine worker's, and in
/// it the helper's that reads part of a large file).
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

/// Serves `root` on 127.0.0.1:`port` until the process ends. Prints
/// `serving http://127.0.0.1:PORT` once listening (port 0 picks a free one).
///
/// One thread per connection and one response per connection
/// (`Connection: close`): with tiny_http's keep-alive handling a module
/// request from Chromium now and then never got its answer (the page's
/// `load` waited over 90 s on `pool.js` in CI), and a static page on the
/// loopback gains nothing from keep-alive.
pub fn serve(root: &Path, pkg: Option<&Path>, port: u16) -> io::Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    let port = listener.local_addr()?.port();
    println!("serving http://127.0.0.1:{port}");
    io::stdout().flush()?;
    serve_on(listener, root, pkg)
}

/// Answers every connection to `listener`, each on its own thread.
pub fn serve_on(listener: TcpListener, root: &Path, pkg: Option<&Path>) -> io::Result<()> {
    let (root, pkg) = (Arc::new(root.to_path_buf()), Arc::new(pkg.map(Path::to_path_buf)));
    for stream in listener.incoming() {
        // A connection that failed to open is the client's problem.
        let Ok(stream) = stream else { continue };
        let (root, pkg) = (root.clone(), pkg.clone());
        std::thread::spawn(move || {
            // A client that hung up or stalled is not our error.
            let _ = answer(stream, &root, pkg.as_deref());
        });
    }
    Ok(())
}

/// Longest request head read (request line and headers).
const MAX_HEAD: usize = 16 * 1024;

/// Reads one request head from `stream` and answers it.
fn answer(mut stream: TcpStream, root: &Path, pkg: Option<&Path>) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.set_write_timeout(Some(Duration::from_secs(60)))?;
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    let complete = loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
        if head.len() > MAX_HEAD {
            break false;
        }
        if head.windows(4).any(|w| w == b"\r\n\r\n") {
            break true;
        }
    };
    let line_end = head.iter().position(|&b| b == b'\r' || b == b'\n').unwrap_or(head.len());
    let line = String::from_utf8_lossy(&head[..line_end]).into_owned();
    let mut parts = line.split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let text = |status: u16, message: &str| (status, message.as_bytes().to_vec(), "text/plain; charset=utf-8");
    let (status, body, mime) = if !complete {
        text(431, "request header too large\n")
    } else if method != "GET" && method != "HEAD" {
        text(405, "method not allowed\n")
    } else {
        match resolve(root, pkg, target) {
            Resolved::File(path) => match std::fs::read(&path) {
                Ok(bytes) => (200, bytes, mime_type(&path)),
                Err(_) => text(404, "not found\n"),
            },
            Resolved::NotFound => text(404, "not found\n"),
            Resolved::Forbidden => text(403, "forbidden\n"),
        }
    };
    let reason = match status {
        200 => "OK",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Request Header Fields Too Large",
    };
    let mut out = format!("HTTP/1.1 {status} {reason}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (name, value) in security_headers() {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    stream.write_all(out.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()?;
    // Close our side, then let the client close its own: dropping a socket
    // with unread bytes resets it, and the client can lose the response.
    stream.shutdown(Shutdown::Write)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    while stream.read(&mut buf)? > 0 {}
    Ok(())
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

    fn fetch(port: u16, request: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut out = String::new();
        stream.read_to_string(&mut out).unwrap();
        out
    }

    /// Many clients at once each get a whole answer with the security
    /// headers, and the connection closed after it.
    #[test]
    fn answers_every_request_with_its_headers() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || serve_on(listener, &root, None));
        let want = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
        let clients: Vec<_> = (0..16).map(|_| std::thread::spawn(move || fetch(port, "GET /lib.rs HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n"))).collect();
        for c in clients {
            let got = c.join().unwrap();
            assert!(got.starts_with("HTTP/1.1 200 OK\r\n"), "{got:.200}");
            assert!(got.contains(&format!("Content-Security-Policy: {CONTENT_SECURITY_POLICY}\r\n")));
            assert!(got.contains("X-Content-Type-Options: nosniff\r\n") && got.contains("Connection: close\r\n"));
            assert!(got.ends_with(&want), "the whole file follows the head");
        }
        let head = fetch(port, "HEAD /lib.rs HTTP/1.1\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 200 OK") && head.ends_with("\r\n\r\n"), "{head}");
        assert!(fetch(port, "POST /lib.rs HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 405 "));
        assert!(fetch(port, "GET /../Cargo.toml HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 403 "));
        assert!(fetch(port, "GET /nope HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404 "));
        let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(20_000));
        assert!(fetch(port, &huge).starts_with("HTTP/1.1 431 "));
    }

    #[test]
    fn wasm_and_modules_get_their_types() {
        assert_eq!(mime_type(Path::new("x/mlcycle_bg.wasm")), "application/wasm");
        assert_eq!(mime_type(Path::new("worker.js")), "text/javascript; charset=utf-8");
    }
}
