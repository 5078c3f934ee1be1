#!/usr/bin/env python3
"""Runs a command with stdout on one end of a socket pair, as OpenSSH's
ProxyUseFdpass does, and takes the descriptor it passes (-F).

    fdpass_recv.py [--send TEXT] CMD...

Prints "payload <hex>" (the bytes that came with the descriptor),
"nonblock yes|no" (its O_NONBLOCK flag), then with --send, sends TEXT on the
passed socket and prints the first line that comes back; finally "rc <n>",
the command's exit status. Without a descriptor: "no fd" and the rest.
Gives up after 10 seconds.
"""
import array
import fcntl
import os
import socket
import subprocess
import sys

args = sys.argv[1:]
send = None
if args[:1] == ["--send"]:
    send, args = args[1], args[2:]
a, b = socket.socketpair()
proc = subprocess.Popen(args, stdout=b)
b.close()
a.settimeout(10)
try:
    msg, anc, _, _ = a.recvmsg(16, socket.CMSG_SPACE(4 * 4))
except OSError as e:
    msg, anc = b"", []
fds = [fd for level, kind, data in anc if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS
       for fd in array.array("i", data[: len(data) - len(data) % 4])]
if not fds:
    print("no fd")
else:
    print("payload", msg.hex())
    print("nonblock", "yes" if fcntl.fcntl(fds[0], fcntl.F_GETFL) & os.O_NONBLOCK else "no")
    s = socket.socket(fileno=fds[0])
    s.settimeout(10)
    if send is not None:
        s.sendall(send.encode() + b"\n")
        line = b""
        while not line.endswith(b"\n"):
            chunk = s.recv(4096)
            if not chunk:
                break
            line += chunk
        print(line.decode(errors="replace").rstrip("\n"))
    s.close()
print("rc", proc.wait(timeout=10))
