#!/usr/bin/env python3
"""Full-duplex peer for bats/integrity.bats.

    integrity_peer.py listen|connect ADDR PORT|PATH IN OUT

Sends file IN while it copies everything it receives into OUT, both at
once; it shuts its write side only after it saw the other side's EOF, so a
relay that ends at network EOF has already sent all it had. ADDR "unix"
means PORT is a Unix socket path. "listen" prints "PORT <n>" once ready.
Gives up after 60 seconds.
"""
import os
import signal
import socket
import sys
import threading


def main():
    mode, addr, where, src, dst = sys.argv[1:6]
    signal.alarm(60)
    fam = socket.AF_UNIX if addr == "unix" else socket.AF_INET
    target = where if addr == "unix" else (addr, int(where))
    if mode == "listen":
        ls = socket.socket(fam, socket.SOCK_STREAM)
        ls.bind(target if addr == "unix" else (addr, 0))
        ls.listen(1)
        port = where if addr == "unix" else ls.getsockname()[1]
        print("PORT", port, flush=True)
        s, _ = ls.accept()
        ls.close()
    else:
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.connect(target)

    def send():
        with open(src, "rb") as f:
            while True:
                b = f.read(1 << 17)
                if not b:
                    return
                s.sendall(b)

    t = threading.Thread(target=send)
    t.start()
    with open(dst, "wb") as out:
        while True:
            b = s.recv(1 << 17)
            if not b:
                break
            out.write(b)
    t.join()
    s.shutdown(socket.SHUT_WR)
    s.close()


main()
