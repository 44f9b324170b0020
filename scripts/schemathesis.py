#!/usr/bin/env python3
"""Runs schemathesis against a fresh sandbox, with real credentials.

Starts `target/debug/keet-sandbox` on a free loopback port, creates an API
key, a link token and (through a whole link flow over HTTP) an account token,
then runs schemathesis over spec/openapi.yaml. Exits with schemathesis's code.
"""
import json
import os
import secrets
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SANDBOX = ROOT / "target" / "debug" / "keet-sandbox"
SCHEMATHESIS = ROOT / ".venv" / "bin" / "schemathesis"


def call(base, method, path, token, body=None, headers=None):
    request = urllib.request.Request(base + path, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, data, timeout=10) as response:
        return json.load(response)


def link_token(base, api_key, end_user):
    config = {"linkConfig": {"endUserId": end_user, "integration": "Instagram"}}
    return call(base, "POST", "/v1/link/token", api_key, config)["linkToken"]


def account_token(base, api_key):
    token = link_token(base, api_key, "schemathesis-account")
    step = call(base, "GET", "/v1/link/session", token)["session"]["step"]
    done = call(
        base, "POST", "/v1/link/session/submit", token,
        {"stepId": step["id"], "values": {"username": "user_good", "password": "pass_good"}},
        {"Idempotency-Key": secrets.token_hex(16)},
    )
    exchanged = call(base, "POST", "/v1/linked-accounts/token", api_key,
                     {"publicToken": done["publicToken"]})
    return exchanged["accountToken"]


def main():
    # The sandbox mints its own API key and prints it, with its URL, as one
    # line of JSON (--ready-json), as it does for every harness.
    sandbox = subprocess.Popen(
        [str(SANDBOX), "--port", "0", "--rate-limit", "100000", "--ready-json", "--in-memory"],
        env={k: v for k, v in os.environ.items() if k != "KEET_SANDBOX_API_KEY"},
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        first = sandbox.stdout.readline().strip()
        try:
            ready = json.loads(first)
        except ValueError:
            sys.exit(f"the sandbox did not start: {first!r}")
        base, api_key = ready["api"], ready["apiKey"]
        env = {
            **os.environ,
            "KEET_API_KEY": api_key,
            "KEET_LINK_TOKEN": link_token(base, api_key, "schemathesis"),
            "KEET_ACCOUNT_TOKEN": account_token(base, api_key),
        }
        args = [str(SCHEMATHESIS), "run", str(ROOT / "spec" / "openapi.yaml"), "--url", base,
                "--max-examples", os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "60"), *sys.argv[1:]]
        return subprocess.run(args, env=env, cwd=ROOT).returncode
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
