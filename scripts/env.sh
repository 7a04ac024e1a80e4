# Shared by the scripts: one target directory outside the clone (so every clone and CI run
# reuses compiled dependencies), and the mold linker when it is installed.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/wenji-target}"
if command -v mold >/dev/null 2>&1; then
  export CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS="${CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS:--C link-arg=-fuse-ld=mold}"
fi
