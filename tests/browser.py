"""A headless Chromium driven through the Chrome DevTools Protocol, for the reader's browser test.

The protocol runs over a pair of pipes (``--remote-debugging-pipe``: Chromium reads commands on its file descriptor
3 and writes replies and events on 4, each a JSON message ended by a NUL byte), so the test needs nothing but the
standard library and a system Chromium (Debian: ``apt-get install chromium``): no driver, no port, no package to
pin. Every request a page makes is recorded from the Network domain's events; the browser is also started with
every host name resolving to nothing and a proxy that does not exist, so a request for the network could not reach
it even if one were made.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# Flags of a quiet, local-only headless browser: no first-run screens, no background services that phone home.
FLAGS = (
    "--headless=new",
    "--no-sandbox",  # as root (CI) Chromium refuses to start sandboxed
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication",
    "--metrics-recording-only",
    "--mute-audio",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
    "--proxy-server=http://127.0.0.1:9",
    "--allow-file-access-from-files",
    "--remote-debugging-pipe",
)


def find_chromium() -> str | None:
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


class BrowserError(RuntimeError):
    pass


class Chromium:
    """One headless browser with one page; use as a context manager."""

    def __init__(self, executable: str, width: int = 1280, height: int = 900, timeout: float = 60) -> None:
        self.executable, self.width, self.height, self.timeout = executable, width, height, timeout
        self._next_id = 0
        self._replies: dict[int, dict] = {}
        self._events: list[dict] = []
        self._condition = threading.Condition()
        self._closed = False

    # --- process and pipes -----------------------------------------------------------------------------------

    def __enter__(self) -> Chromium:
        self._profile = tempfile.TemporaryDirectory(prefix="reader-browser-")
        to_browser_read, to_browser_write = os.pipe()
        from_browser_read, from_browser_write = os.pipe()

        def child_pipes() -> None:  # runs in the child: the protocol's pipes on descriptors 3 and 4
            commands, replies = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser_read, from_browser_write))
            os.dup2(commands, 3)  # inheritable: kept open across exec (close_fds=False below)
            os.dup2(replies, 4)

        self.process = subprocess.Popen(
            [self.executable, *FLAGS, f"--user-data-dir={self._profile.name}",
             f"--window-size={self.width},{self.height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            close_fds=False, preexec_fn=child_pipes,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._writer = os.fdopen(to_browser_write, "wb", buffering=0)
        self._reader = os.fdopen(from_browser_read, "rb", buffering=0)
        self._stderr_lines: list[str] = []
        threading.Thread(target=self._read_loop, daemon=True).start()
        threading.Thread(target=self._stderr_loop, daemon=True).start()
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Network", "Runtime"):
            self.page(f"{domain}.enable")
        self.page("Network.setCacheDisabled", cacheDisabled=True)
        self.page("Emulation.setDeviceMetricsOverride", width=self.width, height=self.height,
                  deviceScaleFactor=1, mobile=False)
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.send("Browser.close")
        except BrowserError:
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._profile.cleanup()

    def _read_loop(self) -> None:
        buffer = b""
        while True:
            chunk = self._reader.read(1 << 16)
            if not chunk:
                break
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            with self._condition:
                for raw in messages:
                    message = json.loads(raw)
                    if "id" in message:
                        self._replies[message["id"]] = message
                    else:
                        self._events.append(message)
                self._condition.notify_all()
        with self._condition:
            self._closed = True
            self._condition.notify_all()

    def _stderr_loop(self) -> None:
        for line in self.process.stderr:
            self._stderr_lines.append(line.decode(errors="replace"))

    # --- protocol --------------------------------------------------------------------------------------------

    def send(self, method: str, session: str | None = None, **params) -> dict:
        self._next_id += 1
        message_id = self._next_id
        message = {"id": message_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self._writer.write(json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        with self._condition:
            while message_id not in self._replies:
                if self._closed:
                    raise BrowserError(f"Chromium closed the connection; its stderr:\n{''.join(self._stderr_lines)}")
                if not self._condition.wait(timeout=deadline - time.monotonic()):
                    raise BrowserError(f"{method}: no reply within {self.timeout} s")
            reply = self._replies.pop(message_id)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def page(self, method: str, **params) -> dict:
        return self.send(method, session=self.session, **params)

    def events(self, method: str) -> list[dict]:
        with self._condition:
            return [event["params"] for event in self._events if event.get("method") == method]

    # --- what a test does ------------------------------------------------------------------------------------

    def open(self, url: str) -> None:
        """Load *url* and wait for its load event, then until the network has been quiet for half a second."""
        with self._condition:
            self._events.clear()
        reply = self.page("Page.navigate", url=url)
        if reply.get("errorText"):
            raise BrowserError(f"{url}: {reply['errorText']}")
        self.wait_for(lambda: self.events("Page.loadEventFired"), f"the load event of {url}")
        quiet_since, seen = time.monotonic(), -1
        deadline = time.monotonic() + self.timeout
        while time.monotonic() - quiet_since < 0.5 and time.monotonic() < deadline:
            with self._condition:
                count = len(self._events)
            if count != seen:
                quiet_since, seen = time.monotonic(), count
            time.sleep(0.1)

    def wait_for(self, condition, what: str) -> object:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.1)
        raise BrowserError(f"timed out waiting for {what}")

    def evaluate(self, expression: str) -> object:
        """The value of a JavaScript expression in the page (promises awaited), as JSON."""
        result = self.page("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression[:80]}...: {result['exceptionDetails']}")
        return result["result"].get("value")

    def requested_urls(self) -> list[str]:
        return [event["request"]["url"] for event in self.events("Network.requestWillBeSent")]

    def failed_requests(self) -> list[str]:
        failed_ids = {event["requestId"]: event.get("errorText", "") for event in self.events("Network.loadingFailed")}
        urls = {event["requestId"]: event["request"]["url"] for event in self.events("Network.requestWillBeSent")}
        return [f"{urls.get(request, request)}: {error}" for request, error in failed_ids.items()]


def file_url(path: Path) -> str:
    return Path(path).resolve().as_uri()
