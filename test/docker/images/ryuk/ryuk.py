#!/usr/bin/env python3
"""Local stand-in for testcontainers/ryuk, the reaper that removes a test session's containers.

Protocol, as testcontainers-node (build/reaper/reaper.js) and moby-ryuk use it:
- Listen on TCP RYUK_PORT (8080) and log a line containing "Started" once listening: the
  client's wait strategy is Wait.forLogMessage(/.*Started.*/).
- Each client sends lines (LF or CRLF ended) such as
  `label=org.testcontainers.session-id=<uuid>`: a URL query string parsed into Docker filters
  (`key=value` pairs joined by `&` form one filter set). Each line is answered with `ACK\\n`.
- Prune when no client ever connected within RYUK_CONNECTION_TIMEOUT (60s), when the last
  client disconnected and none came back within RYUK_RECONNECTION_TIMEOUT (10s), or on
  SIGTERM/SIGINT (at once without clients, else after RYUK_SHUTDOWN_TIMEOUT, 10m).
- Prune: for each filter set, remove the matching containers (force, with their volumes) except
  reaper containers (label org.testcontainers.ryuk=true), then networks, volumes and images.
  A matching resource created after the prune started (less RYUK_RETRY_OFFSET, -1s) means a
  client is still at work: wait another reconnection timeout instead. Then exit; the client
  creates this container with AutoRemove, so it disappears too.
Docker is reached through the Engine API on DOCKER_HOST (default unix:///var/run/docker.sock).
"""

import http.client
import json
import os
import queue
import re
import signal
import socket
import sys
import threading
import time
import urllib.parse
from datetime import datetime, timezone

RYUK_LABEL = "org.testcontainers.ryuk"


def parse_duration(text, default):
    """A Go time.Duration string ("10s", "1m30s", "500ms"); a bare number means seconds."""
    if text is None or text.strip() == "":
        return default
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    units = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
    parts = re.findall(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)", text)
    if not parts or "".join(n + u for n, u in parts) != text.lstrip("+"):
        raise ValueError(f"invalid duration {text!r}")
    return sum(float(n) * units[u] for n, u in parts)


class Config:
    def __init__(self, env):
        self.connection_timeout = parse_duration(env.get("RYUK_CONNECTION_TIMEOUT"), 60.0)
        self.reconnection_timeout = parse_duration(env.get("RYUK_RECONNECTION_TIMEOUT"), 10.0)
        self.request_timeout = parse_duration(env.get("RYUK_REQUEST_TIMEOUT"), 10.0)
        self.shutdown_timeout = parse_duration(env.get("RYUK_SHUTDOWN_TIMEOUT"), 600.0)
        self.retry_offset = parse_duration(env.get("RYUK_RETRY_OFFSET"), -1.0)
        self.remove_retries = int(env.get("RYUK_REMOVE_RETRIES") or 10)
        self.port = int(env.get("RYUK_PORT") or 8080)
        self.verbose = (env.get("RYUK_VERBOSE") or "").lower() in ("1", "true", "yes", "on")


CONFIG = Config(os.environ)
LOG_LOCK = threading.Lock()


def log(level, msg, **fields):
    """One log/slog-style text line on stdout: time=... level=INFO msg=... key=value."""
    if level == "DEBUG" and not CONFIG.verbose:
        return
    now = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    parts = [f"time={now}", f"level={level}", f"msg={quote(msg)}"]
    parts += [f"{key}={quote(value)}" for key, value in fields.items()]
    with LOG_LOCK:
        print(" ".join(parts), flush=True)


def quote(value):
    text = str(value)
    return json.dumps(text) if (not text or re.search(r'[\s"=]', text)) else text


class DockerError(Exception):
    def __init__(self, status, message):
        super().__init__(f"{status}: {message}")
        self.status = status


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


def docker(method, path, query=None):
    """One Docker Engine API call; returns the decoded body (None when empty)."""
    host = os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"
    if host.startswith("unix://"):
        conn = UnixHTTPConnection(host[len("unix://"):], CONFIG.request_timeout)
    elif host.startswith("tcp://"):
        conn = http.client.HTTPConnection(host[len("tcp://"):], timeout=CONFIG.request_timeout)
    else:
        raise ValueError(f"unsupported DOCKER_HOST {host!r}")
    if query:
        path += "?" + urllib.parse.urlencode(query)
    try:
        conn.request(method, path, headers={"Host": "docker"})
        response = conn.getresponse()
        body = response.read()
        is_json = (response.getheader("Content-Type") or "").startswith("application/json")
    finally:
        conn.close()
    if response.status >= 400:
        try:
            message = json.loads(body).get("message", "")
        except (ValueError, AttributeError):
            message = body.decode(errors="replace")
        raise DockerError(response.status, message)
    if not body:
        return None
    # JSON for listings; plain text such as "OK" for /_ping.
    return json.loads(body) if is_json else body.decode(errors="replace")


def parse_filter(line):
    """`label=a=b&label=c=d` -> {"label": {"a=b": True, "c=d": True}} (Docker filter JSON)."""
    query = urllib.parse.parse_qs(line, keep_blank_values=True, strict_parsing=True)
    return {key: {value: True for value in values} for key, values in sorted(query.items())}


class ChangesDetected(Exception):
    pass


class Reaper:
    def __init__(self):
        self.filters = {}  # canonical JSON -> filter dict
        self.filters_lock = threading.Lock()
        self.events = queue.Queue()
        self.shutdown = threading.Event()
        self.listener = None

    # -- clients ---------------------------------------------------------------------------

    def listen(self):
        try:
            sock = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("::", CONFIG.port))
            address = f"[::]:{CONFIG.port}"
        except OSError:  # no IPv6 in this container
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("0.0.0.0", CONFIG.port))
            address = f"0.0.0.0:{CONFIG.port}"
        sock.listen(128)
        self.listener = sock
        # Clients wait for exactly this word (Wait.forLogMessage(/.*Started.*/)).
        log("INFO", "Started", address=address)

    def accept_loop(self):
        log("INFO", "client processing started")
        while True:
            try:
                conn, addr = self.listener.accept()
            except OSError:
                break  # listener closed at shutdown
            address = format_address(addr)
            if self.shutdown.is_set():
                # No ACK: the client retries and starts a new reaper.
                log("WARN", "shutdown, aborting client", address=address)
                conn.close()
                continue
            self.events.put(("connected", address))
            threading.Thread(target=self.handle, args=(conn, address), daemon=True).start()
        log("INFO", "client processing stopped")

    def handle(self, conn, address):
        buffer = b""
        try:
            while True:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                buffer += chunk
                while b"\n" in buffer:
                    raw, buffer = buffer.split(b"\n", 1)
                    self.handle_line(conn, address, raw.decode(errors="replace").strip("\r"))
            if buffer.strip():
                self.handle_line(conn, address, buffer.decode(errors="replace").strip("\r"))
        except OSError as error:
            log("ERROR", "scan", address=address, error=error)
        finally:
            conn.close()
            self.events.put(("disconnected", address))

    def handle_line(self, conn, address, line):
        if line == "":
            log("WARN", "empty filter received", address=address)
            return
        try:
            filters = parse_filter(line)
            key = json.dumps(filters, sort_keys=True)
            with self.filters_lock:
                if key not in self.filters:
                    self.filters[key] = filters
                    log("INFO", "adding filter", address=address, filter=key)
        except ValueError as error:
            log("ERROR", "add filter", address=address, error=error)
        # Like moby-ryuk, an unparseable line is acknowledged too.
        try:
            conn.sendall(b"ACK\n")
        except OSError as error:
            log("ERROR", "ack write", address=address, error=error)

    # -- prune condition -------------------------------------------------------------------

    def wait_for_prune(self):
        clients = 0
        deadline = time.monotonic() + CONFIG.connection_timeout
        signalled = False
        list_failures = 0
        while True:
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                kind, detail = self.events.get(timeout=timeout)
            except queue.Empty:
                log("INFO", "prune check", clients=clients)
                if clients > 0:
                    log("WARN", "shutdown timeout", clients=clients)
                try:
                    resources = self.resources(time.time() + CONFIG.retry_offset)
                except ChangesDetected as error:
                    log("WARN", "change detected, waiting again", error=error)
                    deadline = time.monotonic() + CONFIG.reconnection_timeout
                    continue
                except (OSError, DockerError) as error:
                    # Docker did not answer the listing: try again a few times, then give up.
                    list_failures += 1
                    log("ERROR", "resources", error=error, attempt=list_failures)
                    if list_failures < CONFIG.remove_retries:
                        deadline = time.monotonic() + 1.0
                        continue
                    resources = {"containers": [], "networks": [], "volumes": [], "images": []}
                self.close_listener()
                return resources
            if kind == "connected":
                clients += 1
                log("INFO", "client connected", address=detail, clients=clients)
                if clients == 1 and not signalled:
                    deadline = None
            elif kind == "disconnected":
                clients -= 1
                log("INFO", "client disconnected", address=detail, clients=clients)
                if clients == 0:
                    deadline = time.monotonic() + CONFIG.reconnection_timeout
            elif kind == "signal" and not signalled:
                signalled = True
                log("INFO", "signal received", clients=clients, shutdown_timeout=CONFIG.shutdown_timeout)
                self.close_listener()
                deadline = time.monotonic() + (CONFIG.shutdown_timeout if clients else 0.0)

    def close_listener(self):
        if not self.shutdown.is_set():
            self.shutdown.set()
            try:
                self.listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.listener.close()

    # -- pruning ---------------------------------------------------------------------------

    def resources(self, since):
        """IDs to remove per kind; ChangesDetected if a match is newer than `since`."""
        found = {"containers": [], "networks": [], "volumes": [], "images": []}
        with self.filters_lock:
            filter_sets = list(self.filters.values())
        for filters in filter_sets:
            query = {"filters": json.dumps(filters)}
            for item in docker("GET", "/containers/json", {"all": "1", **query}) or []:
                if (item.get("Labels") or {}).get(RYUK_LABEL) == "true":
                    log("DEBUG", "skipping reaper container", id=item["Id"])
                    continue
                check_age("container", item["Id"], item.get("Created", 0), since)
                found["containers"].append(item["Id"])
            for item in docker("GET", "/networks", query) or []:
                check_age("network", item["Id"], parse_time(item.get("Created")), since)
                found["networks"].append(item["Id"])
            for item in (docker("GET", "/volumes", query) or {}).get("Volumes") or []:
                check_age("volume", item["Name"], parse_time(item.get("CreatedAt")), since)
                found["volumes"].append(item["Name"])
            for item in docker("GET", "/images/json", query) or []:
                check_age("image", item["Id"], item.get("Created", 0), since)
                found["images"].append(item["Id"])
        return found

    def prune(self, resources):
        counts = {}
        errors = []
        # Containers first: networks, volumes and images in use cannot go.
        removers = [
            ("containers", lambda i: docker("DELETE", f"/containers/{i}", {"force": "1", "v": "1"})),
            ("networks", lambda i: docker("DELETE", f"/networks/{i}")),
            ("volumes", lambda i: docker("DELETE", f"/volumes/{i}", {"force": "1"})),
            ("images", lambda i: docker("DELETE", f"/images/{i}", {"noprune": "0"})),
        ]
        for kind, remove in removers:
            counts[kind], left = remove_all(kind, dict.fromkeys(resources[kind]), remove)
            if left:
                errors.append(f"{kind} left {left} items")
        log("INFO", "removed", **counts)
        return errors


def check_age(kind, ident, created, since):
    if created > since:
        raise ChangesDetected(f"{kind} {ident} created after the prune started")


def parse_time(text):
    """Seconds since the epoch from Docker's RFC 3339 timestamps (nanoseconds cut)."""
    if not text:
        return 0
    match = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)$", text)
    if not match:
        return 0
    zone = "+00:00" if match.group(2) == "Z" else match.group(2)
    return datetime.fromisoformat(match.group(1) + zone).timestamp()


def remove_all(kind, todo, remove):
    removed = 0
    for attempt in range(1, CONFIG.remove_retries + 1):
        retry = False
        for ident in list(todo):
            try:
                remove(ident)
            except DockerError as error:
                if error.status == 404:  # already gone
                    del todo[ident]
                    continue
                log("ERROR", "remove", resource=kind, id=ident, attempt=attempt, error=error)
                retry = True
                continue
            except OSError as error:
                log("ERROR", "remove", resource=kind, id=ident, attempt=attempt, error=error)
                retry = True
                continue
            del todo[ident]
            removed += 1
        if not retry:
            break
        if attempt < CONFIG.remove_retries:
            time.sleep(1)
    return removed, len(todo)


def format_address(addr):
    host, port = addr[0], addr[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def main():
    reaper = Reaper()
    try:
        docker("GET", "/_ping")
    except (OSError, DockerError) as error:
        log("ERROR", "run", error=f"ping: {error}")
        return 1
    log(
        "INFO",
        "starting",
        connection_timeout=f"{CONFIG.connection_timeout}s",
        reconnection_timeout=f"{CONFIG.reconnection_timeout}s",
        request_timeout=f"{CONFIG.request_timeout}s",
        shutdown_timeout=f"{CONFIG.shutdown_timeout}s",
        remove_retries=CONFIG.remove_retries,
        retry_offset=f"{CONFIG.retry_offset}s",
        port=CONFIG.port,
        verbose=str(CONFIG.verbose).lower(),
    )
    reaper.listen()

    def on_signal(*_):
        # Queue.put from a handler could deadlock on the queue's lock held by the interrupted
        # main thread: a short-lived thread waits for it instead.
        threading.Thread(target=reaper.events.put, args=(("signal", None),), daemon=True).start()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, on_signal)
    threading.Thread(target=reaper.accept_loop, daemon=True).start()
    try:
        resources = reaper.wait_for_prune()
        errors = reaper.prune(resources)
    except (OSError, DockerError) as error:
        log("ERROR", "run", error=error)
        return 1
    log("INFO", "done")
    if errors:
        log("ERROR", "run", error="; ".join(errors))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
