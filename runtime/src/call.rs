//! A typed call: [`Client::call`] checks and serializes the request at
//! once and returns a [`Call`], the future that sends it when awaited. The
//! generated client's endpoint methods are this call with their endpoint.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::client::{serialize_request, Client, Response};
use crate::error::Error;
use crate::protocol::{EndpointDef, Validate};

type Boxed<'a, Resp, C> =
    Pin<Box<dyn Future<Output = Result<Response<Resp, C>, Error>> + Send + 'a>>;

/// A call of one endpoint, sent when awaited: the future [`Client::call`]
/// and the generated client's methods return. Its output is the typed
/// response (`Resp`, with result codes read into `C`) or the error that
/// ended the call.
///
/// The request was checked against the spec's length limits and serialized
/// when the call was made; a request that failed either resolves to
/// `Error::InvalidRequest` or `Error::Serialize` without sending anything.
#[must_use = "a call sends nothing until it is awaited"]
pub struct Call<'a, Resp, C> {
    future: Boxed<'a, Resp, C>,
}

impl<Resp, C> Future for Call<'_, Resp, C> {
    type Output = Result<Response<Resp, C>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.get_mut().future.as_mut().poll(cx)
    }
}

impl<Resp, C> fmt::Debug for Call<'_, Resp, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call").finish_non_exhaustive()
    }
}

impl Client {
    /// Calls `endpoint` with `request`: checks the request's length limits
    /// ([`Validate`]) and serializes it now, and sends it (see
    /// [`Client::execute_bytes`]) when the returned [`Call`] is awaited.
    /// A request that breaks a limit is `Error::InvalidRequest` naming the
    /// field path, and nothing is sent.
    pub fn call<'a, Req, Resp, C>(
        &'a self,
        endpoint: &'static EndpointDef,
        request: &Req,
    ) -> Call<'a, Resp, C>
    where
        Req: Serialize + Validate + ?Sized,
        Resp: DeserializeOwned + Send + 'a,
        C: for<'s> From<&'s str> + Send + 'a,
    {
        let body = request
            .validate()
            .map_err(|e| Error::InvalidRequest {
                endpoint: endpoint.name,
                source: Box::new(e),
            })
            .and_then(|()| serialize_request(endpoint, request));
        let future: Boxed<'a, Resp, C> = match body {
            Ok(body) => Box::pin(self.execute_bytes(endpoint, body)),
            Err(e) => Box::pin(std::future::ready(Err(e))),
        };
        Call { future }
    }
}
