"""``relance serve`` without a browser: the token guard, the refusal to open the network bare, our page."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from simulator.cli import main
from simulator.tui.web.server import COOKIE, RelanceServer, is_loopback

TOKEN = "s3cret-token-for-tests"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::", "example.org"])
def test_a_network_address_without_a_token_refuses_to_start(host, capsys) -> None:
    assert main(["serve", "--host", host, "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "jeton est obligatoire" in err and "--token" in err


def test_a_short_token_is_refused(capsys) -> None:
    assert main(["serve", "--host", "0.0.0.0", "--token", "abc"]) == 2
    assert "trop court" in capsys.readouterr().err


def test_a_bad_port_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["serve", "--port", "70000"])
    assert stop.value.code == 2


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("127.8.0.1", True), ("localhost", True),
                                                ("::1", True), ("0.0.0.0", False), ("10.0.0.1", False)])
def test_loopback_detection(host, loopback) -> None:
    assert is_loopback(host) is loopback


async def test_the_page_and_the_websocket_need_the_token() -> None:
    server = RelanceServer("true", token=TOKEN)
    async with TestClient(TestServer(server.make_app())) as client:
        refused = await client.get("/")
        assert refused.status == 403 and "Jeton manquant" in await refused.text()
        assert (await client.get("/ws")).status == 403
        assert (await client.get("/?token=wrong-token-value")).status == 403
        page = await client.get(f"/?token={TOKEN}")
        body = await page.text()
        assert page.status == 200
        assert "<title>Relance" in body and "relance.svg" in body and "googleapis" not in body
        assert COOKIE in page.cookies and page.cookies[COOKIE]["httponly"]
        # The cookie now opens the page again without the token in the address.
        assert (await client.get("/")).status == 200
        assert (await client.get("/relance-static/relance.svg")).status == 200


async def test_without_a_token_on_loopback_the_page_is_open_and_sessions_are_bounded() -> None:
    server = RelanceServer("true", max_sessions=1)
    server.sessions = 1  # one tab already open
    async with TestClient(TestServer(server.make_app())) as client:
        assert (await client.get("/")).status == 200
        assert (await client.get("/ws")).status == 503
