# Sourced by .ci/run and scripts/fresh-check.sh: the files that decide how a
# fresh machine builds the site, and a digest of them as committed (HEAD).
SETUP_PATHS=(Cargo.lock rust-toolchain.toml .cargo Trunk.toml package-lock.json
  scripts/setup.sh scripts/build-site.sh scripts/toolchains.sh
  scripts/fresh-check.sh scripts/setup-paths.sh)

setup_digest() {
  git ls-tree -r HEAD -- "${SETUP_PATHS[@]}" | sha256sum | cut -c1-16
}
