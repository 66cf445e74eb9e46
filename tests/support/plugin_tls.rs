//! A plugin-channel client made the way Terraform's go-plugin client is: a self-signed
//! ECDSA P-521 certificate marked CA (AutoMTLS), TLS with ALPN `h2`, trusting exactly the
//! server certificate from the handshake line. Shared by tests and the handshake bench.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;

use hyper_util::rt::TokioIo;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tonic::transport::{Channel, Endpoint};

pub struct ClientCert {
    /// What Terraform puts in PLUGIN_CLIENT_CERT.
    pub pem: String,
    der: Vec<u8>,
    key: Vec<u8>,
}

fn params(serial: u64) -> rcgen::CertificateParams {
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).expect("params");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.serial_number = Some(serial.into());
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "localhost");
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, "HashiCorp");
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::DigitalSignature,
        rcgen::KeyUsagePurpose::KeyEncipherment,
        rcgen::KeyUsagePurpose::KeyAgreement,
        rcgen::KeyUsagePurpose::KeyCertSign,
    ];
    params.extended_key_usages = vec![
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
    ];
    params
}

impl ClientCert {
    /// A fresh certificate like Terraform's AutoMTLS one.
    pub fn terraform_like() -> Self {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512).expect("P-521 key");
        Self::signed(&key, 1)
    }

    /// Another certificate for the same key pair (a different serial): other bytes.
    pub fn same_key_other_serial(&self) -> Self {
        let key = rcgen::KeyPair::try_from(self.key.as_slice()).expect("key");
        Self::signed(&key, 2)
    }

    fn signed(key: &rcgen::KeyPair, serial: u64) -> Self {
        let cert = params(serial).self_signed(key).expect("certificate");
        Self {
            pem: cert.pem(),
            der: cert.der().to_vec(),
            key: key.serialize_der(),
        }
    }
}

/// TLS versions a client may be limited to.
pub enum Tls {
    V13,
    V12,
}

/// Connect to the plugin at `addr`, trusting `server_der`, presenting `client` (or no
/// certificate), as a gRPC channel.
pub async fn connect(
    addr: SocketAddr,
    server_der: &[u8],
    client: Option<&ClientCert>,
    version: Tls,
) -> Result<Channel, tonic::transport::Error> {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from(server_der.to_vec()))
        .expect("server certificate");
    let versions: &[&rustls::SupportedProtocolVersion] = match version {
        Tls::V13 => &[&rustls::version::TLS13],
        Tls::V12 => &[&rustls::version::TLS12],
    };
    let builder = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_protocol_versions(versions)
    .expect("versions")
    .with_root_certificates(roots);
    let mut config = match client {
        Some(c) => builder
            .with_client_auth_cert(
                vec![CertificateDer::from(c.der.clone())],
                PrivateKeyDer::try_from(c.key.clone()).expect("key"),
            )
            .expect("client certificate"),
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    Endpoint::from_shared(format!("http://localhost:{}", addr.port()))
        .expect("uri")
        .connect_with_connector(tower::service_fn(move |_| {
            let connector = connector.clone();
            async move {
                let tcp = tokio::net::TcpStream::connect(addr).await?;
                tcp.set_nodelay(true)?;
                let name = ServerName::try_from("localhost").expect("name");
                let tls = connector.connect(name, tcp).await?;
                Ok::<_, std::io::Error>(TokioIo::new(tls))
            }
        }))
        .await
}
