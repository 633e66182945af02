#!/usr/bin/env bash
# scripts/check-layers against small made-up trees: a clean one passes; an upward include, an include of a folder
# on the same level, and a code folder missing from the table each fail with exit 1 and name the file and line.
set -euo pipefail
check=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

make_tree() {
    rm -rf "$tmp/t" && mkdir -p "$tmp/t/harness/low" "$tmp/t/harness/mid" "$tmp/t/harness/side" "$tmp/t/harness/top"
    printf '0 harness/low\n1 harness/mid\n1 harness/side\n2 harness/top\n' > "$tmp/t/harness/layers.txt"
    printf '#pragma once\n' > "$tmp/t/harness/low/a.hpp"
    printf '#include "mid/b.hpp"\n#include "low/a.hpp"\n#include <vector>\n' > "$tmp/t/harness/mid/b.cpp"
    printf '#pragma once\n#include "low/a.hpp"\n' > "$tmp/t/harness/mid/b.hpp"
    printf '#include "mid/b.hpp"\n#include "side/c.hpp"\n' > "$tmp/t/harness/top/d.cpp"
    printf '#pragma once\n' > "$tmp/t/harness/side/c.hpp"
}
expect_fail() {  # what, text the message must hold
    local out rc=0
    out=$(bash "$check" "$tmp/t" 2>&1) || rc=$?
    [[ $rc -eq 1 ]] || fail "$1: exit $rc, expected 1 (output: $out)"
    grep -qF -- "$2" <<< "$out" || fail "$1: message lacks '$2' (output: $out)"
    echo "ok: $1 -> $out"
}

make_tree
bash "$check" "$tmp/t" > /dev/null || fail "a tree whose includes all point down was refused"
echo "ok: clean tree passes"

make_tree
printf '#include "top/d.hpp"\n' >> "$tmp/t/harness/low/a.hpp"
expect_fail "upward include" 'harness/low/a.hpp:2: harness/low (layer 0) includes "top/d.hpp" from harness/top (layer 2)'

make_tree
printf '#include "side/c.hpp"\n' >> "$tmp/t/harness/mid/b.cpp"
expect_fail "same-level include" 'harness/mid/b.cpp:4: harness/mid (layer 1) includes "side/c.hpp" from harness/side (layer 1)'

make_tree
mkdir "$tmp/t/harness/stray" && printf 'int x;\n' > "$tmp/t/harness/stray/e.cpp"
expect_fail "folder without a level" 'harness/stray holds code but has no level'

make_tree
printf '#include "stray/e.hpp"\n' >> "$tmp/t/harness/top/d.cpp"
mkdir "$tmp/t/harness/stray" && printf '#pragma once\n' > "$tmp/t/harness/stray/e.hpp"
expect_fail "include of a folder without a level" '"stray/e.hpp" from harness/stray, which has no level'

# The forms a wrong include could hide in (found by a new user's trial): angle brackets (every library has the
# same include path, so <top/d.hpp> compiles), a file in a subfolder of a layer folder, a .h file.
make_tree
printf '#include <top/d.hpp>\n' >> "$tmp/t/harness/low/a.hpp"
expect_fail "upward include in angle brackets" 'harness/low (layer 0) includes "top/d.hpp" from harness/top (layer 2)'

make_tree
mkdir -p "$tmp/t/harness/low/detail" && printf '#include "top/d.hpp"\n' > "$tmp/t/harness/low/detail/x.hpp"
expect_fail "upward include in a subfolder" 'harness/low/detail/x.hpp:1: harness/low (layer 0) includes "top/d.hpp"'

make_tree
printf '#include "top/d.hpp"\n' > "$tmp/t/harness/low/old.h"
expect_fail "upward include in a .h file" 'harness/low/old.h:1: harness/low (layer 0) includes "top/d.hpp"'

make_tree
mkdir -p "$tmp/t/harness/stray2/sub" && printf 'int y;\n' > "$tmp/t/harness/stray2/sub/f.cc"
expect_fail "folder whose code is only in a subfolder" 'harness/stray2 holds code but has no level'

make_tree
printf '#include <nlohmann/json.hpp>\n#include <string>\n' >> "$tmp/t/harness/low/a.hpp"
bash "$check" "$tmp/t" > /dev/null || fail "library headers in angle brackets were taken for layers"
echo "ok: library headers are not layers"
