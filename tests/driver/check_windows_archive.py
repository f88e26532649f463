#!/usr/bin/env python3
"""Checks the archive for a Windows machine (tools/windows/archive.py).

usage: check_windows_archive.py --arch x86_64|i686 [--self-test] ZIP

ZIP (ntrundown-windows-tests-ARCH.zip) must hold one folder named as ZIP
without its .zip, and in it exactly these files, nothing else:

  run-tests.cmd                         ASCII, every line ending in CRLF, no
                                        placeholder left; it installs
                                        ntrundown-test.cer with certutil
                                        -addstore into Root and
                                        TrustedPublisher, and runs each
                                        driver below but ntrundown.sys with
                                        ntrundown_loader.exe
  ntrundown_loader.exe                  a PE image for ARCH
  ntrundown.sys                         kernel drivers (PE images for ARCH,
  ntrundown_test_system.sys             native subsystem) with an
  ntrundown_test_reimplementation.sys   Authenticode signature that
  rundown_client.sys                    osslsigncode verifies against the
                                        certificate below
  ntrundown-test.cer                    an X.509 certificate (DER)

Prints what it checked and every problem; exit status 0 when there is none,
1 otherwise, 77 (skipped) without osslsigncode.

With --self-test it checks ZIP, which must pass, then copies of it broken in
one way each (a file missing, a file too many, the script in LF, the script
not running a driver, a driver unsigned, a driver signed with another
certificate, another certificate, a loader for another architecture), each
of which must fail for that reason; exit status 0 when all of that holds.
"""
import argparse
import io
import os
import re
import shutil
import ssl
import struct
import subprocess
import sys
import tempfile
import zipfile

SKIP = 77
CERT = "ntrundown-test.cer"
LOADER = "ntrundown_loader.exe"
SCRIPT = "run-tests.cmd"
EXPORT_DRIVER = "ntrundown.sys"
RUN_DRIVERS = ("ntrundown_test_system.sys", "ntrundown_test_reimplementation.sys", "rundown_client.sys")
EXPECTED = {SCRIPT, LOADER, EXPORT_DRIVER, *RUN_DRIVERS, CERT}
MACHINES = {"x86_64": 0x8664, "i686": 0x14C}
IMAGE_SUBSYSTEM_NATIVE = 1


def pe_info(data):
    """(machine, subsystem) of a PE image, or None."""
    if len(data) < 0x40 or data[:2] != b"MZ":
        return None
    offset = struct.unpack_from("<I", data, 0x3C)[0]
    if offset + 24 + 70 > len(data) or data[offset:offset + 4] != b"PE\0\0":
        return None
    machine = struct.unpack_from("<H", data, offset + 4)[0]
    subsystem = struct.unpack_from("<H", data, offset + 24 + 68)[0]   # same place in PE32 and PE32+
    return machine, subsystem


def check_script(text, problems):
    try:
        text = text.decode("ascii")
    except UnicodeDecodeError:
        problems.append(f"{SCRIPT}: not ASCII")
        return
    if not text.endswith("\r\n"):
        problems.append(f"{SCRIPT}: does not end in CRLF")
    bare = [n + 1 for n, line in enumerate(text.split("\r\n")) if "\n" in line or "\r" in line]
    if bare:
        problems.append(f"{SCRIPT}: lines not ending in CRLF (cmd.exe needs CRLF): line {bare[0]}"
                        + (f" and {len(bare) - 1} more" if len(bare) > 1 else ""))
    lines = text.replace("\r", "").split("\n")
    code = [line for line in lines if not re.match(r"\s*(rem\b|::)", line, re.I)]
    left = re.search(r"@[A-Z_]+@", text)
    if left:
        problems.append(f"{SCRIPT}: placeholder {left.group(0)} left")
    for store in ("Root", "TrustedPublisher"):
        if not any(re.search(rf"certutil\s+-addstore\s+{store}\s+.*{re.escape(CERT)}", l, re.I) for l in code):
            problems.append(f"{SCRIPT}: does not install {CERT} into {store} (certutil -addstore {store})")
    calls = [line for line in code if LOADER in line]
    for driver in RUN_DRIVERS:
        stem = driver[:-4]
        # either the driver named with the loader, or the loader called with
        # the name through a subroutine (call :run_suite NAME stem)
        named = any(driver in l for l in calls) or \
            (any("%2.sys" in l for l in calls) and any(re.search(rf"\bcall\s+:\S+\s+\S+\s+{stem}\b", l) for l in code))
        if not named:
            problems.append(f"{SCRIPT}: does not run {driver} with {LOADER}")


def verify_signature(osslsigncode, name, data, cert_pem, work, problems):
    path = os.path.join(work, name)
    with open(path, "wb") as f:
        f.write(data)
    proc = subprocess.run([osslsigncode, "verify", "-CAfile", cert_pem, "-in", path],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode or "Signature verification: ok" not in proc.stdout:
        why = next((l.strip() for l in proc.stdout.splitlines()
                    if re.search(r"No signature found|verification: failed|Error|error", l)), "")
        problems.append(f"{name}: its Authenticode signature does not verify against {CERT}"
                        + (f" ({why})" if why else ""))
        return False
    return True


def check(path, arch, osslsigncode, quiet=False):
    """The list of problems of the archive at path."""
    problems = []
    say = (lambda *a: None) if quiet else print
    folder = os.path.basename(path)
    folder = folder[:-4] if folder.endswith(".zip") else folder
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as err:
        return [f"{path}: not a zip archive ({err})"]
    with archive:
        bad = archive.testzip()
        if bad:
            problems.append(f"{bad}: damaged (CRC)")
        files = {}
        for info in archive.infolist():
            top, _, name = info.filename.partition("/")
            if top != folder or not name or "/" in name or info.is_dir():
                problems.append(f"unexpected: {info.filename} (everything goes in {folder}/, no subfolder)")
                continue
            if name in files:
                problems.append(f"{info.filename}: twice in the archive")
            files[name] = archive.read(info)
    for name in sorted(EXPECTED - files.keys()):
        problems.append(f"missing: {folder}/{name}")
    for name in sorted(files.keys() - EXPECTED):
        problems.append(f"unexpected: {folder}/{name}")

    for name in sorted(files):
        if not name.endswith((".sys", ".exe")) or name not in EXPECTED:
            continue
        info = pe_info(files[name])
        if not info:
            problems.append(f"{name}: not a PE image")
        elif info[0] != MACHINES[arch]:
            problems.append(f"{name}: machine {info[0]:#x}, not {arch}'s {MACHINES[arch]:#x}")
        elif name.endswith(".sys") and info[1] != IMAGE_SUBSYSTEM_NATIVE:
            problems.append(f"{name}: subsystem {info[1]}, not native ({IMAGE_SUBSYSTEM_NATIVE}): no kernel driver")

    if SCRIPT in files:
        check_script(files[SCRIPT], problems)

    if CERT in files:
        cert = files[CERT]
        if cert[:1] != b"\x30":
            problems.append(f"{CERT}: not a DER certificate")
        else:
            with tempfile.TemporaryDirectory(prefix="ntrundown-archive-check.") as work:
                pem = os.path.join(work, "ca.pem")
                with open(pem, "w") as f:
                    f.write(ssl.DER_cert_to_PEM_cert(cert))
                for name in sorted(n for n in files if n.endswith(".sys") and n in EXPECTED):
                    if verify_signature(osslsigncode, name, files[name], pem, work, problems):
                        say(f"   {name}: signed, verifies against {CERT}")
    if not problems:
        say(f"   {SCRIPT}: CRLF, runs {', '.join(RUN_DRIVERS)}, installs {CERT}")
    return problems


# ---- the self-test: broken copies ------------------------------------------

def rewrite(src, dst, change):
    """Copies the zip src to dst, with change(members) applied to the
    {name: data} of the folder's files."""
    with zipfile.ZipFile(src) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    folder = next(iter(members)).split("/")[0]
    files = {k.split("/", 1)[1]: v for k, v in members.items()}
    change(files)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(f"{folder}/{name}", data)


def self_test(path, arch, osslsigncode):
    openssl = shutil.which("openssl")
    if not openssl:
        print("SKIP: the self-test makes another certificate with openssl, which is not installed")
        return SKIP
    print(f"{path}: as built")
    problems = check(path, arch, osslsigncode)
    for p in problems:
        print(f"   {p}")
    if problems:
        print("check_windows_archive: the archive as built fails the check; the self-test needs a good one")
        return 1
    work = tempfile.mkdtemp(prefix="ntrundown-archive-selftest.")
    try:
        subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
                        "-subj", "/CN=another test signer", "-keyout", f"{work}/other.key", "-out", f"{work}/other.pem",
                        "-addext", "extendedKeyUsage=codeSigning"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([openssl, "x509", "-in", f"{work}/other.pem", "-outform", "der", "-out", f"{work}/other.cer"],
                       check=True)

        def tool(name, data, *args):
            src, dst = f"{work}/in-{name}", f"{work}/out-{name}"
            with open(src, "wb") as f:
                f.write(data)
            subprocess.run([osslsigncode, *args, "-in", src, "-out", dst], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            with open(dst, "rb") as f:
                return f.read()

        def drop(name):
            return lambda files: files.pop(name)

        def add(name):
            return lambda files: files.update({name: b"notes\r\n"})

        def script_lf(files):
            files[SCRIPT] = files[SCRIPT].replace(b"\r\n", b"\n")

        def script_without_client(files):
            files[SCRIPT] = b"\r\n".join(l for l in files[SCRIPT].split(b"\r\n") if b"rundown_client" not in l)

        def unsigned(files):
            files["ntrundown_test_system.sys"] = tool("unsigned.sys", files["ntrundown_test_system.sys"],
                                                      "remove-signature")

        def other_signer(files):
            plain = tool("plain.sys", files[EXPORT_DRIVER], "remove-signature")
            files[EXPORT_DRIVER] = tool("other.sys", plain, "sign", "-certs", f"{work}/other.pem",
                                        "-key", f"{work}/other.key", "-h", "sha256")

        def other_cert(files):
            with open(f"{work}/other.cer", "rb") as f:
                files[CERT] = f.read()

        def other_machine(files):
            data = bytearray(files[LOADER])
            offset = struct.unpack_from("<I", data, 0x3C)[0]
            struct.pack_into("<H", data, offset + 4, 0xAA64)    # arm64
            files[LOADER] = bytes(data)

        cases = [
            ("ntrundown.sys missing", drop(EXPORT_DRIVER), f"missing: {os.path.basename(path)[:-4]}/{EXPORT_DRIVER}"),
            ("the certificate missing", drop(CERT), f"missing: {os.path.basename(path)[:-4]}/{CERT}"),
            ("run-tests.cmd missing", drop(SCRIPT), f"missing: {os.path.basename(path)[:-4]}/{SCRIPT}"),
            ("a file too many", add("notes.txt"), "unexpected: "),
            ("run-tests.cmd in LF", script_lf, "not ending in CRLF"),
            ("run-tests.cmd not running the client driver", script_without_client,
             "does not run rundown_client.sys"),
            ("a driver unsigned", unsigned, "ntrundown_test_system.sys: its Authenticode signature does not verify"),
            ("a driver signed with another certificate", other_signer,
             f"{EXPORT_DRIVER}: its Authenticode signature does not verify"),
            ("another certificate", other_cert, "its Authenticode signature does not verify"),
            ("a loader for another machine", other_machine, f"{LOADER}: machine 0xaa64"),
        ]
        failed = 0
        for n, (what, change, expect) in enumerate(cases):
            broken = os.path.join(work, str(n), os.path.basename(path))
            rewrite(path, broken, change)
            problems = check(broken, arch, osslsigncode, quiet=True)
            hit = [p for p in problems if expect in p]
            if hit:
                print(f"rejects {what}: {hit[0]}")
            else:
                failed += 1
                print(f"FAIL: does not reject {what} (expected a problem with '{expect}'; got: {problems or 'none'})")
        print(f"check_windows_archive: self-test: {len(cases) - failed} of {len(cases)} broken archives rejected")
        return 1 if failed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", required=True, choices=sorted(MACHINES))
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("zip")
    args = parser.parse_args(argv)
    osslsigncode = shutil.which("osslsigncode")
    if not osslsigncode:
        print("SKIP: osslsigncode is not installed (tools/suite/setup.sh windows installs it)")
        return SKIP
    if args.self_test:
        return self_test(args.zip, args.arch, osslsigncode)
    print(f"{args.zip}:")
    problems = check(args.zip, args.arch, osslsigncode)
    for p in problems:
        print(f"   {p}")
    if problems:
        print(f"check_windows_archive: {args.zip}: {len(problems)} problem(s)")
        return 1
    print(f"check_windows_archive: {args.zip}: {len(EXPECTED)} files, all as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
