//! The property area: generated inputs sent through the implementation under
//! test, each judged by the kit's reference, with failures shrunk to a
//! minimal input.
//!
//! The [`Implementation`] is async and may live in another process, so the
//! properties drive proptest's [`ValueTree`]s themselves: draw an input from
//! the strategy, run it through the implementation, and on a failure
//! simplify the input for as long as it keeps failing. The seed is fixed per
//! run (`--seed`), so a failure reproduces exactly.

use std::fmt::Debug;
use std::future::Future;

use antom_runtime::{EndpointDef, SpecStatus};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::json;

use crate::case::{Property, NOTIFY_PATH, SANDBOX_CLIENT_ID};
use crate::crypto::{
    content_to_sign, decode_signature, encode_signature, gateway_signature_bytes, sign_base64,
    signature_header, verify_bytes, TestKeys,
};
use crate::expect::{ExpectedClass, RetryExpect};
use crate::gateway::{Reply, Signing, Step};
use crate::judge::{check_class, judge_retry, RetryCall};
use crate::protocol::{
    is_acknowledgement, ClassifyRequest, ImplError, Implementation, OutcomeKind, SignRequest,
    VerifyNotificationRequest, VerifyResponseRequest,
};
use crate::timing::ATTEMPT_TIMEOUT_MS;
use crate::verdict::{Mismatch, Stage, Verdict};

/// The seed of a run's properties unless `--seed` says otherwise.
pub const DEFAULT_SEED: u64 = 0x0A17_0C0D_E5EE_D001;

/// Shrinking stops after this many simplification attempts.
const MAX_SHRINK_STEPS: u32 = 512;

/// How one input went.
enum Trial {
    Pass,
    Fail(Mismatch),
    /// The implementation does not offer the operation.
    Unsupported(String),
}

impl From<ImplError> for Trial {
    fn from(e: ImplError) -> Self {
        match e {
            ImplError::Unsupported(reason) => Trial::Unsupported(reason),
            ImplError::Failed(m) => Trial::Fail(Mismatch::new(
                Stage::Implementation,
                "the operation runs",
                m,
            )),
        }
    }
}

/// What the property area needs from the run.
pub struct Context<'a> {
    /// The implementation under test.
    pub imp: &'a dyn Implementation,
    /// The test keys.
    pub keys: &'a TestKeys,
    /// The spec's endpoints.
    pub endpoints: &'static [&'static EndpointDef],
    /// The endpoint retry inputs call.
    pub retry_endpoint: &'static EndpointDef,
    /// Inputs to draw.
    pub cases: u32,
    /// The run's seed.
    pub seed: u64,
    /// Whether the implementation classifies (see
    /// [`Expected::met_by`](crate::expect::Expected::met_by)).
    pub classifies: bool,
}

/// Runs `property` and returns its verdict.
pub async fn run(property: Property, cx: &Context<'_>) -> Verdict {
    match property {
        Property::Sign => check(cx, sign_input(), |i| sign(cx, i)).await,
        Property::VerifyResponse => check(cx, message_input(), |i| verify_response(cx, i)).await,
        Property::VerifyNotification => {
            check(cx, message_input(), |i| verify_notification(cx, i)).await
        }
        Property::Classify => {
            let n = cx.endpoints.len().max(1);
            check(cx, classify_input(n), |i| classify(cx, i)).await
        }
        Property::Retry => check(cx, retry_input(), |i| retry(cx, i)).await,
    }
}

/// What the generator thread asks of the async side.
enum Ask<V> {
    /// Run this input; answer whether it failed.
    Try(V),
    /// No more inputs: the minimal failing one, if any, with the shrink
    /// steps taken and which draw failed first.
    Done(Option<(V, u32, u32)>),
}

/// What the async side answers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Answered {
    Passed,
    Failed,
    /// Stop drawing (the operation is unsupported).
    Stop,
}

/// Draws `cx.cases` inputs from `strategy` and runs `test` on each; on a
/// failure, shrinks to a minimal failing input.
///
/// Value trees are not `Send`, and the test is async, so the trees live on a
/// generator thread that hands each input over and waits for its verdict.
async fn check<S, F, Fut>(cx: &Context<'_>, strategy: S, test: F) -> Verdict
where
    S: Strategy + Send + 'static,
    S::Value: Clone + Debug + Send + 'static,
    F: Fn(S::Value) -> Fut,
    Fut: Future<Output = Trial>,
{
    let (ask, mut asked) = tokio::sync::mpsc::channel::<Ask<S::Value>>(1);
    let (answer, answered) = std::sync::mpsc::channel::<Answered>();
    let (cases, seed) = (cx.cases, cx.seed);
    std::thread::spawn(move || generate(strategy, cases, seed, ask, answered));
    let mut last_failure: Option<Mismatch> = None;
    while let Some(msg) = asked.recv().await {
        match msg {
            Ask::Try(value) => {
                let verdict = match test(value).await {
                    Trial::Pass => Answered::Passed,
                    Trial::Fail(m) => {
                        last_failure = Some(m);
                        Answered::Failed
                    }
                    Trial::Unsupported(reason) => {
                        let _ = answer.send(Answered::Stop);
                        return Verdict::Skip { reason };
                    }
                };
                if answer.send(verdict).is_err() {
                    break;
                }
            }
            Ask::Done(None) => return Verdict::Pass,
            Ask::Done(Some((minimal, steps, n))) => {
                let m = last_failure.unwrap_or_else(|| {
                    Mismatch::new(Stage::Implementation, "a recorded failure", "none")
                });
                return Verdict::Fail(Mismatch::new(
                    m.stage,
                    m.expected,
                    format!(
                        "{} — minimal input after {steps} shrink step(s): {minimal:?} (input {n} of {cases}, seed {seed}; re-run with --seed {seed})",
                        m.actual
                    ),
                ));
            }
        }
    }
    Verdict::Fail(Mismatch::new(
        Stage::Implementation,
        "inputs can be generated",
        "the input generator stopped",
    ))
}

/// The generator thread: draws inputs, and shrinks the first failing one
/// while it keeps failing. It ends by trying the minimal input last, so the
/// failure the async side reports is that input's.
fn generate<S>(
    strategy: S,
    cases: u32,
    seed: u64,
    ask: tokio::sync::mpsc::Sender<Ask<S::Value>>,
    answered: std::sync::mpsc::Receiver<Answered>,
) where
    S: Strategy,
    S::Value: Clone + Debug + Send,
{
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    );
    let run = |value: S::Value| -> Option<bool> {
        ask.blocking_send(Ask::Try(value)).ok()?;
        match answered.recv().ok()? {
            Answered::Passed => Some(false),
            Answered::Failed => Some(true),
            Answered::Stop => None,
        }
    };
    for n in 1..=cases {
        let Ok(mut tree) = strategy.new_tree(&mut runner) else {
            return;
        };
        match run(tree.current()) {
            None => return,
            Some(false) => continue,
            Some(true) => {}
        }
        let (mut minimal, mut steps, mut failing) = (tree.current(), 0u32, true);
        // The last input sent must be the minimal one, so that the failure
        // the async side holds is its failure: a passing step is undone and
        // the minimal input tried again at the end.
        let mut last_sent_failed = true;
        while steps < MAX_SHRINK_STEPS {
            let moved = if failing {
                tree.simplify()
            } else {
                tree.complicate()
            };
            if !moved {
                break;
            }
            steps += 1;
            match run(tree.current()) {
                None => return,
                Some(f) => {
                    failing = f;
                    last_sent_failed = f;
                    if f {
                        minimal = tree.current();
                    }
                }
            }
        }
        if !last_sent_failed && run(minimal.clone()).is_none() {
            return;
        }
        let _ = ask.blocking_send(Ask::Done(Some((minimal, steps, n))));
        return;
    }
    let _ = ask.blocking_send(Ask::Done(None));
}

fn fail(stage: Stage, expected: impl Into<String>, actual: impl Into<String>) -> Trial {
    Trial::Fail(Mismatch::new(stage, expected, actual))
}

// ------------------------------------------------------------------- sign

/// A `sign` input.
#[derive(Debug, Clone)]
struct SignInput {
    method: &'static str,
    path: String,
    client_id: String,
    time: String,
    body: String,
}

fn sign_input() -> SBoxedStrategy<SignInput> {
    // Every Antom API is POST: an SDK whose signer only knows POST is right,
    // so the property does not vary the method (the vectors and forensics
    // cover the method's place in the content).
    let method = Just("POST");
    let rule = antom::SANDBOX_RULE;
    let path = (
        prop_oneof![
            Just(format!("{}/v1/", rule.production_prefix)),
            Just(format!("{}/v1/", rule.sandbox_prefix))
        ],
        prop::collection::vec("[a-zA-Z]{1,12}", 1..4),
    )
        .prop_map(|(prefix, segments)| format!("{prefix}{}", segments.join("/")));
    let client_id = ("(SANDBOX_)?", "[0-9A-Z]{16}").prop_map(|(p, id)| format!("{p}{id}"));
    let time = prop_oneof![
        (1_500_000_000_000u64..2_500_000_000_000).prop_map(|ms| ms.to_string()),
        (1_500_000_000u64..2_500_000_000).prop_map(|s| {
            antom_runtime::timestamp::format_iso8601(
                std::time::UNIX_EPOCH + std::time::Duration::from_secs(s),
            )
        }),
    ];
    (method, path, client_id, time, body())
        .prop_map(|(method, path, client_id, time, body)| SignInput {
            method,
            path,
            client_id,
            time,
            body,
        })
        .sboxed()
}

/// Request and response bodies: empty, arbitrary text (non-ASCII
/// included), compact and pretty-printed JSON, and large ones.
fn body() -> impl Strategy<Value = String> {
    let object = prop::collection::btree_map("[a-zA-Z]{1,10}", "\\PC{0,24}", 0..6)
        .prop_map(|m| serde_json::to_value(m).unwrap_or_default());
    prop_oneof![
        1 => Just(String::new()),
        3 => "\\PC{1,64}",
        3 => object.clone().prop_map(|v| v.to_string()),
        2 => object.clone().prop_map(|v| serde_json::to_string_pretty(&v).unwrap_or_default()),
        // What many serialisers and hand-written clients send: a trailing
        // newline, surrounding whitespace.
        2 => object.prop_map(|v| format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())),
        2 => ("[ \t\r\n]{1,3}", "\\PC{0,32}", "[ \t\r\n]{0,3}").prop_map(|(a, b, c)| format!("{a}{b}{c}")),
        1 => ("[a-z]{1,8}", 2_000usize..20_000).prop_map(|(word, n)| word.repeat(n / word.len())),
    ]
}

async fn sign(cx: &Context<'_>, i: SignInput) -> Trial {
    let r = match cx
        .imp
        .sign(SignRequest {
            method: i.method.into(),
            path: i.path.clone(),
            client_id: i.client_id.clone(),
            request_time: i.time.clone(),
            body: i.body.clone(),
            merchant_private_key: cx.keys.merchant_private_base64(),
        })
        .await
    {
        Ok(r) => r,
        Err(e) => return e.into(),
    };
    let expected = "a Signature header, read as Antom's gateway reads it, that verifies with the merchant key over `<method> <path>\\n<client-id>.<time>.<body>`";
    let raw = match gateway_signature_bytes(&r.signature) {
        Ok(raw) => raw,
        Err(e) => return fail(Stage::Signature, expected, e.to_string()),
    };
    let content = content_to_sign(i.method, &i.path, &i.client_id, &i.time, i.body.as_bytes());
    match verify_bytes(&cx.keys.merchant_public, &content, &raw) {
        Ok(()) => Trial::Pass,
        Err(_) => fail(
            Stage::ContentToSign,
            expected,
            format!(
                "the signature `{}...` does not verify over that content",
                r.signature.chars().take(64).collect::<String>()
            ),
        ),
    }
}

// ------------------------------------------------- responses and notifications

/// A single change to a signed message.
#[derive(Debug, Clone)]
enum Mutation {
    /// The message as signed.
    None,
    /// The body character at this index (modulo the length) replaced.
    BodyChar(usize, char),
    /// A space or newline inserted at this index (the same JSON).
    Whitespace(usize, char),
    /// Another path.
    Path,
    /// Another client id (header and argument).
    ClientId,
    /// Another time.
    Time,
    /// One bit of the signature flipped (still canonical base64).
    SignatureBit(usize),
}

/// A message to sign, and the change made to it.
#[derive(Debug, Clone)]
struct MessageInput {
    /// A field of the body (non-ASCII included).
    text: String,
    /// Pretty-printed (signed as sent) or compact.
    pretty: bool,
    mutation: Mutation,
}

fn message_input() -> SBoxedStrategy<MessageInput> {
    let mutation = prop_oneof![
        3 => Just(Mutation::None),
        2 => (any::<usize>(), prop::char::range('!', '~')).prop_map(|(i, c)| Mutation::BodyChar(i, c)),
        2 => (any::<usize>(), prop_oneof![Just(' '), Just('\n')]).prop_map(|(i, c)| Mutation::Whitespace(i, c)),
        1 => Just(Mutation::Path),
        1 => Just(Mutation::ClientId),
        1 => Just(Mutation::Time),
        1 => any::<usize>().prop_map(Mutation::SignatureBit),
    ];
    ("\\PC{0,40}", any::<bool>(), mutation)
        .prop_map(|(text, pretty, mutation)| MessageInput {
            text,
            pretty,
            mutation,
        })
        .sboxed()
}

/// A signed message with `i.mutation` applied: (path, client id, headers, body).
struct Signed {
    path: String,
    client_id: String,
    headers: std::collections::BTreeMap<String, String>,
    body: String,
}

fn signed_message(
    keys: &TestKeys,
    i: &MessageInput,
    path: &str,
    time_header: &str,
    value: serde_json::Value,
) -> Signed {
    let body = if i.pretty {
        serde_json::to_string_pretty(&value).unwrap_or_default()
    } else {
        value.to_string()
    };
    let now = std::time::SystemTime::now();
    let time = antom_runtime::timestamp::format_iso8601(now);
    let content = content_to_sign("POST", path, SANDBOX_CLIENT_ID, &time, body.as_bytes());
    let b64 = sign_base64(&keys.antom_private, &content).unwrap_or_default();
    let mut signature = encode_signature(&b64, false);
    let (mut path, mut client_id, mut time, mut body) =
        (path.to_owned(), SANDBOX_CLIENT_ID.to_owned(), time, body);
    match &i.mutation {
        Mutation::None => {}
        Mutation::BodyChar(at, c) => {
            let chars: Vec<char> = body.chars().collect();
            let at = at % chars.len().max(1);
            let replacement = if chars.get(at) == Some(c) {
                if *c == 'x' {
                    'y'
                } else {
                    'x'
                }
            } else {
                *c
            };
            body = chars
                .iter()
                .enumerate()
                .map(|(n, ch)| if n == at { replacement } else { *ch })
                .collect();
        }
        Mutation::Whitespace(at, c) => {
            let chars: Vec<char> = body.chars().collect();
            let at = at % (chars.len() + 1);
            body = chars[..at]
                .iter()
                .chain(std::iter::once(c))
                .chain(&chars[at..])
                .collect();
        }
        Mutation::Path => path.push('x'),
        Mutation::ClientId => client_id = "SANDBOX_5Y00000000000001".into(),
        // Two seconds before the signed time: another value whatever the
        // rounding of the format.
        Mutation::Time => {
            time = antom_runtime::timestamp::format_iso8601(now - std::time::Duration::from_secs(2))
        }
        Mutation::SignatureBit(bit) => {
            let mut raw = decode_signature(&signature).unwrap_or_default();
            if !raw.is_empty() {
                let bit = bit % (raw.len() * 8);
                raw[bit / 8] ^= 1 << (bit % 8);
            }
            signature = encode_signature(&antom_runtime::signing::encode_base64(&raw), false);
        }
    }
    let mut headers = std::collections::BTreeMap::new();
    headers.insert(
        "content-type".to_owned(),
        "application/json; charset=UTF-8".to_owned(),
    );
    headers.insert("client-id".to_owned(), client_id.clone());
    headers.insert(time_header.to_owned(), time);
    headers.insert("signature".to_owned(), signature_header(&signature, false));
    Signed {
        path,
        client_id,
        headers,
        body,
    }
}

/// The expectation of a message that is (not) the one signed.
fn verdict_wanted(i: &MessageInput) -> (bool, String) {
    match i.mutation {
        Mutation::None => (
            true,
            "accepted: the message is exactly the one signed".into(),
        ),
        ref m => (
            false,
            format!("rejected: one change after signing ({m:?}) makes it another message"),
        ),
    }
}

async fn verify_response(cx: &Context<'_>, i: MessageInput) -> Trial {
    let value = json!({
        "result": {"resultCode": "SUCCESS", "resultStatus": "S", "resultMessage": "success"},
        "paymentStatus": "SUCCESS",
        "orderDescription": i.text,
    });
    let path = antom::SANDBOX_RULE.path_for(&antom::endpoints::INQUIRY_PAYMENT, SANDBOX_CLIENT_ID);
    let m = signed_message(cx.keys, &i, &path, "response-time", value);
    let r = match cx
        .imp
        .verify_response(VerifyResponseRequest {
            // A changed path is the path the verifier is called for: the
            // message was signed for another one.
            path: m.path,
            client_id: m.client_id,
            headers: m.headers,
            status: 200,
            body: m.body,
            antom_public_key: cx.keys.antom_public_base64(),
        })
        .await
    {
        Ok(r) => r,
        Err(e) => return e.into(),
    };
    let (accept, expected) = verdict_wanted(&i);
    if r.accepted == accept {
        Trial::Pass
    } else {
        fail(
            Stage::Verdict,
            expected,
            match r.accepted {
                true => "accepted".to_owned(),
                false => format!("rejected: {}", r.reason.unwrap_or_default()),
            },
        )
    }
}

async fn verify_notification(cx: &Context<'_>, i: MessageInput) -> Trial {
    // Each input is its own notification, deduplicated in its own scope.
    let id = format!("conformance-property-{:016x}", unique_id(&i));
    let value = json!({
        "notifyType": "PAYMENT_RESULT",
        "result": {"resultCode": "SUCCESS", "resultStatus": "S", "resultMessage": "success."},
        "paymentRequestId": id,
        "paymentId": "20260101000001",
        "paymentAmount": {"currency": "USD", "value": "1000"},
        "orderDescription": i.text,
    });
    let m = signed_message(cx.keys, &i, NOTIFY_PATH, "request-time", value);
    let r = match cx
        .imp
        .verify_notification(VerifyNotificationRequest {
            path: m.path,
            headers: m.headers,
            body: m.body,
            client_id: SANDBOX_CLIENT_ID.to_owned(),
            antom_public_key: cx.keys.antom_public_base64(),
            scope: id,
        })
        .await
    {
        Ok(r) => r,
        Err(e) => return e.into(),
    };
    let (accept, expected) = verdict_wanted(&i);
    let acked = is_acknowledgement(r.status, &r.body);
    if acked != accept {
        return fail(
            Stage::Acknowledgement,
            expected,
            format!("HTTP {} {}", r.status, r.body),
        );
    }
    if r.processed != accept {
        return fail(
            Stage::Processing,
            expected,
            if r.processed {
                "processed"
            } else {
                "not processed"
            },
        );
    }
    Trial::Pass
}

/// An id for one trial of an input (its debug form and the time, hashed),
/// so that no two trials share a request id or a notification.
fn unique_id(i: &impl Debug) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    format!("{i:?}").hash(&mut h);
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
        .hash(&mut h);
    h.finish()
}

// ---------------------------------------------------------------- classify

/// A `classify` input.
#[derive(Debug, Clone)]
struct ClassifyInput {
    /// Index into the spec's endpoints (modulo their number).
    endpoint: usize,
    /// `S`, `F`, `U` or another status.
    status: String,
    /// A code of the endpoint (by index) or an arbitrary one.
    code: CodeChoice,
}

#[derive(Debug, Clone)]
enum CodeChoice {
    Listed(usize),
    Other(String),
}

fn classify_input(endpoints: usize) -> SBoxedStrategy<ClassifyInput> {
    let status = prop_oneof![
        3 => Just("S".to_owned()),
        3 => Just("F".to_owned()),
        3 => Just("U".to_owned()),
        1 => "[A-Z]{1,3}".prop_filter("another status", |s| !matches!(s.as_str(), "S" | "F" | "U")),
    ];
    let code = prop_oneof![
        any::<usize>().prop_map(CodeChoice::Listed),
        "[A-Z][A-Z0-9_]{2,30}".prop_map(CodeChoice::Other),
    ];
    (0..endpoints, status, code)
        .prop_map(|(endpoint, status, code)| ClassifyInput {
            endpoint,
            status,
            code,
        })
        .sboxed()
}

async fn classify(cx: &Context<'_>, i: ClassifyInput) -> Trial {
    let Some(ep) = cx.endpoints.get(i.endpoint).copied() else {
        return Trial::Pass;
    };
    let code = match &i.code {
        CodeChoice::Listed(n) if !ep.result_codes.is_empty() => {
            ep.result_codes[n % ep.result_codes.len()].code.to_owned()
        }
        CodeChoice::Listed(_) => "SUCCESS".to_owned(),
        CodeChoice::Other(c) => c.clone(),
    };
    let status = match i.status.as_str() {
        "S" => Some(SpecStatus::S),
        "F" => Some(SpecStatus::F),
        "U" => Some(SpecStatus::U),
        _ => None,
    };
    let info = ep.code_info(&code).filter(|c| Some(c.status) == status);
    let expect = match (status, info) {
        (Some(s), Some(info)) => ExpectedClass::of_code(s, info.action),
        (status, _) => ExpectedClass::of_unlisted(status),
    };
    let body = Reply::result(&i.status, &code, json!({})).body;
    let r = match cx
        .imp
        .classify(ClassifyRequest {
            endpoint: ep.name.to_owned(),
            body: body.clone(),
        })
        .await
    {
        Ok(r) => r,
        Err(e) => return e.into(),
    };
    match check_class(&expect, &r.outcome, Some(&r.action)) {
        None => Trial::Pass,
        Some(m) => Trial::Fail(Mismatch::new(
            m.stage,
            format!("{} for {} {body}", m.expected, ep.name),
            m.actual,
        )),
    }
}

// ------------------------------------------------------------------- retry

/// One gateway answer in a retry input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    U,
    Http500,
    RateLimited,
    /// The connection closes after the request, without an answer.
    Dropped,
    /// A signed S whose body is cut mid-way: not an answer.
    CutS,
    S,
    F,
}

impl Answer {
    fn step(self) -> Step {
        let result = |status, code| Step::Respond(Reply::result(status, code, json!({})));
        match self {
            Answer::U => result("U", "UNKNOWN_EXCEPTION"),
            Answer::Http500 => Step::Respond(Reply::raw(500, "internal error", Signing::Unsigned)),
            Answer::RateLimited => result("U", "REQUEST_TRAFFIC_EXCEED_LIMIT"),
            Answer::Dropped => Step::Drop,
            Answer::CutS => Step::Cut(Reply::result("S", "SUCCESS", json!({}))),
            Answer::S => result("S", "SUCCESS"),
            Answer::F => result("F", "PARAM_ILLEGAL"),
        }
    }

    fn is_final(self) -> bool {
        matches!(self, Answer::S | Answer::F)
    }
}

/// A retry input: the gateway's answers in order (the last repeats) and the
/// attempts the policy allows.
#[derive(Debug, Clone)]
struct RetryInput {
    answers: Vec<Answer>,
    max_attempts: u32,
}

fn retry_input() -> SBoxedStrategy<RetryInput> {
    let answer = prop_oneof![
        Just(Answer::U),
        Just(Answer::Http500),
        Just(Answer::RateLimited),
        Just(Answer::Dropped),
        Just(Answer::CutS),
        Just(Answer::S),
        Just(Answer::F),
    ];
    (prop::collection::vec(answer, 1..5), 1u32..5)
        .prop_map(|(answers, max_attempts)| RetryInput {
            answers,
            max_attempts,
        })
        .sboxed()
}

async fn retry(cx: &Context<'_>, i: RetryInput) -> Trial {
    let answer_at = |n: usize| i.answers[n.min(i.answers.len() - 1)];
    let mut attempts = 1usize;
    while attempts < i.max_attempts as usize && !answer_at(attempts - 1).is_final() {
        attempts += 1;
    }
    let outcome = match answer_at(attempts - 1) {
        Answer::S => OutcomeKind::Success,
        Answer::F => OutcomeKind::Failed,
        _ => OutcomeKind::Unknown,
    };
    let call = RetryCall {
        endpoint: cx.retry_endpoint,
        script: i.answers.iter().map(|a| a.step()).collect(),
        max_attempts: i.max_attempts,
        attempt_timeout_ms: ATTEMPT_TIMEOUT_MS,
    };
    let expect = RetryExpect {
        attempts,
        outcome,
        min_gap: None,
    };
    let request_id = format!("conformance-property-retry-{:016x}", unique_id(&i));
    match judge_retry(cx.imp, cx.keys, call, &expect, &request_id, cx.classifies).await {
        Verdict::Pass => Trial::Pass,
        Verdict::Fail(m) => Trial::Fail(m),
        Verdict::Skip { reason } => Trial::Unsupported(reason),
        Verdict::NotOffered { capability } => Trial::Unsupported(capability.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_and_char_mutations_change_the_bytes() {
        let keys = TestKeys::load().unwrap();
        for mutation in [
            Mutation::BodyChar(3, 'x'),
            Mutation::Whitespace(0, ' '),
            Mutation::Whitespace(usize::MAX, '\n'),
        ] {
            let input = MessageInput {
                text: "é".into(),
                pretty: false,
                mutation,
            };
            let signed = signed_message(&keys, &input, "/p", "response-time", json!({"a": "é"}));
            assert_ne!(signed.body, json!({"a": "é"}).to_string(), "{input:?}");
        }
    }
}
