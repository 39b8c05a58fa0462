// The seg extension for VS Code: the .seg language (grammar and configuration in
// package.json) and `seg lsp` as its language server, through vscode-languageclient.
'use strict';
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration('seg');
  const command = config.get('path') || 'seg';
  const args = ['lsp'];
  const docsUrl = config.get('docsUrl');
  const serverOptions = { command, args, transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [{ scheme: 'file', language: 'seg' }, { scheme: 'untitled', language: 'seg' }],
    // Sibling files are part of a document's program: tell the server when they change.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.seg') },
    initializationOptions: docsUrl ? { docsUrl } : {},
  };
  client = new LanguageClient('seg', 'seg language server', serverOptions, clientOptions);
  client.start();
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
