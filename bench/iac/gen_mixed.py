#!/usr/bin/python3
"""Writes a realistic mixed corpus for bench/iac/run.sh: FILES files in
application directories of four files each, as a monorepo holds them:

  app-N/k8s.yaml            Deployment (or StatefulSet, CronJob) + Service
  app-N/serviceaccount.yaml the workload's ServiceAccount (+ Role, binding)
  app-N/docker-compose.yml  two services, one built from ./Dockerfile
  app-N/Dockerfile          a multi-stage build

Half the applications are hardened, half not. Every workload leaves
automountServiceAccountToken to its ServiceAccount (in another file) and
every compose file builds from a Dockerfile: the cross-file look-ups a
run must resolve. Deterministic (fixed seed)."""
import os
import random
import sys

out = sys.argv[1]
files = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
rng = random.Random(7)
os.makedirs(out, exist_ok=True)


def sc(hard):
    if hard:
        return """          securityContext:
            runAsNonRoot: true
            runAsUser: 10001
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            seccompProfile: {type: RuntimeDefault}
            capabilities: {drop: [ALL]}
"""
    return """          securityContext:
            capabilities:
              add: ["NET_ADMIN"]
"""


def k8s(i, hard):
    kind = ["Deployment", "StatefulSet", "Deployment", "CronJob"][i % 4]
    pod = """      serviceAccountName: app-%d
      containers:
        - name: app
          image: registry.example.com/team/app-%d:1.%d.0
          args: ["--port=8080", "--log-level=info"]
          ports:
            - {containerPort: 8080, name: http}
          env:
            - {name: LOG_LEVEL, value: info}
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: db-%d, key: password}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 500m, memory: 256Mi}
          readinessProbe:
            httpGet: {path: /healthz, port: http}
%s          volumeMounts:
            - {name: data, mountPath: /data}
      volumes:
        - name: data
          emptyDir: {}
""" % (i, i, i % 50, i, sc(hard))
    if not hard and i % 8 == 1:
        pod += """        - name: logs
          hostPath: {path: /var/log}
"""
    head = """apiVersion: %s
kind: %s
metadata:
  name: app-%d
  namespace: team-%d
  labels: {app: app-%d, tier: backend}
  annotations:
    checksum/config: "%032x"
""" % ("batch/v1" if kind == "CronJob" else "apps/v1", kind, i, i % 20, i, rng.getrandbits(128))
    if kind == "CronJob":
        body = """spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
""" + "".join("    " + l + "\n" if l else "\n" for l in pod.rstrip("\n").split("\n"))
    else:
        body = """spec:
  replicas: 3
  selector:
    matchLabels: {app: app-%d}
  template:
    metadata:
      labels: {app: app-%d}
    spec:
""" % (i, i) + pod
    svc = """---
apiVersion: v1
kind: Service
metadata:
  name: app-%d
  namespace: team-%d
spec:
  selector: {app: app-%d}
  ports:
    - {name: http, port: 80, targetPort: http}
""" % (i, i % 20, i)
    return head + body + svc


def sa(i, hard):
    return """apiVersion: v1
kind: ServiceAccount
metadata:
  name: app-%d
  namespace: team-%d
automountServiceAccountToken: %s
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: app-%d
  namespace: team-%d
rules:
  - apiGroups: [""]
    resources: ["configmaps"%s]
    verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: app-%d
  namespace: team-%d
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: app-%d}
subjects:
  - {kind: ServiceAccount, name: app-%d, namespace: team-%d}
""" % (i, i % 20, "false" if hard else "true", i, i % 20, "" if hard else ', "secrets"',
       i, i % 20, i, i, i % 20)


def compose(i, hard):
    return """services:
  app:
    build:
      context: .
      dockerfile: Dockerfile
    image: app-%d:dev
    ports: ["8080:8080"]
    environment:
      LOG_LEVEL: info
    %s
  db:
    image: postgres:16
    environment:
      POSTGRES_DB: app
    volumes:
      - db-data:/var/lib/postgresql/data
%s
volumes:
  db-data: {}
""" % (i, "read_only: true\n    cap_drop: [ALL]\n    security_opt: [no-new-privileges:true]\n    user: \"10001\""
       if hard else "privileged: false", "" if hard else "    cap_add: [SYS_PTRACE]\n")


def dockerfile(i, hard):
    return """# syntax=docker/dockerfile:1
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app-%d ./cmd/app

FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \\
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/app-%d /usr/local/bin/app
EXPOSE 8080
%sENTRYPOINT ["/usr/local/bin/app"]
""" % (i, i, "USER 10001\n" if hard else "")


apps = (files + 3) // 4
written = 0
for i in range(apps):
    d = os.path.join(out, "app-%05d" % i)
    os.makedirs(d, exist_ok=True)
    hard = i % 2 == 0
    for name, text in (("k8s.yaml", k8s(i, hard)), ("serviceaccount.yaml", sa(i, hard)),
                       ("docker-compose.yml", compose(i, hard)), ("Dockerfile", dockerfile(i, hard))):
        if written == files:
            break
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
        written += 1
print(written)
