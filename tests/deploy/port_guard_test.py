#!/usr/bin/env python3
"""`./pharmasys up` and the test servers (`./pharmasys test-infra up`, which `test`, `validate` and
`bench` start too) refuse a TCP port held by a program that is not their own, before they start
anything, and name the holder (pid, command, where it was started from); a rerun of up beside its
own running programs is not refused, and what a dead supervisord of the same checkout left behind
is named as such.

Every case runs a copy of the script, deploy/local/ and deploy/containers.bash in a temporary folder (a checkout of its
own, with its own .run/), inside a network namespace of its own (unshare --net): the dummy
listeners, and whatever the copy would start if the guard failed, see none of the machine's ports,
so a system running on this machine on the default ports is neither seen nor disturbed. Whatever
the copy did start is stopped by the copy's own `down` at the end.

Needs root (the suite runs as root; exit 77, skipped, otherwise). Where no network namespace can be
made (a container without CAP_SYS_ADMIN), only the test-profile case runs, outside, on ports moved
by a PHARMASYS_TEST_PORT_OFFSET whose five ports are free. Prints "N passed, N failed"."""
import fcntl
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REFUSAL_SECONDS = 10  # the check runs first; it takes well under a second
passed, failed, skipped = 0, 0, 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"  ok    {what}", flush=True)
    else:
        failed += 1
        print(f"  FAIL  {what}\n{detail}", flush=True)


def skip(what, why):
    global skipped
    skipped += 1
    print(f"  skip  {what}: {why}", flush=True)


DUMMY = r"""
import socket, sys, time
held = []
for spec in sys.argv[1:]:
    host, port = spec.rsplit(":", 1)
    s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    s.bind((host, int(port)))
    s.listen()
    held.append(s)
print("ready", flush=True)
time.sleep(600)
"""


class Dummy:
    """A process of its own (so its pid is not the test's) listening on host:port specs."""

    def __init__(self, *specs):
        self.proc = subprocess.Popen([sys.executable, "-c", DUMMY, *specs], stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().strip()
        if line != "ready":
            self.proc.kill()
            raise RuntimeError(f"the dummy listener could not bind {specs}")
        self.pid = self.proc.pid

    def stop(self):
        self.proc.kill()
        self.proc.wait()


def make_checkout():
    """A checkout of the script alone: pharmasys and deploy/local/, under a short path (unix sockets)."""
    where = tempfile.mkdtemp(prefix="psys-ports-", dir="/tmp")
    os.chmod(where, 0o755)
    shutil.copy2(os.path.join(ROOT, "pharmasys"), where)
    shutil.copytree(os.path.join(ROOT, "deploy", "local"), os.path.join(where, "deploy", "local"))
    shutil.copy2(os.path.join(ROOT, "deploy", "containers.bash"), os.path.join(where, "deploy"))
    return where


def pharmasys(checkout, *args, env=None, timeout=120):
    started = time.monotonic()
    r = subprocess.run([os.path.join(checkout, "pharmasys"), *args], cwd=checkout, capture_output=True, text=True,
                       timeout=timeout, stdin=subprocess.DEVNULL,
                       env={**os.environ, "CI": "", **(env or {})})
    return r, time.monotonic() - started


def listening_ports():
    """The TCP ports listened on in this network namespace."""
    ports = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[3] == "0A":
                        ports.add(int(fields[1].rsplit(":", 1)[1], 16))
        except FileNotFoundError:
            pass
    return ports


def processes_of(run):
    """Processes started by the supervisord of this .run/ (its socket in their environment) or in it."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                env = f.read().split(b"\0")
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            continue
        if f"SUPERVISOR_SERVER_URL=unix://{run}/supervisor.sock".encode() in env or cwd.startswith(run + "/"):
            found.append(int(pid))
    return found


def nothing_started(what, checkout, run, dummy_ports, in_namespace):
    leftovers = processes_of(run)
    sock = os.path.exists(os.path.join(run, "supervisor.sock")) or os.path.exists(os.path.join(run, "supervisord.pid"))
    extra = listening_ports() - set(dummy_ports) if in_namespace else set()
    check(f"{what}: started nothing (no supervisord, no process of its .run/, no other listener)",
          not leftovers and not sock and not extra,
          f"    processes {leftovers}, supervisord files {sock}, listeners {sorted(extra)}")


def assert_refused(what, r, seconds, needles, not_needles=()):
    out = r.stdout + r.stderr
    check(f"{what}: exits non-zero", r.returncode != 0, f"    status {r.returncode}\n{out}")
    check(f"{what}: within {REFUSAL_SECONDS} s ({seconds:.1f} s)", seconds < REFUSAL_SECONDS, out)
    for n in needles:
        check(f"{what}: says {n!r}", n in out, out)
    for n in not_needles:
        check(f"{what}: does not say {n!r}", n not in out, out)


def case_up_refuses(checkout):
    # 5673 on loopback, as our RabbitMQ binds it; 8083 on every address, which takes loopback too;
    # 5433 on another loopback address only, which leaves 127.0.0.1:5433 bindable.
    dummy = Dummy("127.0.0.1:5673", "0.0.0.0:8083", "127.0.0.2:5433")
    try:
        r, seconds = pharmasys(checkout, "up", "--no-build")
        assert_refused("up --no-build beside a foreign RabbitMQ port", r, seconds, [
            f"port 5673 (RabbitMQ) is taken by pid {dummy.pid} (",
            f"port 8083 (cq) is taken by pid {dummy.pid} (",
            "stop it or free the port",
            "[1/16] checking the ports",
        ], not_needles=["port 5433", "checking Debian packages", "starting supervisord"])
        nothing_started("up --no-build", checkout, os.path.join(checkout, ".run"), [5673, 8083, 5433], True)
        r, seconds = pharmasys(checkout, "up", "--check-ports")
        table = {line.split()[0]: line for line in r.stdout.splitlines() if line[:1].isdigit()}
        check("up --check-ports: exits 1 and lists every port", r.returncode == 1 and len(table) == 12,
              f"    status {r.returncode}\n{r.stdout}{r.stderr}")
        check("up --check-ports: 5673 taken by the dummy, 5433 free (other address), 8080 free",
              f"taken by pid {dummy.pid} (" in table.get("5673", "") and table.get("5433", "").endswith("free")
              and table.get("8080", "").endswith("free"), r.stdout)
        check("up --check-ports: lists the gateway's HTTPS port 8443 on every address",
              "gateway HTTPS" in table.get("8443", ""), r.stdout)
    finally:
        dummy.stop()


def case_test_infra_refuses(checkout, offset, in_namespace):
    pg_port = 35432 + offset * 10
    dummy = Dummy(f"127.0.0.1:{pg_port}")
    try:
        r, seconds = pharmasys(checkout, "test-infra", "up", env={"PHARMASYS_TEST_PORT_OFFSET": str(offset)})
        assert_refused(f"test-infra up (offset {offset}) beside a foreign PostgreSQL port", r, seconds, [
            f"port {pg_port} (PostgreSQL) is taken by pid {dummy.pid} (",
            "PHARMASYS_TEST_PORT_OFFSET",
        ])
        nothing_started("test-infra up", checkout, os.path.join(checkout, ".run", "test"), [pg_port], in_namespace)
    finally:
        dummy.stop()


SUPERVISORD_CONF = """[unix_http_server]
file={run}/supervisor.sock
chmod=0700

[supervisord]
identifier=port-guard-test
user=root
logfile={run}/logs/supervisord.log
pidfile={run}/supervisord.pid
directory={checkout}

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://{run}/supervisor.sock

[program:rabbitmq]
command={python} -c "import socket, time; s = socket.socket(); s.bind(('127.0.0.1', 5673)); s.listen(); time.sleep(600)"
directory={checkout}
startsecs=0
"""


def case_own_supervisord(checkout):
    """A program of the checkout's own supervisord on 5673 is this system's: not refused. Once that
    supervisord is gone, what it left is named as a leftover that `down` stops, and down does."""
    if not shutil.which("supervisord") or not shutil.which("supervisorctl"):
        skip("own supervisord cases", "supervisord is not installed")
        return
    run = os.path.join(checkout, ".run")
    os.makedirs(os.path.join(run, "logs"), exist_ok=True)
    conf = os.path.join(run, "supervisord.conf")
    with open(conf, "w") as f:
        f.write(SUPERVISORD_CONF.format(run=run, checkout=checkout, python=sys.executable))
    subprocess.run(["supervisord", "-c", conf], check=True)
    deadline = time.monotonic() + 15
    while 5673 not in listening_ports() and time.monotonic() < deadline:
        time.sleep(0.1)
    r, _ = pharmasys(checkout, "up", "--check-ports")
    line = next((l for l in r.stdout.splitlines() if l.startswith("5673 ")), "")
    check("up --check-ports beside its own supervisord's program on 5673: exits 0, 'held by this system'",
          r.returncode == 0 and "held by this system: pid" in line, f"    status {r.returncode}\n{r.stdout}{r.stderr}")
    with open(os.path.join(run, "supervisord.pid")) as f:
        os.kill(int(f.read().strip()), 9)  # its program stays, reparented: a leftover
    time.sleep(0.3)
    r, _ = pharmasys(checkout, "up", "--no-build")
    check("up --no-build beside what its dead supervisord left: refused, './pharmasys down stops it'",
          r.returncode != 0 and "left running by this checkout's supervisord, which is gone: ./pharmasys down stops it"
          in r.stderr, f"    status {r.returncode}\n{r.stdout}{r.stderr}")
    r, _ = pharmasys(checkout, "down")
    r2, _ = pharmasys(checkout, "up", "--check-ports")
    check("down stops the leftover: every port free again", r.returncode == 0 and r2.returncode == 0,
          f"    down: {r.returncode}\n{r.stdout}{r.stderr}\n    check-ports: {r2.returncode}\n{r2.stdout}")


def loopback_up():
    """A new network namespace's lo is down; bring it up (SIOCSIFFLAGS) so 127.0.0.2 is bindable."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        fcntl.ioctl(s, 0x8914, struct.pack("16sH14x", b"lo", 0x1 | 0x8 | 0x40))  # IFF_UP | IFF_LOOPBACK | IFF_RUNNING
    finally:
        s.close()


def clean_up(checkout):
    """Whatever a broken guard let the copy start is stopped by the copy's own commands."""
    for args in (["down"], ["test-infra", "down"]):
        try:
            pharmasys(checkout, *args, timeout=180)
        except subprocess.TimeoutExpired:
            print(f"  warning: ./pharmasys {' '.join(args)} in {checkout} did not finish", flush=True)
    shutil.rmtree(checkout, ignore_errors=True)


def summary():
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""), flush=True)
    sys.exit(1 if failed else (77 if passed == 0 else 0))


def in_namespace():
    loopback_up()
    for case in (case_up_refuses, lambda c: case_test_infra_refuses(c, 7, True), case_own_supervisord):
        checkout = make_checkout()
        try:
            case(checkout)
        except Exception as e:  # a case that cannot run is a failure, not a skip
            check(f"{getattr(case, '__name__', 'case')} ran", False, f"    {type(e).__name__}: {e}")
        finally:
            clean_up(checkout)
    summary()


def free_offset():
    """A PHARMASYS_TEST_PORT_OFFSET whose five test ports are all free here."""
    taken = listening_ports()
    for off in range(999, 899, -1):
        if not {35432 + off * 10, 35671 + off * 10, 35672 + off * 10, 35673 + off * 10, 36379 + off * 10} & taken:
            return off
    return None


def main():
    if os.geteuid() != 0:
        print("skipped: ./pharmasys needs root")
        sys.exit(77)
    if "--in-namespace" in sys.argv:
        in_namespace()
    if shutil.which("unshare") and subprocess.run(["unshare", "--net", "true"], capture_output=True).returncode == 0:
        sys.exit(subprocess.run(["unshare", "--net", "--", sys.executable, os.path.abspath(__file__),
                                 "--in-namespace"]).returncode)
    print("no network namespace can be made here (unshare --net): the test-profile case only, on free ports")
    skip("up cases on the system's ports", "they need a network namespace of their own")
    off = free_offset()
    if off is None:
        skip("test-infra case", "no PHARMASYS_TEST_PORT_OFFSET from 900 to 999 has five free ports")
        summary()
    checkout = make_checkout()
    try:
        case_test_infra_refuses(checkout, off, False)
    finally:
        clean_up(checkout)
    summary()


if __name__ == "__main__":
    main()
