# shellcheck shell=bash
# What the cluster scripts share: free ports for scripts/cluster-demo.sh and reading its info file.

# free_bases N: N port numbers below the ephemeral range, each free with the two after it, apart.
free_bases() {
  python3 - "$1" <<'PY'
import random, socket, sys
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); return True
    except OSError:
        return False
    finally:
        s.close()
bases = []
while len(bases) < int(sys.argv[1]):
    p = random.randrange(20000, 32000)
    if all(free(p + i) for i in range(3)) and all(abs(p - b) > 3 for b in bases):
        bases.append(p)
print(*bases)
PY
}

# cluster_info FILE KEY...: a value of the cluster's info file (list items by index).
cluster_info() {
  python3 -c 'import json,sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2:]:
    v = v[int(k)] if isinstance(v, list) else v[k]
print(v)' "$@"
}
