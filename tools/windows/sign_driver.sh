#!/bin/bash
# Test-signs kernel drivers for a Windows machine in test-signing mode.
#
# usage: tools/windows/sign_driver.sh DRIVER.sys [...]
#
# Makes a self-signed code-signing certificate on first use (kept in
# $NTRUNDOWN_CERT_DIR, default build/test-cert/) and writes each signed
# driver under its own name into a signed/ folder beside it (drivers import
# ntrundown.sys by name).  The cross builds sign the drivers of their
# archive for Windows with it (tools/windows/archive.py), whose
# run-tests.cmd /install-cert does the certutil steps below.  On the Windows
# machine, once:
#   bcdedit /set testsigning on        (then reboot)
#   certutil -addstore Root ntrundown-test.cer
#   certutil -addstore TrustedPublisher ntrundown-test.cer
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
dir=${NTRUNDOWN_CERT_DIR:-$top/build/test-cert}
[ $# -ge 1 ] || { echo "usage: $0 DRIVER.sys [...]" >&2; exit 2; }
for tool in openssl osslsigncode; do
    command -v "$tool" >/dev/null || { echo "sign-driver: needs $tool (apt-get install $tool)" >&2; exit 1; }
done

mkdir -p "$dir"
if [ ! -f "$dir/ntrundown-test.key" ]; then
    openssl req -x509 -newkey rsa:3072 -nodes -sha256 -days 3650 \
        -subj "/CN=ntrundown test signing" \
        -addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=codeSigning" \
        -keyout "$dir/ntrundown-test.key" -out "$dir/ntrundown-test.pem" 2>/dev/null
    openssl x509 -in "$dir/ntrundown-test.pem" -outform der -out "$dir/ntrundown-test.cer"
    echo "sign-driver: new certificate $dir/ntrundown-test.cer"
fi

for sys in "$@"; do
    mkdir -p "$(dirname "$sys")/signed"
    out="$(dirname "$sys")/signed/$(basename "$sys")"
    osslsigncode sign -certs "$dir/ntrundown-test.pem" -key "$dir/ntrundown-test.key" -h sha256 \
        -n "ntrundown" -in "$sys" -out "$out" >/dev/null
    osslsigncode verify -CAfile "$dir/ntrundown-test.pem" -in "$out" >/dev/null
    echo "sign-driver: $out"
done
