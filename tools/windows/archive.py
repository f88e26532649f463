#!/usr/bin/env python3
"""Packs the driver suite of a Windows cross build into one archive for a
Windows machine in test-signing mode (README, "On a real Windows machine").

usage: archive.py --arch x86_64|i686 --cert-dir DIR --work DIR
                  --template RUN-TESTS.CMD.IN --output ZIP
                  LOADER.exe DRIVER.sys...

Signs a copy of each DRIVER.sys with tools/windows/sign_driver.sh and the test
certificate in DIR (made there on first use and kept, so that a machine that
trusts it keeps trusting the drivers of later builds), and writes ZIP with one
folder, named as ZIP without its .zip, holding:

  run-tests.cmd          from the template, in CRLF line endings, with
                         @ARCH@ (x86_64 or i686), @WINDOWS_ARCH@ (AMD64 or
                         x86: PROCESSOR_ARCHITECTURE of the Windows it runs
                         on) and @BITS@ (64 or 32) filled in
  LOADER.exe             as built
  DRIVER.sys...          signed
  ntrundown-test.cer     the certificate that signed them (DER)

WORK is scratch space for the signed copies (meson's private directory of
the target).  The archive is written to ZIP.tmp and renamed, so that a
failed run leaves no archive behind.  tests/driver/check_windows_archive.py
checks the result.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import zipfile

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARCHES = {"x86_64": ("AMD64", "64"), "i686": ("x86", "32")}
CERT = "ntrundown-test.cer"


def run_tests_cmd(template, arch):
    windows_arch, bits = ARCHES[arch]
    with open(template, encoding="ascii") as f:
        text = f.read()
    text = text.replace("@ARCH@", arch).replace("@WINDOWS_ARCH@", windows_arch).replace("@BITS@", bits)
    left = re.search(r"@[A-Z_]+@", text)
    if left:
        raise SystemExit(f"windows-archive: {template}: unknown placeholder {left.group(0)}")
    # cmd.exe reads batch files in CRLF; the template is kept in LF.
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("ascii")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", required=True, choices=sorted(ARCHES))
    parser.add_argument("--cert-dir", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--template", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("loader")
    parser.add_argument("drivers", nargs="+")
    args = parser.parse_args(argv)

    # Signed copies: sign_driver.sh writes DIR/signed/NAME for DIR/NAME.
    work = os.path.abspath(args.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    staged = []
    for driver in args.drivers:
        name = os.path.basename(driver)
        if not name.endswith(".sys"):
            raise SystemExit(f"windows-archive: {driver} is not a .sys file")
        shutil.copyfile(driver, os.path.join(work, name))
        staged.append(os.path.join(work, name))
    env = dict(os.environ, NTRUNDOWN_CERT_DIR=os.path.abspath(args.cert_dir))
    sign = subprocess.run(["bash", os.path.join(TOP, "tools", "windows", "sign_driver.sh")] + staged, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if sign.returncode:
        sys.stdout.write(sign.stdout)
        raise SystemExit(f"windows-archive: tools/windows/sign_driver.sh failed (exit status {sign.returncode})")
    for line in sign.stdout.splitlines():
        if "new certificate" in line:
            print(line)

    folder = os.path.basename(args.output)
    if folder.endswith(".zip"):
        folder = folder[:-4]
    members = [("run-tests.cmd", run_tests_cmd(args.template, args.arch))]
    with open(args.loader, "rb") as f:
        members.append((os.path.basename(args.loader), f.read()))
    for path in staged:
        with open(os.path.join(work, "signed", os.path.basename(path)), "rb") as f:
            members.append((os.path.basename(path), f.read()))
    with open(os.path.join(args.cert_dir, CERT), "rb") as f:
        members.append((CERT, f.read()))

    tmp = args.output + ".tmp"
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(f"{folder}/{name}", data)
    os.replace(tmp, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
