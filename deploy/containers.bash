# Container commands of ./pharmasys (sourced by it; its step, note, die and run_logged helpers):
#
#   ./pharmasys images               the nine images (six services, PostgreSQL, RabbitMQ, Redis)
#   ./pharmasys compose up [--demo]  deploy/docker-compose.yml with secrets in deploy/.env
#   ./pharmasys compose <args>       any other docker-compose command on the same project
#   ./pharmasys test-deploy          the Compose stack end to end (tests/deploy/compose_test.py)
#
# Docker comes from Debian (docker.io, docker-compose); when no engine answers, dockerd is
# started in the background (no systemd needed). See deploy/README.md.

# /usr/bin/docker is Debian's client; a newer client first on PATH may lack the builder
# (BuildKit through the buildx plugin). Chosen again once docker.io is installed.
pick_docker() {
  DOCKER=/usr/bin/docker
  [[ -x $DOCKER ]] || DOCKER=docker
}
pick_docker
# The images' version is the project's (CMakeLists.txt), read when an image is named.
image_version() { sed -n 's/^project(pharmasys VERSION \([0-9.]*\).*/\1/p' "$ROOT/CMakeLists.txt"; }
BASE_IMAGE=debian:bookworm-slim
# name → Dockerfile, in build order (the toolchain layer the first one makes serves the rest).
IMAGES=(auth producao cq estoque relatorios gateway postgresql rabbitmq redis)
declare -A IMAGE_FILE=([auth]=services/auth/Dockerfile [producao]=services/producao/Dockerfile
  [cq]=services/cq/Dockerfile [estoque]=services/estoque/Dockerfile
  [relatorios]=services/relatorios/Dockerfile [gateway]=gateway/Dockerfile
  [postgresql]=deploy/images/postgresql/Dockerfile [rabbitmq]=deploy/images/rabbitmq/Dockerfile
  [redis]=deploy/images/redis/Dockerfile)
declare -A IMAGE_TAG=([postgresql]=15 [rabbitmq]=3.10 [redis]=7)
COMPOSE_FILE_PATH=$ROOT/deploy/docker-compose.yml
COMPOSE_ENV=${PHARMASYS_COMPOSE_ENV:-$ROOT/deploy/.env}
CONTAINER_LOGS=$ROOT/.run/logs

image_ref() { echo "pharmasys/$1:${IMAGE_TAG[$1]:-$(image_version)}"; }

# Compose v1 (Debian's docker-compose) or the v2 plugin (`docker compose`) of a host that has
# Docker from elsewhere.
COMPOSE_BIN=(docker-compose)
ensure_docker_packages() {
  if docker_answers && ! command -v docker-compose >/dev/null && "$DOCKER" compose version >/dev/null 2>&1; then
    COMPOSE_BIN=("$DOCKER" compose)
    note "Docker and its compose plugin found (not from Debian): packages left alone"
    return 0
  fi
  PACKAGE_FILES=("$DEPLOY/packages-containers.txt")
  ensure_packages
  pick_docker
}

docker_answers() { "$DOCKER" info >/dev/null 2>&1; }

# dockerd in the background when no engine answers; DOCKERD_STARTED=1 tells the caller it
# may stop it again (./pharmasys test-deploy does).
DOCKERD_STARTED=0
ensure_dockerd() {
  if docker_answers; then
    note "engine $("$DOCKER" version -f '{{.Server.Version}}' 2>/dev/null) answering"
    return 0
  fi
  [[ $EUID -eq 0 ]] || die "no Docker engine answers, and starting dockerd needs root"
  setsid /usr/sbin/dockerd >>"$CONTAINER_LOGS/dockerd.log" 2>&1 </dev/null &
  local i
  for ((i = 0; i < 120; i++)); do
    if docker_answers; then
      DOCKERD_STARTED=1
      note "started dockerd (pid $(pgrep -xo dockerd); log in .run/logs/dockerd.log)"
      return 0
    fi
    sleep 0.5
  done
  die "dockerd did not answer within 60 s" "$CONTAINER_LOGS/dockerd.log"
}

stop_dockerd() {
  local pid
  pid=$(pgrep -xo dockerd) || return 0
  kill "$pid"
  for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
}

# The base every image starts from. No registry answers on some plants' build hosts: then the
# same Debian 12 minimal system is made locally with mmdebstrap and imported under its name.
ensure_base_image() {
  if "$DOCKER" image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    note "$BASE_IMAGE present"
    return 0
  fi
  local log=$CONTAINER_LOGS/images.log
  if timeout 60 "$DOCKER" pull -q "$BASE_IMAGE" >>"$log" 2>&1; then
    note "pulled $BASE_IMAGE"
    return 0
  fi
  local tar
  tar=$(mktemp --suffix=.tar)
  # Slimmed as the registry's -slim variant is: no manuals, docs (but copyrights) or locales.
  run_logged "$log" mmdebstrap --variant=minbase \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
    bookworm "$tar" || die "mmdebstrap could not make the base image" "$log"
  "$DOCKER" import -c 'CMD ["bash"]' "$tar" "$BASE_IMAGE" >>"$log" 2>&1 || die "docker import failed" "$log"
  rm -f "$tar"
  note "no registry reachable: made $BASE_IMAGE with mmdebstrap"
}

build_image() { # build_image <name> <revision> <created> <log>
  (cd "$ROOT" && DOCKER_BUILDKIT=1 run_logged "$4" "$DOCKER" build --progress=plain \
    -f "${IMAGE_FILE[$1]}" -t "$(image_ref "$1")" --build-arg "BASE_IMAGE=$BASE_IMAGE" \
    --build-arg "VERSION=${IMAGE_TAG[$1]:-$(image_version)}" --build-arg "REVISION=$2" \
    --build-arg "CREATED=$3" .)
}

IMAGE_REPORT=()
build_images() {
  local log=$CONTAINER_LOGS/images.log name t0 size revision created
  revision=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
  created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  for name in "$@"; do
    t0=$(now_us)
    printf '\n### %s %s\n' "$(date -Is)" "$(image_ref "$name")" >>"$log"
    # An engine that went away under the build (seen on a host that had just installed
    # docker.io and made the base image) is started again and the build tried once more; a
    # build that failed against a live engine fails.
    build_image "$name" "$revision" "$created" "$log" ||
      { ! docker_answers && ensure_dockerd && build_image "$name" "$revision" "$created" "$log"; } ||
      die "building $(image_ref "$name") failed" "$log" 40
    size=$("$DOCKER" image inspect -f '{{.Size}}' "$(image_ref "$name")")
    IMAGE_REPORT+=("$(printf '%-34s %6s MB %7s s' "$(image_ref "$name")" $((size / 1000000)) "$(since "$t0")")")
  done
  note "${#IMAGE_REPORT[@]} images (log in .run/logs/images.log)"
}

# The images `names` (all when none is given; only the missing ones with --missing).
ensure_images() { # ensure_images [--missing] [names...]
  local only_missing=0 names=() n
  if [[ ${1:-} == --missing ]]; then
    only_missing=1
    shift
  fi
  names=("$@")
  ((${#names[@]})) || names=("${IMAGES[@]}")
  if ((only_missing)); then
    local want=("${names[@]}")
    names=()
    for n in "${want[@]}"; do "$DOCKER" image inspect "$(image_ref "$n")" >/dev/null 2>&1 || names+=("$n"); done
    if ((${#names[@]} == 0)); then
      note "all ${#want[@]} present (./pharmasys images rebuilds them)"
      return 0
    fi
  fi
  ensure_base_image
  if [[ " ${names[*]} " == *" gateway "* ]]; then
    ensure_node
    build_web if-missing
  fi
  build_images "${names[@]}"
}

cmd_images() {
  local n
  for n in "$@"; do [[ -n ${IMAGE_FILE[$n]:-} ]] || die "no image '$n' (images: ${IMAGES[*]})"; done
  mkdir -p "$CONTAINER_LOGS"
  local t0
  t0=$(now_us)
  STEP_TOTAL=3
  step "Docker from Debian" ensure_docker_packages
  step "Docker engine" ensure_dockerd
  step "the images (base $BASE_IMAGE, web/dist, then each; log in .run/logs/images.log)" ensure_images "$@"
  printf '  %s\n' "${IMAGE_REPORT[@]}"
  echo "Images built in $(since "$t0") s."
}

# ---------------------------------------------------------------------------------------------
# compose

COMPOSE_SECRETS=(PHARMASYS_PG_SUPERUSER_PASSWORD PHARMASYS_AMQP_PASSWORD PHARMASYS_REDIS_PASSWORD
  PHARMASYS_AUTH_KEY_ENCRYPTION_KEY PHARMASYS_ADMIN_PASSWORD)

# deploy/.env (or $PHARMASYS_COMPOSE_ENV): the stack's secrets, made once and kept (the
# databases hold the passwords from their first start; a new value would lock the services
# out). Settings may be added to it by hand; see deploy/README.md.
ensure_compose_env() {
  local keys=("${COMPOSE_SECRETS[@]}") s k added=0
  for s in "${DB_SERVICES[@]}"; do keys+=("PHARMASYS_PG_PASSWORD_${s^^}" "PHARMASYS_PG_PASSWORD_${s^^}_OWNER"); done
  for s in "${CLIENTS[@]}"; do keys+=("PHARMASYS_CLIENT_SECRET_${s^^}"); done
  if [[ ! -f $COMPOSE_ENV ]]; then
    (umask 077 && printf '%s\n' "# PharmaSys Compose settings and secrets, generated by ./pharmasys compose. Keep private." \
      "COMPOSE_PROJECT_NAME=pharmasys" >"$COMPOSE_ENV")
  fi
  chmod 600 "$COMPOSE_ENV"
  SECRET=()
  load_secrets "$COMPOSE_ENV"
  for k in "${keys[@]}"; do
    if [[ -z ${SECRET[$k]:-} ]]; then
      printf '%s=%s\n' "$k" "$(random_secret)" >>"$COMPOSE_ENV"
      added=$((added + 1))
    fi
  done
  if ((added)); then note "wrote $added secrets to ${COMPOSE_ENV#"$ROOT"/}"; else note "${COMPOSE_ENV#"$ROOT"/} in place"; fi
}

# A local CA and a localhost certificate, as `up` makes them, when the plant gives none of its
# own in the env file (PHARMASYS_TLS_CERT_FILE and PHARMASYS_TLS_KEY_FILE, readable by uid 10001).
ensure_compose_tls() {
  if grep -q '^PHARMASYS_TLS_CERT_FILE=' "$COMPOSE_ENV"; then
    note "the plant's own, from ${COMPOSE_ENV#"$ROOT"/}"
    return 0
  fi
  ensure_tls "$ROOT/deploy/tls" 10001
}

compose() { "${COMPOSE_BIN[@]}" -f "$COMPOSE_FILE_PATH" --env-file "$COMPOSE_ENV" "$@"; }

compose_start() { # compose_start [demo]
  local log=$CONTAINER_LOGS/compose.log
  if [[ ${1:-} == demo ]]; then
    PHARMASYS_DEMO=1 run_logged "$log" compose --profile demo up -d || die "docker-compose up failed" "$log"
  else
    run_logged "$log" compose up -d || die "docker-compose up failed" "$log"
  fi
}

# Until the gateway container is healthy (it is, once every service behind it is).
wait_gateway_healthy() {
  local id state deadline=$((EPOCHSECONDS + ${PHARMASYS_COMPOSE_TIMEOUT:-300}))
  while ((EPOCHSECONDS < deadline)); do
    id=$(compose ps -q gateway 2>/dev/null || true)
    if [[ -n $id ]]; then
      state=$("$DOCKER" inspect -f '{{.State.Health.Status}}' "$id" 2>/dev/null || true)
      [[ $state == healthy ]] && return 0
    fi
    sleep 2
  done
  compose ps >&2 || true
  die "the gateway container is not healthy after ${PHARMASYS_COMPOSE_TIMEOUT:-300} s" "$CONTAINER_LOGS/compose.log"
}

wait_demo_loaded() {
  local id rc
  for ((i = 0; i < 300; i++)); do
    id=$(compose ps -a -q demo 2>/dev/null || true)
    if [[ -n $id && $("$DOCKER" inspect -f '{{.State.Status}}' "$id") == exited ]]; then
      rc=$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$id")
      compose logs --no-color demo >"$CONTAINER_LOGS/compose-demo.log" 2>&1 || true
      ((rc == 0)) || die "the demo loader exited with $rc" "$CONTAINER_LOGS/compose-demo.log"
      STEP_NOTE=$(tail -n 1 "$CONTAINER_LOGS/compose-demo.log" | sed 's/^[^|]*| //')
      return 0
    fi
    sleep 1
  done
  die "the demo loader did not finish within 300 s"
}

cmd_compose() {
  local sub=${1:-}
  mkdir -p "$CONTAINER_LOGS"
  if [[ $sub != up ]]; then
    docker_answers || die "no Docker engine answers (./pharmasys compose up starts one, as root)"
    command -v docker-compose >/dev/null || COMPOSE_BIN=("$DOCKER" compose)
    [[ -f $COMPOSE_ENV ]] || die "no ${COMPOSE_ENV#"$ROOT"/} yet: ./pharmasys compose up makes it"
    compose "$@"
    return
  fi
  shift
  local demo=''
  case ${1:-} in
    '') ;;
    --demo) demo=demo ;;
    *) die "usage: ./pharmasys compose up [--demo]" ;;
  esac
  local t0
  t0=$(now_us)
  STEP_TOTAL=7
  [[ -z $demo ]] || STEP_TOTAL=8
  step "Docker from Debian" ensure_docker_packages
  step "Docker engine" ensure_dockerd
  step "the images (log in .run/logs/images.log)" ensure_images --missing
  ((${#IMAGE_REPORT[@]} == 0)) || printf '  %s\n' "${IMAGE_REPORT[@]}"
  step "secrets (${COMPOSE_ENV#"$ROOT"/})" ensure_compose_env
  step "the gateway's TLS certificate (deploy/tls/, unless PHARMASYS_TLS_CERT_FILE is set)" ensure_compose_tls
  step "docker-compose up (log in .run/logs/compose.log)" compose_start "$demo"
  step "waiting for the stack (gateway healthy)" wait_gateway_healthy
  [[ -z $demo ]] || step "the demo plant, through the gateway container" wait_demo_loaded
  local port
  port=$(sed -n 's/^PHARMASYS_PUBLISH_PORT=//p' "$COMPOSE_ENV" | tail -n 1)
  echo
  local https_port
  https_port=$(sed -n 's/^PHARMASYS_PUBLISH_HTTPS_PORT=//p' "$COMPOSE_ENV" | tail -n 1)
  echo "PharmaSys answers at ${C_OK}http://localhost:${port:-8080}${C_OFF} and ${C_OK}https://localhost:${https_port:-8443}${C_OFF} (the gateway container; nothing else is published)."
  grep -q '^PHARMASYS_TLS_CERT_FILE=' "$COMPOSE_ENV" ||
    echo "The certificate is from a local CA: curl --cacert deploy/tls/ca.pem https://localhost:${https_port:-8443}/healthz"
  echo "Ready in $(since "$t0") s. Stop: ./pharmasys compose down (add -v to delete the volumes)."
}
