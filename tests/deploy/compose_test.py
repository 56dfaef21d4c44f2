#!/usr/bin/env python3
"""deploy/docker-compose.yml on the real thing: the images are built (./pharmasys images), the
stack comes up with its own secrets and project name (./pharmasys compose up --demo), the demo
plant is loaded through the gateway container, then a run of receipts goes through the gateway
while the Estoque container is killed (SIGKILL) and started again in the middle of it. Nothing may be lost: every
receipt is one lot (the client retries with the same Idempotency-Key), every lot reaches CQ as
a sample and Relatórios' trace, the audit chains verify, no dead letter. Then the stack goes
down with its volumes. Run by ./pharmasys test-deploy; prints "N passed, N failed" and the
figures (image build, time to ready), and writes JUnit XML to $PHARMASYS_DEPLOY_JUNIT if set.

It publishes the gateway on 127.0.0.1:18080 (PHARMASYS_DEPLOY_PORT; moved by
PHARMASYS_TEST_PORT_OFFSET) under the project name pharmasys-test-deploy, so a running
./pharmasys up or compose stack is not touched."""
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROJECT = "pharmasys-test-deploy"
OFFSET = int(os.environ.get("PHARMASYS_TEST_PORT_OFFSET", "0"))
PROJECT += f"-{OFFSET}" if OFFSET else ""
PORT = int(os.environ.get("PHARMASYS_DEPLOY_PORT", str(18080 + OFFSET)))
HTTPS_PORT = PORT + 363  # 18443
GATEWAY = f"http://127.0.0.1:{PORT}"


def docker():
    """Debian's client (docker.io), once `./pharmasys images` has installed it, as the scripts pick it."""
    return "/usr/bin/docker" if os.path.exists("/usr/bin/docker") else "docker"


def compose():
    """Asked when used: on a fresh machine docker-compose is installed by the test's first step."""
    return ["docker-compose"] if shutil.which("docker-compose") else [docker(), "compose"]


RECEIPTS = 24
passed, failed = 0, 0
CHECKS = []
FIGURES = []
STARTED = time.time()


def check(what, ok, detail=""):
    global passed, failed
    CHECKS.append((what, ok, detail))
    if ok:
        passed += 1
        print(f"  ok    {what}", flush=True)
    else:
        failed += 1
        print(f"  FAIL  {what} {detail}", flush=True)


def write_junit(path):
    from xml.sax.saxutils import quoteattr
    failures = [w for w, ok, _ in CHECKS if not ok]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<testsuite name="compose_test" tests="{len(CHECKS)}" failures="{len(failures)}">']
    for what, ok, detail in CHECKS:
        lines.append(f"  <testcase classname=\"compose_test\" name={quoteattr(what)}>")
        if not ok:
            lines.append(f"    <failure message={quoteattr(detail[:500])}/>")
        lines.append("  </testcase>")
    lines.append("</testsuite>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def run(cmd, env=None, check_rc=True, capture=False):
    print("$ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT, env=env, check=check_rc, text=True,
                          capture_output=capture)


TOKENS = {}


def token(user):
    if user not in TOKENS:
        form = urllib.parse.urlencode({"grant_type": "password", "username": user, "password": "pharmasys-demo",
                                       "client_id": "pharmasys-web"}).encode()
        with urllib.request.urlopen(urllib.request.Request(GATEWAY + "/v1/auth/token", form), timeout=30) as r:
            TOKENS[user] = json.load(r)["access_token"]
    return TOKENS[user]


def call(method, path, user, body=None, key=None):
    req = urllib.request.Request(GATEWAY + path, method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("Authorization", "Bearer " + token(user))
    if body is not None:
        req.add_header("Content-Type", "application/json")
        req.add_header("Idempotency-Key", key or str(uuid.uuid4()))
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw or b"{}")
        except ValueError:
            return e.code, {"raw": raw[:200].decode(errors="replace")}


def receive_with_retries(body, attempts_log):
    """As a careful client does: the same Idempotency-Key until an answer that is not 5xx."""
    key = str(uuid.uuid4())
    deadline = time.time() + 120
    tries = 0
    while True:
        tries += 1
        try:
            status, answer = call("POST", "/v1/recebimentos", "estoquista", body, key)
        except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
            status, answer = 0, {"erro": str(e)}
        if status < 500 and status != 0:
            attempts_log.append(tries)
            return status, answer
        if time.time() > deadline:
            attempts_log.append(tries)
            return status, answer
        time.sleep(0.5)


def eventually(what, predicate, seconds=90):
    deadline = time.time() + seconds
    last = None
    while time.time() < deadline:
        try:
            last = predicate()
            if last is True:
                return True, ""
        except Exception as e:  # a service still restarting answers nothing for a moment
            last = repr(e)
        time.sleep(1)
    return False, f"{what}: {str(last)[:300]}"


def container(service):
    out = run(compose() + ["-f", "deploy/docker-compose.yml", "--env-file", ENV_FILE, "ps", "-q", service],
              capture=True, check_rc=False).stdout.strip()
    return out


def main():
    t0 = time.time()
    images = run(["./pharmasys", "images"], capture=True, check_rc=False)
    print(images.stdout[-3000:], images.stderr[-2000:], flush=True)
    check("every image builds", images.returncode == 0, images.stderr[-400:])
    if images.returncode != 0:
        return
    FIGURES.append(f"images: {time.time() - t0:.0f} s")
    FIGURES.extend(line.strip() for line in images.stdout.splitlines() if line.strip().startswith("pharmasys/"))

    for image in ("auth", "gateway"):
        user = run([docker(), "image", "inspect", "-f", "{{.Config.User}} {{json .Config.Healthcheck.Test}}",
                    f"pharmasys/{image}:0.1.0"], capture=True).stdout.strip()
        check(f"the {image} image runs as uid 10001 with a HEALTHCHECK", user.startswith("10001:10001 [") and
              "healthcheck" in user, user)
    listing = run([docker(), "run", "--rm", "--entrypoint", "ls", "pharmasys/gateway:0.1.0",
                   "/usr/share/pharmasys/web"], capture=True, check_rc=False).stdout
    check("the gateway image carries the web application", "index.html" in listing, listing[:200])

    # A run that died before its own `down` leaves volumes made with other secrets: PostgreSQL
    # would keep the old passwords and every migration container would be refused.
    left = remove_leftovers()
    if left:
        print(f"removed what an earlier run of {PROJECT} left: {left}", flush=True)
    t1 = time.time()
    up = run(["./pharmasys", "compose", "up", "--demo"], env=ENV, capture=True, check_rc=False)
    print(up.stdout[-2500:], up.stderr[-2500:], flush=True)
    if up.returncode != 0:
        print_failed_containers()
    ready = time.time() - t1
    check("the stack comes up healthy and the demo plant loads through the gateway container",
          up.returncode == 0, (up.stdout + up.stderr)[-600:])
    if up.returncode != 0:
        return
    FIGURES.append(f"stack ready, demo plant loaded: {ready:.0f} s")

    ps = run(compose() + ["-f", "deploy/docker-compose.yml", "--env-file", ENV_FILE, "ps"],
             capture=True).stdout
    print(ps, flush=True)
    published = run([docker(), "ps", "--filter", f"label=com.docker.compose.project={PROJECT}",
                     "--format", "{{.Names}} {{.Ports}}"], capture=True).stdout.splitlines()
    exposed = [line for line in published if "->" in line]
    check("only the gateway is published", len(exposed) == 1 and "gateway" in exposed[0], "; ".join(exposed))

    with urllib.request.urlopen(GATEWAY + "/", timeout=10) as r:
        page = r.read().decode()
    check("the gateway serves the web application", "<div id=\"root\"" in page or "<script" in page, page[:200])
    trusted = ssl.create_default_context(cafile=os.path.join(ROOT, "deploy", "tls", "ca.pem"))
    with urllib.request.urlopen(f"https://localhost:{HTTPS_PORT}/healthz", context=trusted, timeout=10) as r:
        hsts = r.headers.get("Strict-Transport-Security") or ""
        check("the gateway serves HTTPS with the certificate of its Compose secret, with HSTS",
              r.status == 200 and "max-age=" in hsts, hsts)
    try:
        urllib.request.urlopen(f"https://localhost:{HTTPS_PORT}/healthz", context=ssl.create_default_context(),
                               timeout=10)
        check("a client that does not trust the local CA is refused", False, "the handshake succeeded")
    except urllib.error.URLError as e:
        check("a client that does not trust the local CA is refused",
              isinstance(e.reason, ssl.SSLCertVerificationError), repr(e.reason))
    status, painel = call("GET", "/v1/relatorios/painel", "auditor")
    check("Relatórios answers through the gateway with the demo plant", status == 200, json.dumps(painel)[:300])

    # A run of receipts while Estoque is restarted in the middle of it.
    stamp = uuid.uuid4().hex[:8]
    results, attempts = [], []
    estoque = container("estoque")
    restarted = threading.Event()

    def start_estoque_again():
        time.sleep(3)  # the receipts sent meanwhile meet a dead upstream and are retried
        run([docker(), "start", estoque], capture=True)
        restarted.set()

    restarter = None
    for i in range(RECEIPTS):
        if i == RECEIPTS // 3:
            # kill -9, not a graceful stop: whatever was in flight is cut off mid-request.
            run([docker(), "kill", "-s", "KILL", estoque], capture=True)
            restarter = threading.Thread(target=start_estoque_again)
            restarter.start()
        body = {"material": "LAC-01", "quantidade": 10 + i, "validade": time.strftime("%Y-%m-%d",
                time.gmtime(time.time() + 400 * 86400)), "fornecedor": "Teste de implantação",
                "lote_fornecedor": f"TD-{stamp}-{i:02d}", "nota_fiscal": f"NF-TD-{stamp}-{i:02d}"}
        results.append(receive_with_retries(body, attempts))
    if restarter:
        restarter.join()
    check("Estoque's container was restarted during the run", restarted.is_set())
    created = [a for s, a in results if s == 201]
    check(f"all {RECEIPTS} receipts were answered 201 (retried through the restart)", len(created) == RECEIPTS,
          "; ".join(f"{s}: {json.dumps(a)[:120]}" for s, a in results if s != 201)[:500])
    FIGURES.append(f"receipts: {RECEIPTS}, attempts {sum(attempts)} (most for one: {max(attempts)})")
    check("some receipt needed a retry, so the restart did land inside the run", max(attempts) > 1,
          f"attempts {attempts}")

    ids = {a["id"] for a in created}
    check("each receipt is exactly one lot", len(ids) == len(created), f"{len(ids)} ids for {len(created)}")
    def every_lot_in_quarantine():
        status, saldos = call("GET", "/v1/estoque/saldos?material=LAC-01&limit=500", "auditor")
        ours = [x for x in saldos.get("items", []) if x["lote_id"] in ids]
        if len(ours) == len(ids) and all(x["status"] == "quarentena" for x in ours):
            return True
        return f"HTTP {status}: {len(ours)} of {len(ids)} lots in quarantine"
    ok, detail = eventually("Estoque's lots", every_lot_in_quarantine)
    check("Estoque holds every lot, in quarantine", ok, detail)

    def every_lot_sampled():
        missing = [i for i in ids if not call("GET", "/v1/amostras?lote_id=" + i, "analista")[1].get("items")]
        return True if not missing else f"{len(missing)} lots without a sample"
    ok, detail = eventually("CQ samples", every_lot_sampled)
    check("every lot reached CQ as a sample (lote.criado through the outbox and the broker)", ok, detail)

    codes = [a["codigo"] for a in created]

    def every_lot_traced():
        missing = [c for c in codes
                   if call("GET", "/v1/relatorios/rastreabilidade/" + urllib.parse.quote(c), "auditor")[0] != 200]
        return True if not missing else f"{len(missing)} lots unknown to Relatórios"
    ok, detail = eventually("Relatórios trace", every_lot_traced)
    check("every lot reached Relatórios' trace", ok, detail)

    def chains_verify():
        status, body = call("GET", "/v1/relatorios/auditoria/verificacao", "auditor")
        return True if status == 200 and body.get("integra") is True else json.dumps(body)[:300]
    ok, detail = eventually("audit verification", chains_verify, 60)
    check("every service's audit chain verifies after the restart", ok, detail)

    for service in ("estoque", "cq", "relatorios"):
        dlq = run(compose() + ["-f", "deploy/docker-compose.yml", "--env-file", ENV_FILE, "exec", "-T",
                   service, f"/usr/bin/pharmasys-{service}", "dlq"], capture=True, check_rc=False)
        check(f"no dead letter in {service}'s queue", dlq.returncode == 0 and not dlq.stdout.strip(),
              (dlq.stdout + dlq.stderr)[:300])


LABEL = f"label=com.docker.compose.project={PROJECT}"


def labelled(*listing):
    """The ids a docker listing (`ps -aq`, `volume ls -q`, `network ls -q`) gives for the project."""
    return run([docker(), *listing, "--filter", LABEL], capture=True, check_rc=False).stdout.split()


def print_failed_containers():
    """The last lines of every container of the project that exited with an error."""
    exited = run([docker(), "ps", "-a", "--filter", LABEL, "--filter", "status=exited", "--format",
                  "{{.Names}} {{.Status}}"], capture=True, check_rc=False).stdout.splitlines()
    for line in exited:
        name, _, status = line.partition(" ")
        if "Exited (0)" in status:
            continue
        logs = run([docker(), "logs", "--tail", "20", name], capture=True, check_rc=False)
        print(f"--- {name}: {status} ---\n{logs.stdout}{logs.stderr}", flush=True)


def remove_leftovers():
    """By label, as `down` needs the secrets of the run that made them, which are gone."""
    kinds = (("containers", ["ps", "-aq"], ["rm", "-f", "-v"]),
             ("volumes", ["volume", "ls", "-q"], ["volume", "rm", "-f"]),
             ("networks", ["network", "ls", "-q"], ["network", "rm"]))
    removed = []
    for kind, listing, removal in kinds:  # containers first: they hold the volumes and networks
        ids = labelled(*listing)
        if ids:
            run([docker(), *removal, *ids], check_rc=False, capture=True)
            removed.append(f"{len(ids)} {kind}")
    return ", ".join(removed)


def down():
    run(compose() + ["-f", "deploy/docker-compose.yml", "--env-file", ENV_FILE, "--profile", "demo",
         "down", "-v", "--remove-orphans"], check_rc=False, capture=True)
    left = labelled("volume", "ls", "-q")
    check("the stack is down with its volumes", not left, " ".join(left))


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("test-deploy: skipped, it needs root (it installs and starts Docker)")
        sys.exit(77)
    if os.environ.get("PHARMASYS_COMPOSE_TEST") == "off":
        print("test-deploy: skipped, PHARMASYS_COMPOSE_TEST=off (where another job runs it)")
        sys.exit(77)
    WORK = tempfile.mkdtemp(prefix="pharmasys-test-deploy-")
    ENV_FILE = os.path.join(WORK, "compose.env")
    with open(ENV_FILE, "w") as f:
        f.write(f"COMPOSE_PROJECT_NAME={PROJECT}\nPHARMASYS_PUBLISH_ADDRESS=127.0.0.1\nPHARMASYS_PUBLISH_PORT={PORT}\n"
                f"PHARMASYS_PUBLISH_HTTPS_PORT={HTTPS_PORT}\nPHARMASYS_PUBLIC_URL=http://localhost:{PORT}\n")
    ENV = dict(os.environ, PHARMASYS_COMPOSE_ENV=ENV_FILE)
    dockerd_before = subprocess.run(["pgrep", "-x", "dockerd"], capture_output=True).returncode == 0
    try:
        main()
    finally:
        if os.path.exists(ENV_FILE):
            down()
        if not dockerd_before:
            subprocess.run(["pkill", "-x", "dockerd"], check=False)
        shutil.rmtree(WORK, ignore_errors=True)
    for figure in FIGURES:
        print("figure: " + figure)
    print(f"test-deploy: {passed} passed, {failed} failed in {time.time() - STARTED:.0f} s")
    if os.environ.get("PHARMASYS_DEPLOY_JUNIT"):
        write_junit(os.environ["PHARMASYS_DEPLOY_JUNIT"])
    sys.exit(1 if failed or not passed else 0)
