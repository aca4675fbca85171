#!/usr/bin/env bash
# Makes password-vectors.tsv with tools independent of jemq: openssl, python3 hashlib, htpasswd -B (apache2-utils).
# Columns: password_hash setting, password, salt ("-" = none), stored value. Run from this folder; bcrypt salts are
# random, so a new run gives new bcrypt rows (all equally valid).
set -euo pipefail
out=password-vectors.tsv
{
    printf '# made by make-password-vectors.sh: openssl %s, python3 hashlib, htpasswd -B\n' "$(openssl version | cut -d' ' -f2)"
    for pw in public 'pässwörd' 'x'"'"' or '"'"'1'"'"'='"'"'1' ''; do
        printf 'plain\t%s\t-\t%s\n' "$pw" "$pw"
        for h in md5 sha1 sha256 sha512; do
            name=$h; [[ $h == sha1 ]] && name=sha
            printf '%s\t%s\t-\t%s\n' "$name" "$pw" "$(printf '%s' "$pw" | openssl dgst -"$h" -r | cut -d' ' -f1)"
        done
    done
    for h in md5 sha1 sha256 sha512; do
        name=$h; [[ $h == sha1 ]] && name=sha
        printf 'salt,%s\t%s\t%s\t%s\n' "$name" public salt42 "$(printf '%s' salt42public | openssl dgst -"$h" -r | cut -d' ' -f1)"
        printf '%s,salt\t%s\t%s\t%s\n' "$name" public salt42 "$(printf '%s' publicsalt42 | openssl dgst -"$h" -r | cut -d' ' -f1)"
        printf 'salt %s\t%s\t%s\t%s\n' "$name" secret ab "$(printf '%s' absecret | openssl dgst -"$h" -r | cut -d' ' -f1)"
        printf '%s salt\t%s\t%s\t%s\n' "$name" secret ab "$(printf '%s' secretab | openssl dgst -"$h" -r | cut -d' ' -f1)"
    done
    python3 - <<'PY'
import hashlib
for mac, it, dk, pw, salt in [("sha256", 1000, 20, "public", "salt"), ("sha", 1, 20, "password", "salt"),
                              ("sha", 4096, 20, "password", "salt"), ("sha512", 100, 64, "pässwörd", "NaCl"),
                              ("md5", 10, 16, "public", "s"), ("sha256", 2, 40, "public", "longer-than-one-block"),
                              ("sha384", 3, 48, "", "empty-password")]:
    name = {"sha": "sha1"}.get(mac, mac)
    print("pbkdf2,%s,%d,%d\t%s\t%s\t%s" % (mac, it, dk, pw, salt,
          hashlib.pbkdf2_hmac(name, pw.encode(), salt.encode(), it, dk).hex()))
PY
    for pw in public 'pässwörd' 'a-password-that-is-longer-than-seventy-two-bytes-so-bcrypt-cuts-it-off-somewhere-here'; do
        printf 'bcrypt\t%s\t-\t%s\n' "$pw" "$(htpasswd -nbB -C 5 u "$pw" | cut -d: -f2)"
    done
    hash=$(htpasswd -nbB -C 4 u public | cut -d: -f2)
    printf 'salt,bcrypt\t%s\t%s\t%s\n' public "${hash:0:29}" "$hash"
} >"$out"
