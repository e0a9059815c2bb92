//! End-to-end tests of the `antom` binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use antom_conformance::gateway::{Reply, Signing};
use antom_conformance::wiremock::{mount, AntomResponder};
use antom_runtime::signing::{self, SignInput};
use antom_runtime::PrivateKey;
use serde_json::Value;
use wiremock::MockServer;

const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../runtime/testdata");

fn testdata(rel: &str) -> PathBuf {
    Path::new(TESTDATA).join(rel)
}

fn vectors() -> Value {
    let text = std::fs::read_to_string(testdata("signature-vectors.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Writes `contents` to a fresh file under the test temp dir.
fn temp_file(contents: impl AsRef<[u8]>) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let p = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{}-{n}", std::process::id()));
    std::fs::write(&p, contents).unwrap();
    p
}

fn antom(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_antom"))
        .args(args)
        .output()
        .expect("run antom")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn merchant_key() -> String {
    testdata("keys/merchant_private_pkcs8.b64")
        .display()
        .to_string()
}

fn merchant_public() -> String {
    testdata("keys/merchant_public_spki.b64")
        .display()
        .to_string()
}

fn antom_public() -> String {
    testdata("keys/antom_public_spki.pem").display().to_string()
}

#[test]
fn sign_reproduces_every_vector() {
    let v = vectors();
    let key = merchant_key();
    for vector in v["vectors"].as_array().unwrap() {
        let body = temp_file(vector["body"].as_str().unwrap());
        let o = antom(&[
            "sign",
            "--private-key",
            &key,
            "--client-id",
            vector["clientId"].as_str().unwrap(),
            "--request-time",
            vector["time"].as_str().unwrap(),
            "--path",
            vector["path"].as_str().unwrap(),
            "--method",
            vector["method"].as_str().unwrap(),
            "--body-file",
            body.to_str().unwrap(),
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}: {}",
            vector["name"],
            stderr(&o)
        );
        assert_eq!(
            stdout(&o).trim(),
            vector["signature_header"].as_str().unwrap(),
            "{}",
            vector["name"]
        );
    }
}

#[test]
fn sign_explain_shows_every_stage_on_stderr() {
    let v = vectors();
    let vector = &v["vectors"][0];
    let body = temp_file(vector["body"].as_str().unwrap());
    let o = antom(&[
        "sign",
        "--private-key",
        &merchant_key(),
        "--client-id",
        vector["clientId"].as_str().unwrap(),
        "--request-time",
        vector["time"].as_str().unwrap(),
        "--path",
        vector["path"].as_str().unwrap(),
        "--body-file",
        body.to_str().unwrap(),
        "--explain",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    let first_line = format!("POST {}\\n", vector["path"].as_str().unwrap());
    assert!(err.contains(&first_line), "{err}");
    assert!(
        err.contains(vector["signature_base64"].as_str().unwrap()),
        "{err}"
    );
    assert!(
        err.contains(vector["signature_urlencoded"].as_str().unwrap()),
        "{err}"
    );
    // stdout stays machine-readable: the header value only.
    assert_eq!(
        stdout(&o).trim(),
        vector["signature_header"].as_str().unwrap()
    );
}

fn verify_args(vector: &Value, signature: &str, body: &Path, key: &str) -> Output {
    antom(&[
        "verify",
        "--public-key",
        key,
        "--client-id",
        vector["clientId"].as_str().unwrap(),
        "--time",
        vector["time"].as_str().unwrap(),
        "--path",
        vector["path"].as_str().unwrap(),
        "--signature",
        signature,
        "--body-file",
        body.to_str().unwrap(),
    ])
}

#[test]
fn verify_accepts_upper_and_lower_hex_and_spaces() {
    let v = vectors();
    let key = merchant_public();
    for vector in v["vectors"].as_array().unwrap() {
        let body = temp_file(vector["body"].as_str().unwrap());
        let lower = format!(
            "algorithm=RSA256, keyVersion=1, signature={}",
            vector["signature_urlencoded_lowerhex"].as_str().unwrap()
        );
        for sig in [vector["signature_header"].as_str().unwrap(), lower.as_str()] {
            let o = verify_args(vector, sig, &body, &key);
            assert_eq!(
                o.status.code(),
                Some(0),
                "{}: {}",
                vector["name"],
                stderr(&o)
            );
        }
    }
}

#[test]
fn verify_rejects_negative_vectors_with_a_reason() {
    let v = vectors();
    let key = merchant_public();
    for neg in v["negative_vectors"].as_array().unwrap() {
        let base = v["vectors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == neg["based_on"])
            .unwrap();
        let mut vector = base.clone();
        for field in ["body", "time", "path"] {
            if let Some(x) = neg.get(field) {
                vector[field] = x.clone();
            }
        }
        let body = temp_file(vector["body"].as_str().unwrap());
        let header = format!(
            "algorithm=RSA256,keyVersion=1,signature={}",
            neg["signature_urlencoded"].as_str().unwrap()
        );
        let o = verify_args(&vector, &header, &body, &key);
        assert_eq!(o.status.code(), Some(1), "{}", neg["name"]);
        assert!(
            stderr(&o).contains("invalid"),
            "{}: {}",
            neg["name"],
            stderr(&o)
        );
    }
}

#[test]
fn a_public_key_given_as_private_key_is_a_usage_error_without_key_material() {
    let body = temp_file("{}");
    let o = antom(&[
        "sign",
        "--private-key",
        &merchant_public(),
        "--client-id",
        "C",
        "--request-time",
        "1",
        "--path",
        "/ams/api/v1/payments/pay",
        "--body-file",
        body.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    let public_b64 = std::fs::read_to_string(merchant_public()).unwrap();
    assert!(!err.contains(&public_b64.trim()[40..80]), "{err}");
    assert!(err.contains("private key"), "{err}");
}

#[test]
fn usage_errors_exit_3() {
    let o = antom(&["sign", "--client-id", "x"]);
    assert_eq!(o.status.code(), Some(3));
    let o = antom(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn codes_explain_result_code_says_whether_to_retry() {
    let o = antom(&["codes", "explain", "CAPTURE_IN_PROCESS"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("status         U"), "{out}");
    assert!(out.contains("inquire"), "{out}");
    assert!(out.contains("retry with the same request id"), "{out}");
    assert!(out.contains("capture"), "{out}");

    let o = antom(&["codes", "explain", "AUTH_EXPIRED"]);
    let out = stdout(&o);
    assert!(out.contains("status         F"), "{out}");
    assert!(out.contains("do not retry"), "{out}");
}

#[test]
fn codes_explain_event_code_shows_deprecation() {
    let o = antom(&["codes", "explain", "SDK_CALL_URL_ERROR"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.contains("use SDK_LAUNCH_PAYMENT_APP_ERROR instead"),
        "{out}"
    );
}

#[test]
fn codes_explain_unknown_code_exits_1() {
    let o = antom(&["codes", "explain", "NOT_A_REAL_CODE"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not in the spec"));
}

async fn call(bodies: Vec<(&'static str, bool)>) -> (Output, Value) {
    let server = MockServer::start().await;
    // Antom's side: the kit's responder signs each scripted body (or not)
    // with the test Antom key, after checking the request like Antom.
    let replies = bodies
        .into_iter()
        .map(|(body, signed)| {
            let signing = if signed {
                Signing::Signed
            } else {
                Signing::Unsigned
            };
            Reply::raw(200, body, signing)
        })
        .collect();
    mount(
        &server,
        "inquiryPayment",
        "SANDBOX_5X00000000000000",
        AntomResponder::sequence(replies),
    )
    .await
    .unwrap();
    let body = temp_file(r#"{"paymentRequestId":"pay-1"}"#);
    let gateway = server.uri();
    let output = tokio::task::spawn_blocking(move || {
        antom(&[
            "call",
            "inquiryPayment",
            "--gateway",
            &gateway,
            "--client-id",
            "SANDBOX_5X00000000000000",
            "--private-key",
            &merchant_key(),
            "--antom-public-key",
            testdata("keys/antom_public_spki.pem").to_str().unwrap(),
            "--body-file",
            body.to_str().unwrap(),
            "--max-attempts",
            "3",
            "--timeout-ms",
            "2000",
        ])
    })
    .await
    .unwrap();
    let json = serde_json::from_str(stdout(&output).trim()).unwrap_or(Value::Null);
    (output, json)
}

const S: &str = r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"},"paymentStatus":"SUCCESS","paymentRequestId":"pay-1"}"#;
const U: &str =
    r#"{"result":{"resultCode":"UNKNOWN_EXCEPTION","resultStatus":"U","resultMessage":"unknown"}}"#;
const F: &str = r#"{"result":{"resultCode":"ORDER_NOT_EXIST","resultStatus":"F","resultMessage":"order does not exist"}}"#;

#[tokio::test(flavor = "multi_thread")]
async fn call_success_after_unknown_retries_with_the_same_request() {
    let (o, json) = call(vec![(U, true), (S, true)]).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json["outcome"], "success");
    assert_eq!(json["resultStatus"], "S");
    assert_eq!(json["resultCode"], "SUCCESS");
    assert_eq!(json["attempts"], 2);
    assert_eq!(json["path"], "/ams/sandbox/api/v1/payments/inquiryPayment");
    assert_eq!(json["response"]["paymentStatus"], "SUCCESS");
}

#[tokio::test(flavor = "multi_thread")]
async fn call_failed_is_exit_1_after_one_attempt() {
    let (o, json) = call(vec![(F, true), (S, true)]).await;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(json["outcome"], "failed");
    assert_eq!(json["resultCode"], "ORDER_NOT_EXIST");
    assert_eq!(json["attempts"], 1);
    assert_eq!(
        json["requestIdState"], "noKey",
        "an inquiry has no request id to spend"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn call_unknown_after_all_attempts_is_exit_2() {
    let (o, json) = call(vec![(U, true)]).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(json["outcome"], "unknown");
    assert_eq!(json["attempts"], 3);
    assert_eq!(json["retryable"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn call_unsigned_success_is_a_security_error() {
    let (o, json) = call(vec![(S, false)]).await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(json["outcome"], "security");
}

#[test]
fn notify_verify_prints_the_payload_and_rejects_tampering_and_old_deliveries() {
    let antom_key = PrivateKey::from_pem_or_base64(
        &std::fs::read_to_string(testdata("keys/antom_private_pkcs8.pem")).unwrap(),
    )
    .unwrap();
    let body = r#"{"notifyType":"CAPTURE_RESULT","result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success."},"captureRequestId":"cap-1","paymentId":"p-1","captureId":"c-1","captureAmount":{"currency":"USD","value":"100"}}"#;
    let time = "2026-11-22T10:00:00+08:00";
    let header = signing::sign(
        &antom_key,
        1,
        &SignInput {
            method: "POST",
            path: "/antom/notify",
            client_id: "SANDBOX_5X00000000000000",
            time,
            body: body.as_bytes(),
        },
    )
    .unwrap();
    let headers = temp_file(format!(
        "POST /antom/notify HTTP/1.1\nclient-id: SANDBOX_5X00000000000000\nrequest-time: {time}\nsignature: {header}\n"
    ));
    let public = testdata("keys/antom_public_spki.pem");
    let run_with = |body_path: &Path, extra: &[&str]| {
        let mut args = vec![
            "notify",
            "verify",
            "--public-key",
            public.to_str().unwrap(),
            "--path",
            "/antom/notify",
            "--headers-file",
            headers.to_str().unwrap(),
            "--body-file",
            body_path.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        antom(&args)
    };
    // Signed on 2026-11-22: older than the 72-hour tolerance of a webhook.
    let o = run_with(&temp_file(body), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("stale or replayed"), "{}", stderr(&o));
    assert!(stderr(&o).contains("--any-age"), "{}", stderr(&o));
    let run = |body_path: &Path| run_with(body_path, &["--any-age"]);
    let o = run(&temp_file(body));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(json["notification"], "notifyCapture");
    assert_eq!(json["payload"]["captureId"], "c-1");
    assert!(json["dedupKey"].as_str().unwrap().contains("cap-1"));

    let o = run(&temp_file(body.replace("\"100\"", "\"999\"")));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("invalid"), "{}", stderr(&o));
}

/// `verify --explain` names the variant of the content that was signed,
/// and tells a key that is not the signer's from a changed content.
#[test]
fn verify_explain_names_the_mistake() {
    let v = vectors();
    let vector = v["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| {
            x["path"]
                .as_str()
                .is_some_and(|p| p.starts_with("/ams/api/"))
        })
        .expect("a production-path vector");
    let body = temp_file(vector["body"].as_str().unwrap());
    let key = merchant_public();
    // Checked with the sandbox path: the production path was signed.
    let mut sandbox = vector.clone();
    sandbox["path"] = vector["path"]
        .as_str()
        .unwrap()
        .replacen("/ams/api", "/ams/sandbox/api", 1)
        .into();
    let header = vector["signature_header"].as_str().unwrap();
    let explain = |vector: &Value, key: &str, extra: &[&str]| {
        let mut args = vec![
            "verify",
            "--explain",
            "--public-key",
            key,
            "--client-id",
            vector["clientId"].as_str().unwrap(),
            "--time",
            vector["time"].as_str().unwrap(),
            "--path",
            vector["path"].as_str().unwrap(),
            "--signature",
            header,
            "--body-file",
            body.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        antom(&args)
    };
    let o = explain(&sandbox, &key, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("the path `{}`", vector["path"].as_str().unwrap())),
        "{err}"
    );
    // Checked with Antom's key: the merchant's key (given as another key)
    // made it.
    let antom = antom_public();
    let o = explain(vector, &antom, &["--other-key", &key]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("is not the signer's"), "{err}");
    assert!(err.contains(key.as_str()), "{err}");
}

/// `--endpoint` takes the path (and the sandbox rule) from the spec, and
/// `sign` warns about a path or time that does not fit.
#[test]
fn sign_by_endpoint_and_warnings() {
    let key = merchant_key();
    let body = temp_file(r#"{"paymentRequestId":"p-1"}"#);
    let sign = |extra: &[&str]| {
        let mut args = vec![
            "sign",
            "--private-key",
            &key,
            "--body-file",
            body.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        antom(&args)
    };
    let sandbox = "SANDBOX_5X00000000000000";
    let time = ["--request-time", "1685599933871"];
    let by_endpoint = sign(&[&["--client-id", sandbox, "--endpoint", "pay"][..], &time].concat());
    let by_path = sign(
        &[
            &[
                "--client-id",
                sandbox,
                "--path",
                "/ams/sandbox/api/v1/payments/pay",
            ][..],
            &time,
        ]
        .concat(),
    );
    assert_eq!(
        by_endpoint.status.code(),
        Some(0),
        "{}",
        stderr(&by_endpoint)
    );
    assert_eq!(stdout(&by_endpoint), stdout(&by_path));
    assert!(stderr(&by_endpoint).is_empty(), "{}", stderr(&by_endpoint));

    // A production client id on a sandbox path.
    let o = sign(
        &[
            &[
                "--client-id",
                "5X00000000000000",
                "--path",
                "/ams/sandbox/api/v1/payments/pay",
            ][..],
            &time,
        ]
        .concat(),
    );
    assert!(
        stderr(&o).contains("warning: the path is a sandbox path"),
        "{}",
        stderr(&o)
    );
    // A sandbox client id on the production path.
    let o = sign(
        &[
            &["--client-id", sandbox, "--path", "/ams/api/v1/payments/pay"][..],
            &time,
        ]
        .concat(),
    );
    assert!(
        stderr(&o).contains("calls (and signs) `/ams/sandbox/api/v1/payments/pay`"),
        "{}",
        stderr(&o)
    );
    // A time that is not epoch milliseconds.
    let o = sign(&[
        "--client-id",
        sandbox,
        "--endpoint",
        "pay",
        "--request-time",
        "2026-01-01T00:00:00Z",
    ]);
    assert!(
        stderr(&o).contains("is not epoch milliseconds"),
        "{}",
        stderr(&o)
    );
    // An unknown endpoint is an error that names it.
    let o = sign(&[&["--client-id", sandbox, "--endpoint", "payy"][..], &time].concat());
    assert_ne!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("unknown endpoint `payy`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn keys_check_tells_a_pair_and_whose_key_is_whose() {
    let o = antom(&[
        "keys",
        "check",
        &merchant_key(),
        &merchant_public(),
        &antom_public(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("private key, RSA 2048 bits"), "{out}");
    assert!(
        out.contains(&format!(
            "{} is the public half of {}",
            merchant_public(),
            merchant_key()
        )),
        "{out}"
    );
    assert!(out.contains("It is not Antom's public key"), "{out}");
    assert!(
        out.contains(&format!(
            "{} does not pair with {}",
            antom_public(),
            merchant_key()
        )),
        "{out}"
    );
    // A file that is no key is a usage error naming the file, never echoing it.
    let not_a_key = temp_file("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA-not-a-key");
    let o = antom(&["keys", "check", not_a_key.to_str().unwrap()]);
    assert_ne!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(err.contains("neither a private key"), "{err}");
    assert!(!err.contains("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A"), "{err}");
}

/// `notify send` signs a valid sample notification like Antom, delivers it
/// as many times as asked, and exits 0 only when each is acknowledged.
#[tokio::test(flavor = "multi_thread")]
async fn notify_send_delivers_a_signed_notification_to_a_webhook() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};
    let webhook = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/antom/notify"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"result":{"resultStatus":"S","resultCode":"SUCCESS","resultMessage":"success"}}"#,
        ))
        .mount(&webhook)
        .await;
    let url = format!("{}/antom/notify", webhook.uri());
    let send = |url: String| {
        tokio::task::spawn_blocking(move || {
            antom(&[
                "notify",
                "send",
                "--url",
                &url,
                "--client-id",
                "SANDBOX_5X00000000000000",
                "--set",
                "paymentRequestId=order-42",
                "--times",
                "3",
            ])
        })
    };
    let o = send(url).await.unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 3, "{}", stdout(&o));
    let received = webhook.received_requests().await.unwrap();
    assert_eq!(received.len(), 3);
    assert!(
        received.iter().all(|r| r.body == received[0].body),
        "the same delivery"
    );
    let antom_public = antom_runtime::PublicKey::from_pem_or_base64(
        &std::fs::read_to_string(antom_public()).unwrap(),
    )
    .unwrap();
    let r = &received[0];
    let verified = antom_runtime::notification::verify_notification(
        &antom_public,
        "POST",
        "/antom/notify",
        r.headers.iter().map(|(k, v)| (k.as_str(), v.as_bytes())),
        &r.body,
        &antom_runtime::notification::NotificationOptions::default(),
    )
    .expect("signed like Antom");
    assert_eq!(verified.json["paymentRequestId"], "order-42");
    assert_eq!(verified.json["notifyType"], "PAYMENT_RESULT");
    let parsed = antom::notifications::Notification::parse(&verified.raw_body).unwrap();
    assert_eq!(parsed.kind().map(|k| k.name()), Some("notifyPayment"));

    // A webhook that does not acknowledge fails the command.
    let silent = MockServer::start().await;
    let o = send(format!("{}/antom/notify", silent.uri()))
        .await
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("not acknowledged"), "{}", stderr(&o));
}

#[test]
fn codes_explain_ignores_case_and_suggests_near_matches() {
    let o = antom(&["codes", "explain", "capture-in-process"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("CAPTURE_IN_PROCESS"));
    let o = antom(&["codes", "explain", "CAPTURE_IN_PROCES"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("did you mean `CAPTURE_IN_PROCESS`?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn spec_check_validates_a_directory_and_names_every_error() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let o = antom(&["spec", "check", &format!("{root}/spec/antom")]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("valid ("));

    let o = antom(&[
        "spec",
        "check",
        &format!("{root}/spec/tests/fixtures/many_errors"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("many_errors/a.yaml:"), "{err}");
    assert!(err.contains("errors,"), "{err}");

    let o = antom(&["spec", "check", &format!("{root}/no/such/dir")]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn spec_schema_is_the_checked_in_schema_with_a_stable_id() {
    let o = antom(&["spec", "schema"]);
    assert_eq!(o.status.code(), Some(0));
    let printed = String::from_utf8(o.stdout).unwrap();
    let checked_in = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/antom-spec.schema.json"
    ))
    .unwrap();
    assert_eq!(printed, checked_in);
    let schema: serde_json::Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(schema["$id"], antom_spec::JSON_SCHEMA_ID);

    let out = std::env::temp_dir().join(format!("antom-spec-schema-{}.json", std::process::id()));
    let o = antom(&["spec", "schema", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), checked_in);
    let _ = std::fs::remove_file(out);
}
