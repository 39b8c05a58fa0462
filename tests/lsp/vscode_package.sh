#!/usr/bin/env bash
# The VS Code extension (editors/vscode/) packages into a .vsix with npm tooling (label
# `editor;heavy`): `npm ci` from the committed package-lock.json (node_modules and the
# npm cache kept under the build folder, redone only when the lock file changes), then
# `vsce package`. The .vsix (a zip) must hold the manifest, the entry point, the grammar,
# the language configuration and the language client; the grammar must tokenize a rule
# file the way VS Code would (vscode-textmate + vscode-oniguruma).
#
#   tests/lsp/vscode_package.sh SOURCE_DIR WORK_DIR
set -u
src=$1/editors/vscode
work=$2
here=$(cd "$(dirname "$0")" && pwd)
command -v npm >/dev/null || { echo "FAIL: npm is not installed"; exit 1; }
mkdir -p "$work"
ext=$work/ext
stamp=$(sha256sum "$src/package-lock.json" | cut -c1-64)
if [ "$(cat "$work/lock.sha256" 2>/dev/null)" != "$stamp" ] || [ ! -d "$ext/node_modules" ]; then
  rm -rf "$ext" && mkdir -p "$ext"
  cp "$src/package.json" "$src/package-lock.json" "$ext/"
  # --ignore-scripts: packaging needs no native module (keytar is for publishing).
  (cd "$ext" && npm ci --ignore-scripts --cache "$work/npm-cache" --prefer-offline --no-audit --no-fund) \
    >"$work/npm.log" 2>&1 || { echo "FAIL: npm ci"; tail -20 "$work/npm.log"; exit 1; }
  echo "$stamp" >"$work/lock.sha256"
fi
# The extension's own files, fresh every run.
for f in package.json extension.js language-configuration.json README.md .vscodeignore; do cp "$src/$f" "$ext/"; done
rm -rf "$ext/syntaxes" && cp -r "$src/syntaxes" "$ext/syntaxes"
rm -f "$ext/seg.vsix"
(cd "$ext" && npx --no-install vsce package --skip-license -o seg.vsix) >"$work/vsce.log" 2>&1 \
  || { echo "FAIL: vsce package"; tail -20 "$work/vsce.log"; exit 1; }
failed=0
node --check "$ext/extension.js" || { echo "FAIL: extension.js does not parse"; failed=1; }
python3 - "$ext/seg.vsix" <<'PY' || failed=1
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = set(z.namelist())
need = ["extension/package.json", "extension/extension.js", "extension/syntaxes/seg.tmLanguage.json",
        "extension/language-configuration.json", "extension/node_modules/vscode-languageclient/node.js",
        "extension.vsixmanifest"]
missing = [n for n in need if n not in names]
manifest = json.loads(z.read("extension/package.json"))
grammar = json.loads(z.read("extension/syntaxes/seg.tmLanguage.json"))
bad = []
if missing: bad.append(f"missing from the .vsix: {missing}")
if manifest["main"] != "./extension.js": bad.append("main is not ./extension.js")
if manifest["contributes"]["grammars"][0]["scopeName"] != grammar["scopeName"]: bad.append("grammar scope mismatch")
if any(n.startswith("extension/node_modules/@vscode/vsce/") for n in names): bad.append("build tools were packaged")
for b in bad: print("FAIL:", b)
print(f"{'ok' if not bad else 'FAIL'}: seg.vsix holds {len(names)} files")
sys.exit(1 if bad else 0)
PY
node "$here/vscode_tokenize.js" "$ext" "$here/rules/segments.seg" || failed=1
exit $failed
