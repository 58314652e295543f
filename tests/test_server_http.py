"""Outside-in: a real Odoo server with the addon answers over HTTP."""

import requests


def test_health(odoo_server):
    resp = requests.get(f"{odoo_server.url}/web/health", timeout=10)
    assert resp.status_code == 200
    assert resp.json()["status"] == "pass"


def test_login_page(odoo_server):
    resp = requests.get(f"{odoo_server.url}/web/login", timeout=30)
    assert resp.status_code == 200
    assert 'name="login"' in resp.text
    assert 'name="csrf_token"' in resp.text


def test_addon_installed_over_jsonrpc(odoo_server):
    """Log in as the admin and read the module state through JSON-RPC."""
    session = requests.Session()
    auth = session.post(
        f"{odoo_server.url}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "params": {"db": odoo_server.db, "login": "admin", "password": "admin"},
        },
        timeout=30,
    ).json()
    assert auth.get("result", {}).get("uid"), auth
    resp = session.post(
        f"{odoo_server.url}/web/dataset/call_kw",
        json={
            "jsonrpc": "2.0",
            "params": {
                "model": "ir.module.module",
                "method": "search_read",
                "args": [[("name", "=", "sgc_helpdesk_ticket")], ["state"]],
                "kwargs": {},
            },
        },
        timeout=30,
    ).json()
    assert resp["result"][0]["state"] == "installed"
