"""The class in a browser: ``relance serve`` runs the app once per browser tab (textual-serve).

* **One tab, one trainee session.** Each websocket starts its own app process
  (``python -m simulator --served``): the trainee gives their identity in that tab, and
  their choices (language, mode) stay there; all tabs share the same store (SQLite in WAL
  mode takes concurrent writers).
* **A secret outside loopback.** Bound to anything but a loopback address, the server
  refuses to start without a token (``--token`` or ``RELANCE_SERVE_TOKEN``); with a token,
  the page and the websocket answer only a browser that presented it (``?token=`` once,
  then an HttpOnly, SameSite=Strict cookie). Compared in constant time.
* **Bounded.** At most ``max_sessions`` app processes at once; beyond, a clear refusal.
* **Our page.** Title, favicon and texts are Relance's; nothing is fetched from another
  site (textual-serve's own page asks a font from the Internet).
* **Scriptable.** ``--port 0`` takes a free port; once listening, one line on stdout
  gives the address (``relance serve : prêt (ready) — http://127.0.0.1:8000/``).
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging
import shlex
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from simulator.errors import UsageError

__all__ = ["MIN_TOKEN_LENGTH", "RelanceServer", "app_command", "is_loopback", "serve"]

HERE = Path(__file__).parent
COOKIE = "relance_token"
MIN_TOKEN_LENGTH = 12
"""Shortest accepted token (a guessable secret protects nothing)."""

log = logging.getLogger("relance.serve")


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(packs: Sequence[str] = (), lang: str | None = None) -> str:
    """The shell command that runs one tab's app (same Python, same packs)."""
    parts = [sys.executable, "-m", "simulator", "--served"]
    for pack in packs:
        parts += ["--pack", str(Path(pack).resolve())]
    if lang:
        parts += ["--lang", lang]
    return shlex.join(parts)


class RelanceServer:
    """The web server: Relance's page, the token guard, one app process per websocket."""

    def __init__(self, command: str, *, token: str | None = None, max_sessions: int = 50) -> None:
        self.command = command
        self.token = token
        self.max_sessions = max_sessions
        self.sessions = 0
        from textual_serve.download_manager import DownloadManager

        self.download_manager = DownloadManager()

    # ------------------------------------------------------------------ guard

    def _presented(self, request: Any) -> str:
        return request.query.get("token") or request.cookies.get(COOKIE) or ""

    def allowed(self, request: Any) -> bool:
        if not self.token:
            return True
        return hmac.compare_digest(self._presented(request).encode(), self.token.encode())

    def _refusal(self) -> Any:
        from aiohttp import web

        return web.Response(
            status=403,
            content_type="text/html",
            charset="utf-8",
            text=(
                "<!DOCTYPE html><html lang='fr'><meta charset='utf-8'><title>Relance</title>"
                "<body style='font-family:sans-serif;background:#0c181f;color:#eee;padding:3em'>"
                "<h1>Accès refusé</h1><p>Jeton manquant ou incorrect : ouvrez l'adresse complète "
                "donnée par votre formateur (elle se termine par <code>?token=…</code>).</p></body></html>"
            ),
        )

    # ------------------------------------------------------------------ routes

    def make_app(self) -> Any:
        """The aiohttp application (also used by the tests)."""
        import aiohttp_jinja2
        import jinja2
        import textual_serve
        from aiohttp import web

        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(HERE / "templates"))
        textual_static = Path(textual_serve.__file__).parent / "static"
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.static("/static", textual_static, name="static"),
                web.static("/relance-static", HERE / "static", name="relance-static"),
            ]
        )
        return app

    async def handle_index(self, request: Any) -> Any:
        import aiohttp_jinja2

        if not self.allowed(request):
            return self._refusal()
        try:
            font_size = max(8, min(32, int(request.query.get("fontsize", "16"))))
        except ValueError:
            font_size = 16
        scheme = "wss" if request.secure else "ws"
        context = {
            "title": "Relance — entraînement à la relance téléphonique",
            "static": "/static/",
            "relance_static": "/relance-static/",
            "websocket_url": f"{scheme}://{request.host}/ws",
            "font_size": font_size,
        }
        response = aiohttp_jinja2.render_template("index.html", request, context)
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if self.token and request.query.get("token"):
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict", path="/")
        return response

    async def handle_websocket(self, request: Any) -> Any:
        from aiohttp import WSMsgType, web
        from textual_serve.app_service import AppService

        if not self.allowed(request):
            return self._refusal()
        if self.sessions >= self.max_sessions:
            raise web.HTTPServiceUnavailable(text="Relance : trop de séances ouvertes, réessayez dans un instant.")
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=1 << 20)
        try:
            width = max(20, min(400, int(request.query.get("width", "80"))))
            height = max(10, min(200, int(request.query.get("height", "24"))))
        except ValueError:
            width, height = 80, 24
        service: AppService | None = None
        self.sessions += 1
        try:
            await websocket.prepare(request)
            service = AppService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
            )
            await service.start(width, height)
            async for message in websocket:
                if message.type != WSMsgType.TEXT:
                    continue
                try:
                    envelope = message.json()
                    kind = envelope[0]
                except (ValueError, TypeError, IndexError, KeyError):
                    continue
                await self._dispatch(service, websocket, kind, envelope[1] if len(envelope) > 1 else None)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # a broken tab must not stop the class
            log.warning("séance interrompue : %s", error)
        finally:
            self.sessions -= 1
            if service is not None:
                await service.stop()
        return websocket

    async def _dispatch(self, service: Any, websocket: Any, kind: str, data: Any) -> None:
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            try:
                width = max(20, min(400, int(data["width"])))
                height = max(10, min(200, int(data["height"])))
            except (KeyError, TypeError, ValueError):
                return
            await service.set_terminal_size(width, height)
        elif kind == "ping":
            await websocket.send_json(["pong", data])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()


def _check(host: str, token: str | None) -> None:
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise UsageError(
            f"jeton trop court ({len(token)} caractères, {MIN_TOKEN_LENGTH} au moins)",
            "prenez par exemple la sortie de `python -c \"import secrets; print(secrets.token_urlsafe(18))\"`",
        )
    if not is_loopback(host) and not token:
        raise UsageError(
            f"--host {host} ouvre Relance au réseau : un jeton est obligatoire",
            "ajoutez --token SECRET (ou la variable RELANCE_SERVE_TOKEN), puis donnez l'adresse "
            "http://HÔTE:PORT/?token=SECRET aux stagiaires",
        )


def serve(
    host: str,
    port: int,
    *,
    token: str | None,
    command: str,
    max_sessions: int = 50,
    ready: Callable[[str], None] | None = None,
    until: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Run the server until Ctrl+C / SIGTERM (or ``until`` returns); ``ready`` gets the address."""
    _check(host, token)
    server = RelanceServer(command, token=token, max_sessions=max_sessions)

    async def main() -> None:
        from aiohttp import web

        runner = web.AppRunner(server.make_app(), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError as error:
            await runner.cleanup()
            raise UsageError(f"impossible d'écouter sur {host}:{port} ({error.strerror or error})",
                             "choisissez un autre port avec --port (0 : un port libre)") from None
        sockets = getattr(site._server, "sockets", None) or []  # noqa: SLF001 - the bound port (port 0)
        bound = sockets[0].getsockname()[1] if sockets else port
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{bound}/" + ("?token=" + token if token else "")
        (ready or _print_ready)(url)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, stop.set)
            except (NotImplementedError, RuntimeError):  # pragma: no cover - not on this platform
                pass
        try:
            if until is not None:
                waiter = asyncio.ensure_future(until())
                stopper = asyncio.ensure_future(stop.wait())
                await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
                for task in (waiter, stopper):
                    task.cancel()
            else:
                await stop.wait()
        finally:
            await runner.cleanup()

    asyncio.run(main())


def _print_ready(url: str) -> None:
    sys.stdout.write(f"relance serve : prêt (ready) — {url}\n")
    sys.stdout.write("Chaque onglet ouvert à cette adresse est une séance de stagiaire. Ctrl+C pour arrêter.\n")
    sys.stdout.flush()
