// Tokenizes a .seg file with the VS Code extension's TextMate grammar, through the same
// engine VS Code uses (vscode-textmate + vscode-oniguruma), and checks the scopes of
// known tokens. Run by tests/lsp/vscode_package.sh from the extension's node_modules.
//   node vscode_tokenize.js EXTENSION_DIR FILE
'use strict';
const fs = require('fs');
const path = require('path');
const ext = path.resolve(process.argv[2]);
const req = (m) => require(path.join(ext, 'node_modules', m));
const vsctm = req('vscode-textmate');
const oniguruma = req('vscode-oniguruma');

const wasm = fs.readFileSync(path.join(ext, 'node_modules/vscode-oniguruma/release/onig.wasm')).buffer;
const onigLib = oniguruma.loadWASM(wasm).then(() => ({
  createOnigScanner: (p) => new oniguruma.OnigScanner(p),
  createOnigString: (s) => new oniguruma.OnigString(s),
}));
const registry = new vsctm.Registry({
  onigLib,
  loadGrammar: async (scope) => {
    if (scope !== 'source.seg') return null;
    const file = path.join(ext, 'syntaxes/seg.tmLanguage.json');
    return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
  },
});

(async () => {
  const grammar = await registry.loadGrammar('source.seg');
  const text = fs.readFileSync(process.argv[3], 'utf8');
  const scopes = new Map();  // token text -> scopes of its first occurrence
  let rule = vsctm.INITIAL;
  for (const line of text.split('\n')) {
    const r = grammar.tokenizeLine(line, rule);
    for (const t of r.tokens) {
      const s = line.slice(t.startIndex, t.endIndex).trim();
      if (s && !scopes.has(s)) scopes.set(s, t.scopes);
    }
    rule = r.ruleStack;
  }
  const want = [
    ['segment', 'keyword.declaration.seg'],
    ['big_cart', 'entity.name.function.seg'],
    ['Added a cart of $100 or more in the last day', 'string.quoted.double.seg'],
    ['24h', 'constant.numeric.duration.seg'],
    ['10%', 'constant.numeric.percent.seg'],
    ['last', 'support.function.builtin.seg'],
    ['within', 'keyword.control.seg'],
    ['and', 'keyword.operator.word.seg'],
    ['# Big carts in the last day.', 'comment.line.seg'],
    ['description', 'keyword.other.seg'],
    ['tiers', 'keyword.declaration.seg'],
  ];
  let failed = 0;
  for (const [tok, scope] of want) {
    const got = scopes.get(tok) || [];
    if (!got.includes(scope)) {
      console.log(`FAIL: \`${tok}\` has scopes ${JSON.stringify(got)}, expected ${scope}`);
      failed = 1;
    }
  }
  if (!failed) console.log(`ok: ${want.length} tokens have their scopes`);
  process.exit(failed);
})().catch((e) => {
  console.log('FAIL: ' + e.stack);
  process.exit(1);
});
