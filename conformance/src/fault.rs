//! A fault layer in front of a wiremock server, for what wiremock cannot
//! express: a connection dropped after the request was read, a response cut
//! in the middle of its body, a body that stalls.
//!
//! The layer is a loopback HTTP/1.1 proxy. It forwards every request, bytes
//! unchanged, to the wiremock server behind it, and relays the answer. A
//! responder asks for a fault by marking its answer with [`mark`]; the layer
//! then removes the mark and enacts the fault on the client's connection.
//! The request has reached the responder by then, so the fault plays a
//! gateway that did the work and lost the answer: the case that makes a
//! client's retry with the same request id matter.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use antom_conformance::fault::{mark, ConnectionFault, FaultLayer};
//! use wiremock::{matchers::any, Mock, MockServer, ResponseTemplate};
//!
//! let server = MockServer::start().await;
//! Mock::given(any())
//!     .respond_with(mark(ResponseTemplate::new(200).set_body_string("{}"), ConnectionFault::Drop))
//!     .up_to_n_times(1)
//!     .mount(&server)
//!     .await;
//! Mock::given(any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;
//! let layer = FaultLayer::start(&server, 0).await?;
//! // Point the client under test at `layer.uri()`: its first request reaches
//! // the server and the connection closes without an answer; the second is
//! // answered.
//! # Ok(()) }
//! ```

use std::net::SocketAddr;
use std::time::Duration;

use http_body_util::channel::Channel;
use http_body_util::{BodyExt, Either, Full, Limited};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::header::{HeaderName, CONNECTION, CONTENT_LENGTH, HOST, TRANSFER_ENCODING};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The response header that asks the layer for a fault (removed before the
/// answer, if any, reaches the client).
pub const FAULT_HEADER: &str = "x-antom-fault";

/// The largest request body the layer forwards (larger ones get a 413).
pub const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;

/// How long a stalled body waits before the layer closes the connection.
pub const STALL: Duration = Duration::from_secs(30);

/// A fault the layer enacts on the client's connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionFault {
    /// Close the connection without answering.
    Drop,
    /// Send the status, the headers (with the full `content-length`) and the
    /// first half of the body, then close the connection.
    CutBody,
    /// Send the status, the headers and the first half of the body, then
    /// nothing for [`STALL`], then close the connection.
    StallBody,
}

impl ConnectionFault {
    /// The value of [`FAULT_HEADER`] naming it.
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionFault::Drop => "drop",
            ConnectionFault::CutBody => "cut-body",
            ConnectionFault::StallBody => "stall-body",
        }
    }

    fn parse(value: &[u8]) -> Option<ConnectionFault> {
        [
            ConnectionFault::Drop,
            ConnectionFault::CutBody,
            ConnectionFault::StallBody,
        ]
        .into_iter()
        .find(|f| f.as_str().as_bytes() == value)
    }
}

/// `template` marked so that a [`FaultLayer`] in front of the server enacts
/// `fault` instead of delivering it whole.
pub fn mark(
    template: wiremock::ResponseTemplate,
    fault: ConnectionFault,
) -> wiremock::ResponseTemplate {
    template.insert_header(FAULT_HEADER, fault.as_str())
}

/// A running fault layer; it stops when dropped.
pub struct FaultLayer {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for FaultLayer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl std::fmt::Debug for FaultLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaultLayer")
            .field("addr", &self.addr)
            .finish()
    }
}

impl FaultLayer {
    /// Starts a layer on loopback `port` (0: any free port) in front of
    /// `server`.
    pub async fn start(server: &wiremock::MockServer, port: u16) -> std::io::Result<FaultLayer> {
        FaultLayer::in_front_of(server.uri(), port).await
    }

    /// Starts a layer on loopback `port` (0: any free port) in front of the
    /// HTTP server at `upstream` (`http://127.0.0.1:PORT`).
    pub async fn in_front_of(upstream: String, port: u16) -> std::io::Result<FaultLayer> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let client = reqwest::Client::builder()
            .no_proxy()
            .http1_only()
            .build()
            .map_err(std::io::Error::other)?;
        let task = tokio::spawn(async move {
            // The connections live in the set, so stopping the layer ends
            // them too (a stalled body included).
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                while connections.try_join_next().is_some() {}
                let (client, upstream) = (client.clone(), upstream.clone());
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        forward(req, client.clone(), upstream.clone())
                    });
                    // A dropped or cut connection ends here; nothing to report.
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(FaultLayer { addr, task })
    }

    /// Its base URL, `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.addr
    }
}

/// Why the layer closed a connection without a (whole) answer.
#[derive(Debug, thiserror::Error)]
enum Closed {
    #[error("connection dropped as the responder asked")]
    Dropped,
    #[error("body cut as the responder asked")]
    Cut,
    #[error("the server behind the fault layer did not answer: {0}")]
    Upstream(reqwest::Error),
}

type Body = Either<Full<Bytes>, Channel<Bytes, Closed>>;

fn plain(status: hyper::StatusCode, text: &str) -> hyper::Response<Body> {
    let mut response = hyper::Response::new(Either::Left(Full::new(Bytes::from(text.to_owned()))));
    *response.status_mut() = status;
    response
}

/// Headers that belong to one connection, not to the message.
fn hop_by_hop(name: &HeaderName) -> bool {
    name == CONNECTION || name == HOST || name == CONTENT_LENGTH || name == TRANSFER_ENCODING
}

async fn forward(
    req: hyper::Request<Incoming>,
    client: reqwest::Client,
    upstream: String,
) -> Result<hyper::Response<Body>, Closed> {
    let (parts, body) = req.into_parts();
    let Ok(body) = Limited::new(body, MAX_REQUEST_BYTES).collect().await else {
        return Ok(plain(
            hyper::StatusCode::PAYLOAD_TOO_LARGE,
            "request body too large or unreadable",
        ));
    };
    let target = format!(
        "{upstream}{}",
        parts.uri.path_and_query().map_or("/", |p| p.as_str())
    );
    let mut outgoing = client.request(parts.method, target).body(body.to_bytes());
    for (name, value) in &parts.headers {
        if !hop_by_hop(name) {
            outgoing = outgoing.header(name, value);
        }
    }
    let answer = outgoing.send().await.map_err(Closed::Upstream)?;
    let fault = answer
        .headers()
        .get(FAULT_HEADER)
        .and_then(|v| ConnectionFault::parse(v.as_bytes()));
    let status = answer.status();
    let mut headers = answer.headers().clone();
    let bytes = answer.bytes().await.map_err(Closed::Upstream)?;
    strip(&mut headers);
    let body = match fault {
        None => Either::Left(Full::new(bytes)),
        Some(ConnectionFault::Drop) => return Err(Closed::Dropped),
        Some(fault) => {
            headers.insert(CONTENT_LENGTH, bytes.len().into());
            let (mut sender, body) = Channel::new(1);
            tokio::spawn(async move {
                let half = bytes.slice(..bytes.len() / 2);
                if sender.send(Frame::data(half)).await.is_ok() {
                    if fault == ConnectionFault::StallBody {
                        tokio::time::sleep(STALL).await;
                    }
                    sender.abort(Closed::Cut);
                }
            });
            Either::Right(body)
        }
    };
    let mut response = hyper::Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    Ok(response)
}

/// Removes the connection-level headers and the fault mark.
fn strip(headers: &mut hyper::HeaderMap) {
    let names: Vec<HeaderName> = headers
        .keys()
        .filter(|n| hop_by_hop(n) || n.as_str() == FAULT_HEADER)
        .cloned()
        .collect();
    for name in names {
        headers.remove(name);
    }
}
