//! tfplugin6 at the gRPC level: the server in-process on 127.0.0.1 (plaintext), driven by
//! the generated client, with a tiny fake resource that exercises the framework's
//! planning rules.

use std::sync::Arc;

use async_trait::async_trait;
use terraform_provider_har::framework::validators::one_of;
use terraform_provider_har::framework::{
    Attribute, ConfigureRequest, CreateRequest, CreateResponse, DataSource, DataSourceReadRequest,
    DataSourceReadResponse, DeleteRequest, DeleteResponse, Diagnostics, ImportRequest,
    ImportResponse, Provider, ReadRequest, ReadResponse, RequiresReplace, Resource, Schema, Type,
    UpdateRequest, UpdateResponse, UseStateForUnknown, Value, import_passthrough,
    trailing_slash_insensitive,
};
use terraform_provider_har::plugin::{ShutdownSignal, serve_on};
use terraform_provider_har::protocol::proto::tfplugin6 as pb;
use terraform_provider_har::protocol::value::msgpack;
use terraform_provider_har::provider::HarProvider;
use tonic::transport::Channel;

struct Thing;

fn thing_schema() -> Schema {
    Schema::new()
        .version(1)
        .attribute(
            Attribute::string("id")
                .computed()
                .plan_modifier(UseStateForUnknown),
        )
        .attribute(
            Attribute::string("name")
                .required()
                .plan_modifier(RequiresReplace),
        )
        .attribute(
            Attribute::string("url")
                .optional()
                .plan_modifier(trailing_slash_insensitive()),
        )
        .attribute(
            Attribute::string("kind")
                .optional()
                .validate(one_of(["alpha", "beta"])),
        )
        .attribute(Attribute::string("status").computed())
        .attribute(Attribute::string("secret").optional().write_only())
        .attribute(
            Attribute::single_nested(
                "auth",
                vec![
                    Attribute::string("user")
                        .required()
                        .validate(one_of(["admin", "reader"])),
                    Attribute::string("token").computed(),
                ],
            )
            .optional(),
        )
}

fn filled(planned: &Value) -> Value {
    let mut v = planned.clone();
    if let Value::Object(m) = &mut v {
        let name = m
            .get("name")
            .and_then(|n| n.as_str())
            .unwrap_or("")
            .to_string();
        for (k, val) in m.iter_mut() {
            if val.is_unknown() {
                *val = match k.as_str() {
                    "id" => Value::string(format!("id-{name}")),
                    _ => Value::string("ready"),
                };
            }
        }
    }
    v
}

#[async_trait]
impl Resource for Thing {
    fn type_name(&self) -> &str {
        "fake_thing"
    }
    fn schema(&self) -> Schema {
        thing_schema()
    }
    async fn create(&self, req: &CreateRequest<'_>, resp: &mut CreateResponse) {
        let state = filled(req.planned);
        if req.config.get("name").and_then(|n| n.as_str()) == Some("half") {
            // The object exists, but a follow-up step failed.
            resp.diagnostics.error(
                "Follow-up failed",
                "the object was created, then linking failed",
            );
        }
        resp.state = Some(state);
    }
    async fn read(&self, req: &ReadRequest<'_>, resp: &mut ReadResponse) {
        if req.state.get("name").and_then(|n| n.as_str()) == Some("gone") {
            resp.state = None;
        }
    }
    async fn update(&self, req: &UpdateRequest<'_>, resp: &mut UpdateResponse) {
        resp.state = Some(filled(req.planned));
    }
    async fn delete(&self, _req: &DeleteRequest<'_>, _resp: &mut DeleteResponse) {}
    async fn import(&self, req: &ImportRequest<'_>, resp: &mut ImportResponse) {
        resp.state = Some(import_passthrough(&thing_schema(), "id", req.id));
    }
}

struct Info;

#[async_trait]
impl DataSource for Info {
    fn type_name(&self) -> &str {
        "fake_info"
    }
    fn schema(&self) -> Schema {
        Schema::new()
            .attribute(
                Attribute::string("name")
                    .required()
                    .validate(one_of(["x", "y"])),
            )
            .attribute(Attribute::string("value").computed())
    }
    async fn read(&self, req: &DataSourceReadRequest<'_>, resp: &mut DataSourceReadResponse) {
        let name = req.config.get("name").cloned().unwrap_or(Value::Null);
        resp.state = Some(Value::object([("name", name), ("value", s("v"))]));
    }
}

struct FakeProvider;

#[async_trait]
impl Provider for FakeProvider {
    fn schema(&self) -> Schema {
        Schema::new()
    }
    async fn configure(&self, _req: &ConfigureRequest<'_>, _diags: &mut Diagnostics) {}
    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![Arc::new(Thing)]
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        vec![Arc::new(Info)]
    }
}

async fn client_for(provider: Arc<dyn Provider>) -> pb::provider_client::ProviderClient<Channel> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(serve_on(listener, provider, None, ShutdownSignal::new()));
    pb::provider_client::ProviderClient::connect(format!("http://{addr}"))
        .await
        .expect("connect")
}

fn ty() -> Type {
    thing_schema().value_type()
}

fn obj(pairs: &[(&str, Value)]) -> Value {
    let mut v = Value::null_object(&ty());
    if let Value::Object(m) = &mut v {
        for (k, val) in pairs {
            m.insert(k.to_string(), val.clone());
        }
    }
    v
}

fn dv(v: &Value) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: msgpack::encode(v, &ty()).expect("encode"),
        json: Vec::new(),
    })
}

fn decode(d: Option<pb::DynamicValue>) -> Value {
    msgpack::decode(&d.expect("a value").msgpack, &ty()).expect("decode")
}

fn s(x: &str) -> Value {
    Value::string(x)
}

async fn plan(
    c: &mut pb::provider_client::ProviderClient<Channel>,
    prior: &Value,
    config: &Value,
    proposed: &Value,
) -> pb::plan_resource_change::Response {
    c.plan_resource_change(pb::plan_resource_change::Request {
        type_name: "fake_thing".into(),
        prior_state: dv(prior),
        proposed_new_state: dv(proposed),
        config: dv(config),
        ..Default::default()
    })
    .await
    .expect("PlanResourceChange")
    .into_inner()
}

fn path_names(p: &pb::AttributePath) -> Vec<String> {
    use pb::attribute_path::step::Selector;
    p.steps
        .iter()
        .filter_map(|s| match &s.selector {
            Some(Selector::AttributeName(n)) => Some(n.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn schema_lists_resources_and_nested_types_carry_no_type() {
    let mut c = client_for(Arc::new(FakeProvider)).await;
    let r = c
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .expect("schema")
        .into_inner();
    let thing = &r.resource_schemas["fake_thing"];
    assert_eq!(thing.version, 1);
    let block = thing.block.as_ref().expect("block");
    let id = block
        .attributes
        .iter()
        .find(|a| a.name == "id")
        .expect("id");
    assert!(id.computed && !id.optional && !id.required);
    assert_eq!(id.r#type, b"\"string\"");
    let secret = block
        .attributes
        .iter()
        .find(|a| a.name == "secret")
        .expect("secret");
    assert!(secret.write_only);
    let caps = r.server_capabilities.expect("caps");
    assert!(caps.plan_destroy);
    assert!(caps.get_provider_schema_optional);
}

#[tokio::test]
async fn validate_points_at_the_attribute_with_a_suggestion() {
    let mut c = client_for(Arc::new(FakeProvider)).await;
    let config = obj(&[("name", s("a")), ("kind", s("Alpha"))]);
    let r = c
        .validate_resource_config(pb::validate_resource_config::Request {
            type_name: "fake_thing".into(),
            config: dv(&config),
            ..Default::default()
        })
        .await
        .expect("validate")
        .into_inner();
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    let d = &r.diagnostics[0];
    assert_eq!(d.severity, pb::diagnostic::Severity::Error as i32);
    assert_eq!(path_names(d.attribute.as_ref().expect("path")), ["kind"]);
    assert!(d.detail.contains("Did you mean \"alpha\"?"), "{}", d.detail);

    // Inside a nested attribute, the path goes down to the nested attribute.
    let auth_ty = Type::object([("user", Type::String), ("token", Type::String)]);
    let mut auth = Value::null_object(&auth_ty);
    if let Value::Object(m) = &mut auth {
        m.insert("user".into(), s("root"));
    }
    let config = obj(&[("name", s("a")), ("auth", auth)]);
    let r = c
        .validate_resource_config(pb::validate_resource_config::Request {
            type_name: "fake_thing".into(),
            config: dv(&config),
            ..Default::default()
        })
        .await
        .expect("validate")
        .into_inner();
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    assert_eq!(
        path_names(r.diagnostics[0].attribute.as_ref().expect("path")),
        ["auth", "user"]
    );

    // Unknown values are not validated (they are checked again once known).
    let config = obj(&[("name", s("a")), ("kind", Value::Unknown)]);
    let r = c
        .validate_resource_config(pb::validate_resource_config::Request {
            type_name: "fake_thing".into(),
            config: dv(&config),
            ..Default::default()
        })
        .await
        .expect("validate")
        .into_inner();
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[tokio::test]
async fn create_plan_marks_unset_computed_attributes_unknown_and_nulls_write_only() {
    let mut c = client_for(Arc::new(FakeProvider)).await;
    let auth = Value::object([("user", s("admin")), ("token", Value::Null)]);
    let config = obj(&[("name", s("a")), ("secret", s("hush")), ("auth", auth)]);
    let r = plan(&mut c, &Value::Null, &config, &config).await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let planned = decode(r.planned_state);
    assert_eq!(planned.get("id"), Some(&Value::Unknown));
    assert_eq!(planned.get("status"), Some(&Value::Unknown));
    assert_eq!(planned.get("name"), Some(&s("a")));
    assert_eq!(planned.get("secret"), Some(&Value::Null));
    let auth = planned.get("auth").expect("auth");
    assert_eq!(auth.get("user"), Some(&s("admin")));
    assert_eq!(auth.get("token"), Some(&Value::Unknown), "nested computed");
    assert!(r.requires_replace.is_empty());
}

#[tokio::test]
async fn update_plan_keeps_id_requires_replace_on_name_and_marks_status_unknown() {
    let mut c = client_for(Arc::new(FakeProvider)).await;
    let prior = obj(&[("id", s("id-a")), ("name", s("a")), ("status", s("ready"))]);
    let config = obj(&[("name", s("b"))]);
    // Terraform proposes prior values for unset computed attributes.
    let proposed = obj(&[("id", s("id-a")), ("name", s("b")), ("status", s("ready"))]);
    let r = plan(&mut c, &prior, &config, &proposed).await;
    let planned = decode(r.planned_state);
    assert_eq!(planned.get("id"), Some(&s("id-a")), "UseStateForUnknown");
    assert_eq!(planned.get("status"), Some(&Value::Unknown));
    let replace: Vec<_> = r.requires_replace.iter().map(path_names).collect();
    assert_eq!(replace, [vec!["name".to_string()]]);
}

#[tokio::test]
async fn equivalent_value_keeps_prior_and_plans_no_change() {
    let mut c = client_for(Arc::new(FakeProvider)).await;
    let prior = obj(&[
        ("id", s("id-a")),
        ("name", s("a")),
        ("url", s("https://x.example/repo")),
        ("status", s("ready")),
    ]);
    let config = obj(&[("name", s("a")), ("url", s("https://x.example/repo/"))]);
    let proposed = obj(&[
        ("id", s("id-a")),
        ("name", s("a")),
        ("url", s("https://x.example/repo/")),
        ("status", s("ready")),
    ]);
    let r = plan(&mut c, &prior, &config, &proposed).await;
    assert_eq!(decode(r.planned_state), prior, "no diff, nothing unknown");
    assert!(r.requires_replace.is_empty());
}

#[tokio::test]
async fn destroy_plans_null() {
    let mut c = client_for(Arc::new(FakeProvider)).await;
    let prior = obj(&[("id", s("id-a")), ("name", s("a")), ("status", s("ready"))]);
    let r = plan(&mut c, &prior, &Value::Null, &Value::Null).await;
    assert_eq!(decode(r.planned_state), Value::Null);
}

#[tokio::test]
async fn failed_create_after_the_object_exists_returns_state_and_error() {
    let mut c = client_for(Arc::new(FakeProvider)).await;
    let config = obj(&[("name", s("half"))]);
    let planned = obj(&[
        ("name", s("half")),
        ("id", Value::Unknown),
        ("status", Value::Unknown),
    ]);
    let r = c
        .apply_resource_change(pb::apply_resource_change::Request {
            type_name: "fake_thing".into(),
            prior_state: dv(&Value::Null),
            planned_state: dv(&planned),
            config: dv(&config),
            ..Default::default()
        })
        .await
        .expect("apply")
        .into_inner();
    let state = decode(r.new_state);
    assert_eq!(state.get("id"), Some(&s("id-half")));
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(r.diagnostics[0].summary, "Follow-up failed");
}

#[tokio::test]
async fn read_of_a_gone_object_returns_null_and_upgrade_decodes_json() {
    let mut c = client_for(Arc::new(FakeProvider)).await;
    let gone = obj(&[("id", s("x")), ("name", s("gone")), ("status", s("ready"))]);
    let r = c
        .read_resource(pb::read_resource::Request {
            type_name: "fake_thing".into(),
            current_state: dv(&gone),
            ..Default::default()
        })
        .await
        .expect("read")
        .into_inner();
    assert_eq!(decode(r.new_state), Value::Null);

    // Same schema version: decode the JSON (an attribute since removed is dropped).
    let raw = br#"{"id":"id-a","name":"a","url":null,"kind":null,"status":"ready","secret":null,"auth":null,"old":1}"#;
    let r = c
        .upgrade_resource_state(pb::upgrade_resource_state::Request {
            type_name: "fake_thing".into(),
            version: 1,
            raw_state: Some(pb::RawState {
                json: raw.to_vec(),
                ..Default::default()
            }),
        })
        .await
        .expect("upgrade")
        .into_inner();
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(
        decode(r.upgraded_state),
        obj(&[("id", s("id-a")), ("name", s("a")), ("status", s("ready"))])
    );
}

#[tokio::test]
async fn import_functions_moves_and_unknown_types_answer_with_diagnostics() {
    let mut c = client_for(Arc::new(FakeProvider)).await;
    let r = c
        .import_resource_state(pb::import_resource_state::Request {
            type_name: "fake_thing".into(),
            id: "id-7".into(),
            ..Default::default()
        })
        .await
        .expect("import")
        .into_inner();
    assert_eq!(r.imported_resources.len(), 1);
    assert_eq!(
        decode(r.imported_resources[0].state.clone()).get("id"),
        Some(&s("id-7"))
    );

    let f = c
        .get_functions(pb::get_functions::Request {})
        .await
        .expect("functions")
        .into_inner();
    assert!(f.functions.is_empty());
    let call = c
        .call_function(pb::call_function::Request {
            name: "nope".into(),
            arguments: vec![],
        })
        .await
        .expect("call")
        .into_inner();
    assert!(call.error.expect("function error").text.contains("nope"));

    let m = c
        .move_resource_state(pb::move_resource_state::Request {
            target_type_name: "fake_thing".into(),
            source_type_name: "other_thing".into(),
            ..Default::default()
        })
        .await
        .expect("move")
        .into_inner();
    assert_eq!(m.diagnostics.len(), 1);

    let u = c
        .validate_resource_config(pb::validate_resource_config::Request {
            type_name: "no_such_thing".into(),
            ..Default::default()
        })
        .await
        .expect("validate")
        .into_inner();
    assert!(u.diagnostics[0].detail.contains("no_such_thing"));

    let garbage = c
        .plan_resource_change(pb::plan_resource_change::Request {
            type_name: "fake_thing".into(),
            config: Some(pb::DynamicValue {
                msgpack: vec![0xc1, 0xff, 0x00],
                json: Vec::new(),
            }),
            ..Default::default()
        })
        .await
        .expect("a diagnostic, not a gRPC error")
        .into_inner();
    assert!(!garbage.diagnostics.is_empty());

    let e = c
        .open_ephemeral_resource(pb::open_ephemeral_resource::Request {
            type_name: "fake_eph".into(),
            ..Default::default()
        })
        .await
        .expect("ephemeral")
        .into_inner();
    assert_eq!(e.diagnostics.len(), 1);
    c.stop_provider(pb::stop_provider::Request {})
        .await
        .expect("stop");
}

#[tokio::test]
async fn har_provider_rejects_a_bad_endpoint_at_validate_time() {
    let har = HarProvider::new();
    let provider_ty = har.schema().value_type();
    let mut c = client_for(Arc::new(har)).await;
    let mut config = Value::null_object(&provider_ty);
    if let Value::Object(m) = &mut config {
        m.insert("endpoint".into(), s("ftp://example.com"));
    }
    let r = c
        .validate_provider_config(pb::validate_provider_config::Request {
            config: Some(pb::DynamicValue {
                msgpack: msgpack::encode(&config, &provider_ty).expect("encode"),
                json: Vec::new(),
            }),
        })
        .await
        .expect("validate")
        .into_inner();
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    assert_eq!(
        path_names(r.diagnostics[0].attribute.as_ref().expect("path")),
        ["endpoint"]
    );

    // Unknown provider configuration (depends on a resource) must not fail configure.
    if let Value::Object(m) = &mut config {
        m.insert("endpoint".into(), Value::Unknown);
        m.insert("account_id".into(), Value::Unknown);
    }
    let r = c
        .configure_provider(pb::configure_provider::Request {
            config: Some(pb::DynamicValue {
                msgpack: msgpack::encode(&config, &provider_ty).expect("encode"),
                json: Vec::new(),
            }),
            ..Default::default()
        })
        .await
        .expect("configure")
        .into_inner();
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

struct Broken;

#[async_trait]
impl Resource for Broken {
    fn type_name(&self) -> &str {
        "fake_broken"
    }
    fn schema(&self) -> Schema {
        // Neither required, optional nor computed.
        Schema::new().attribute(Attribute::string("name"))
    }
    async fn create(&self, _req: &CreateRequest<'_>, _resp: &mut CreateResponse) {}
    async fn read(&self, _req: &ReadRequest<'_>, _resp: &mut ReadResponse) {}
    async fn update(&self, _req: &UpdateRequest<'_>, _resp: &mut UpdateResponse) {}
    async fn delete(&self, _req: &DeleteRequest<'_>, _resp: &mut DeleteResponse) {}
}

struct BrokenProvider;

#[async_trait]
impl Provider for BrokenProvider {
    fn schema(&self) -> Schema {
        Schema::new()
    }
    async fn configure(&self, _req: &ConfigureRequest<'_>, _diags: &mut Diagnostics) {}
    fn resources(&self) -> Vec<Arc<dyn Resource>> {
        vec![Arc::new(Broken)]
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource>> {
        Vec::new()
    }
}

#[tokio::test]
async fn schema_mistakes_are_reported_as_diagnostics() {
    let mut c = client_for(Arc::new(BrokenProvider)).await;
    let r = c
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .expect("schema")
        .into_inner();
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    assert!(
        r.diagnostics[0]
            .detail
            .contains("fake_broken: attribute `name`")
    );
}

#[tokio::test]
async fn data_sources_validate_and_read() {
    let mut c = client_for(Arc::new(FakeProvider)).await;
    let ty = Type::object([("name", Type::String), ("value", Type::String)]);
    let enc = |v: &Value| {
        Some(pb::DynamicValue {
            msgpack: msgpack::encode(v, &ty).expect("encode"),
            json: Vec::new(),
        })
    };
    let bad = Value::object([("name", s("z")), ("value", Value::Null)]);
    let r = c
        .validate_data_resource_config(pb::validate_data_resource_config::Request {
            type_name: "fake_info".into(),
            config: enc(&bad),
        })
        .await
        .expect("validate")
        .into_inner();
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    assert_eq!(
        path_names(r.diagnostics[0].attribute.as_ref().expect("path")),
        ["name"]
    );

    let good = Value::object([("name", s("x")), ("value", Value::Null)]);
    let r = c
        .read_data_source(pb::read_data_source::Request {
            type_name: "fake_info".into(),
            config: enc(&good),
            ..Default::default()
        })
        .await
        .expect("read")
        .into_inner();
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let state = msgpack::decode(&r.state.expect("state").msgpack, &ty).expect("decode");
    assert_eq!(state, Value::object([("name", s("x")), ("value", s("v"))]));
}
