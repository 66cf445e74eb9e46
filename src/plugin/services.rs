//! go-plugin's helper services: GRPCController (Shutdown), GRPCStdio and GRPCBroker.

use std::pin::Pin;

use futures_util::{Stream, StreamExt};
use tokio::sync::watch;
use tonic::{Request, Response, Status, Streaming};

use crate::protocol::proto::plugin as pb;

type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

/// Flipped to `true` when the process should stop serving.
#[derive(Clone)]
pub struct ShutdownSignal {
    tx: watch::Sender<bool>,
}

impl Default for ShutdownSignal {
    fn default() -> Self {
        Self::new()
    }
}

impl ShutdownSignal {
    pub fn new() -> Self {
        let (tx, _rx) = watch::channel(false);
        Self { tx }
    }

    pub fn trigger(&self) {
        self.tx.send_replace(true);
    }

    /// Whether `trigger` has been called.
    pub fn is_triggered(&self) -> bool {
        *self.tx.borrow()
    }

    /// Resolves once `trigger` has been called.
    pub(crate) async fn wait(&self) {
        let mut rx = self.tx.subscribe();
        let _ = rx.wait_for(|stop| *stop).await;
    }

    /// A stream that yields nothing and ends at shutdown, so that the long-lived stdio and
    /// broker streams do not hold the graceful shutdown open.
    fn until_shutdown<T: Send + 'static>(&self) -> BoxStream<T> {
        let this = self.clone();
        futures_util::stream::once(async move { this.wait().await })
            .filter_map(|()| async { None })
            .boxed()
    }
}

pub(crate) struct Controller {
    pub(crate) shutdown: ShutdownSignal,
}

#[tonic::async_trait]
impl pb::grpc_controller_server::GrpcController for Controller {
    async fn shutdown(&self, _request: Request<pb::Empty>) -> Result<Response<pb::Empty>, Status> {
        tracing::debug!("shutdown requested by the plugin client");
        self.shutdown.trigger();
        Ok(Response::new(pb::Empty {}))
    }
}

pub(crate) struct Stdio {
    pub(crate) shutdown: ShutdownSignal,
}

#[tonic::async_trait]
impl pb::grpc_stdio_server::GrpcStdio for Stdio {
    // Logs go to the real stderr, which Terraform captures; nothing to mirror here.
    async fn stream_stdio(
        &self,
        _request: Request<()>,
    ) -> Result<Response<BoxStream<pb::StdioData>>, Status> {
        Ok(Response::new(self.shutdown.until_shutdown()))
    }
}

pub(crate) struct Broker {
    pub(crate) shutdown: ShutdownSignal,
}

#[tonic::async_trait]
impl pb::grpc_broker_server::GrpcBroker for Broker {
    // Terraform opens the broker stream but never brokers connections for providers.
    async fn start_stream(
        &self,
        request: Request<Streaming<pb::ConnInfo>>,
    ) -> Result<Response<BoxStream<pb::ConnInfo>>, Status> {
        let mut incoming = request.into_inner();
        tokio::spawn(async move { while let Some(Ok(_)) = incoming.next().await {} });
        Ok(Response::new(self.shutdown.until_shutdown()))
    }
}
