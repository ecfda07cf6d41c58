"""SCTP at the packet level (RFC 9260) for hosts whose kernel has no SCTP module.

A raw socket of protocol 132 works without the module, IPv4 or IPv6: probe.py sends one INIT chunk
through it and waits for the INIT-ACK (a listener) or ABORT (no listener); responder.py answers
INITs the way a real stack does. While such a socket is open the kernel sends no ICMP(v6)
protocol-unreachable. The checksum is CRC32c over the SCTP packet alone (no pseudo-header), so
both families send the same bytes. An IPv4 raw socket reads the IP header too, an IPv6 one only
the payload (the source address comes from recvfrom).
"""

import os
import socket
import struct

PROTO = 132
INIT, INIT_ACK, ABORT = 1, 2, 6
STATE_COOKIE = 7


def _table():
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        t.append(c)
    return t


_T = _table()


def crc32c(data: bytes) -> int:
    c = 0xFFFFFFFF
    for b in data:
        c = _T[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def packet(sport: int, dport: int, vtag: int, chunks: bytes) -> bytes:
    """Common header + chunks with the checksum filled in (stored little-endian, RFC 9260 B)."""
    head = struct.pack("!HHII", sport, dport, vtag, 0)
    crc = crc32c(head + chunks)
    return struct.pack("!HHI", sport, dport, vtag) + struct.pack("<I", crc) + chunks


def init_chunk(tag: int, tsn: int) -> bytes:
    # type, flags, length, initiate tag, a_rwnd, outbound streams, inbound streams, initial TSN
    return struct.pack("!BBHIIHHI", INIT, 0, 20, tag, 65535, 10, 10, tsn)


def init_ack_chunk(tag: int, tsn: int, cookie: bytes) -> bytes:
    param = struct.pack("!HH", STATE_COOKIE, 4 + len(cookie)) + cookie
    param += b"\0" * (-len(param) % 4)
    body = struct.pack("!IIHHI", tag, 65535, 10, 10, tsn) + param
    return struct.pack("!BBH", INIT_ACK, 0, 4 + len(body)) + body


def abort_chunk() -> bytes:
    return struct.pack("!BBH", ABORT, 0, 4)


class Parsed:
    """An SCTP packet as a raw socket reads it, with the addresses it came from and went to."""

    def __init__(self, src, dst, sport, dport, vtag, chunk, body, valid):
        self.src, self.dst, self.sport, self.dport = src, dst, sport, dport
        self.vtag, self.chunk, self.body, self.valid = vtag, chunk, body, valid


def parse(data: bytes):
    """An IPv4 raw socket's packet (IP header first): its addresses, ports, tag, first chunk type
    and that chunk's value (after its 4-byte header); None if it is no SCTP packet."""
    if len(data) < 20 or data[0] >> 4 != 4 or data[9] != PROTO:
        return None
    ihl = (data[0] & 0xF) * 4
    return parse_sctp(data[ihl:], socket.inet_ntoa(data[12:16]), socket.inet_ntoa(data[16:20]))


def parse_sctp(s: bytes, src: str, dst: str):
    """The SCTP packet `s` (an IPv6 raw socket reads no IP header) from `src` to `dst`."""
    if len(s) < 16:
        return None
    sport, dport, vtag = struct.unpack("!HHI", s[:8])
    (crc,) = struct.unpack("<I", s[8:12])
    valid = crc32c(s[:8] + b"\0\0\0\0" + s[12:]) == crc
    return Parsed(src, dst, sport, dport, vtag, s[12], s[16:], valid)


def receive(sock: socket.socket):
    """One packet from a raw SCTP socket of either family, parsed (None if it is none)."""
    data, peer = sock.recvfrom(65535)
    if sock.family == socket.AF_INET6:
        return parse_sctp(data, peer[0], "")
    return parse(data)


def raw_socket(family=socket.AF_INET) -> socket.socket:
    return socket.socket(family, socket.SOCK_RAW, PROTO)


def random_tag() -> int:
    return int.from_bytes(os.urandom(4), "big") or 1


def answer(p: Parsed, listening: int):
    """What a stack with a listener on `listening` sends back to INIT `p`: INIT-ACK or ABORT,
    tagged with the INIT's initiate tag; None for anything that is not a valid INIT."""
    if not p.valid or p.chunk != INIT or p.vtag != 0 or len(p.body) < 16:
        return None
    (their_tag,) = struct.unpack("!I", p.body[0:4])
    if p.dport != listening:
        return packet(p.dport, p.sport, their_tag, abort_chunk())
    cookie = b"podpath-sctp-cookie-" + os.urandom(8)
    ack = init_ack_chunk(random_tag(), random_tag(), cookie)
    return packet(p.dport, p.sport, their_tag, ack)
