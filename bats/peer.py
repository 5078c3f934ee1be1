#!/usr/bin/env python3
"""The one peer of the nc integration tests: fixed behaviours over TCP,
UDP and Unix-domain sockets, chosen by arguments.

    peer.py MODE [--udp] [--unix PATH [--seqpacket]] [options] [PORT...]

The transport is TCP on --addr (default 127.0.0.1) and --port (default 0:
the kernel chooses), like nc's: --udp (or --dgram) makes it datagrams,
--unix PATH a Unix-domain socket at PATH (stream; datagram with --udp,
--seqpacket for SOCK_SEQPACKET; "@name" is an abstract name).

A server prints "PORT <n>" (for --unix: "PORT <path>") on stdout, flushed,
once it can be reached.  Every peer stops by itself after --limit seconds
(default 20) whatever happens (exit 3), so a failing test never leaves one
behind.

Stream servers serve --count connections (default 1) one after the other,
then exit; with --log FILE they append "ACCEPT <addr> <port>" for each:

  echo    send back every byte received; at the client's EOF, keep the
          connection open --hold seconds (default 0), then close.
  banner  send "HELLO banner\\n"; with --shut, shut down the write side
          (the client sees EOF); then keep the connection open --hold
          seconds (default 0) or until the client closes.  What arrives
          meanwhile goes to --out ("<out>.eof" is created at the client's
          EOF), as with sink.
  blob    send --size bytes (byte i is i % 251), then close.
  sink    write every byte received to --out; at the client's EOF create
          "<out>.eof", then keep the connection open --hold seconds.  With
          --close-after S the connection is closed S seconds after it was
          accepted, whatever the client does.
  silent  accept, send nothing, close when the client closes (or after
          --hold seconds of silence; default 5).
  duplex  send file --in while copying everything received into --out, both
          at once; shut down the write side only after the other side's EOF
          (a relay that ends at network EOF has then sent all it had).
          With --connect it connects to --addr --port (or --unix) instead
          of listening.

Other stream servers:

  accept  listen on every PORT operand (0: the kernel's choice; none: on
          --port), backlog 1024, SO_REUSEADDR; accept and close any number
          of connections until --limit.  Prints "PORT <p1> <p2> ...".
  full    a listener whose backlog is full: a further connection attempt
          gets no answer.  TCP: backlog 0 and three connections of its own;
          Unix: backlog 0, filled until a connect would block.
  scan    --pattern such as "xoxox": bind the ports BASE .. BASE+len-1,
          listening where the pattern has "o", leaving the port free
          (checked by binding it, then closing) where it has "x"; prints
          "PORT BASE".  Accepts and closes connections on the "o" ports,
          logging "ACCEPT <addr> <port> -> <local port>".

Datagram servers (--udp) serve until --limit and append
"<source port> <hex payload>" to --log for every datagram received:

  echo    answer each datagram with "reply:" + the datagram (so a test can
          tell the answer from its own datagram)
  silent  answer nothing (the port is open but says nothing)
  second  answer only the second datagram from each sender, so a prober
          that never resends sees silence
  dns     answer only well-formed DNS queries (QR clear, one question)
  ntp     answer only NTP client requests (48 bytes, mode 3)
  snmp    answer only datagrams that start like an SNMP message (BER
          SEQUENCE)

One-shot modes:

  closed  bind a port (TCP, or UDP with --udp) on --addr, print its number
          alone, close it: nobody is there until someone else takes it.
          With --unix: bind PATH and exit, leaving a stale socket file.
  client  connect (from --src-port if given), send all of stdin, shut down
          the write side, copy everything received to stdout until the
          server closes.  Prints "SRCPORT <n>" on stderr once connected.
  send    send all of stdin as one datagram (--udp, with --unix or not)
          from a socket that has no address of its own.
"""
import argparse
import os
import select
import signal
import socket
import sys
import threading
import time

STREAM_SERVERS = ["echo", "banner", "blob", "sink", "silent", "duplex"]
DGRAM_SERVERS = ["echo", "silent", "second", "dns", "ntp", "snmp"]
MODES = sorted(set(STREAM_SERVERS + DGRAM_SERVERS +
                   ["accept", "full", "scan", "closed", "client", "send"]))


def parse():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=MODES)
    p.add_argument("ports", nargs="*", type=int)
    p.add_argument("--udp", "--dgram", dest="dgram", action="store_true")
    p.add_argument("--unix")
    p.add_argument("--seqpacket", action="store_true")
    p.add_argument("--addr", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--src-port", type=int, default=0)
    p.add_argument("--connect", action="store_true")
    p.add_argument("--in", dest="infile")
    p.add_argument("--out")
    p.add_argument("--log")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--hold", type=float, default=None)
    p.add_argument("--shut", action="store_true")
    p.add_argument("--close-after", type=float, default=None)
    p.add_argument("--pattern", default="o")
    p.add_argument("--size", type=int, default=1 << 20)
    p.add_argument("--limit", type=float, default=20.0)
    args = p.parse_intermixed_args()
    if args.dgram and args.mode not in DGRAM_SERVERS + ["closed", "send"]:
        p.error("mode %s is not for datagrams" % args.mode)
    if not args.dgram and args.mode in ("second", "dns", "ntp", "snmp", "send"):
        p.error("mode %s needs --udp" % args.mode)
    return args


def family(args):
    if args.unix is not None:
        return socket.AF_UNIX
    return socket.AF_INET6 if ":" in args.addr else socket.AF_INET


def kind(args):
    if args.dgram:
        return socket.SOCK_DGRAM
    if args.seqpacket:
        return socket.SOCK_SEQPACKET
    return socket.SOCK_STREAM


def where(args, port=None):
    """The socket address of --unix, or of --addr and PORT (default --port)."""
    if args.unix is not None:
        return "\0" + args.unix[1:] if args.unix.startswith("@") else args.unix
    return (args.addr, args.port if port is None else port)


def new_socket(args):
    return socket.socket(family(args), kind(args))


def ready(what):
    print("PORT %s" % what, flush=True)


def log(args, line):
    if args.log:
        with open(args.log, "a") as f:
            f.write(line + "\n")


def touch(path):
    open(path, "w").close()


# ---- stream servers ----

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


def serve_banner(args, conn):
    conn.sendall(b"HELLO banner\n")
    if args.shut:
        conn.shutdown(socket.SHUT_WR)
    if args.hold:
        with open(args.out, "ab", buffering=0) as out:
            if drain_until_close(conn, args.hold, out):
                touch(args.out + ".eof")


def serve_blob(args, conn):
    chunk = bytes(i % 251 for i in range(251 * 64))
    left = args.size
    while left > 0:
        n = min(left, len(chunk))
        conn.sendall(chunk[:n])
        left -= n


def serve_echo_sink(args, conn):
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
            touch(args.out + ".eof")
        if args.hold:
            # The client has shut down its side: nothing more can arrive
            # (the socket stays readable at EOF), so just keep ours open.
            time.sleep(args.hold)
    finally:
        if out is not None:
            out.close()


def serve_duplex(args, conn):
    def send():
        with open(args.infile, "rb") as f:
            while True:
                b = f.read(1 << 17)
                if not b:
                    return
                conn.sendall(b)

    t = threading.Thread(target=send)
    t.start()
    with open(args.out, "wb") as out:
        while True:
            b = conn.recv(1 << 17)
            if not b:
                break
            out.write(b)
    t.join()
    conn.shutdown(socket.SHUT_WR)


def serve(args, conn):
    if args.mode == "banner":
        serve_banner(args, conn)
    elif args.mode == "blob":
        serve_blob(args, conn)
    elif args.mode == "silent":
        drain_until_close(conn, 5.0 if args.hold is None else args.hold)
    elif args.mode == "duplex":
        serve_duplex(args, conn)
    else:
        serve_echo_sink(args, conn)


def run_stream_server(args):
    if args.mode in ("sink", "banner", "duplex"):
        if not args.out:
            sys.exit(args.mode + " needs --out")
        open(args.out, "wb").close()
    if args.mode == "duplex" and args.connect:
        c = new_socket(args)
        c.connect(where(args))
        with c:
            serve(args, c)
        return
    s = new_socket(args)
    s.bind(where(args))
    s.listen(8)
    ready(args.unix if args.unix is not None else s.getsockname()[1])
    for _ in range(args.count):
        conn, peer = s.accept()
        if args.unix is None:
            log(args, "ACCEPT %s %d" % (peer[0], peer[1]))
        with conn:
            serve(args, conn)
    s.close()


def run_accept(args):
    socks = []
    for p in args.ports or [args.port]:
        s = new_socket(args)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(where(args, p))
        s.listen(1024)
        socks.append(s)
    ready(" ".join(str(s.getsockname()[1]) for s in socks))
    while True:
        for s in select.select(socks, [], [])[0]:
            c, peer = s.accept()
            log(args, "ACCEPT %s %d" % (peer[0], peer[1]))
            c.close()


def run_full(args):
    s = new_socket(args)
    s.bind(where(args))
    s.listen(0)
    fillers = []
    if args.unix is not None:
        # A Unix connect to a full backlog would block: fill it up to that.
        while True:
            c = new_socket(args)
            c.setblocking(False)
            try:
                c.connect(where(args))
            except BlockingIOError:
                break
            fillers.append(c)
        ready(args.unix)
        signal.pause()
    port = s.getsockname()[1]
    for i in range(3):
        c = new_socket(args)
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
    ready(port)
    signal.pause()


def run_scan(args):
    fam = family(args)
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
        ready(base)
        while True:
            r, _, _ = select.select(listeners, [], [])
            for s in r:
                conn, peer = s.accept()
                log(args, "ACCEPT %s %d -> %d" % (peer[0], peer[1], s.getsockname()[1]))
                conn.close()
    sys.exit("no free run of ports found")


# ---- datagram servers ----

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


def run_dgram_server(args):
    s = new_socket(args)
    s.bind(where(args))
    ready(args.unix if args.unix is not None else s.getsockname()[1])
    seen = {}
    while True:
        data, src = s.recvfrom(65536)
        seen[src] = seen.get(src, 0) + 1
        if args.unix is None:
            log(args, "%d %s" % (src[1], data.hex()))
        else:
            log(args, "%s %s" % (src or "-", data.hex()))
        if wanted(args.mode, data, seen[src]) and src:
            s.sendto(b"reply:" + data, src)


# ---- one-shot modes ----

def run_closed(args):
    s = new_socket(args)
    s.bind(where(args))
    if args.unix is None:
        print(s.getsockname()[1], flush=True)
    s.close()


def run_client(args):
    c = new_socket(args)
    if args.src_port:
        c.bind(("::" if family(args) == socket.AF_INET6 else "0.0.0.0", args.src_port))
    c.connect(where(args))
    if args.unix is None:
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


def run_send(args):
    new_socket(args).sendto(sys.stdin.buffer.read(), where(args))


def main():
    args = parse()
    signal.signal(signal.SIGALRM, lambda *_: os._exit(3))
    signal.setitimer(signal.ITIMER_REAL, args.limit)
    one = {"closed": run_closed, "client": run_client, "send": run_send,
           "accept": run_accept, "full": run_full, "scan": run_scan}
    if args.mode in one:
        one[args.mode](args)
    elif args.dgram:
        run_dgram_server(args)
    else:
        run_stream_server(args)


if __name__ == "__main__":
    main()
