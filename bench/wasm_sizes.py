"""Where the bytes of a wasm module go: code size per crate (from the
function names in the module's name section), largest first.

    cargo build --release --target wasm32-unknown-unknown --bin uplift-roi-app
    python3 bench/wasm_sizes.py target/wasm32-unknown-unknown/release/uplift-roi-app.wasm [--top 40]

The module is the one before wasm-bindgen and wasm-opt, so absolute sizes
are larger than the shipped file; the shares are what guide trimming.
"""
import re
import sys
from collections import Counter


def leb(b, i):
    result = shift = 0
    while True:
        byte = b[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, i


def sections(b):
    i = 8
    while i < len(b):
        sid = b[i]
        size, j = leb(b, i + 1)
        yield sid, b[j:j + size]
        i = j + size


def name_of(s):
    # rustc's legacy mangling demangled enough: crate::module::fn.
    m = re.findall(r"(\d+)([A-Za-z_][A-Za-z0-9_$.]*)", s)
    if s.startswith("_ZN") and m:
        parts, rest = [], s[3:]
        while rest and rest[0].isdigit():
            n = re.match(r"\d+", rest).group()
            parts.append(rest[len(n):len(n) + int(n)])
            rest = rest[len(n) + int(n):]
        return "::".join(p for p in parts if not re.fullmatch(r"h[0-9a-f]{16}", p))
    return s


def crate_of(name):
    n = name.lstrip("<&_ ")
    n = re.sub(r"^(impl|dyn|mut) ", "", n)
    head = re.split(r"::|\$|\.\.| ", n)[0]
    return head or name


def main():
    path = sys.argv[1]
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 30
    b = open(path, "rb").read()
    imported = 0
    bodies = []
    names = {}
    data = 0
    for sid, body in sections(b):
        if sid == 2:
            n, i = leb(body, 0)
            for _ in range(n):
                for _ in range(2):
                    ln, i = leb(body, i)
                    i += ln
                kind = body[i]
                i += 1
                if kind == 0:
                    _, i = leb(body, i)
                    imported += 1
                elif kind == 1:
                    i += 1
                    flags, i = leb(body, i)
                    _, i = leb(body, i)
                    if flags & 1:
                        _, i = leb(body, i)
                elif kind == 2:
                    flags, i = leb(body, i)
                    _, i = leb(body, i)
                    if flags & 1:
                        _, i = leb(body, i)
                elif kind == 3:
                    i += 2
        elif sid == 10:
            n, i = leb(body, 0)
            for _ in range(n):
                size, j = leb(body, i)
                bodies.append(size)
                i = j + size
        elif sid == 11:
            data = len(body)
        elif sid == 0:
            ln, i = leb(body, 0)
            if body[i:i + ln] == b"name":
                i += ln
                while i < len(body):
                    sub = body[i]
                    size, j = leb(body, i + 1)
                    if sub == 1:
                        n, k = leb(body, j)
                        for _ in range(n):
                            idx, k = leb(body, k)
                            ln2, k = leb(body, k)
                            names[idx] = body[k:k + ln2].decode("utf-8", "replace")
                            k += ln2
                    i = j + size
    per_crate = Counter()
    per_fn = Counter()
    for k, size in enumerate(bodies):
        raw = names.get(imported + k, f"func{imported + k}")
        name = name_of(raw)
        per_crate[crate_of(name)] += size
        per_fn[name] += size
    code = sum(bodies)
    print(f"{path}: {len(b) / 1024:.0f} KiB; code {code / 1024:.0f} KiB in {len(bodies)} functions; data {data / 1024:.0f} KiB")
    for crate, size in per_crate.most_common(top):
        print(f"  {size / 1024:8.1f} KiB {100 * size / code:5.1f}%  {crate}")
    if "--fns" in sys.argv:
        for fn, size in per_fn.most_common(top):
            print(f"  {size / 1024:8.1f} KiB  {fn[:150]}")


if __name__ == "__main__":
    main()
