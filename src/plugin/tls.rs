//! AutoMTLS: a fresh server certificate per process, sent to Terraform in the handshake,
//! and a client check that accepts exactly the certificate Terraform put in
//! PLUGIN_CLIENT_CERT and nothing else.
//!
//! Terraform's client certificate is a self-signed ECDSA P-521 certificate marked CA.
//! - *ring* cannot verify P-521, and the Go client sends no certificate unless the server
//!   lists `ecdsa_secp521r1_sha512`: the handshake signature is checked with **aws-lc-rs**'s
//!   verification algorithms (rustls-webpki's own tables: no hand-written crypto, a
//!   FIPS-validated library maintained with rustls). See docs/security.md.
//! - Everything else (our key, key exchange, records) stays on *ring*: aws-lc seeds its
//!   random generator with jitter entropy, about 25 ms of CPU on first use, which would
//!   triple the provider's start-up; verifying a signature needs no randomness.
//! - webpki's chain building refuses a CA certificate used as an end entity, and a chain
//!   check is not what we want anyway: the one certificate Terraform generated for this
//!   process is pinned and compared byte for byte (stricter than go-plugin, which builds a
//!   chain with it as the only root). The handshake signature is still checked, which
//!   proves the client holds the private key.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{CertificateError, DigitallySignedStruct, DistinguishedName, SignatureScheme};

use super::handshake::HandshakeError;

/// ALPN: gRPC-Go clients refuse a TLS connection that did not negotiate `h2`.
const ALPN_H2: &[u8] = b"h2";

/// The server side of the plugin channel's TLS.
pub struct PluginTls {
    /// Our certificate (DER), for the handshake line.
    pub der: Vec<u8>,
    pub acceptor: tokio_rustls::TlsAcceptor,
    /// Connections refused during the TLS handshake (no certificate, another certificate,
    /// a bad signature, a stalled handshake); each is also logged at WARN.
    pub refused: Arc<AtomicU64>,
}

impl PluginTls {
    /// How many connections were refused so far.
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }
}

/// Build the server certificate and the pinned client check from PLUGIN_CLIENT_CERT (PEM).
/// The error says what is wrong with the certificate.
pub fn server_tls(client_cert_pem: &str) -> Result<PluginTls, String> {
    build(client_cert_pem).map_err(|e| e.to_string())
}

fn build(client_cert_pem: &str) -> Result<PluginTls, HandshakeError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let pinned = CertificateDer::from_pem_slice(client_cert_pem.as_bytes()).map_err(|e| {
        HandshakeError::Tls(format!("PLUGIN_CLIENT_CERT holds no PEM certificate: {e}"))
    })?;
    let verifier = Arc::new(PinnedClientCert {
        pinned: pinned.into_owned(),
        algorithms: rustls::crypto::aws_lc_rs::default_provider().signature_verification_algorithms,
    });
    let (der, key) = server_cert()?;
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| HandshakeError::Tls(e.to_string()))?
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![CertificateDer::from(der.clone())], key)
        .map_err(|e| HandshakeError::Tls(e.to_string()))?;
    config.alpn_protocols = vec![ALPN_H2.to_vec()];
    Ok(PluginTls {
        der,
        acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)),
        refused: Arc::new(AtomicU64::new(0)),
    })
}

/// A P-256 leaf for `localhost` (the name go-plugin's client verifies), server auth.
fn server_cert() -> Result<(Vec<u8>, PrivateKeyDer<'static>), HandshakeError> {
    let tls_err = |e: rcgen::Error| HandshakeError::Tls(e.to_string());
    let key = RingP256::generate()?;
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
    let mut serial = [0u8; 16];
    ring::rand::SecureRandom::fill(&key.rng, &mut serial)
        .map_err(|_| HandshakeError::Tls("no randomness for a serial number".into()))?;
    serial[0] &= 0x7f; // positive
    params.serial_number = Some(rcgen::SerialNumber::from_slice(&serial));
    let cert = params.self_signed(&key).map_err(tls_err)?;
    Ok((cert.der().to_vec(), PrivateKeyDer::Pkcs8(key.pkcs8.into())))
}

/// An ECDSA P-256 key made and used with *ring*, so that rcgen (which prefers aws-lc-rs
/// when both are built in) never touches aws-lc's random generator before the handshake.
struct RingP256 {
    pair: ring::signature::EcdsaKeyPair,
    pkcs8: Vec<u8>,
    rng: ring::rand::SystemRandom,
}

impl RingP256 {
    fn generate() -> Result<Self, HandshakeError> {
        use ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING as ALG;
        let err = |what: &str| HandshakeError::Tls(format!("cannot make the server key: {what}"));
        let rng = ring::rand::SystemRandom::new();
        let pkcs8 = ring::signature::EcdsaKeyPair::generate_pkcs8(&ALG, &rng)
            .map_err(|_| err("generate"))?
            .as_ref()
            .to_vec();
        let pair = ring::signature::EcdsaKeyPair::from_pkcs8(&ALG, &pkcs8, &rng)
            .map_err(|e| err(&e.to_string()))?;
        Ok(Self { pair, pkcs8, rng })
    }
}

impl rcgen::PublicKeyData for RingP256 {
    fn der_bytes(&self) -> &[u8] {
        ring::signature::KeyPair::public_key(&self.pair).as_ref()
    }
    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        &rcgen::PKCS_ECDSA_P256_SHA256
    }
}

impl rcgen::SigningKey for RingP256 {
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        self.pair
            .sign(&self.rng, msg)
            .map(|s| s.as_ref().to_vec())
            .map_err(|_| rcgen::Error::RingUnspecified)
    }
}

/// Accepts exactly one client certificate.
#[derive(Debug)]
struct PinnedClientCert {
    pinned: CertificateDer<'static>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for PinnedClientCert {
    fn client_auth_mandatory(&self) -> bool {
        true
    }

    // No hints: the Go client then offers its certificate without matching issuers.
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.pinned.as_ref() {
            Ok(ClientCertVerified::assertion())
        } else {
            // The handshake fails with this error, which incoming.rs logs and counts.
            Err(rustls::Error::InvalidCertificate(
                CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    // rustls calls these only after verify_client_cert accepted `cert`, so the key checked
    // is the pinned one.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    // aws-lc-rs lists ecdsa_secp521r1_sha512, without which Go sends no certificate.
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
