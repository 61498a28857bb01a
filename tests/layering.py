#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The layering of the product code (docs/design.md, "Layering").

Every `#include "..."` of the product directories is resolved the way the
compiler finds it (the including file's directory first, then the include
paths) and must land in the includer's own directory, one of its
subdirectories, include/, common/, or a directory the table below lets it
use.  Every include_directories() of a product meson.build may name only
such directories.  tests/, tools/, bench/ and examples/ sit above the
product and may use any of it.

usage: layering.py SOURCE_ROOT     (exit 1 and one line per violation)
"""
import os
import re
import sys

# Product directory -> the other product directories it may use, beyond
# its own subdirectories, include/ and common/.  Keep in step with the
# diagram in docs/design.md.
USES = {
    'include/goshim': [],
    'common': [],
    'preload/rec': [],
    'preload': [],
    'trace/bpf': [],
    'trace': [],
    'ctl': ['trace/trace.h'],   # goshimctl links the engine: its entry only
    'ctl/diag': ['ctl'],        # part of goshimctl: ctl's record readers
}
BASE = ['include', 'common']
# Generated into the build tree.
GENERATED = {'goshim-config.h', 'tr_ebpf.skel.h'}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
INCDIRS = re.compile(r'include_directories\s*\(([^)]*)\)')
STRING = re.compile(r"'([^']*)'")


def owner(rel):
    """The product directory rel (a directory) belongs to, or None."""
    best = None
    for d in USES:
        if rel == d or rel.startswith(d + '/'):
            if best is None or len(d) > len(best):
                best = d
    return best


def allowed(src_dir, target):
    """May code of src_dir use target (a file or a directory, relative)?"""
    target_dir = target if os.path.isdir(os.path.join(ROOT, target)) else os.path.dirname(target)
    if target_dir == src_dir or target_dir.startswith(src_dir + '/'):
        return True   # its own directory, or a part it owns
    for ok in BASE:
        if target_dir == ok or target_dir.startswith(ok + '/'):
            return True
    return any(target == ok or target_dir == ok for ok in USES.get(owner(src_dir), []))


def resolve(src_dir, name):
    """Where the compiler finds name included from src_dir: the directory
    itself, then the include paths (include/, common/, any product
    directory: the first that has it)."""
    for d in [src_dir] + BASE + sorted(USES, key=len, reverse=True):
        p = os.path.normpath(os.path.join(d, name))
        if os.path.isfile(os.path.join(ROOT, p)):
            return p
    return None


def check_sources(problems):
    for d in USES:
        top = os.path.join(ROOT, d)
        for dirpath, dirnames, files in os.walk(top):
            rel_dir = os.path.relpath(dirpath, ROOT)
            if owner(rel_dir) != d:
                continue
            dirnames[:] = [n for n in dirnames if n != 'tests']
            for f in sorted(files):
                if not f.endswith(('.c', '.h', '.def')):
                    continue
                text = open(os.path.join(dirpath, f), encoding='utf-8').read()
                for name in INCLUDE.findall(text):
                    if os.path.basename(name) in GENERATED:
                        continue
                    where = resolve(rel_dir, name)
                    if where is None:
                        problems.append(f'{rel_dir}/{f}: "{name}" not found')
                    elif not allowed(rel_dir, where):
                        problems.append(f'{rel_dir}/{f}: includes {where}')


def check_meson(problems):
    for d in USES:
        build = os.path.join(ROOT, d, 'meson.build')
        if not os.path.isfile(build):
            continue
        text = open(build, encoding='utf-8').read()
        for args in INCDIRS.findall(text):
            for path in STRING.findall(args):
                target = os.path.normpath(os.path.join(d, path))
                if target in ('.', '') or not os.path.isdir(os.path.join(ROOT, target)):
                    continue  # the build root (generated headers)
                if not allowed(d, target):
                    problems.append(f'{d}/meson.build: include_directories(\'{path}\') '
                                    f'reaches {target}')


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    ROOT = sys.argv[1]
    problems = []
    check_sources(problems)
    check_meson(problems)
    for p in problems:
        print('layering: ' + p)
    print(f'layering: {len(problems)} forbidden includes')
    sys.exit(1 if problems else 0)
