#!/usr/bin/python3
"""Writes a corpus of Kubernetes manifests for bench/iac/run.sh: DOCS
documents (default 12,000) as multi-document streams of 100 each, a mix of
Deployments, StatefulSets, DaemonSets, CronJobs, Pods, Services,
ConfigMaps and RBAC objects, some hardened, some not, as helm template
would print them. Deterministic (fixed seed)."""
import os
import random
import sys

out = sys.argv[1]
docs = int(sys.argv[2]) if len(sys.argv) > 2 else 12000
per_file = 100
rng = random.Random(4)
os.makedirs(out, exist_ok=True)


def indent(text, n):
    pad = " " * n
    return "".join(pad + l + "\n" if l else "\n" for l in text.rstrip("\n").split("\n"))


def container(i, hard):
    sc = ("""securityContext:
  runAsNonRoot: true
  runAsUser: 10001
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities:
    drop: ["ALL"]
""" if hard else """securityContext:
  privileged: %s
  capabilities:
    add: ["NET_ADMIN", "SYS_PTRACE"]
""" % ("true" if i % 7 == 0 else "false"))
    return """- name: app-%d
  image: registry.example.com/team/app-%d:1.%d.0
  imagePullPolicy: IfNotPresent
  args: ["--port=8080", "--log-level=info"]
  ports:
    - containerPort: 8080
      name: http
  env:
    - name: LOG_LEVEL
      value: info
    - name: DB_PASSWORD
      valueFrom:
        secretKeyRef: {name: db-%d, key: password}
  resources:
    requests: {cpu: 100m, memory: 128Mi}
    limits: {cpu: 500m, memory: 256Mi}
  readinessProbe:
    httpGet: {path: /healthz, port: http}
%s  volumeMounts:
    - name: data
      mountPath: /data
    - name: host
      mountPath: /host
      readOnly: true
""" % (i, i, i % 50, i, indent(sc, 2))


def podspec(i, hard):
    return """serviceAccountName: sa-%d
automountServiceAccountToken: %s
hostNetwork: %s
containers:
%svolumes:
  - name: data
    emptyDir: {}
  - name: host
    hostPath:
      path: %s
""" % (i % 40, "false" if hard else "true", "false" if hard else "true",
       indent(container(i, hard), 2),
       rng.choice(["/var/log", "/etc/ssl/certs", "/var/run/docker.sock", "/opt/data"]))


def workload(kind, i, hard):
    head = """apiVersion: %s
kind: %s
metadata:
  name: svc-%d
  namespace: ns-%d
  labels: {app: svc-%d, tier: backend}
  annotations:
    checksum/config: "%032x"
""" % ("batch/v1" if kind == "CronJob" else "v1" if kind == "Pod" else "apps/v1", kind, i,
       i % 20, i, rng.getrandbits(128))
    spec = podspec(i, hard)
    if kind == "Pod":
        return head + "spec:\n" + indent(spec, 2)
    if kind == "CronJob":
        return head + """spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
""" + indent(spec, 10)
    return head + """spec:
  replicas: 3
  selector:
    matchLabels: {app: svc-%d}
  template:
    metadata:
      labels: {app: svc-%d}
    spec:
""" % (i, i) + indent(spec, 6)


def other(i):
    k = i % 4
    if k == 0:
        return """apiVersion: v1
kind: Service
metadata:
  name: svc-%d
  namespace: ns-%d
spec:
  selector: {app: svc-%d}
  ports:
    - {name: http, port: 80, targetPort: http}
""" % (i, i % 20, i)
    if k == 1:
        return """apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg-%d
data:
  app.yaml: |
    server:
      port: 8080
      timeout: 30s
""" % i
    if k == 2:
        return """apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: role-%d
  namespace: ns-%d
rules:
  - apiGroups: [""]
    resources: ["configmaps", "secrets"]
    verbs: ["get", "list", "watch"]
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["get", "patch"]
""" % (i, i % 20)
    return """apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa-%d
  namespace: ns-%d
automountServiceAccountToken: false
""" % (i % 40, i % 20)


kinds = ["Deployment", "StatefulSet", "DaemonSet", "Pod", "CronJob", "Deployment"]
n = 0
f = None
while n < docs:
    if n % per_file == 0:
        if f:
            f.close()
        f = open(os.path.join(out, "manifests-%04d.yaml" % (n // per_file)), "w")
    else:
        f.write("---\n")
    if n % 3 == 2:
        f.write(other(n))
    else:
        f.write(workload(kinds[n % len(kinds)], n, n % 2 == 0))
    n += 1
f.close()
print(docs)
