#!/usr/bin/env python3
"""TLS peers that misbehave on purpose, for bats/tls.bats.

    tls_peer.py MODE [options]

Servers bind 127.0.0.1 on a port the kernel chooses, print "PORT <n>" on
stdout (flushed), serve one connection and exit.

  garbage   --cert --key: handshake, then send a record that is no valid
            TLS record (the client's read must fail).
  bare      --cert --key: handshake, send the file --data, then close the
            socket without close_notify.
  hold      --cert --key: handshake, then read nothing and answer nothing
            (not even close_notify) until --limit.

Clients connect to 127.0.0.1 --port.

  vanish    send the first bytes of a ClientHello, then close: a client
            that goes away in the middle of the handshake.
  send      --ca: handshake (verifying the server against --ca), send the
            file --data, then end the TCP connection (FIN) without
            close_notify, read what the server still sends until it
            closes, and close.

Every peer stops by itself after --limit seconds (default 20).
"""
import argparse
import os
import signal
import socket
import ssl
import sys


def parse():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["garbage", "bare", "hold", "vanish", "send"])
    p.add_argument("--port", type=int)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--ca")
    p.add_argument("--data")
    p.add_argument("--limit", type=int, default=20)
    return p.parse_args()


def listen():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    print("PORT %d" % s.getsockname()[1], flush=True)
    return s


def server(a):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    l = listen()
    c, _ = l.accept()
    t = ctx.wrap_socket(c, server_side=True)
    if a.mode == "hold":
        signal.pause()
    if a.mode == "garbage":
        # An application-data record header and a body no key decrypts.
        os.write(t.fileno(), b"\x17\x03\x03\x00\x40" + b"\x55" * 64)
    else:
        with open(a.data, "rb") as f:
            t.sendall(f.read())
    drain_and_close(t)


def drain_and_close(t):
    """Leaves TLS without close_notify, sends FIN, reads until the peer closes."""
    raw = socket.socket(fileno=t.detach())
    raw.shutdown(socket.SHUT_WR)
    raw.settimeout(5)
    try:
        while raw.recv(65536):
            pass
    except OSError:
        pass
    raw.close()


def main():
    a = parse()
    signal.alarm(a.limit)
    if a.mode in ("garbage", "bare", "hold"):
        server(a)
        return
    s = socket.create_connection(("127.0.0.1", a.port))
    if a.mode == "vanish":
        s.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")
        s.close()
        return
    ctx = ssl.create_default_context(cafile=a.ca)
    t = ctx.wrap_socket(s, server_hostname="localhost")
    with open(a.data, "rb") as f:
        t.sendall(f.read())
    drain_and_close(t)


if __name__ == "__main__":
    sys.exit(main())
