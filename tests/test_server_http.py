"""Outside-in: a real Odoo server with the addon answers over HTTP."""

import requests
from odoo_rpc import OdooRpc


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
    rpc = OdooRpc(odoo_server)
    [module] = rpc.call(
        "ir.module.module",
        "search_read",
        [("name", "=", "sgc_helpdesk_ticket")],
        ["state"],
    )
    assert module["state"] == "installed"
