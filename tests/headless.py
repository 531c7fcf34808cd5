"""Headless Chromium (Debian's `chromium`) driven through the Chrome DevTools protocol.

A page is opened with every network route closed (a dead proxy, names that resolve to
nothing), and everything it tries is recorded: requests, console messages, exceptions and
dialogs (an `alert` from injected script opens one).
"""
from __future__ import annotations

import base64
import io
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import pytest
import websocket

STARTUP_S = 60


def require_chromium() -> str:
    """The browser's path. CI must have it (.ci/run installs it), so there it fails, not skips."""
    path = shutil.which("chromium")
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed: .ci/run installs Debian's chromium package")
    pytest.skip("chromium is not installed (apt-get install chromium)")


class Page:
    def __init__(self, ws_url: str):
        self.ws = websocket.create_connection(ws_url, timeout=STARTUP_S, suppress_origin=True)
        self.events: list[dict] = []
        self._next = 0

    def call(self, method: str, **params) -> dict:
        self._next += 1
        self.ws.send(json.dumps({"id": self._next, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self._next:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)
            if message.get("method") == "Page.javascriptDialogOpening":
                self.call("Page.handleJavaScriptDialog", accept=True)

    def wait_for(self, method: str) -> dict:
        while True:
            for e in self.events:
                if e.get("method") == method:
                    return e
            message = json.loads(self.ws.recv())
            self.events.append(message)
            if message.get("method") == "Page.javascriptDialogOpening":
                self.call("Page.handleJavaScriptDialog", accept=True)

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, selector: str):
        """The element's pixels, as a PIL image."""
        from PIL import Image
        box = self.evaluate(f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
                            ".getBoundingClientRect(); return [r.x + scrollX, r.y + scrollY, "
                            "r.width, r.height]; })()")
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                         clip={"x": box[0], "y": box[1], "width": box[2], "height": box[3],
                               "scale": 1})["data"]
        return Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")

    def of(self, method: str) -> list[dict]:
        return [e["params"] for e in self.events if e.get("method") == method]

    def console_errors(self) -> list[str]:
        errors = [str(p.get("exceptionDetails")) for p in self.of("Runtime.exceptionThrown")]
        errors += [json.dumps(p.get("args")) for p in self.of("Runtime.consoleAPICalled")
                   if p.get("type") in ("error", "assert")]
        errors += [p["entry"].get("text", "") for p in self.of("Log.entryAdded")
                   if p["entry"].get("level") == "error"]
        return errors


class Chromium:
    """`with Chromium() as open_page: page = open_page(url)`: each page loaded and idle."""

    def __enter__(self):
        self.profile = tempfile.mkdtemp(prefix="newsevents-chromium-")
        self.proc = subprocess.Popen(
            [require_chromium(), "--headless=new", "--no-sandbox", "--disable-gpu",
             "--no-first-run", "--disable-extensions", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--window-size=1300,1600",
             f"--user-data-dir={self.profile}", "--remote-debugging-port=0",
             "--remote-debugging-address=127.0.0.1",
             # the network, closed: any request the page makes fails (and is recorded)
             "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
             "--host-resolver-rules=MAP * ~NOTFOUND", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.monotonic() + STARTUP_S
        while not os.path.exists(port_file) or not open(port_file).read().strip():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError("chromium did not start")
            time.sleep(0.1)
        self.port = open(port_file).read().split()[0]
        self.pages: list[Page] = []
        return self.open

    def open(self, url: str) -> Page:
        # /json/new takes PUT in current Chromium (GET is refused)
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/json/new?about:blank",
                                         method="PUT")
        with urllib.request.urlopen(request, timeout=STARTUP_S) as r:
            target = json.load(r)
        page = Page(target["webSocketDebuggerUrl"])
        self.pages.append(page)
        for domain in ("Page", "Runtime", "Network", "Log"):
            page.call(f"{domain}.enable")
        page.call("Page.navigate", url=url)
        page.wait_for("Page.loadEventFired")
        return page

    def __exit__(self, *exc):
        for page in getattr(self, "pages", []):
            page.ws.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def blank(image) -> bool:
    """True when an image is (nearly) one colour: nothing was drawn."""
    colours = image.getcolors(maxcolors=1 << 16)
    if colours is None:                       # more than 65,536 colours: certainly drawn
        return False
    top = max(n for n, _ in colours)
    return top > 0.98 * image.width * image.height
