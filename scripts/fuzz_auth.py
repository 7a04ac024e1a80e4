"""Schemathesis hook: authenticate every generated request as WENJI_FUZZ_EMAIL.

Loaded through SCHEMATHESIS_HOOKS by scripts/fuzz. A fuzzed `logout` ends the session, so
the token is fetched again whenever the API answers 401.
"""

import json
import os
import urllib.request

import schemathesis

EMAIL = os.environ.get("WENJI_FUZZ_EMAIL")
PASSWORD = os.environ.get("WENJI_FUZZ_PASSWORD", "wenji-demo-2026")
BASE = os.environ["WENJI_FUZZ_BASE"]

if EMAIL:

    @schemathesis.auth(retry_on=[401])
    class SessionToken:
        def get(self, case, context):
            body = json.dumps({"email": EMAIL, "password": PASSWORD}).encode()
            request = urllib.request.Request(
                f"{BASE}/auth/login", data=body, headers={"content-type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.load(response)["token"]

        def set(self, case, data, context):
            case.headers = case.headers or {}
            case.headers["Authorization"] = f"Bearer {data}"
