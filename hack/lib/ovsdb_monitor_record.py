#!/usr/bin/env python3
"""Records an RFC 7047 monitor session on a real ovsdb-server, as io.podpath.agent.ovsdb sees it.

  ovsdb_monitor_record.py DB_SOCK OUT_JSONL +++ STEP [+++ STEP ...]

Sends the monitor request OvsStateMonitor sends (same id, tables and columns), then for every STEP
(an argv run as given, e.g. an ovs-vsctl command) runs it and sends an "echo" barrier, reading until
its reply. Writes one line per message: {"dir": "send"|"recv", "step": N, "msg": {...}}.
"""
import json
import socket
import subprocess
import sys

TABLES = {
    "Open_vSwitch": ["ovs_version", "external_ids", "bridges"],
    "Bridge": ["name", "datapath_type", "ports", "external_ids"],
    "Port": ["name", "interfaces"],
    "Interface": ["name", "type", "ofport", "ifindex", "mtu", "options", "external_ids",
                  "status", "error", "mac_in_use"],
}
MONITOR_ID = "podpath-ovs-state"


def main():
    sock_path, out_path = sys.argv[1], sys.argv[2]
    steps, cur = [], None
    for a in sys.argv[3:]:
        if a == "+++":
            cur = []
            steps.append(cur)
        else:
            cur.append(a)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(sock_path)
    buf, dec, lines = "", json.JSONDecoder(), []

    def send(msg, step):
        lines.append({"dir": "send", "step": step, "msg": msg})
        s.sendall(json.dumps(msg).encode())

    def until(msg_id, step):
        nonlocal buf
        while True:
            buf = buf.lstrip()
            if buf:
                try:
                    msg, end = dec.raw_decode(buf)
                except ValueError:
                    msg = None
                if msg is not None:
                    buf = buf[end:]
                    lines.append({"dir": "recv", "step": step, "msg": msg})
                    if msg.get("id") == msg_id and "result" in msg:
                        return
                    continue
            chunk = s.recv(65536)
            if not chunk:
                raise SystemExit("ovsdb-server closed the connection")
            buf += chunk.decode()

    requests = {t: {"columns": c} for t, c in TABLES.items()}
    send({"method": "monitor", "params": ["Open_vSwitch", MONITOR_ID, requests], "id": 0}, 0)
    until(0, 0)
    for i, argv in enumerate(steps, start=1):
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        send({"method": "echo", "params": [], "id": i}, i)
        until(i, i)
    with open(out_path, "w") as f:
        for line in lines:
            f.write(json.dumps(line, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
