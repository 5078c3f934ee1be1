#!/usr/bin/env python3
"""Fixed-behaviour UDP peers for the nc UDP tests.

    udp_peer.py MODE ADDR PORT PORTFILE [LOG]

Binds ADDR:PORT (PORT 0: the kernel chooses), writes the bound port to
PORTFILE once it can receive, then serves until killed. Every datagram
received is appended to LOG (if given) as "<source port> <hex payload>".

  echo     answer each datagram with "reply:" + the datagram
  silent   answer nothing (the port is open but says nothing)
  second   answer only the second datagram from each sender, so a prober
           that never resends sees silence
  dns      answer only well-formed DNS queries (QR clear, one question)
  ntp      answer only NTP client requests (48 bytes, mode 3)
  snmp     answer only datagrams that start like an SNMP message (BER SEQUENCE)
"""
import os
import socket
import sys


def wanted(mode, data, seen):
    if mode == "echo":
        return True
    if mode == "silent":
        return False
    if mode == "second":
        return seen == 2
    if mode == "dns":
        return len(data) >= 17 and not data[2] & 0x80 and data[4:6] == b"\0\1"
    if mode == "ntp":
        return len(data) == 48 and data[0] & 7 == 3
    if mode == "snmp":
        return len(data) > 2 and data[0] == 0x30 and data[1] == len(data) - 2
    raise SystemExit("unknown mode " + mode)


def main():
    mode, addr, port, portfile = sys.argv[1:5]
    log = sys.argv[5] if len(sys.argv) > 5 else None
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((addr, int(port)))
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    os.rename(tmp, portfile)
    seen = {}
    while True:
        data, src = s.recvfrom(65536)
        seen[src] = seen.get(src, 0) + 1
        if log:
            with open(log, "a") as f:
                f.write("%d %s\n" % (src[1], data.hex()))
        if wanted(mode, data, seen[src]):
            s.sendto(b"reply:" + data, src)


main()
