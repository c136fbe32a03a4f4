#!/usr/bin/env python3
# The deployment files, checked as a user's tools would read them: the
# Kubernetes manifest parses as YAML, holds a Deployment of one replica per
# camera with its Service and ConfigMap, and runs the same command as the
# systemd unit, with its secrets where that command reads them.
#
# Usage: check-deploy.py MANIFEST UNIT.in   (exit 77 without python3-yaml)
import sys

try:
    import yaml
except ImportError:
    print("SKIP: check-deploy needs python3-yaml (apt-get install python3-yaml)")
    sys.exit(77)

manifest, unit = sys.argv[1], sys.argv[2]
docs = [d for d in yaml.safe_load_all(open(manifest)) if d]
kinds = {d["kind"]: d for d in docs}
for d in docs:
    assert d.get("apiVersion") and d.get("metadata", {}).get("name"), d
for kind in ("Deployment", "Service", "ConfigMap"):
    assert kind in kinds, f"{manifest}: no {kind}"

dep = kinds["Deployment"]
spec = dep["spec"]
assert spec["replicas"] == 1, "one relay a camera"
labels = spec["template"]["metadata"]["labels"]
assert spec["selector"]["matchLabels"].items() <= labels.items()
assert kinds["Service"]["spec"]["selector"].items() <= labels.items()
(container,) = spec["template"]["spec"]["containers"]

exec_start = next(l.split("=", 1)[1].strip() for l in open(unit)
                  if l.startswith("ExecStart="))
command = exec_start.split("/")[-1]
assert container["command"][0].endswith("/" + command), \
    f"the pod runs {container['command']}, the unit {exec_start}"
env = {e["name"]: e.get("value") for e in container.get("env", [])}
mounts = {m["mountPath"] for m in container["volumeMounts"]}
assert env["CREDENTIALS_DIRECTORY"] in mounts, "the secrets are not mounted " \
    "where the command reads them"
args = kinds["ConfigMap"]["data"]["FACEANON_RELAY_ARGS"]
assert "--bind 0.0.0.0" in args, "in a pod the relay must listen beyond itself"
sc = container["securityContext"]
assert sc["allowPrivilegeEscalation"] is False and sc["readOnlyRootFilesystem"]
print(f"{manifest}: {', '.join(d['kind'] for d in docs)}; runs {command}, "
      "as the systemd unit does")
