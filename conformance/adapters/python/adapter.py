#!/usr/bin/env python3
"""Conformance adapter for Antom's official Python SDK (`global-open-sdk-python`).

Speaks the antom-conformance adapter protocol v2 (see conformance/PROTOCOL.md):
one JSON request per line on stdin, one JSON reply per line on stdout. Its
`hello` declares what the SDK itself implements: signing, response and
notification verification and calls, but no retries and no status mapping, so
the runner never judges code this adapter would have to invent.

Every operation goes through the SDK's own code:

- sign:               com.alipay.ams.api.tools.signature_tool.sign
- call:               DefaultAlipayClient.execute (signing, headers, sandbox
                      rewrite, response verification), with a generic request
                      object serialised like the SDK's requests (json.dumps,
                      indent=3); a verified response is reported `accepted`
                      (the SDK hands the body on without classifying it)
- verifyResponse:     the client's own header parsing and verification policy
                      (DefaultAlipayClient.__parse_header /
                      __assert_response_verified)
- verifyNotification: com.alipay.ams.api.tools.webhook_tool.check_signature,
                      wrapped the way an integrator's webhook would be (client
                      id check, deduplication by request id, acknowledgement)
- classify:           unsupported: the SDK returns the raw body and has no
                      status mapping of its own.

The only thing patched is the transport: the SDK always opens an HTTPS
connection on port 443, so for the loopback mock gateway (http://127.0.0.1:PORT)
the connection factory of com.alipay.ams.api.net.default_http_rpc is replaced
by a plain HTTP one. Signing, headers, body and verification are untouched.
"""

import base64
import http.client
import json
import sys
import threading
import urllib.parse

from cryptography.hazmat.primitives import serialization

from com.alipay.ams.api.default_alipay_client import DefaultAlipayClient
from com.alipay.ams.api.exception.exception import AlipayApiException
from com.alipay.ams.api.net import default_http_rpc
from com.alipay.ams.api.request.alipay_request import AlipayRequest
from com.alipay.ams.api.tools import signature_tool, webhook_tool

PROTOCOL_VERSIONS = (1, 2)
SDK_NAME = "global-open-sdk-python"
ACK = {"result": {"resultCode": "SUCCESS", "resultStatus": "S", "resultMessage": "success"}}


def _loopback_http_connection(url, timeout=default_http_rpc.DEFAULT_TIMEOUT):
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme == "http" and parsed.hostname in ("127.0.0.1", "localhost", "::1"):
        return http.client.HTTPConnection(parsed.hostname, parsed.port or 80, timeout=timeout)
    raise AlipayApiException("the conformance adapter only talks to loopback gateways: " + url)


# Module-level name (no class mangling): do_post looks it up at call time.
setattr(default_http_rpc, "__get_http_connection", _loopback_http_connection)


def pkcs1_body(pkcs8_b64):
    """The SDK wraps the private key in 'BEGIN RSA PRIVATE KEY': give it a PKCS#1 body."""
    key = serialization.load_der_private_key(base64.b64decode(pkcs8_b64), password=None)
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    return base64.b64encode(der).decode("ascii")


class GenericRequest(AlipayRequest):
    """Any endpoint: a path and a JSON object, serialised like the SDK's requests."""

    def __init__(self, path, body):
        super(GenericRequest, self).__init__(path)
        self._body = body

    def to_ams_json(self):
        return json.dumps(obj=self._body, indent=3)


def op_sign(req):
    value = signature_tool.sign(
        req["method"], req["path"], req["clientId"], req["requestTime"], req["body"],
        pkcs1_body(req["merchantPrivateKey"]),
    )
    return {"signature": "algorithm=RSA256,keyVersion=1,signature=" + value}


def op_call(req):
    client = DefaultAlipayClient(
        req["baseUrl"], req["clientId"], pkcs1_body(req["merchantPrivateKey"]), req["antomPublicKey"]
    )
    try:
        body = client.execute(GenericRequest(req["path"], req["request"]))
    except AlipayApiException as e:
        message = str(e)
        # Transport problems (connect/HTTP status) leave the result unknown;
        # everything else is the SDK refusing the response.
        transport = message.startswith(("connect failed", "request failed", "invalid http status"))
        return {"outcome": "unknown" if transport else "rejected", "detail": message}
    except (OSError, http.client.HTTPException) as e:
        return {"outcome": "unknown", "detail": repr(e)}
    result = (json.loads(body).get("result") or {})
    return {"outcome": "accepted", "resultCode": result.get("resultCode")}


def op_hello(req):
    try:
        from importlib.metadata import version
        sdk_version = version(SDK_NAME)
    except Exception:
        sdk_version = None
    return {
        "implementation": SDK_NAME,
        "version": sdk_version,
        "capabilities": ["sign", "verifyResponse", "verifyNotification", "call"],
    }


def op_verify_response(req):
    client = DefaultAlipayClient("http://127.0.0.1", req["clientId"], "", req["antomPublicKey"])
    headers = list(req["headers"].items())
    try:
        signature, response_time, client_id = client._DefaultAlipayClient__parse_header(headers)
        client._DefaultAlipayClient__assert_response_verified(
            "POST", req["path"], client_id, response_time, req["body"], signature
        )
    except Exception as e:  # the SDK raises AlipayApiException, rsa errors, ...
        return {"accepted": False, "reason": "%s: %s" % (type(e).__name__, e)}
    return {"accepted": True}


_processed = set()
_processed_lock = threading.Lock()


def op_verify_notification(req):
    headers = {k.lower(): v for k, v in req["headers"].items()}
    rejected = {"status": 401, "body": json.dumps({"result": {
        "resultCode": "INVALID_SIGNATURE", "resultStatus": "F", "resultMessage": "rejected"}}),
        "processed": False}
    if headers.get("client-id") != req["clientId"]:
        return rejected
    try:
        ok = webhook_tool.check_signature(
            "POST", req["path"], headers.get("client-id"), headers.get("request-time"),
            req["body"], headers.get("signature"), req["antomPublicKey"],
        )
    except Exception:
        ok = False
    if not ok:
        return rejected
    payload = json.loads(req["body"])
    key = (req["scope"], payload.get("notifyType"), payload.get("paymentRequestId"))
    with _processed_lock:
        first = key not in _processed
        _processed.add(key)
    return {"status": 200, "body": json.dumps(ACK), "processed": first}


OPS = {
    "hello": op_hello,
    "sign": op_sign,
    "call": op_call,
    "verifyResponse": op_verify_response,
    "verifyNotification": op_verify_notification,
}

_out_lock = threading.Lock()


def reply(obj):
    line = json.dumps(obj)
    with _out_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def handle(line):
    try:
        req = json.loads(line)
    except ValueError as e:
        reply({"v": 2, "id": 0, "error": {"kind": "failed", "message": "not JSON: %s" % e}})
        return
    rid = req.get("id", 0)
    v = req.get("v")
    if v not in PROTOCOL_VERSIONS:
        reply({"v": 2, "id": rid, "error": {"kind": "failed", "message": "unsupported protocol version"}})
        return
    op = OPS.get(req.get("op"))
    if op is None:
        reply({"v": v, "id": rid, "error": {
            "kind": "unsupported", "message": "the Python SDK has no %s operation" % req.get("op")}})
        return
    try:
        reply({"v": v, "id": rid, "result": op(req)})
    except Exception as e:
        reply({"v": v, "id": rid, "error": {"kind": "failed", "message": "%s: %s" % (type(e).__name__, e)}})


def main():
    threads = []
    for line in sys.stdin:
        if not line.strip():
            continue
        t = threading.Thread(target=handle, args=(line,), daemon=True)
        t.start()
        threads.append(t)
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
