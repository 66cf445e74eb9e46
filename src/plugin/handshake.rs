//! go-plugin's side of the handshake: what Terraform puts in our environment, and the one
//! line we answer on stdout.

use std::net::SocketAddr;

use base64::Engine;

/// The cookie Terraform sets so that the binary knows it was started as a plugin.
pub(crate) const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub(crate) const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// The go-plugin core protocol version, always 1.
pub(crate) const CORE_PROTOCOL_VERSION: u32 = 1;
/// tfplugin6.
pub(crate) const APP_PROTOCOL_VERSION: u32 = 6;

/// Shown when someone runs the binary by hand.
pub(crate) const NOT_A_PROGRAM: &str = "\
This binary is a Terraform provider plugin (terraform-provider-har). Terraform starts it
itself; it is not meant to be run directly.

To use it, declare it in your configuration:

  terraform {
    required_providers {
      har = { source = \"tfhar/har\" }
    }
  }

To debug it, run `terraform-provider-har --debug` and export the TF_REATTACH_PROVIDERS
line it prints before running terraform.";

#[derive(Debug, thiserror::Error)]
pub(crate) enum HandshakeError {
    #[error("{NOT_A_PROGRAM}")]
    NoCookie,
    #[error(
        "terraform-provider-har speaks plugin protocol version {APP_PROTOCOL_VERSION}, but \
         Terraform offered only {offered:?} (PLUGIN_PROTOCOL_VERSIONS). Use Terraform 1.0 or newer."
    )]
    NoCommonVersion { offered: String },
    #[error("invalid {name}={value:?}: expected a port number")]
    BadPort { name: &'static str, value: String },
    #[error("no free port between {min} and {max} on 127.0.0.1: {source}")]
    NoPort {
        min: u16,
        max: u16,
        source: std::io::Error,
    },
    #[error("cannot listen on 127.0.0.1: {0}")]
    Listen(std::io::Error),
    #[error("invalid PLUGIN_CLIENT_CERT or server certificate: {0}")]
    Tls(String),
}

/// What the environment asks of us.
#[derive(Debug, Clone)]
pub(crate) struct PluginEnv {
    pub(crate) min_port: Option<u16>,
    pub(crate) max_port: Option<u16>,
    /// Terraform's client certificate (PEM) when AutoMTLS is on.
    pub(crate) client_cert: Option<String>,
}

impl PluginEnv {
    /// Check the cookie and the protocol version, then read the rest. `get` reads one
    /// environment variable (injected for tests).
    pub(crate) fn from_env(get: impl Fn(&str) -> Option<String>) -> Result<Self, HandshakeError> {
        if get(MAGIC_COOKIE_KEY).as_deref() != Some(MAGIC_COOKIE_VALUE) {
            return Err(HandshakeError::NoCookie);
        }
        // go-plugin falls back to the plugin's own version when the client sends no list.
        if let Some(offered) = get("PLUGIN_PROTOCOL_VERSIONS")
            && !offered.trim().is_empty()
            && !offered
                .split(',')
                .any(|v| v.trim() == APP_PROTOCOL_VERSION.to_string())
        {
            return Err(HandshakeError::NoCommonVersion { offered });
        }
        let port = |name: &'static str| -> Result<Option<u16>, HandshakeError> {
            match get(name) {
                None => Ok(None),
                Some(v) if v.trim().is_empty() => Ok(None),
                Some(v) => v
                    .trim()
                    .parse()
                    .map(Some)
                    .map_err(|_| HandshakeError::BadPort { name, value: v }),
            }
        };
        Ok(Self {
            min_port: port("PLUGIN_MIN_PORT")?,
            max_port: port("PLUGIN_MAX_PORT")?,
            client_cert: get("PLUGIN_CLIENT_CERT").filter(|c| !c.trim().is_empty()),
        })
    }
}

/// Bind 127.0.0.1, trying the ports of PLUGIN_MIN_PORT..=PLUGIN_MAX_PORT in order as
/// go-plugin does, or any free port when no range is given.
pub(crate) fn bind(env: &PluginEnv) -> Result<std::net::TcpListener, HandshakeError> {
    let (min, max) = match (env.min_port, env.max_port) {
        (None, None) => {
            return std::net::TcpListener::bind(("127.0.0.1", 0)).map_err(HandshakeError::Listen);
        }
        (min, max) => (min.unwrap_or(1024), max.unwrap_or(u16::MAX)),
    };
    let mut last = std::io::Error::new(std::io::ErrorKind::AddrNotAvailable, "empty port range");
    for port in min..=max {
        match std::net::TcpListener::bind(("127.0.0.1", port)) {
            Ok(l) => return Ok(l),
            Err(e) => last = e,
        }
    }
    Err(HandshakeError::NoPort {
        min,
        max,
        source: last,
    })
}

/// `CORE|APP|NETWORK|ADDR|PROTOCOL|CERT`: the certificate is DER in base64 *without*
/// padding (Go's RawStdEncoding); empty when TLS is off.
pub(crate) fn handshake_line(addr: SocketAddr, cert_der: Option<&[u8]>) -> String {
    let cert = cert_der
        .map(|d| base64::engine::general_purpose::STANDARD_NO_PAD.encode(d))
        .unwrap_or_default();
    format!("{CORE_PROTOCOL_VERSION}|{APP_PROTOCOL_VERSION}|tcp|{addr}|grpc|{cert}")
}

/// The line `--debug` prints so a developer (or a test) can attach Terraform.
/// `"Test": true` is required for protocol 6 (without it Terraform assumes protocol 5).
pub fn reattach_json(provider_address: &str, addr: SocketAddr) -> String {
    serde_json::json!({
        provider_address: {
            "Protocol": "grpc",
            "ProtocolVersion": APP_PROTOCOL_VERSION,
            "Pid": std::process::id(),
            "Test": true,
            "Addr": {"Network": "tcp", "String": addr.to_string()},
        }
    })
    .to_string()
}
