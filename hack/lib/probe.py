"""Send one real probe from the current netns (hack/sandbox enters the source pod's netns first).

Prints `delivered` (and `reply: <text>` for TCP/UDP) or `failed: <reason>`; exit 0 / 1.
ICMP uses ping (kernel); TCP connects and reads the responder's line; UDP sends a payload and waits
for its echo; SCTP sends one INIT chunk through a raw socket of the destination's family
(hack/lib/sctp.py: no kernel SCTP module needed) and waits for the INIT-ACK (delivered) or an ABORT (refused). --size is the ICMP or UDP payload size; --df forbids fragmentation. An IPv6 --dst
sends IPv6 (ICMPv6 echo through ping -6); there --df means the sender never fragments either (IPv6
routers never do), so an oversized packet fails with the path's Packet Too Big or the local MTU.
"""

import argparse
import os
import socket
import subprocess
import sys
import time

import sctp  # hack/lib/sctp.py, beside this file

IP_MTU_DISCOVER = 10
IP_PMTUDISC_DO = 2
IPV6_MTU_DISCOVER = 23
IPV6_PMTUDISC_DO = 2


def family(dst: str) -> int:
    return socket.AF_INET6 if ":" in dst else socket.AF_INET


class Result(Exception):
    def __init__(self, ok: bool, msg: str, reply: str = ""):
        super().__init__(msg)
        self.ok, self.msg, self.reply = ok, msg, reply


def out(ok: bool, msg: str, reply: str = "") -> None:
    raise Result(ok, msg, reply)


def emit(ok: bool, msg: str, reply: str) -> None:
    text = ("delivered\n" + (f"reply: {reply}\n" if reply else "")) if ok else f"failed: {msg}\n"
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    os._exit(0 if ok else 1)


def icmp(dst: str, size, df: bool, tries: int) -> None:
    argv = ["ping", "-6" if ":" in dst else "-4", "-n", "-q", "-c", str(tries), "-i", "0.2", "-W", "1"]
    if size is not None:
        argv += ["-s", str(size)]
    if df:
        argv += ["-M", "do"]
    argv.append(dst)
    p = subprocess.run(argv, capture_output=True, text=True, timeout=10)
    text = (p.stdout + p.stderr).strip()
    if p.returncode == 0:
        out(True, "")
    for line in text.splitlines():
        low = line.lower()
        if ("local error" in low or "too long" in low or "frag needed" in low or "mtu" in low
                or "packet too big" in low):
            out(False, f"icmp: {line.strip()}")
    summary = [l for l in text.splitlines() if "packets transmitted" in l]
    out(False, f"icmp: no reply from {dst} ({summary[0].strip() if summary else text[-200:]})")


def bind_sport(s: socket.socket, sport) -> None:
    # A fixed source port makes a repeated probe the SAME connection to conntrack (an existing entry)
    if sport is not None:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("::" if s.family == socket.AF_INET6 else "0.0.0.0", sport))


def tcp(dst: str, port: int, sport=None) -> None:
    s = socket.socket(family(dst), socket.SOCK_STREAM)
    s.settimeout(1.5)
    try:
        bind_sport(s, sport)
        s.connect((dst, port))
        data = b""
        while not data.endswith(b"\n") and len(data) < 4096:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        out(True, "", data.decode(errors="replace").strip())
    except socket.timeout:
        out(False, f"tcp: connect/read to {dst}:{port} timed out")
    except OSError as e:
        out(False, f"tcp: {dst}:{port}: {e.strerror or e}")
    finally:
        s.close()


def udp(dst: str, port: int, size, df: bool, tries: int, sport=None) -> None:
    payload = (b"podpath-probe-" + os.urandom(4).hex().encode())
    if size is not None:
        payload = (payload * (size // len(payload) + 1))[:size]
    s = socket.socket(family(dst), socket.SOCK_DGRAM)
    if df and s.family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER, IPV6_PMTUDISC_DO)
    elif df:
        s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DO)
    s.settimeout(0.75)
    try:
        bind_sport(s, sport)
        s.connect((dst, port))
        for _ in range(tries):
            try:
                s.send(payload)
                data = s.recv(65535)
                if data == payload:
                    out(True, "", f"echo {len(data)} bytes")
                out(False, f"udp: unexpected reply of {len(data)} bytes")
            except socket.timeout:
                continue
        out(False, f"udp: no echo from {dst}:{port} after {tries} tries")
    except OSError as e:
        out(False, f"udp: {dst}:{port}: {e.strerror or e}")
    finally:
        s.close()


def sctp_init(dst: str, port: int, timeout: float, sport=None) -> None:
    sport = sport or 32768 + int.from_bytes(os.urandom(2), "big") % 28000
    tag = sctp.random_tag()
    s = sctp.raw_socket(family(dst))
    try:
        s.sendto(sctp.packet(sport, port, 0, sctp.init_chunk(tag, sctp.random_tag())), (dst, 0))
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            s.settimeout(left)
            try:
                p = sctp.receive(s)
            except socket.timeout:
                break
            # the answer to this INIT: our ports reversed and our initiate tag
            if p is None or p.sport != port or p.dport != sport or p.vtag != tag or not p.valid:
                continue
            if p.chunk == sctp.INIT_ACK:
                at = f"[{p.src}]" if ":" in p.src else p.src
                out(True, "", f"INIT-ACK from {at}:{p.sport}")
            if p.chunk == sctp.ABORT:
                out(False, f"sctp: {dst}:{port}: Connection refused (ABORT)")
        out(False, f"sctp: INIT to {dst}:{port} timed out")
    except OSError as e:
        out(False, f"sctp: {dst}:{port}: {e.strerror or e}")
    finally:
        s.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--proto", choices=["icmp", "tcp", "udp", "sctp"], required=True)
    ap.add_argument("--dst", required=True)
    ap.add_argument("--port", type=int)
    ap.add_argument("--size", type=int)
    ap.add_argument("--df", action="store_true")
    ap.add_argument("--tries", type=int, default=2)
    ap.add_argument("--sport", type=int)
    a = ap.parse_args()
    try:
        run(a)
    except Result as r:
        emit(r.ok, r.msg, r.reply)
    out_fail = "probe ended without a verdict"
    emit(False, out_fail, "")


def run(a) -> None:
    if a.proto == "icmp":
        icmp(a.dst, a.size, a.df, a.tries)
    elif a.port is None:
        out(False, "usage: --port required")
    elif a.proto == "tcp":
        tcp(a.dst, a.port, a.sport)
    elif a.proto == "sctp":
        sctp_init(a.dst, a.port, 1.5, a.sport)
    else:
        udp(a.dst, a.port, a.size, a.df, a.tries, a.sport)


if __name__ == "__main__":
    main()
