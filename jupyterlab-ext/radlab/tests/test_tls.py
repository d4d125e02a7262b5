"""TLS to the upstream: custom CA, skip-verify, and Kubernetes client certificates from a kubeconfig
(certificates made with the openssl CLI; servers on 127.0.0.1)."""

from __future__ import annotations

import base64
import json
import shutil
import ssl
import subprocess

import pytest
import tornado.httpserver
import tornado.testing
import tornado.web
import yaml
from traitlets.config import Config

pytestmark = pytest.mark.skipif(not shutil.which("openssl"), reason="needs the openssl CLI")


def _openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    d = tmp_path_factory.mktemp("pki")
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=radlab-test-ca",
        cwd=d,
    )
    (d / "server.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    for name, ext in (("server", ["-extfile", "server.ext"]), ("client", [])):
        _openssl(
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            f"{name}.key",
            "-out",
            f"{name}.csr",
            "-subj",
            f"/CN=radlab-test-{name}",
            cwd=d,
        )
        _openssl(
            "x509",
            "-req",
            "-in",
            f"{name}.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            f"{name}.pem",
            "-days",
            "2",
            *ext,
            cwd=d,
        )
    return d


class WhoAmI(tornado.web.RequestHandler):
    def get(self):
        cert = self.request.get_ssl_certificate() or {}
        subject = dict(x[0] for x in cert.get("subject", ()))
        self.finish(
            {"client": subject.get("commonName"), "auth": self.request.headers.get("Authorization")}
        )


def _https_server(loop, pki, require_client_cert):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(pki / "server.pem", pki / "server.key")
    if require_client_cert:
        ctx.load_verify_locations(pki / "ca.pem")
        ctx.verify_mode = ssl.CERT_REQUIRED
    sock, port = tornado.testing.bind_unused_port()
    app = tornado.web.Application([(r"/.*", WhoAmI)])

    async def start():
        server = tornado.httpserver.HTTPServer(app, ssl_options=ctx)
        server.add_socket(sock)
        return server

    return loop.run_until_complete(start()), f"https://127.0.0.1:{port}"


@pytest.fixture
def https_servers(jp_asyncio_loop, pki):
    plain, plain_url = _https_server(jp_asyncio_loop, pki, False)
    mtls, mtls_url = _https_server(jp_asyncio_loop, pki, True)
    yield plain_url, mtls_url
    for server in (plain, mtls):
        server.stop()


@pytest.fixture
def jp_server_config(https_servers, pki, tmp_path):
    plain_url, mtls_url = https_servers

    def b64(name):
        return base64.b64encode((pki / name).read_bytes()).decode()

    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(
        yaml.safe_dump(
            {
                "current-context": "test",
                "clusters": [
                    {
                        "name": "c",
                        "cluster": {
                            "server": mtls_url,
                            "certificate-authority-data": b64("ca.pem"),
                        },
                    }
                ],
                "contexts": [
                    {"name": "test", "context": {"cluster": "c", "user": "cert"}},
                    {"name": "tokenonly", "context": {"cluster": "c", "user": "tok"}},
                ],
                "users": [
                    {
                        "name": "cert",
                        "user": {
                            "client-certificate-data": b64("client.pem"),
                            "client-key-data": b64("client.key"),
                        },
                    },
                    {"name": "tok", "user": {"token": "kube-token-only-123"}},
                ],
            }
        )
    )
    kubeconfig.chmod(0o600)
    return Config(
        {
            "ServerApp": {"jpserver_extensions": {"radlab": True}},
            "Radlab": {
                "connections": [
                    {"name": "noca", "kind": "livy", "url": plain_url, "timeoutMs": 3000},
                    {
                        "name": "ca",
                        "kind": "livy",
                        "url": plain_url,
                        "tls": {"ca": str(pki / "ca.pem")},
                    },
                    {
                        "name": "skip",
                        "kind": "livy",
                        "url": plain_url,
                        "tls": {"insecureSkipVerify": True},
                    },
                    {"name": "k8s", "kind": "kubernetes", "kubeconfig": str(kubeconfig)},
                    {
                        "name": "k8s-tok",
                        "kind": "kubernetes",
                        "kubeconfig": str(kubeconfig),
                        "context": "tokenonly",
                        "timeoutMs": 3000,
                    },
                ]
            },
        }
    )


@pytest.fixture
def fetch(http_server_client, jp_auth_header, jp_base_url):
    def _fetch(path):
        return http_server_client.fetch(
            jp_base_url + path, headers=jp_auth_header, raise_error=False
        )

    return _fetch


async def test_unknown_ca_is_unreachable_with_tls_hint(fetch):
    r = await fetch("radlab/proxy/noca/version")
    assert r.code == 502
    body = json.loads(r.body)
    assert body["code"] == "unreachable"
    assert "TLS" in body["message"] and "tls.ca" in body["hint"]


async def test_custom_ca_and_skip_verify(fetch):
    for name in ("ca", "skip"):
        r = await fetch(f"radlab/proxy/{name}/version")
        assert r.code == 200, (name, r.body)


async def test_kubernetes_client_certificate_from_kubeconfig(fetch):
    r = await fetch("radlab/proxy/k8s/version")
    assert r.code == 200, r.body
    assert json.loads(r.body) == {"client": "radlab-test-client", "auth": None}


async def test_kubernetes_without_client_cert_fails_cleanly(fetch):
    r = await fetch("radlab/proxy/k8s-tok/version")
    assert r.code == 502
    body = json.loads(r.body)
    assert body["code"] == "unreachable"
    assert body["service"] == "kubernetes"
    assert "kube-token-only-123" not in r.body.decode()
