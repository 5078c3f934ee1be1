#!/usr/bin/env python3
"""A scripted proxy for the proxy tests: the replies no real proxy sends.

    fake_proxy.py [--stage HEX]... [--then close|hold|tunnel] [options]

Binds --addr (default 127.0.0.1) on a port the kernel chooses, prints
"PORT <n>" on stdout (flushed), then serves --count connections (default 1)
one after the other. For each connection, every --stage is one exchange:
wait until the client sends something (with --until HEX, until what it sent
in this stage contains those bytes; what it sends goes, hex-encoded, one line
per stage, to --log), then send the stage's bytes (given in hex; "" sends
nothing). After the last stage:

  close   close the connection at once (the default)
  hold    send nothing more; close when the client closes or after --hold
          seconds (default 10)
  tunnel  connect to 127.0.0.1 --tunnel-port and copy bytes both ways until
          either side closes (a proxy that said yes)

--accept-only closes each connection as soon as it is accepted, before any
stage. Stops by itself after --limit seconds (default 20).
"""
import argparse
import binascii
import select
import signal
import socket
import sys
import time


def parse():
    p = argparse.ArgumentParser()
    p.add_argument("--addr", default="127.0.0.1")
    p.add_argument("--stage", action="append", default=[])
    p.add_argument("--until", default="")
    p.add_argument("--then", choices=["close", "hold", "tunnel"], default="close")
    p.add_argument("--hold", type=float, default=10)
    p.add_argument("--tunnel-port", type=int)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--accept-only", action="store_true")
    p.add_argument("--log")
    p.add_argument("--limit", type=float, default=20)
    return p.parse_args()


def log(args, data):
    if args.log:
        with open(args.log, "a") as f:
            f.write(binascii.hexlify(data).decode() + "\n")


def relay(a, b, until):
    socks = [a, b]
    while time.monotonic() < until:
        r, _, _ = select.select(socks, [], [], 0.5)
        for s in r:
            data = s.recv(65536)
            if not data:
                return
            (b if s is a else a).sendall(data)


def serve(args, conn):
    until = time.monotonic() + args.limit
    if args.accept_only:
        return
    until_bytes = binascii.unhexlify(args.until)
    for stage in args.stage:
        data = b""
        while True:
            r, _, _ = select.select([conn], [], [], 5)
            chunk = conn.recv(4096) if r else b""
            data += chunk
            if not chunk or until_bytes in data:
                break
        log(args, data)
        if not chunk and not (until_bytes and until_bytes in data):
            return
        if stage:
            conn.sendall(binascii.unhexlify(stage))
    if args.then == "hold":
        end = min(until, time.monotonic() + args.hold)
        while time.monotonic() < end:
            r, _, _ = select.select([conn], [], [], 0.2)
            if r:
                data = conn.recv(4096)
                if not data:
                    return
                log(args, data)
    elif args.then == "tunnel":
        with socket.create_connection(("127.0.0.1", args.tunnel_port), timeout=5) as up:
            relay(conn, up, until)


def main():
    args = parse()
    signal.signal(signal.SIGALRM, lambda *_: sys.exit(0))
    signal.alarm(int(args.limit))
    family = socket.AF_INET6 if ":" in args.addr else socket.AF_INET
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.bind((args.addr, 0))
    srv.listen(8)
    print("PORT %d" % srv.getsockname()[1], flush=True)
    for _ in range(args.count):
        conn, _ = srv.accept()
        try:
            serve(args, conn)
        except OSError:
            pass
        finally:
            conn.close()


if __name__ == "__main__":
    main()
