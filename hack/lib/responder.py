"""Tiny pod responder for the podpath sandbox: TCP 80 answers one line naming the pod; UDP 53
answers a DNS query (one A question) like a cluster DNS server would, and echoes anything else;
SCTP (raw sockets of both families where the netns has IPv6: the kernel has no SCTP module)
answers an INIT to port 80 with an INIT-ACK and an INIT to any other port with an ABORT, as a real
stack with one listener does.

While the file `dns-garbage` exists beside the pidfile (hack/sandbox break dns-garbage), DNS
queries get a reply with the query's id and the QR bit but a body that is no valid DNS message.
No DNS lookups anywhere (python's http.server does reverse lookups that cost ~10 s in a netns).
The pidfile is written only after both sockets are bound, so it doubles as the readiness signal.
"""

import argparse
import os
import socket
import threading

import sctp  # hack/lib/sctp.py, beside this file


def serve_tcp(sock: socket.socket, line: bytes) -> None:
    while True:
        conn, _ = sock.accept()
        try:
            conn.settimeout(2)
            conn.sendall(line)
            conn.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        finally:
            conn.close()


# Every A question is answered with this address (the API server's Service IP in a usual cluster);
# with --api-family 6 (an IPv6-only sandbox) every AAAA question instead, and A gets no answer, as
# the cluster DNS of a single-stack IPv6 cluster answers for the kubernetes Service.
DNS_ANSWER_IP = bytes([10, 96, 0, 1])
DNS_ANSWER_IP6 = bytes.fromhex("fd00001000960000" + "0000000000000001")  # fd00:10:96::1


def dns_question_end(data: bytes) -> int:
    """End offset of the single question of a standard DNS query, or -1 if data is not one."""
    if len(data) < 12:
        return -1
    flags = data[2]
    qdcount = int.from_bytes(data[4:6], "big")
    if flags & 0x80 or (flags >> 3) & 0x0F != 0 or qdcount != 1:
        return -1
    i = 12
    while i < len(data) and data[i] != 0:
        if data[i] & 0xC0:
            return -1
        i += 1 + data[i]
    i += 5  # the root label, QTYPE, QCLASS
    return i if i <= len(data) else -1


def dns_reply(data: bytes, end: int, garbage: bool, api_family: int = 4) -> bytes:
    if garbage:
        # our id, QR set, one answer announced, then bytes that are no DNS at all
        return data[0:2] + bytes([0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]) + b"\xffgarbage\x00"
    qtype = int.from_bytes(data[end - 4 : end - 2], "big")
    answer = b""
    if qtype == 1 and api_family == 4:
        answer = b"\xc0\x0c" + bytes([0, 1, 0, 1, 0, 0, 0, 30, 0, 4]) + DNS_ANSWER_IP
    elif qtype == 28 and api_family == 6:
        answer = b"\xc0\x0c" + bytes([0, 28, 0, 1, 0, 0, 0, 30, 0, 16]) + DNS_ANSWER_IP6
    header = data[0:2] + bytes([0x81, 0x80, 0, 1, 0, 1 if answer else 0, 0, 0, 0, 0])
    return header + data[12:end] + answer


def serve_udp(sock: socket.socket, garbage_flag: str, api_family: int) -> None:
    while True:
        data, peer = sock.recvfrom(65535)
        end = dns_question_end(data)
        reply = data if end < 0 else dns_reply(data, end, os.path.exists(garbage_flag), api_family)
        try:
            sock.sendto(reply, peer)
        except OSError:
            pass


def serve_sctp(sock: socket.socket, port: int) -> None:
    while True:
        p = sctp.receive(sock)
        reply = sctp.answer(p, port) if p is not None else None
        if reply is not None:
            try:
                sock.sendto(reply, (p.src, 0))
            except OSError:
                pass


def ipv6_on() -> bool:
    """hack/sandbox turns IPv6 on for lo in --ip-family ipv6|dual sandboxes only."""
    try:
        with open("/proc/sys/net/ipv6/conf/lo/disable_ipv6") as f:
            return f.read().strip() == "0"
    except OSError:
        return False


def bound(kind: int, port: int) -> socket.socket:
    """A socket on every address of both families, or IPv4 only where the netns has IPv6 off."""
    v6 = ipv6_on()
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, kind)
    if v6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::" if v6 else "0.0.0.0", port))
    return s


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True, help="NS/POD, sent back on TCP")
    ap.add_argument("--pidfile", required=True)
    ap.add_argument("--tcp-port", type=int, default=80)
    ap.add_argument("--udp-port", type=int, default=53)
    ap.add_argument("--sctp-port", type=int, default=80)
    ap.add_argument("--api-family", type=int, choices=(4, 6), default=4,
                    help="the family DNS answers the kubernetes Service in (A or AAAA)")
    args = ap.parse_args()

    tcp = bound(socket.SOCK_STREAM, args.tcp_port)
    tcp.listen(64)
    udp = bound(socket.SOCK_DGRAM, args.udp_port)
    raw_sctp = [sctp.raw_socket()]
    if ipv6_on():
        raw_sctp.append(sctp.raw_socket(socket.AF_INET6))

    tmp = args.pidfile + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{os.getpid()}\n")
    os.rename(tmp, args.pidfile)

    garbage_flag = os.path.join(os.path.dirname(os.path.abspath(args.pidfile)), "dns-garbage")
    threading.Thread(target=serve_udp, args=(udp, garbage_flag, args.api_family), daemon=True).start()
    for raw in raw_sctp:
        threading.Thread(target=serve_sctp, args=(raw, args.sctp_port), daemon=True).start()
    serve_tcp(tcp, f"podpath {args.name}\n".encode())


if __name__ == "__main__":
    main()
