#!/usr/bin/env python3
"""Where a stripped Go program spends its time, from `perf script` output.

Terraform's release binaries are stripped, so perf shows bare addresses for them. Go keeps
its own symbol table (.gopclntab) in every binary, stripped or not; this reads it (the
layout of Go 1.20 and later) and charges each sample to functions, for one command name:

    perf record -g -o har.data -- terraform plan ...
    perf script -i har.data -F comm,ip,dso | scripts/bench/gosym.py /path/to/terraform terraform

prints the samples, the functions with the most samples in their own code (self) and on the
stack (inclusive). With two outputs of the same sampling rate, `--diff A.txt B.txt [TOP]` lists
the TOP (default 40) functions by how many more samples A has than B: where A's extra time goes.
"""

import bisect
import collections
import struct
import sys


def elf_sections(data):
    """name -> (address, offset, size), and the text segment's address minus its file offset."""
    shoff = struct.unpack_from("<Q", data, 0x28)[0]
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    headers = [struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize) for i in range(shnum)]
    strtab_off = headers[shstrndx][4]
    sections = {}
    for name_off, _typ, _flags, addr, off, size in headers:
        end = data.index(b"\0", strtab_off + name_off)
        sections[data[strtab_off + name_off:end].decode()] = (addr, off, size)
    phoff = struct.unpack_from("<Q", data, 0x20)[0]
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    base = 0
    for i in range(phnum):
        p_type, p_flags, p_offset, p_vaddr = struct.unpack_from("<IIQQ", data, phoff + i * phentsize)
        if p_type == 1 and p_flags & 1:  # PT_LOAD, executable
            base = p_vaddr - p_offset
    return sections, base


class GoSymbols:
    def __init__(self, path):
        data = open(path, "rb").read()
        sections, self.base = elf_sections(data)
        _, off, size = sections[".gopclntab"]
        pcln = data[off:off + size]
        magic = struct.unpack_from("<I", pcln, 0)[0]
        if magic != 0xFFFFFFF1:
            sys.exit(f"{path}: .gopclntab magic {magic:#x}, this reads Go 1.20+ (0xfffffff1) only")
        nfunc, _nfiles, text, fname_off, _cu, _file, _pc, pcln_off = struct.unpack_from("<8Q", pcln, 8)
        self.entries, self.names = [], []
        for i in range(nfunc):
            entry_off, func_off = struct.unpack_from("<II", pcln, pcln_off + 8 * i)
            name_off = struct.unpack_from("<i", pcln, pcln_off + func_off + 4)[0]
            start = fname_off + name_off
            self.entries.append(text + entry_off)
            self.names.append(pcln[start:pcln.index(b"\0", start)].decode(errors="replace"))

    def name(self, relative_ip):
        # perf script prints addresses in the binary relative to its mapping.
        i = bisect.bisect_right(self.entries, relative_ip + self.base) - 1
        return self.names[i] if i >= 0 else hex(relative_ip)


def profile(binary, comm, lines):
    syms = GoSymbols(binary)
    own = collections.Counter()
    incl = collections.Counter()
    total = 0
    stack, current = [], None

    def flush():
        nonlocal total
        if current == comm and stack:
            total += 1
            own[stack[0]] += 1
            for f in set(stack):
                incl[f] += 1

    for line in lines:
        if not line.strip():
            flush()
            stack, current = [], None
        elif not line[0].isspace():
            current = line.split()[0]
        else:
            parts = line.split()
            dso = parts[-1].strip("()")
            if dso == binary or dso.endswith("/" + binary.rsplit("/", 1)[-1]):
                stack.append(syms.name(int(parts[0], 16)))
            else:
                stack.append(dso)
    flush()
    return total, own, incl


def show(total, own, incl, top=40):
    print(f"samples {total}")
    print("--- self")
    for f, c in own.most_common(top):
        print(f"{100 * c / total:6.2f}% {f}")
    print("--- inclusive")
    for f, c in incl.most_common(top * 10):
        print(f"{100 * c / total:6.2f}% {f}")


def load(path):
    text = open(path).read()
    total = int(text.splitlines()[0].split()[1])
    incl = {}
    for line in text.split("--- inclusive\n")[1].splitlines():
        pct, name = line.strip().split("% ", 1)
        incl[name] = float(pct) * total / 100
    return total, incl


def diff(a_path, b_path, top=40):
    a_total, a = load(a_path)
    b_total, b = load(b_path)
    print(f"samples: {a_total} against {b_total}, {a_total - b_total} more")
    print(f"{'more':>7} {'A':>7} {'B':>7}  function (inclusive samples)")
    rows = sorted(((a.get(k, 0) - b.get(k, 0), k) for k in set(a) | set(b)), reverse=True)
    for d, k in rows[:top]:
        print(f"{d:7.0f} {a.get(k, 0):7.0f} {b.get(k, 0):7.0f}  {k}")


if __name__ == "__main__":
    if len(sys.argv) in (4, 5) and sys.argv[1] == "--diff":
        diff(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) == 5 else 40)
    elif len(sys.argv) == 3:
        show(*profile(sys.argv[1], sys.argv[2], sys.stdin))
    else:
        sys.exit(__doc__)
