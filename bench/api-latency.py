#!/usr/bin/env python3
"""Times single Docker API requests over a unix socket, as bench/api-latency.sh runs them.

Usage: api-latency.py SOCKET CONTAINER MODE RUNS PAUSE_MS ENGINE OUT_DIR
MODE is "keep" (one kept-alive connection for every request of a kind) or "new" (a new connection
per request, connect time included, as the docker CLI does for a hijacked exec start). Appends one
sample in microseconds per request to OUT_DIR/ENGINE.MODE.KIND.us; kinds are HEAD /_ping,
GET /containers/X/json, POST /containers/X/exec and GET /exec/ID/json.
"""
import json
import os
import socket
import sys
import time


def read_response(sock, buf, head_only):
    """Reads one response (Content-Length or chunked); returns (status, body, leftover)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise IOError("connection closed before the response head")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    if head_only or status in (204, 304):
        return status, b"", rest
    if "content-length" in headers:
        n = int(headers["content-length"])
        while len(rest) < n:
            chunk = sock.recv(65536)
            if not chunk:
                raise IOError("connection closed inside the body")
            rest += chunk
        return status, rest[:n], rest[n:]
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            while b"\r\n" not in rest:
                rest += sock.recv(65536)
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            while len(rest) < size + 2:
                rest += sock.recv(65536)
            body += rest[:size]
            rest = rest[size + 2:]
            if size == 0:
                return status, body, rest
    raise IOError("response without a length: %r" % headers)


class Client:
    def __init__(self, path, keep):
        self.path = path
        self.keep = keep
        self.sock = None
        self.buf = b""

    def request(self, method, target, body=None):
        """One request; returns (status, body, microseconds from connect or send to the response's end)."""
        data = b""
        if body is not None:
            data = json.dumps(body).encode()
        req = ("%s %s HTTP/1.1\r\nHost: api.moby.localhost\r\nUser-Agent: api-latency\r\n" % (method, target))
        if body is not None:
            req += "Content-Type: application/json\r\nContent-Length: %d\r\n" % len(data)
        req += "\r\n"
        start = time.perf_counter_ns()
        if self.sock is None:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.connect(self.path)
            self.buf = b""
        self.sock.sendall(req.encode() + data)
        status, payload, self.buf = read_response(self.sock, self.buf, method == "HEAD")
        elapsed = (time.perf_counter_ns() - start) // 1000
        if not self.keep:
            self.close()
        return status, payload, elapsed

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def main():
    path, container, mode, runs, pause_ms, engine, out = sys.argv[1:8]
    runs, pause = int(runs), int(pause_ms) / 1000.0
    keep = mode == "keep"
    setup = Client(path, True)
    status, payload, _ = setup.request("POST", "/v1.41/containers/%s/exec" % container, {"Cmd": ["true"]})
    if status != 201:
        raise SystemExit("exec create answered %d: %s" % (status, payload))
    exec_id = json.loads(payload)["Id"]
    setup.close()
    kinds = [
        ("ping", "HEAD", "/_ping", None, 200),
        ("inspect", "GET", "/v1.41/containers/%s/json" % container, None, 200),
        ("exec-create", "POST", "/v1.41/containers/%s/exec" % container, {"Cmd": ["true"], "AttachStdout": True}, 201),
        ("exec-inspect", "GET", "/v1.41/exec/%s/json" % exec_id, None, 200),
    ]
    clients = {kind[0]: Client(path, keep) for kind in kinds}
    samples = {kind[0]: [] for kind in kinds}
    for _ in range(runs):
        for name, method, target, body, want in kinds:
            status, payload, micros = clients[name].request(method, target, body)
            if status != want:
                raise SystemExit("%s %s answered %d: %s" % (method, target, status, payload[:200]))
            samples[name].append(micros)
            time.sleep(pause)
    for c in clients.values():
        c.close()
    for name, values in samples.items():
        with open(os.path.join(out, "%s.%s.%s.us" % (engine, mode, name)), "a") as f:
            f.write("".join("%d\n" % v for v in values))


if __name__ == "__main__":
    main()
