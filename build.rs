//! Compiles the Terraform plugin protocol and go-plugin's services without a system
//! `protoc`: protox parses the .proto files into descriptors, tonic-prost-build generates.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protos = [
        "proto/tfplugin6.proto",
        "proto/plugin/grpc_broker.proto",
        "proto/plugin/grpc_controller.proto",
        "proto/plugin/grpc_stdio.proto",
    ];
    for p in &protos {
        println!("cargo:rerun-if-changed={p}");
    }
    let fds = protox::compile(protos, ["proto"])?;
    tonic_prost_build::configure()
        .build_server(true)
        // The client is used by the integration tests (plaintext and TLS).
        .build_client(true)
        // Every RPC gets a default `Unimplemented` body, so RPCs added to the protocol later
        // do not break the build.
        .generate_default_stubs(true)
        .compile_fds(fds)?;
    Ok(())
}
