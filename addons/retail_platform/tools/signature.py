"""How the platforms sign their webhooks, as pure functions over bytes and strings.

- 抖音 Douyin: the header ``X-Douyin-Signature`` carries ``sha1(client secret + body)`` in hex,
  over the raw body as sent
  (https://developer.open-douyin.com/docs/resource/zh-CN/local-life/connect/webhooks).
- 美团外卖 Meituan: ``sig`` is ``md5(url + "?" + k1=v1&k2=v2… + secret)`` in lowercase hex, over
  the URL that was called (no query) and every parameter but ``sig`` sorted by name
  (https://developer.waimai.meituan.com/home/doc/food/1, "签名算法").
- 饿了么 Ele.me: ``signature`` is ``md5`` in uppercase hex of the body's top-level ``key=value``
  pairs but ``signature``, sorted and joined with nothing between them, followed by the secret
  (https://open.shop.ele.me/openapi/documents/callback, "http推送签名验证规则"). The calls the
  addon makes to Ele.me's API are signed another way: uppercase hex ``md5(action + token +
  sorted "k=<JSON value>" of the metas and params + secret)`` (``eleme_api_signature``, "签名算法"
  of its API protocol, as its SDKs compute it: JSON without spaces, non-ASCII as it is).

Digests are compared with :func:`hmac.compare_digest`, so a forger learns nothing from how long
a refusal takes. The timestamp of a message is part of what is signed; :func:`within_window`
refuses one too old or too far in the future, so a captured webhook cannot be replayed later.
"""

import hashlib
import hmac
import json

REPLAY_WINDOW_SECONDS = 300


def douyin_signature(secret, body):
    """Hex ``sha1(secret + body)``; ``body`` is the raw bytes of the request."""
    if isinstance(body, str):
        body = body.encode()
    return hashlib.sha1(secret.encode() + body).hexdigest()


def meituan_signature(url, params, secret):
    """Hex ``md5(url?sorted params + secret)``; ``sig`` itself is left out of the parameters."""
    query = "&".join(f"{name}={params[name]}" for name in sorted(params) if name != "sig")
    return hashlib.md5(f"{url}?{query}{secret}".encode()).hexdigest()


def eleme_signature(fields, secret):
    """Uppercase hex ``md5(sorted "k=v" of every top-level field but signature + secret)``.

    Values are written as they came in the JSON body: numbers as numbers (``type=10``), the
    ``message`` as the JSON string it is."""
    pairs = sorted(f"{name}={_eleme_text(value)}" for name, value in fields.items() if name != "signature")
    return hashlib.md5(("".join(pairs) + secret).encode()).hexdigest().upper()


def eleme_api_signature(action, token, metas, params, secret):
    """Uppercase hex ``md5(action + token + sorted "k=json(v)" of metas and params + secret)``."""
    merged = {**metas, **params}
    pairs = sorted(f"{name}={json.dumps(value, ensure_ascii=False, separators=(',', ':'))}"
                   for name, value in merged.items())
    return hashlib.md5(f"{action}{token}{''.join(pairs)}{secret}".encode()).hexdigest().upper()


def _eleme_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


def signatures_match(expected, given):
    """Constant-time comparison of two hex digests, case-insensitive; a missing one never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.lower().encode(), str(given).strip().lower().encode())


def within_window(timestamp, now, window=REPLAY_WINDOW_SECONDS):
    """Whether ``timestamp`` (seconds since the epoch) lies within ``window`` seconds of ``now``."""
    try:
        timestamp = int(timestamp)
    except (TypeError, ValueError):
        return False
    return abs(now - timestamp) <= window
