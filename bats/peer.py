#!/usr/bin/env python3
"""Fixed-behaviour TCP peers for the nc integration tests.

    peer.py MODE [options]

Server modes bind --addr (default 127.0.0.1) on a port the kernel chooses
(or on --port for echo, banner, blob, sink, silent),
print "PORT <n>" on stdout (flushed) once they can be connected to, then
serve --count connections (default 1) one after the other and exit.  With
--log FILE they append "ACCEPT <addr> <port>" for every client accepted.

  echo    send back every byte received; at the client's EOF, keep the
          connection open --hold seconds (default 0), then close.
  banner  send "HELLO banner\\n"; with --shut, shut down the write side
          (the client sees EOF); then keep the connection open --hold
          seconds (default 0) or until the client closes, then close.
          What arrives meanwhile goes to --out (and "<out>.eof" is created
          at the client's EOF), as with sink.
  blob    send --size bytes (byte i is i % 251), then close.
  sink    write every byte received to --out; at the client's EOF create
          "<out>.eof", then keep the connection open --hold seconds.
          With --close-after S the connection is closed S seconds after it
          was accepted, whatever the client does.
  silent  accept, send nothing, close when the client closes (or after
          --hold seconds if the client is silent for that long; default 5).
  full    listen with a backlog of 0 and fill the queue with connections of
          its own that are never accepted: a further connection attempt
          gets no answer and times out.  Serves nothing; exits at --limit.
  scan    --pattern such as "xoxox": bind the ports BASE .. BASE+len-1,
          listening where the pattern has "o" and leaving the port free
          (checked by binding it, then closing) where it has "x"; prints
          "PORT BASE".  Accepts and closes any number of connections on
          the "o" ports until --limit.

Other modes:

  closed  bind a port on --addr, print its number alone, close it: connecting
          to that port is refused (until someone else takes it).
  client  connect to --addr --port (from --src-port if given), send all of
          stdin, shut down the write side, copy everything received to
          stdout until the server closes.  Prints "SRCPORT <n>" on stderr
          once connected.

Every peer stops by itself after --limit seconds (default 20) whatever
happens, so a failing test never leaves one behind.
"""
import argparse
import os
import select
import signal
import socket
import sys
import time

MODES = ["echo", "banner", "blob", "sink", "silent", "full", "scan", "closed", "client"]


def parse():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=MODES)
    p.add_argument("--addr", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--src-port", type=int, default=0)
    p.add_argument("--out")
    p.add_argument("--log")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--hold", type=float, default=None)
    p.add_argument("--shut", action="store_true")
    p.add_argument("--close-after", type=float, default=None)
    p.add_argument("--pattern", default="o")
    p.add_argument("--size", type=int, default=1 << 20)
    p.add_argument("--limit", type=float, default=20.0)
    return p.parse_args()


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def log(args, line):
    if args.log:
        with open(args.log, "a") as f:
            f.write(line + "\n")


def drain_until_close(conn, secs, out=None):
    """Read from conn until the client closes or secs seconds pass."""
    end = time.monotonic() + secs
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return False
        r, _, _ = select.select([conn], [], [], left)
        if not r:
            continue
        try:
            data = conn.recv(65536)
        except OSError:
            return True
        if not data:
            return True
        if out is not None:
            out.write(data)


def serve(args, conn):
    if args.mode == "banner":
        conn.sendall(b"HELLO banner\n")
        if args.shut:
            conn.shutdown(socket.SHUT_WR)
        if args.hold:
            with open(args.out, "ab", buffering=0) as out:
                if drain_until_close(conn, args.hold, out):
                    open(args.out + ".eof", "w").close()
        return
    if args.mode == "blob":
        chunk = bytes(i % 251 for i in range(251 * 64))
        left = args.size
        while left > 0:
            n = min(left, len(chunk))
            conn.sendall(chunk[:n])
            left -= n
        return
    if args.mode == "silent":
        drain_until_close(conn, 5.0 if args.hold is None else args.hold)
        return
    out = None
    if args.mode == "sink":
        out = open(args.out, "ab", buffering=0)
    deadline = None
    if args.close_after is not None:
        deadline = time.monotonic() + args.close_after
    try:
        while True:
            timeout = None
            if deadline is not None:
                timeout = deadline - time.monotonic()
                if timeout <= 0:
                    return
            r, _, _ = select.select([conn], [], [], timeout)
            if not r:
                continue
            try:
                data = conn.recv(65536)
            except OSError:
                return
            if not data:
                break
            if args.mode == "echo":
                conn.sendall(data)
            else:
                out.write(data)
        if out is not None:
            open(args.out + ".eof", "w").close()
        if args.hold:
            # The client has shut down its side: nothing more can arrive
            # (the socket stays readable at EOF), so just keep ours open.
            time.sleep(args.hold)
    finally:
        if out is not None:
            out.close()


def run_full(args):
    fam = family(args.addr)
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.bind((args.addr, 0))
    port = s.getsockname()[1]
    s.listen(0)
    fillers = []
    for i in range(3):
        c = socket.socket(fam, socket.SOCK_STREAM)
        if i == 0:
            # The first one is taken into the queue: wait for it to connect.
            c.settimeout(2.0)
            c.connect((args.addr, port))
        else:
            c.setblocking(False)
            try:
                c.connect((args.addr, port))
            except (BlockingIOError, InterruptedError):
                pass
        fillers.append(c)
    print("PORT %d" % port, flush=True)
    signal.pause()


def run_scan(args):
    fam = family(args.addr)
    for _ in range(200):
        probe = socket.socket(fam, socket.SOCK_STREAM)
        probe.bind((args.addr, 0))
        base = probe.getsockname()[1]
        probe.close()
        if base + len(args.pattern) > 65535:
            continue
        socks = []
        ok = True
        for i, c in enumerate(args.pattern):
            s = socket.socket(fam, socket.SOCK_STREAM)
            try:
                s.bind((args.addr, base + i))
            except OSError:
                ok = False
                s.close()
                break
            socks.append((c, s))
        if not ok:
            for _, s in socks:
                s.close()
            continue
        listeners = []
        for c, s in socks:
            if c == "o":
                s.listen(16)
                listeners.append(s)
            else:
                s.close()
        print("PORT %d" % base, flush=True)
        while True:
            r, _, _ = select.select(listeners, [], [])
            for s in r:
                conn, peer = s.accept()
                log(args, "ACCEPT %s %d -> %d" % (peer[0], peer[1], s.getsockname()[1]))
                conn.close()
    sys.exit("no free run of ports found")


def run_client(args):
    fam = family(args.addr)
    c = socket.socket(fam, socket.SOCK_STREAM)
    if args.src_port:
        c.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", args.src_port))
    c.connect((args.addr, args.port))
    sys.stderr.write("SRCPORT %d\n" % c.getsockname()[1])
    sys.stderr.flush()
    data = sys.stdin.buffer.read()
    if data:
        c.sendall(data)
    c.shutdown(socket.SHUT_WR)
    while True:
        data = c.recv(65536)
        if not data:
            break
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    c.close()


def main():
    args = parse()
    signal.signal(signal.SIGALRM, lambda *_: os._exit(3))
    signal.setitimer(signal.ITIMER_REAL, args.limit)
    if args.mode == "client":
        run_client(args)
        return
    if args.mode == "full":
        run_full(args)
        return
    if args.mode == "scan":
        run_scan(args)
        return
    if args.mode in ("sink", "banner"):
        if not args.out:
            sys.exit(args.mode + " needs --out")
        open(args.out, "wb").close()
    fam = family(args.addr)
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.bind((args.addr, args.port))
    port = s.getsockname()[1]
    if args.mode == "closed":
        s.close()
        print(port, flush=True)
        return
    s.listen(8)
    print("PORT %d" % port, flush=True)
    for _ in range(args.count):
        conn, peer = s.accept()
        log(args, "ACCEPT %s %d" % (peer[0], peer[1]))
        with conn:
            serve(args, conn)
    s.close()


if __name__ == "__main__":
    main()
