//! AutoMTLS: a fresh server certificate per process, sent to Terraform in the handshake.
//!
//! Terraform's client certificate is ECDSA P-521 and marked CA. rustls with *ring* cannot
//! verify P-521, so the Go client sends no certificate and `client_auth_optional(true)` is
//! required; with aws-lc-rs the cert is sent but rejected as a CA used as an end entity
//! (docs/design/plugin-protocol.md §2.4). The channel is therefore encrypted and the server is
//! authenticated to Terraform, but the client is **not** authenticated: a custom
//! `ClientCertVerifier` that pins PLUGIN_CLIENT_CERT is a later hardening step.

use tonic::transport::{Certificate, Identity, ServerTlsConfig};

use super::handshake::HandshakeError;

pub(crate) struct ServerCert {
    pub(crate) der: Vec<u8>,
    pub(crate) tls: ServerTlsConfig,
}

/// A P-256 leaf for `localhost` (the name go-plugin's client verifies), server auth.
pub(crate) fn server_tls(client_cert_pem: &str) -> Result<ServerCert, HandshakeError> {
    let tls_err = |e: rcgen::Error| HandshakeError::Tls(e.to_string());
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).map_err(tls_err)?;
    let mut params =
        rcgen::CertificateParams::new(vec!["localhost".to_string()]).map_err(tls_err)?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "localhost");
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, "terraform-provider-har");
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::DigitalSignature,
        rcgen::KeyUsagePurpose::KeyEncipherment,
        rcgen::KeyUsagePurpose::KeyAgreement,
    ];
    let cert = params.self_signed(&key).map_err(tls_err)?;
    let identity = Identity::from_pem(cert.pem(), key.serialize_pem());
    let tls = ServerTlsConfig::new()
        .identity(identity)
        .client_ca_root(Certificate::from_pem(client_cert_pem))
        .client_auth_optional(true);
    Ok(ServerCert {
        der: cert.der().to_vec(),
        tls,
    })
}
