//! Out-of-process implementations: the runner side of the adapter protocol
//! (`PROTOCOL.md`) and a serving loop for adapters written in Rust.

use std::collections::HashMap;
use std::process::Stdio;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::de::DeserializeOwned;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::oneshot;

use crate::protocol::{
    AdapterError, AdapterOp, AdapterRequest, AdapterResponse, BoxFuture, CallRequest, CallResponse,
    ClassifyRequest, ClassifyResponse, Hello, HelloRequest, ImplError, Implementation, SignRequest,
    SignResponse, VerifyNotificationRequest, VerifyNotificationResponse, VerifyResponseRequest,
    VerifyResponseResponse, PROTOCOL_VERSION, SUPPORTED_VERSIONS,
};

/// How long the runner waits for one reply.
pub const REPLY_TIMEOUT: Duration = Duration::from_secs(30);

/// How long the runner waits for the reply to `hello` before taking the
/// adapter for a version 1 one.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

/// Errors starting an adapter.
#[derive(Debug, thiserror::Error)]
pub enum AdapterStartError {
    /// The command line is empty.
    #[error("empty adapter command line")]
    Empty,
    /// Spawning failed.
    #[error("cannot start adapter `{command}`: {source}")]
    Spawn {
        /// The command line.
        command: String,
        /// The OS error.
        source: std::io::Error,
    },
}

type Pending = Arc<Mutex<HashMap<u64, oneshot::Sender<AdapterResponse>>>>;

/// An implementation behind an adapter process.
pub struct AdapterProcess {
    command: String,
    stdin: tokio::sync::Mutex<ChildStdin>,
    pending: Pending,
    next_id: AtomicU64,
    /// The protocol version agreed in `hello` (version 1 adapters answer
    /// it with an error).
    version: AtomicU32,
    _child: Child,
}

impl AdapterProcess {
    /// Spawns `command` with `sh -c` (stderr passes through).
    pub fn spawn(command: &str) -> Result<AdapterProcess, AdapterStartError> {
        if command.trim().is_empty() {
            return Err(AdapterStartError::Empty);
        }
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(command)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|source| AdapterStartError::Spawn {
                command: command.to_owned(),
                source,
            })?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(AdapterStartError::Spawn {
                command: command.to_owned(),
                source: std::io::Error::other("no stdio pipes"),
            });
        };
        let pending: Pending = Arc::new(Mutex::new(HashMap::new()));
        let p2 = pending.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let Ok(resp) = serde_json::from_str::<AdapterResponse>(&line) else {
                    eprintln!(
                        "antom-conformance: ignoring adapter output that is not a reply: {line}"
                    );
                    continue;
                };
                let tx = p2.lock().ok().and_then(|mut p| p.remove(&resp.id));
                if let Some(tx) = tx {
                    let _ = tx.send(resp);
                }
            }
            // The adapter exited: fail everything still waiting.
            if let Ok(mut p) = p2.lock() {
                p.clear();
            }
        });
        Ok(AdapterProcess {
            command: command.to_owned(),
            stdin: tokio::sync::Mutex::new(stdin),
            pending,
            next_id: AtomicU64::new(1),
            version: AtomicU32::new(PROTOCOL_VERSION),
            _child: child,
        })
    }

    async fn request<T: DeserializeOwned>(&self, op: AdapterOp) -> Result<T, ImplError> {
        self.request_within(op, REPLY_TIMEOUT).await
    }

    async fn request_within<T: DeserializeOwned>(
        &self,
        op: AdapterOp,
        timeout: Duration,
    ) -> Result<T, ImplError> {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let (tx, rx) = oneshot::channel();
        if let Ok(mut p) = self.pending.lock() {
            p.insert(id, tx);
        }
        let line = serde_json::to_string(&AdapterRequest {
            v: self.version.load(Ordering::SeqCst),
            id,
            op,
        })
        .map_err(|e| ImplError::Failed(format!("cannot encode request: {e}")))?;
        {
            let mut stdin = self.stdin.lock().await;
            let write = async {
                stdin.write_all(line.as_bytes()).await?;
                stdin.write_all(b"\n").await?;
                stdin.flush().await
            };
            write
                .await
                .map_err(|e| ImplError::Failed(format!("adapter stdin closed: {e}")))?;
        }
        let resp = match tokio::time::timeout(timeout, rx).await {
            Ok(Ok(r)) => r,
            Ok(Err(_)) => {
                return Err(ImplError::Failed(
                    "the adapter exited without replying".into(),
                ))
            }
            Err(_) => {
                if let Ok(mut p) = self.pending.lock() {
                    p.remove(&id);
                }
                return Err(ImplError::Failed(format!(
                    "no reply within {} s",
                    timeout.as_secs()
                )));
            }
        };
        if !SUPPORTED_VERSIONS.contains(&resp.v) {
            return Err(ImplError::Failed(format!(
                "adapter speaks protocol v{}, runner v{PROTOCOL_VERSION} (and v1)",
                resp.v
            )));
        }
        if let Some(e) = resp.error {
            return Err(e.into());
        }
        let result = resp
            .result
            .ok_or_else(|| ImplError::Failed("reply has neither result nor error".into()))?;
        serde_json::from_value(result.clone())
            .map_err(|e| ImplError::Failed(format!("malformed result {result}: {e}")))
    }
}

impl Implementation for AdapterProcess {
    fn name(&self) -> String {
        format!("adapter `{}`", self.command)
    }
    /// Sends `hello`. An adapter that answers it with an error speaks
    /// version 1: it is spoken to in version 1 from then on, and judged as
    /// offering every operation.
    fn hello(&self) -> BoxFuture<'_, Result<Hello, ImplError>> {
        Box::pin(async move {
            let hello = AdapterOp::Hello(HelloRequest {
                versions: SUPPORTED_VERSIONS.to_vec(),
            });
            // A version 1 adapter may ignore an op it does not know: do not
            // wait the whole reply timeout for it.
            match self.request_within::<Hello>(hello, HELLO_TIMEOUT).await {
                Ok(h) => Ok(h),
                Err(_) => {
                    self.version.store(1, Ordering::SeqCst);
                    Ok(Hello::everything(self.name()))
                }
            }
        })
    }
    fn sign(&self, req: SignRequest) -> BoxFuture<'_, Result<SignResponse, ImplError>> {
        Box::pin(self.request(AdapterOp::Sign(req)))
    }
    fn call(&self, req: CallRequest) -> BoxFuture<'_, Result<CallResponse, ImplError>> {
        Box::pin(self.request(AdapterOp::Call(req)))
    }
    fn verify_response(
        &self,
        req: VerifyResponseRequest,
    ) -> BoxFuture<'_, Result<VerifyResponseResponse, ImplError>> {
        Box::pin(self.request(AdapterOp::VerifyResponse(req)))
    }
    fn verify_notification(
        &self,
        req: VerifyNotificationRequest,
    ) -> BoxFuture<'_, Result<VerifyNotificationResponse, ImplError>> {
        Box::pin(self.request(AdapterOp::VerifyNotification(req)))
    }
    fn classify(&self, req: ClassifyRequest) -> BoxFuture<'_, Result<ClassifyResponse, ImplError>> {
        Box::pin(self.request(AdapterOp::Classify(req)))
    }
}

/// Serves the adapter protocol for `imp` on `input`/`output` until `input`
/// ends. Requests are handled concurrently; replies are written as they
/// complete, one line each.
pub async fn serve<R, W>(imp: Arc<dyn Implementation>, input: R, output: W) -> std::io::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let output = Arc::new(tokio::sync::Mutex::new(output));
    let mut lines = input.lines();
    let mut tasks = tokio::task::JoinSet::new();
    while let Some(line) = lines.next_line().await? {
        if line.trim().is_empty() {
            continue;
        }
        let imp = imp.clone();
        let output = output.clone();
        tasks.spawn(async move {
            let reply = handle_line(&*imp, &line).await;
            let mut text = serde_json::to_string(&reply).unwrap_or_else(|e| {
                format!(
                    r#"{{"v":1,"id":{},"error":{{"kind":"failed","message":"{e}"}}}}"#,
                    reply.id
                )
            });
            text.push('\n');
            let mut out = output.lock().await;
            let _ = out.write_all(text.as_bytes()).await;
            let _ = out.flush().await;
        });
    }
    while tasks.join_next().await.is_some() {}
    Ok(())
}

/// Handles one request line, producing the reply.
pub async fn handle_line(imp: &dyn Implementation, line: &str) -> AdapterResponse {
    let value: serde_json::Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return error_reply(0, "failed", format!("not JSON: {e}")),
    };
    let id = value.get("id").and_then(|v| v.as_u64()).unwrap_or(0);
    let v = value.get("v").and_then(|v| v.as_u64()).unwrap_or(0);
    let Some(v) = SUPPORTED_VERSIONS.into_iter().find(|s| u64::from(*s) == v) else {
        return error_reply(id, "failed", format!("unsupported protocol version {v}"));
    };
    let req: AdapterRequest = match serde_json::from_value(value) {
        Ok(r) => r,
        Err(e) => {
            let kind = if e.to_string().contains("unknown variant") {
                "unsupported"
            } else {
                "failed"
            };
            return error_reply(id, kind, format!("bad request: {e}"));
        }
    };
    let result = match req.op {
        AdapterOp::Hello(_) => imp.hello().await.map(to_value),
        AdapterOp::Sign(r) => imp.sign(r).await.map(to_value),
        AdapterOp::Call(r) => imp.call(r).await.map(to_value),
        AdapterOp::VerifyResponse(r) => imp.verify_response(r).await.map(to_value),
        AdapterOp::VerifyNotification(r) => imp.verify_notification(r).await.map(to_value),
        AdapterOp::Classify(r) => imp.classify(r).await.map(to_value),
    };
    match result {
        Ok(result) => AdapterResponse {
            v,
            id,
            result: Some(result),
            error: None,
        },
        Err(e) => AdapterResponse {
            v,
            id,
            result: None,
            error: Some(AdapterError::from(e)),
        },
    }
}

fn to_value<T: serde::Serialize>(t: T) -> serde_json::Value {
    serde_json::to_value(t).unwrap_or(serde_json::Value::Null)
}

fn error_reply(id: u64, kind: &str, message: String) -> AdapterResponse {
    AdapterResponse {
        v: PROTOCOL_VERSION,
        id,
        result: None,
        error: Some(AdapterError {
            kind: kind.to_owned(),
            message,
        }),
    }
}
