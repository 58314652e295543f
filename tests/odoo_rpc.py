"""Talk to a running Odoo from outside: JSON-RPC as the web client does, XML-RPC as
Odoo's mailgate script does."""

import xmlrpc.client

import requests


class OdooRpc:
    """A logged-in session on ``server`` (the ``odoo_server`` fixture)."""

    def __init__(self, server, login="admin", password="admin", timeout=300):
        self.server = server
        self.url = server.url
        self.password = password
        self.timeout = timeout
        self.session = requests.Session()
        result = self._post(
            "/web/session/authenticate",
            {"db": server.db, "login": login, "password": password},
        )
        assert result.get("uid"), result
        self.uid = result["uid"]
        self.xmlrpc = xmlrpc.client.ServerProxy(
            f"{server.url}/xmlrpc/2/object", allow_none=True
        )

    def _post(self, path, params):
        answer = self.session.post(
            f"{self.url}{path}",
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=self.timeout,
        ).json()
        assert "error" not in answer, answer["error"]
        return answer["result"]

    def call(self, model, method, *args, **kwargs):
        return self._post(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    __call__ = call

    def execute_kw(self, model, method, args):
        return self.xmlrpc.execute_kw(
            self.server.db, self.uid, self.password, model, method, args
        )

    def xmlid(self, module, name):
        """The database id of the record ``module.name``."""
        [row] = self.call(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            ["res_id"],
        )
        return row["res_id"]
