"""Tiny pod responder for the podpath sandbox: TCP 80 answers one line naming the pod, UDP 53 echoes.

No DNS lookups anywhere (python's http.server does reverse lookups that cost ~10 s in a netns).
The pidfile is written only after both sockets are bound, so it doubles as the readiness signal.
"""

import argparse
import os
import socket
import threading


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


def serve_udp(sock: socket.socket) -> None:
    while True:
        data, peer = sock.recvfrom(65535)
        try:
            sock.sendto(data, peer)
        except OSError:
            pass


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True, help="NS/POD, sent back on TCP")
    ap.add_argument("--pidfile", required=True)
    ap.add_argument("--tcp-port", type=int, default=80)
    ap.add_argument("--udp-port", type=int, default=53)
    args = ap.parse_args()

    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind(("0.0.0.0", args.tcp_port))
    tcp.listen(64)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("0.0.0.0", args.udp_port))

    tmp = args.pidfile + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{os.getpid()}\n")
    os.rename(tmp, args.pidfile)

    threading.Thread(target=serve_udp, args=(udp,), daemon=True).start()
    serve_tcp(tcp, f"podpath {args.name}\n".encode())


if __name__ == "__main__":
    main()
