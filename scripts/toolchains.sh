# Sourced by scripts/setup.sh and scripts/build-site.sh.
#
# The release build of the site compiles Rust's standard library from source
# for size (-Zbuild-std, optimize_for_size) and stops a module at once on a
# panic (-Cpanic=immediate-abort): about 21 KiB less in the first download.
# Those are unstable options, so that one build runs on a nightly compiler
# pinned to a date; everything else (clippy, tests, the CLI) uses the stable
# toolchain pinned in rust-toolchain.toml. Move this date on purpose, then run
# scripts/fresh-check.sh and the size gate.
SIZE_TOOLCHAIN=nightly-2026-05-20

# The standard library's own manifest in that toolchain's rust-src; cargo
# resolves its dependencies when it builds std, so they must be fetched.
size_std_manifest() {
  echo "$(rustup run "$SIZE_TOOLCHAIN" rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
}
