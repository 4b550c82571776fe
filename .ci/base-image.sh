#!/usr/bin/env bash
# A local stand-in for the Dockerfile's base, python:3.11-slim-bookworm, for machines that reach
# Debian's archive and PyPI but no registry of container images (this CI's machines).
#
# What the official image is, rebuilt from the same parts: Debian bookworm (debootstrap,
# minbase), the runtime libraries CPython links to, ca-certificates/netbase/tzdata, and a
# CPython 3.11 under /usr/local (the official image's prefix) with pip from ensurepip, the test
# suite, tkinter and the .pyc files left out as the official image does.
# The interpreter is this machine's own CPython 3.11 (PYTHON_HOME, pyenv's 3.11.7 by default;
# Debian's python3 is 3.11.2, too old for some pinned packages): copied, not rebuilt.
#
# The machine's CA bundle (SSL_CERT_FILE) is copied into the base, and registered with
# update-ca-certificates so that a later ca-certificates run keeps it: the builds on this machine
# reach PyPI through it.
#
# Usage: .ci/base-image.sh [image name]   (idempotent: does nothing when the image exists)
set -euo pipefail

IMAGE="${1:-docker.io/library/python:3.11-slim-bookworm}"
PYTHON_HOME="${PYTHON_HOME:-$(python3.11 -c 'import sys; print(sys.base_prefix)' 2>/dev/null || true)}"
CA_BUNDLE="${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PODMAN="${PODMAN:-podman}"

if $PODMAN image exists "$IMAGE"; then
    echo "base-image: $IMAGE already present"
    exit 0
fi
if [ -z "$PYTHON_HOME" ] || [ ! -x "$PYTHON_HOME/bin/python3.11" ]; then
    echo "base-image: no CPython 3.11 found (set PYTHON_HOME)" >&2
    exit 1
fi
version="$("$PYTHON_HOME/bin/python3.11" -c 'import platform; print(platform.python_version())')"

work="$(mktemp -d /var/tmp/qc-base.XXXXXX)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"

echo "base-image: debootstrap bookworm (minbase) from $MIRROR"
debootstrap --variant=minbase \
    --include=ca-certificates,netbase,tzdata,libssl3,libsqlite3-0,libffi8,libbz2-1.0,liblzma5,zlib1g,libreadline8,libncursesw6,libuuid1,libgdbm6,libexpat1,libnsl2,libcrypt1,libtirpc3 \
    bookworm "$root" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
    || { tail -30 "$work/debootstrap.log" >&2; exit 1; }

echo "base-image: CPython $version from $PYTHON_HOME into /usr/local"
mkdir -p "$root/usr/local"
tar -C "$PYTHON_HOME" \
    --exclude='lib/python3.11/site-packages/*' \
    --exclude='lib/python3.11/test' \
    --exclude='lib/python3.11/idlelib' \
    --exclude='lib/python3.11/tkinter' \
    --exclude='lib/python3.11/turtledemo' \
    --exclude='lib/python3.11/lib-dynload/_tkinter*' \
    --exclude='__pycache__' \
    --exclude='lib/libpython3.11.a' \
    --exclude='lib/python3.11/config-3.11-x86_64-linux-gnu/*.a' \
    --exclude='bin/pip*' --exclude='bin/idle*' --exclude='bin/2to3*' --exclude='bin/pydoc*' \
    -cf - bin include lib share 2>/dev/null | tar -C "$root/usr/local" -xf -
# Links the official image has.
for name in python python3; do ln -sf python3.11 "$root/usr/local/bin/$name"; done
ln -sf python3.11-config "$root/usr/local/bin/python3-config" 2>/dev/null || true

# The machine's CA bundle, kept by update-ca-certificates.
mkdir -p "$root/usr/local/share/ca-certificates"
cp "$CA_BUNDLE" "$root/usr/local/share/ca-certificates/build-machine-bundle.crt"
cp "$CA_BUNDLE" "$root/etc/ssl/certs/ca-certificates.crt"

# apt sources as in the official image (deb.debian.org, security updates).
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF

chroot "$root" /sbin/ldconfig
chroot "$root" /usr/local/bin/python3.11 -m ensurepip --default-pip >/dev/null
chroot "$root" /usr/local/bin/python3.11 -c 'import ssl, sqlite3, ctypes, lzma, bz2, zlib, uuid; print("base-image: stdlib modules load")'
# Like the official image: no apt lists, no .pyc, no caches.
rm -rf "$root/var/lib/apt/lists/"* "$root/var/cache/apt/"*.bin "$root/var/cache/apt/archives/"*.deb \
    "$root/root/.cache" "$root/usr/share/doc/"* "$root/usr/share/man/"*
find "$root/usr/local" -depth -type d -name __pycache__ -exec rm -rf {} +

echo "base-image: importing as $IMAGE"
tar -C "$root" -cf - . | $PODMAN import \
    --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change "ENV PYTHON_VERSION=$version" \
    --change 'CMD ["python3"]' \
    - "$IMAGE" >/dev/null
$PODMAN image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' "$IMAGE"
