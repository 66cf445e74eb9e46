//! A scripted HTTP front in front of har-local: it forwards every request, except that the
//! first `POST …/registry` for an identifier may be answered by a script instead (a 502
//! after forwarding, as when an answer is lost; or a 502 without forwarding, after something
//! else happened meanwhile). One connection per request: each answer closes it.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// What the front does with the first create of an identifier.
pub enum Script {
    /// Forward it.
    Forward,
    /// Forward it, then answer 502 instead of the server's answer (the answer was lost).
    LoseAnswer,
    /// Run the closure (e.g. someone else creates the name), then answer 502 without
    /// forwarding.
    FailAfter(Box<dyn Fn() + Send + Sync>),
}

pub struct Front {
    addr: SocketAddr,
}

type Rule = dyn Fn(&str) -> Script + Send + Sync;

impl Front {
    /// Starts the front for `backend`; `rule` gets the identifier of each first create.
    pub fn start(
        backend: SocketAddr,
        rule: impl Fn(&str) -> Script + Send + Sync + 'static,
    ) -> Front {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind front");
        let addr = listener.local_addr().expect("front addr");
        let rule: Arc<Rule> = Arc::new(rule);
        let seen = Arc::new(Mutex::new(HashSet::new()));
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (rule, seen) = (Arc::clone(&rule), Arc::clone(&seen));
                std::thread::spawn(move || serve(conn, backend, &*rule, &seen));
            }
        });
        Front { addr }
    }

    /// The endpoint for the provider (`http://ADDR/gateway`).
    pub fn endpoint(&self) -> String {
        format!("http://{}/gateway", self.addr)
    }
}

fn serve(mut conn: TcpStream, backend: SocketAddr, rule: &Rule, seen: &Mutex<HashSet<String>>) {
    let Some((head, body)) = read_request(&conn) else {
        return;
    };
    let first_line = head.lines().next().unwrap_or_default().to_string();
    let is_create = first_line.starts_with("POST ") && first_line.contains("/registry?");
    let identifier = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["identifier"].as_str().map(str::to_string));
    let script = match identifier {
        Some(id)
            if is_create
                && seen
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(id.clone()) =>
        {
            rule(&id)
        }
        _ => Script::Forward,
    };
    let answer = match script {
        Script::Forward => forward(backend, &head, &body),
        Script::LoseAnswer => {
            forward(backend, &head, &body);
            bad_gateway()
        }
        Script::FailAfter(meanwhile) => {
            meanwhile();
            bad_gateway()
        }
    };
    let _ = conn.write_all(&answer);
}

fn bad_gateway() -> Vec<u8> {
    let body = r#"{"code":"502","message":"bad gateway (scripted)"}"#;
    format!(
        "HTTP/1.1 502 Bad Gateway\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The request head (without `connection` headers) and its body.
fn read_request(conn: &TcpStream) -> Option<(String, Vec<u8>)> {
    let mut reader = BufReader::new(conn);
    let mut head = String::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if line == "\r\n" {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().ok()?;
        }
        if !lower.starts_with("connection:") {
            head.push_str(&line);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((head, body))
}

/// The backend's whole answer, asking it to close the connection after it.
fn forward(backend: SocketAddr, head: &str, body: &[u8]) -> Vec<u8> {
    let mut up = TcpStream::connect(backend).expect("connect to har-local");
    let mut req = head.as_bytes().to_vec();
    req.extend_from_slice(b"connection: close\r\n\r\n");
    req.extend_from_slice(body);
    up.write_all(&req).expect("forward");
    let mut answer = Vec::new();
    let _ = up.read_to_end(&mut answer);
    answer
}
