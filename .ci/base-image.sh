#!/usr/bin/env bash
# Provides the debian:bookworm-slim base image the examples build FROM, without a registry:
# mmdebstrap a minimal bookworm into a tarball (cached, so a restarted dockerd re-imports in
# seconds) and `docker import` it under that tag. Idempotent: an existing image is kept.
set -euo pipefail

DOCKER=${DOCKER:-/usr/bin/docker}
TAG=${BASE_IMAGE_TAG:-debian:bookworm-slim}
SUITE=${BASE_IMAGE_SUITE:-bookworm}
CACHE_DIR=${BASE_IMAGE_CACHE:-/var/cache/unikraft-compat}
TAR="$CACHE_DIR/base-$SUITE.tar"

if [ -n "$("$DOCKER" images -q "$TAG")" ]; then
  echo "base-image: $TAG already present"
  exit 0
fi

mkdir -p "$CACHE_DIR"
if [ ! -s "$TAR" ]; then
  # Build beside the cache file and rename when complete: a half-written tar is never imported.
  tmp=$(mktemp -d "$CACHE_DIR/tmp.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  echo "base-image: mmdebstrap --variant=minbase $SUITE"
  mmdebstrap --variant=minbase "$SUITE" "$tmp/base.tar"
  mv "$tmp/base.tar" "$TAR"
fi

echo "base-image: docker import $TAR $TAG"
"$DOCKER" import "$TAR" "$TAG" >/dev/null
echo "base-image: $TAG ready"
