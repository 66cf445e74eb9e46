//! The go-plugin handshake of the built binary, driven the way Terraform drives it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::plugin_tls::{self, ClientCert, Tls};
use base64::Engine;
use terraform_provider_har::protocol::proto::plugin::Empty;
use terraform_provider_har::protocol::proto::plugin::grpc_controller_client::GrpcControllerClient;
use terraform_provider_har::protocol::proto::tfplugin6::get_provider_schema;
use terraform_provider_har::protocol::proto::tfplugin6::provider_client::ProviderClient;
use tonic::transport::Channel;

const COOKIE: (&str, &str) = (
    "TF_PLUGIN_MAGIC_COOKIE",
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
);

fn binary() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_terraform-provider-har"));
    c.env_remove(COOKIE.0)
        .env_remove("PLUGIN_CLIENT_CERT")
        .env_remove("PLUGIN_PROTOCOL_VERSIONS")
        .env_remove("PLUGIN_MIN_PORT")
        .env_remove("PLUGIN_MAX_PORT")
        .stdin(Stdio::null());
    c
}

struct Started {
    child: Child,
    fields: Vec<String>,
}

fn start(env: &[(&str, &str)]) -> Started {
    let mut cmd = binary();
    cmd.env(COOKIE.0, COOKIE.1)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn provider");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read handshake line");
    let fields = line.trim_end().split('|').map(str::to_string).collect();
    Started { child, fields }
}

/// Wait for the process to end; a generous bound only so a broken Shutdown fails the test
/// instead of hanging it.
fn wait_for_exit(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("provider did not exit after Shutdown");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn automtls_handshake_serves_the_protocol_and_shutdown_ends_the_process() {
    let terraform = ClientCert::terraform_like();
    let client_pem = terraform.pem.clone();
    let mut p = start(&[
        ("PLUGIN_PROTOCOL_VERSIONS", "5,6"),
        ("PLUGIN_MIN_PORT", "10000"),
        ("PLUGIN_MAX_PORT", "25000"),
        ("PLUGIN_CLIENT_CERT", &client_pem),
    ]);
    let f = &p.fields;
    assert_eq!(f.len(), 6, "handshake line fields: {f:?}");
    assert_eq!(&f[0..3], ["1", "6", "tcp"]);
    assert_eq!(f[4], "grpc");
    let addr: std::net::SocketAddr = f[3].parse().expect("address");
    assert!(addr.ip().is_loopback());
    assert!(
        (10000..=25000).contains(&addr.port()),
        "port in range: {addr}"
    );
    assert!(!f[5].ends_with('='), "certificate must be unpadded base64");
    let der = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(&f[5])
        .expect("certificate is unpadded standard base64");

    // Another client first: refused, and its Shutdown must not stop the provider.
    let stranger = ClientCert::terraform_like();
    if let Ok(channel) = plugin_tls::connect(addr, &der, Some(&stranger), Tls::V13).await {
        let stop = GrpcControllerClient::new(channel).shutdown(Empty {}).await;
        assert!(stop.is_err(), "Shutdown served to another certificate");
    }
    if let Ok(channel) = plugin_tls::connect(addr, &der, None, Tls::V13).await {
        let stop = GrpcControllerClient::new(channel).shutdown(Empty {}).await;
        assert!(
            stop.is_err(),
            "Shutdown served to a client without certificate"
        );
    }

    let channel = plugin_tls::connect(addr, &der, Some(&terraform), Tls::V13)
        .await
        .expect("TLS connection to the provider");

    let schema = ProviderClient::new(channel.clone())
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema")
        .into_inner();
    let provider = schema.provider.expect("provider schema");
    let names: Vec<_> = provider
        .block
        .expect("block")
        .attributes
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert!(names.contains(&"endpoint".to_string()), "{names:?}");

    let health = tonic_health::pb::health_client::HealthClient::new(channel.clone())
        .check(tonic_health::pb::HealthCheckRequest {
            service: "plugin".into(),
        })
        .await
        .expect("health check")
        .into_inner();
    assert_eq!(
        health.status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );

    GrpcControllerClient::new(channel)
        .shutdown(Empty {})
        .await
        .expect("Shutdown");
    let status = wait_for_exit(&mut p.child);
    assert!(status.success(), "clean exit after Shutdown: {status}");
}

#[tokio::test]
async fn without_client_cert_the_handshake_is_plaintext() {
    let mut p = start(&[("PLUGIN_PROTOCOL_VERSIONS", "6")]);
    assert_eq!(p.fields.len(), 6);
    assert_eq!(p.fields[5], "", "no certificate without AutoMTLS");
    let channel = Channel::from_shared(format!("http://{}", p.fields[3]))
        .expect("uri")
        .connect()
        .await
        .expect("plaintext connection");
    GrpcControllerClient::new(channel)
        .shutdown(Empty {})
        .await
        .expect("Shutdown");
    assert!(wait_for_exit(&mut p.child).success());
}

#[test]
fn without_the_cookie_it_explains_itself_and_exits_1() {
    let out = binary().output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing on stdout");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Terraform provider plugin"), "{err}");
}

#[test]
fn without_protocol_6_it_refuses() {
    let out = binary()
        .env(COOKIE.0, COOKIE.1)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("protocol version 6"), "{err}");
}
