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
                      rewrite, response verification) with the SDK's own
                      request class for the endpoint (typed mode: its own path
                      constant, its own fields and serialisation; see
                      `typed_request`), or, for an endpoint the SDK has no
                      class for, a generic request serialised like the SDK's
                      (json.dumps, indent=3); a verified response is reported
                      `accepted` (the SDK hands the body on without
                      classifying it)
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
import importlib
import inspect
import json
import pkgutil
import re
import sys
import threading
import urllib.parse
from enum import Enum

from cryptography.hazmat.primitives import serialization

from com.alipay.ams.api.default_alipay_client import DefaultAlipayClient
from com.alipay.ams.api.exception.exception import AlipayApiException
from com.alipay.ams.api.net import default_http_rpc
from com.alipay.ams.api import request as sdk_requests
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


# Where the SDK has several request classes for one path, the one its README
# and samples use.
PREFERRED_CLASS = {
    "/ams/api/v1/payments/createPaymentSession": "AlipayPaymentSessionRequest",
    "/ams/api/v1/payments/capture": "AlipayCaptureRequest",
    "/ams/api/v1/payments/inquiryRefund": "AlipayInquiryRefundRequest",
    "/ams/api/v1/payments/updateAmount": "AlipayUpdateAmountRequest",
}


def _request_classes():
    """Every request class of the SDK with a no-argument constructor, by the
    path it names (repeated slashes folded, so a class whose constant is
    misspelt is still found, and then sends its misspelt path)."""
    found = {}
    for info in pkgutil.walk_packages(sdk_requests.__path__, sdk_requests.__name__ + "."):
        try:
            module = importlib.import_module(info.name)
        except Exception:
            continue
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls is AlipayRequest or not issubclass(cls, AlipayRequest) or cls.__module__ != module.__name__:
                continue
            try:
                path = cls().path
            except Exception:
                continue  # needs constructor arguments: not usable from request fields
            if isinstance(path, str):
                found.setdefault(re.sub("/+", "/", path), {})[name] = cls
    return {path: classes.get(PREFERRED_CLASS.get(path), next(iter(classes.values())))
            for path, classes in found.items()}


REQUEST_CLASSES = _request_classes()
_WIRE_FIELD = re.compile(r"""params\[['"](\w+)['"]\]\s*=\s*self\.(?:_\w+?__|__)?(\w+)""")
_TYPE_COMMENT = re.compile(r"self\.__(\w+)\s*=.*#\s*type:\s*(\[?)\s*(\w+)")
_shapes = {}


def _shape(cls):
    """What an SDK class serialises, read from its source: wire name ->
    (attribute, declared type name, is a list). The attribute names do not
    follow one rule (`is_3D_s_authentication`), so they are taken from the
    class's own `to_ams_dict`."""
    if cls not in _shapes:
        try:
            source = inspect.getsource(cls)
        except (OSError, TypeError):
            source = ""
        types = {attr: (name, bool(is_list)) for attr, is_list, name in _TYPE_COMMENT.findall(source)}
        _shapes[cls] = {wire: (attr,) + types.get(attr, (None, False))
                        for wire, attr in _WIRE_FIELD.findall(source)}
    return _shapes[cls]


def _sdk_value(owner, type_name, value):
    """`value` as the SDK's own type `type_name` (a model or an enum of the
    module that declares the field), the way an integrator fills it in."""
    kind = getattr(sys.modules[owner.__module__], type_name, None) if type_name else None
    if isinstance(kind, type) and issubclass(kind, Enum):
        try:
            return kind(value)
        except ValueError:
            return value  # a value the SDK's enum does not know: sent as given
    if inspect.isclass(kind) and isinstance(value, dict) and hasattr(kind, "to_ams_dict"):
        return _build(kind, value)
    return value


def _build(cls, fields):
    """An instance of the SDK class `cls` with `fields` (wire names) set
    through its properties. A field the class does not serialise is left
    out: the SDK cannot send it."""
    obj = cls()
    shape = _shape(cls)
    for key, value in fields.items():
        if key not in shape:
            continue
        attr, type_name, is_list = shape[key]
        if is_list and isinstance(value, list):
            value = [_sdk_value(cls, type_name, v) for v in value]
        else:
            value = _sdk_value(cls, type_name, value)
        if isinstance(getattr(cls, attr, None), property):
            setattr(obj, attr, value)
        else:
            setattr(obj, "_%s__%s" % (cls.__name__, attr), value)
    return obj


def typed_request(path, fields):
    """The SDK's own request object for `path` filled from `fields` (nested
    objects as the SDK's model classes, enum values as its enums), or None
    when the SDK has no request class for the path."""
    cls = REQUEST_CLASSES.get(path)
    return None if cls is None else _build(cls, fields)


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
    request = typed_request(req["path"], req["request"])
    typed = request is not None
    if not typed:
        request = GenericRequest(req["path"], req["request"])
    try:
        body = client.execute(request)
    except AlipayApiException as e:
        message = str(e)
        # Transport problems (connect/HTTP status) leave the result unknown;
        # everything else is the SDK refusing the response.
        transport = message.startswith(("connect failed", "request failed", "invalid http status"))
        return {"outcome": "unknown" if transport else "rejected", "detail": message, "typed": typed}
    except (OSError, http.client.HTTPException) as e:
        return {"outcome": "unknown", "detail": repr(e), "typed": typed}
    result = (json.loads(body).get("result") or {})
    return {"outcome": "accepted", "resultCode": result.get("resultCode"), "typed": typed}


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
