//! The plugin channel with AutoMTLS serves only the client holding the certificate from
//! PLUGIN_CLIENT_CERT. The server runs in-process so the test can see, on the server side,
//! that a refused client got no RPC: ConfigureProvider is counted and Shutdown observed.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::support::plugin_tls::{self, ClientCert, Tls};
use async_trait::async_trait;
use terraform_provider_har::framework::{
    Attribute, ConfigureRequest, DataSource, Diagnostics, Provider, Resource, Schema,
};
use terraform_provider_har::plugin::{PluginTls, ShutdownSignal, serve_on, server_tls};
use terraform_provider_har::protocol::proto::plugin::Empty;
use terraform_provider_har::protocol::proto::plugin::grpc_controller_client::GrpcControllerClient;
use terraform_provider_har::protocol::proto::tfplugin6 as pb;
use terraform_provider_har::protocol::value::{Type, Value, msgpack};

/// Counts ConfigureProvider calls, the call an attacker wants (it carries the endpoint and
/// the key).
#[derive(Default)]
struct Counting {
    configured: AtomicU64,
}

#[async_trait]
impl Provider for Counting {
    fn schema(&self) -> Schema {
        Schema::new().attribute(Attribute::string("endpoint").optional())
    }
    async fn configure(&self, _req: &ConfigureRequest<'_>, _diags: &mut Diagnostics) {
        self.configured.fetch_add(1, Ordering::SeqCst);
    }
    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        Vec::new()
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        Vec::new()
    }
}

struct Server {
    addr: SocketAddr,
    der: Vec<u8>,
    tls: Arc<PluginTls>,
    provider: Arc<Counting>,
    shutdown: ShutdownSignal,
}

async fn start(pinned: &ClientCert) -> Server {
    let tls = Arc::new(server_tls(&pinned.pem).expect("server TLS"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let provider = Arc::new(Counting::default());
    let shutdown = ShutdownSignal::new();
    tokio::spawn(serve_on(
        listener,
        provider.clone(),
        Some(Arc::clone(&tls)),
        shutdown.clone(),
    ));
    Server {
        addr,
        der: tls.der.clone(),
        tls,
        provider,
        shutdown,
    }
}

fn configure_request() -> pb::configure_provider::Request {
    let config = Value::object([("endpoint", Value::string("http://127.0.0.1:1/attacker"))]);
    let ty = Type::object([("endpoint", Type::String)]);
    pb::configure_provider::Request {
        config: Some(pb::DynamicValue {
            msgpack: msgpack::encode(&config, &ty).expect("encode"),
            json: Vec::new(),
        }),
        ..Default::default()
    }
}

/// Try ConfigureProvider then Shutdown; both must fail for a refused client.
async fn attack(server: &Server, client: Option<&ClientCert>) {
    match plugin_tls::connect(server.addr, &server.der, client, Tls::V13).await {
        Err(_) => {}
        Ok(channel) => {
            let configure = pb::provider_client::ProviderClient::new(channel.clone())
                .configure_provider(configure_request())
                .await;
            assert!(
                configure.is_err(),
                "ConfigureProvider answered: {configure:?}"
            );
            let stop = GrpcControllerClient::new(channel).shutdown(Empty {}).await;
            assert!(stop.is_err(), "Shutdown answered: {stop:?}");
        }
    }
}

/// The server counts a refusal when its side of the handshake fails; under TLS 1.3 the
/// client may learn of it only later, so wait for the count (bounded only against a hang).
async fn wait_refused(server: &Server, n: u64) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.tls.refused() < n {
        assert!(Instant::now() < deadline, "refusal never counted");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn served(server: &Server, client: &ClientCert, version: Tls) {
    let channel = plugin_tls::connect(server.addr, &server.der, Some(client), version)
        .await
        .expect("pinned client connects");
    pb::provider_client::ProviderClient::new(channel)
        .configure_provider(configure_request())
        .await
        .expect("ConfigureProvider for the pinned client");
}

#[tokio::test]
async fn the_pinned_client_is_served_over_tls13_and_tls12() {
    let terraform = ClientCert::terraform_like();
    let server = start(&terraform).await;
    served(&server, &terraform, Tls::V13).await;
    served(&server, &terraform, Tls::V12).await;
    assert_eq!(server.provider.configured.load(Ordering::SeqCst), 2);
    assert_eq!(server.tls.refused(), 0);
}

#[tokio::test]
async fn a_client_without_a_certificate_gets_no_rpc() {
    let terraform = ClientCert::terraform_like();
    let server = start(&terraform).await;
    attack(&server, None).await;
    wait_refused(&server, 1).await;
    assert_eq!(server.provider.configured.load(Ordering::SeqCst), 0);
    assert!(
        !server.shutdown.is_triggered(),
        "Shutdown ran for a refused client"
    );
    // Still serving Terraform, and the counter counts.
    served(&server, &terraform, Tls::V13).await;
    assert_eq!(server.provider.configured.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_client_with_another_certificate_gets_no_rpc() {
    let terraform = ClientCert::terraform_like();
    let server = start(&terraform).await;
    let stranger = ClientCert::terraform_like();
    let same_key = terraform.same_key_other_serial();
    attack(&server, Some(&stranger)).await;
    wait_refused(&server, 1).await;
    attack(&server, Some(&same_key)).await;
    wait_refused(&server, 2).await;
    assert_eq!(server.provider.configured.load(Ordering::SeqCst), 0);
    assert!(
        !server.shutdown.is_triggered(),
        "Shutdown ran for a refused client"
    );
    served(&server, &terraform, Tls::V13).await;
    assert_eq!(server.provider.configured.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_bad_client_certificate_is_refused_at_start() {
    let err = server_tls("not a certificate").err().expect("refused");
    assert!(err.to_string().contains("PLUGIN_CLIENT_CERT"), "{err}");
}
