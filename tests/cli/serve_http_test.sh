#!/bin/sh
# steward serve's HTTP under abuse, on a free loopback port: the limits of
# http_limits answered exactly (413, 431, 408 on slow headers and on a slow
# body, 503 past max_connections), garbage bytes (400), a half-closed
# socket still answered, keep-alive and pipelining in order; and the daemon
# still healthy after all of it.
. tests/cli/lib.sh
. tests/cli/serve_lib.sh

cp -R examples/registry "$tmp/reg"
cat >"$tmp/b.json" <<'JSON'
{
  "listen": "127.0.0.1:0",
  "registry": "reg",
  "store": "b.db",
  "http_limits": {"max_body": 2048, "max_header": 1024, "max_connections": 4,
                  "header_timeout": 0.5, "body_timeout": 0.5}
}
JSON
start_daemon B "$tmp/b.json"

# raw TEST SCRIPT: runs a small Python client against daemon B; it prints
# what the script prints (status lines, mostly).
raw() {
  $PY - "$PORT_B" "$1" <<'PY'
import socket, sys, time
port, what = int(sys.argv[1]), sys.argv[2]

def conn():
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    return s

def status(s):
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        return "timeout"
    return data.split(b"\r\n", 1)[0].decode("latin-1") if data else "closed"

def all_of(s):
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        pass
    return data

GET = b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
if what == "slow-headers":
    s = conn(); s.sendall(b"GET /v1/health HTTP/1.1\r\nHo"); time.sleep(1.2)
    print(status(s))
elif what == "slow-body":
    s = conn()
    s.sendall(b"POST /v1/observations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              b"Content-Length: 100\r\n\r\n0123456789")
    time.sleep(1.2); print(status(s))
elif what == "big-header":
    s = conn()
    s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " +
              b"a" * 2000 + b"\r\n\r\n")
    print(status(s))
elif what == "garbage":
    s = conn(); s.sendall(b"\x00\x01\x02\xff GARBAGE\r\n\r\n"); print(status(s))
elif what == "bad-version":
    s = conn(); s.sendall(b"GET / HTTP/9.9\r\n\r\n"); print(status(s))
elif what == "half-close":
    s = conn(); s.sendall(GET); s.shutdown(socket.SHUT_WR)
    data = all_of(s)
    print(data.split(b"\r\n", 1)[0].decode(), b'"status"' in data)
elif what == "pipeline":
    s = conn()
    s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
              b"GET /v1/nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
              b"GET /v1/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    data = all_of(s)
    import re
    print(" ".join(m.decode() for m in re.findall(rb"HTTP/1\.1 (\d{3}) ", data)))
elif what == "connections":
    held = [conn() for _ in range(4)]
    time.sleep(0.2)
    extra = conn(); print(status(extra))
    for s in held: s.close()
elif what == "reset-mid-request":
    s = conn()
    s.sendall(b"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50\r\n\r\n{")
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    s.close(); print("ok")
PY
}

big=$(head -c 4096 /dev/zero | tr '\0' 'x')
req B POST /v1/observations -H "Authorization: Bearer x" --data-binary "$big"
expect_code "a body over max_body: 413" 413
expect_same "slow headers: 408" "$(raw slow-headers)" "HTTP/1.1 408 Request Timeout"
expect_same "a slow body: 408" "$(raw slow-body)" "HTTP/1.1 408 Request Timeout"
expect_same "headers over max_header: 431" "$(raw big-header)" "HTTP/1.1 431 Request Header Fields Too Large"
expect_same "garbage bytes: 400" "$(raw garbage)" "HTTP/1.1 400 Bad Request"
expect_same "an HTTP version it does not speak: 400" "$(raw bad-version)" "HTTP/1.1 400 Bad Request"
expect_same "a half-closed socket still gets its answer" "$(raw half-close)" "HTTP/1.1 200 OK True"
expect_same "pipelined requests answered in order" "$(raw pipeline)" "200 404 200"
expect_same "past max_connections: 503" "$(raw connections)" "HTTP/1.1 503 Service Unavailable"
expect_same "a client that resets mid-request" "$(raw reset-mid-request)" "ok"
req B GET /v1/health
expect_code "the daemon is still healthy after all of it" 200
req B GET /v1/health -H "Connection: close"
expect_code "Connection: close is honoured" 200

stop_daemon B TERM
expect_same "it stops cleanly" "$stop_rc" "0"
finish
