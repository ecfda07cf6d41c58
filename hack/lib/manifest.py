"""Write the sandbox as a Kubernetes `List` (cluster.yaml) and a machine-readable sandbox.json.

Everything is derived from the state files hack/sandbox recorded (state, nodes.tsv, pods.tsv,
policies.tsv), never from constants. Node and Pod annotations are the ones OVN-Kubernetes writes.
"""

import ipaddress
import json
import os
import sys
import uuid

import yaml  # python3-yaml (hack/install-deps)

NS_UUID = uuid.UUID("6f1b8f3c-3a59-4b8e-9b7e-2f0c2d6a9c11")
CREATED = "2026-01-01T00:00:00Z"


def read_state(d):
    st = {}
    with open(os.path.join(d, "state")) as f:
        for line in f:
            if "=" in line:
                k, v = line.strip().split("=", 1)
                st[k] = v
    return st


def read_tsv(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [l.rstrip("\n").split("\t") for l in f if l.strip()]


def uid(*parts):
    return str(uuid.uuid5(NS_UUID, "/".join(parts)))


# libyaml's emitter when present (a 5,000-node fleet manifest for hack/bench is ~20 MB).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_yaml(doc):
    """Block-style YAML in the documents' own key order; strings YAML would read as another
    type (true, 1.0, null, ...) are quoted by the emitter itself."""
    return yaml.dump(doc, Dumper=_DUMPER, sort_keys=False, default_flow_style=False, width=1 << 16)


def family(ip):
    return "IPv6" if ":" in ip else "IPv4"


def host_in(subnet, n):
    """The n-th address of a pod subnet (1: the router port, 2: the management port)."""
    return str(ipaddress.ip_network(subnet)[n])


def node_row(row):
    """nodes.tsv: name, IPv4, netns, dir, first pod subnet[, IPv6 underlay address, second subnet]."""
    name, ip, netns, ndir, subnet, *rest = row + ["", ""]
    ips = [ip] + [a for a in rest[:1] if a]
    return name, ips, netns, ndir, [subnet] + [s for s in rest[1:2] if s]


def pod_row(row):
    """pods.tsv: ns, pod, node, first IP, mac, netns, hostif[, the second family's IP]."""
    ns, name, node, ip, mac, netns, hostif, *rest = row
    return ns, name, node, [ip] + [a for a in rest[:1] if a], mac, netns, hostif


def mac_of(ip):
    return "0a:58:" + ":".join(f"{int(o):02x}" for o in ip.split("."))


def openshift_sdn_objects(st, nodes, pods):
    """OpenShift SDN's own API objects: a HostSubnet per node (its UID seeds the cookie of that
    node's flows on every peer) and a NetNamespace per namespace (netid = the VNID)."""
    out = []
    for name, ips, _netns, _dir, subnets in nodes:
        ip, subnet = ips[0], subnets[0]
        out.append({"apiVersion": "network.openshift.io/v1", "kind": "HostSubnet",
                    "metadata": {"name": name, "uid": uid("hostsubnet", st["PREFIX"], name),
                                 "creationTimestamp": CREATED},
                    "host": name, "hostIP": ip, "subnet": subnet})
    vnids = dict(kv.split("=", 1) for kv in st.get("SDN_VNIDS", "").strip('"').split())
    for ns in sorted({p[0] for p in pods} | {"default"}):
        out.append({"apiVersion": "network.openshift.io/v1", "kind": "NetNamespace",
                    "metadata": {"name": ns, "uid": uid("netnamespace", st["PREFIX"], ns),
                                 "creationTimestamp": CREATED},
                    "netname": ns, "netid": int(vnids[ns])})
    return out


def endpoint_slice(st, fam, web, pod_uids, svc_ports):
    """The Service's EndpointSlice of one address family (the IPv4 one keeps its historic name)."""
    suffix = "01" if fam == "IPv4" else "06"
    key = ["default/web"] + ([] if fam == "IPv4" else [fam])
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": f"web-sbx{suffix}", "namespace": "default", "uid": uid("eps", st["PREFIX"], *key),
            "creationTimestamp": CREATED,
            "labels": {"kubernetes.io/service-name": "web",
                       "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"},
            "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": "web",
                                 "uid": uid("svc", st["PREFIX"], "default/web")}],
        },
        "addressType": fam,
        "endpoints": [{"addresses": [a for a in ips if family(a) == fam],
                       "conditions": {"ready": True, "serving": True, "terminating": False},
                       "nodeName": node,
                       "targetRef": {"kind": "Pod", "namespace": ns, "name": name, "uid": pod_uids[(ns, name)]}}
                      for ns, name, node, ips, *_ in web],
        "ports": [{"name": p["name"], "protocol": p["protocol"], "port": p["port"]} for p in svc_ports],
    }


def ingress_objects(st, row, web_svc, web, pod_uids):
    """hack/sandbox ingress on: svc default/web gets an ExternalIP and a load balancer ingress
    address; with a NodePort column, svc default/web-local (externalTrafficPolicy Local, one pod)."""
    ext_ip, lb_ip, local_np, local_ip, local_pod = row
    spec = web_svc["spec"]
    spec["type"] = "LoadBalancer"
    spec["externalIPs"] = [ext_ip]
    if not any("nodePort" in p for p in spec["ports"]):
        spec["allocateLoadBalancerNodePorts"] = False
    web_svc["status"] = {"loadBalancer": {"ingress": [{"ip": lb_ip, "ipMode": "VIP"}]}}
    if int(local_np) == 0:
        return []
    ports = [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": 80, "nodePort": int(local_np)}]
    svc = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web-local", "namespace": "default",
                     "uid": uid("svc", st["PREFIX"], "default/web-local"), "creationTimestamp": CREATED},
        "spec": {"type": "NodePort", "clusterIP": local_ip, "clusterIPs": [local_ip], "ipFamilies": ["IPv4"],
                 "ipFamilyPolicy": "SingleStack", "externalTrafficPolicy": "Local",
                 "selector": {"podpath.io/name": local_pod}, "ports": ports},
    }
    eps = endpoint_slice(st, "IPv4", [p for p in web if p[1] == local_pod], pod_uids, ports)
    eps["metadata"].update({"name": "web-local-sbx01", "uid": uid("eps", st["PREFIX"], "default/web-local")})
    eps["metadata"]["labels"]["kubernetes.io/service-name"] = "web-local"
    eps["metadata"]["ownerReferences"][0].update({"name": "web-local", "uid": svc["metadata"]["uid"]})
    return [svc, eps]


def main(d):
    st = read_state(d)
    mode = st["MODE"]
    sub = f"172.31.{st['INDEX']}"
    raw_nodes = read_tsv(os.path.join(d, "nodes.tsv"))
    raw_pods = read_tsv(os.path.join(d, "pods.tsv"))
    nodes = [node_row(r) for r in raw_nodes]
    pods = [pod_row(r) for r in raw_pods]
    ip_family = st.get("IP_FAMILY", "ipv4")
    svc_ips = ([] if ip_family == "ipv6" else ["10.96.0.10"]) + ([] if ip_family == "ipv4" else ["fd00:10:96::a"])
    ext_ips = [f"{sub}.200"] + ([] if ip_family == "ipv4" else [f"fd00:172:31:{st['INDEX']}::200"])
    policies = read_tsv(os.path.join(d, "policies.tsv"))
    items = []
    node_ips = {}
    for name, ips, netns, ndir, subnets in nodes:
        ip = ips[0]
        node_ips[name] = ips
        cidrs = [f"{a}/64" if ":" in a else f"{a}/24" for a in ips]
        ann = {}
        if mode == "ovn":
            # MACs follow the IPv4 plan in every family (hack/lib/sb-common.sh)
            v4 = next((x for x in subnets if ":" not in x), f"10.244.{name[len('node'):]}.0/24")
            gw = host_in(v4, 2)
            ann = {
                "k8s.ovn.org/node-subnets": json.dumps({"default": subnets}, separators=(",", ":")),
                "k8s.ovn.org/node-primary-ifaddr": json.dumps(
                    {("ipv6" if ":" in c else "ipv4"): c for c in cidrs}, separators=(",", ":")),
                # --underlay ipv6: Geneve runs between the nodes' IPv6 addresses
                "k8s.ovn.org/node-encap-ips": json.dumps(
                    [ips[-1] if st.get("UNDERLAY") == "ipv6" else ip], separators=(",", ":")),
                "k8s.ovn.org/host-cidrs": json.dumps(cidrs, separators=(",", ":")),
                "k8s.ovn.org/node-chassis-id": name,
                "k8s.ovn.org/node-mgmt-port-mac-addresses": json.dumps({"default": mac_of(gw)}, separators=(",", ":")),
                "k8s.ovn.org/zone-name": "global",
                "k8s.ovn.org/node-id": name[len("node"):],
            }
        ann["podpath.io/sandbox-mode"] = mode
        items.append({
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {
                "name": name,
                "uid": uid("node", st["PREFIX"], name),
                "creationTimestamp": CREATED,
                "labels": {
                    "kubernetes.io/hostname": name,
                    "kubernetes.io/os": "linux",
                    "kubernetes.io/arch": "amd64",
                },
                "annotations": ann,
            },
            "spec": {"podCIDR": subnets[0], "podCIDRs": subnets},
            "status": {
                "addresses": [{"type": "InternalIP", "address": a} for a in ips]
                + [{"type": "Hostname", "address": name}],
                "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                "lastTransitionTime": CREATED}],
                "nodeInfo": {"operatingSystem": "linux", "architecture": "amd64",
                             "containerRuntimeVersion": "podpath-sandbox://1", "kubeletVersion": "v1.31.0"},
            },
        })
    pod_uids = {}
    for ns, name, node, ips, mac, netns, hostif in pods:
        ip = ips[0]
        role = name.split("-", 1)[0] if name.startswith(("web-", "client-")) else "pod"
        labels = {"app": role, "podpath.io/name": name}
        pod_uids[(ns, name)] = uid("pod", st["PREFIX"], ns, name)
        ann = {}
        if mode == "ovn":
            cidrs = [f"{a}/64" if ":" in a else f"{a}/24" for a in ips]
            gws = [host_in(str(ipaddress.ip_interface(c).network), 1) for c in cidrs]
            ann["k8s.ovn.org/pod-networks"] = json.dumps({"default": {
                "ip_addresses": cidrs, "mac_address": mac, "gateway_ips": gws,
                "routes": [], "ip_address": cidrs[0], "gateway_ip": gws[0], "role": "primary"}},
                separators=(",", ":"))
        items.append({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": ns, "uid": pod_uids[(ns, name)],
                         "creationTimestamp": CREATED, "labels": labels, "annotations": ann},
            "spec": {
                "nodeName": node,
                "containers": [{"name": "responder", "image": "podpath/sandbox-responder:local",
                                "ports": [{"containerPort": 80, "protocol": "TCP", "name": "http"},
                                          {"containerPort": 53, "protocol": "UDP", "name": "dns"}]}],
            },
            "status": {
                "phase": "Running",
                "hostIP": node_ips[node][0],
                "hostIPs": [{"ip": a} for a in node_ips[node]],
                "podIP": ip,
                "podIPs": [{"ip": a} for a in ips],
                "conditions": [{"type": t, "status": "True", "lastTransitionTime": CREATED}
                               for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")],
                "startTime": CREATED,
            },
        })
    web = [p for p in pods if p[1].startswith("web-")]
    svc_ports = [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": 80},
                 {"name": "dns", "protocol": "UDP", "port": 53, "targetPort": 53}]
    svc_type = "ClusterIP"
    nodeport = os.path.join(d, "nodeport")  # hack/sandbox nodeport on: "TCP-port<TAB>UDP-port"
    if os.path.exists(nodeport):
        with open(nodeport) as f:
            tcp_np, udp_np = (int(x) for x in f.read().split())
        svc_type = "NodePort"
        svc_ports[0]["nodePort"], svc_ports[1]["nodePort"] = tcp_np, udp_np
    ingress = read_tsv(os.path.join(d, "ingress"))  # hack/sandbox ingress on (sb-ingress.sh)
    web_svc = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": "default", "uid": uid("svc", st["PREFIX"], "default/web"),
                     "creationTimestamp": CREATED, "labels": {"app": "web"}},
        "spec": {"type": svc_type, "clusterIP": svc_ips[0], "clusterIPs": svc_ips,
                 "ipFamilies": [family(a) for a in svc_ips],
                 "ipFamilyPolicy": "RequireDualStack" if len(svc_ips) > 1 else "SingleStack",
                 "selector": {"app": "web"}, "ports": svc_ports},
    }
    items.append(web_svc)
    # one EndpointSlice per address family, as the EndpointSlice controller writes them
    for fam in [family(a) for a in svc_ips]:
        items.append(endpoint_slice(st, fam, web, pod_uids, svc_ports))
    if ingress:
        items.extend(ingress_objects(st, ingress[0], web_svc, web, pod_uids))
    for ns, pname, target in policies:
        items.append({
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": pname, "namespace": ns, "uid": uid("np", st["PREFIX"], ns, pname),
                         "creationTimestamp": CREATED},
            "spec": {"podSelector": {"matchLabels": {"podpath.io/name": target}}, "policyTypes": ["Ingress"]},
        })
    if mode == "sdn":
        items.extend(openshift_sdn_objects(st, nodes, pods))
    doc = {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items}
    header = (f"# podpath sandbox '{st['PREFIX']}' ({mode}, {len(nodes)} nodes) - generated by hack/sandbox "
              "from its state; do not edit\n")
    tmp = os.path.join(d, "cluster.yaml.tmp")
    with open(tmp, "w") as f:
        f.write(header + dump_yaml(doc))
    os.rename(tmp, os.path.join(d, "cluster.yaml"))

    info = {
        "prefix": st["PREFIX"], "index": int(st["INDEX"]), "mode": mode, "dir": d,
        "podMtu": int(st["POD_MTU"]), "underlayMtu": int(st["UNDERLAY_MTU"]),
        "underlay": st.get("UNDERLAY", "ipv4"),
        "manifest": os.path.join(d, "cluster.yaml"),
        "hostIp": f"{sub}.254", "externalIp": f"{sub}.200", "externalNetns": f"{st['PREFIX']}-ext",
        "centralIp": f"{sub}.2" if mode in ("ovn", "kube-ovn") else None,
        "centralNetns": f"{st['PREFIX']}-central" if mode in ("ovn", "kube-ovn") else None,
        "fabricNetns": f"{st['PREFIX']}-fabric",
        "serviceIp": svc_ips[0], "serviceIps": svc_ips, "ipFamily": ip_family,
        "externalIps": ext_ips,
        "ingressAddresses": ingress[0][:2] if ingress else [],
        "ovnNbSocket": os.path.join(d, "central", "ovnnb_db.sock") if mode in ("ovn", "kube-ovn") else None,
        "ovnSbSocket": os.path.join(d, "central", "ovnsb_db.sock") if mode in ("ovn", "kube-ovn") else None,
        "nodes": [{"name": n, "ip": ips[0], "ips": ips, "netns": netns, "dir": nd,
                   "ovsRundir": os.path.join(nd, "run"), "ovnRundir": os.path.join(nd, "ovn"),
                   "subnet": s[0], "subnets": s} for n, ips, netns, nd, s in nodes],
        "pods": [{"namespace": ns, "name": n, "node": node, "ip": ips[0], "ips": ips, "mac": mac,
                  "netns": netns, "hostInterface": hif} for ns, n, node, ips, mac, netns, hif in pods],
        "policies": [{"namespace": ns, "name": n, "pod": t} for ns, n, t in policies],
    }
    tmp = os.path.join(d, "sandbox.json.tmp")
    with open(tmp, "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    os.rename(tmp, os.path.join(d, "sandbox.json"))


if __name__ == "__main__":
    main(sys.argv[1])
