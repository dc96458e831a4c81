#!/usr/bin/env python3
"""The docker CLI's own floor for `docker exec <ctr> true`: a server on a unix socket that answers
the five requests the CLI makes (ping, container inspect, exec create, the hijacked exec start,
exec inspect), and /version for the bench's readiness check, at once, with canned answers, and runs nothing. What `docker exec` takes against it
is what the CLI itself takes; no engine can be faster.

Usage: instant-engine.py SOCKET   (serves until killed)
"""
import json
import os
import socketserver
import sys

HEADERS = "Api-Version: 1.41\r\nOstype: linux\r\nDocker-Experimental: false\r\nServer: instant\r\n"
CONTAINER = json.dumps({"Id": "0" * 64, "Name": "/exec-bench", "State": {"Status": "running", "Running": True,
                        "Paused": False, "Restarting": False, "Pid": 1}, "Config": {"Tty": False}}).encode()
EXEC = json.dumps({"ID": "1" * 64, "Running": False, "ExitCode": 0, "ProcessConfig": {"tty": False}}).encode()


class Handler(socketserver.StreamRequestHandler):
    def respond(self, status, body=b"", content_type="application/json"):
        head = f"HTTP/1.1 {status}\r\n{HEADERS}Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
        self.wfile.write(head.encode() + body)
        self.wfile.flush()

    def handle(self):
        while True:
            request = self.rfile.readline()
            if not request:
                return
            method, path = request.decode().split(" ")[:2]
            length = 0
            while True:
                line = self.rfile.readline().decode()
                if line in ("\r\n", "\n", ""):
                    break
                name, _, value = line.partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
            if length:
                self.rfile.read(length)
            if path.endswith("/_ping"):
                self.respond("200 OK", b"" if method == "HEAD" else b"OK", "text/plain")
            elif method == "GET" and path.endswith("/version"):
                # For the bench's readiness check (`docker version`).
                self.respond("200 OK", json.dumps({"Version": "instant", "ApiVersion": "1.41", "MinAPIVersion": "1.12",
                                                   "Os": "linux", "Arch": "amd64"}).encode())
            elif method == "GET" and "/containers/" in path:
                self.respond("200 OK", CONTAINER)
            elif method == "POST" and path.endswith("/exec"):
                self.respond("201 Created", json.dumps({"Id": "1" * 64}).encode())
            elif method == "POST" and path.endswith("/start"):
                # Hijacked: the output is the rest of the connection, and there is none.
                self.wfile.write(("HTTP/1.1 101 UPGRADED\r\n" + HEADERS + "Content-Type: "
                                  "application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\n"
                                  "Upgrade: tcp\r\n\r\n").encode())
                self.wfile.flush()
                return
            elif method == "GET" and "/exec/" in path:
                self.respond("200 OK", EXEC)
            else:
                self.respond("404 Not Found", json.dumps({"message": "not served here"}).encode())


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


if __name__ == "__main__":
    if os.path.exists(sys.argv[1]):
        os.unlink(sys.argv[1])
    Server(sys.argv[1], Handler).serve_forever()
