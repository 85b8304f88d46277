// The extension: starts `roux lsp` over stdio for recipe files (language `roux`) and stops it
// with the window. Everything the editor shows beyond highlighting comes from the server.
const { workspace } = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate() {
  const command = workspace.getConfiguration("roux").get("path") || "roux";
  const server = { command, args: ["lsp"], transport: TransportKind.stdio };
  client = new LanguageClient(
    "roux",
    "Roux",
    { run: server, debug: server },
    {
      documentSelector: [
        { scheme: "file", language: "roux" },
        { scheme: "untitled", language: "roux" },
      ],
    },
  );
  return client.start();
}

function deactivate() {
  return client?.stop();
}

module.exports = { activate, deactivate };
