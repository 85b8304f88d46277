/**
 * The language server (docs/architecture.md "roux lsp"): JSON-RPC over the given streams, the
 * open documents kept in sync incrementally, each checked in process as `roux check` checks it.
 * A request never throws into the connection: whatever the checker does with a document, the
 * server answers (with nothing, at worst) and stays up.
 */
import {
  type Connection,
  createConnection,
  type InitializeResult,
  ProposedFeatures,
  type ServerCapabilities,
  type TextDocumentPositionParams,
  TextDocumentSyncKind,
} from "vscode-languageserver/node";
import type { Analysis } from "./analysis.js";
import { completionsAt } from "./completion.js";
import { definitionAt } from "./definition.js";
import { documentDiagnostics } from "./diagnostics.js";
import { formattingEdits } from "./formatting.js";
import { hoverAt } from "./hover.js";
import { documentSymbols } from "./symbols.js";
import { Workspace } from "./workspace.js";

const CAPABILITIES: ServerCapabilities = {
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
  hoverProvider: true,
  completionProvider: { triggerCharacters: ["."] },
  definitionProvider: true,
  documentFormattingProvider: true,
  documentSymbolProvider: true,
};

export interface ServerOptions {
  env: NodeJS.ProcessEnv;
  version: string;
}

/** Serves until the client sends `exit` or closes the input; resolves when the connection ends. */
export function startServer(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, options: ServerOptions): Promise<void> {
  const connection = createConnection(ProposedFeatures.all, input, output);
  const workspace = new Workspace(options.env, (analysis) => publish(connection, analysis));
  const ended = new Promise<void>((resolve) => connection.onExit(resolve));

  connection.onInitialize(
    (): InitializeResult => ({
      capabilities: CAPABILITIES,
      serverInfo: { name: "roux", version: options.version },
    }),
  );
  connection.onShutdown(() => workspace.dispose());
  workspace.documents.onDidClose(({ document }) => connection.sendDiagnostics({ uri: document.uri, diagnostics: [] }));

  /** Answers a request about a document from its current analysis; a failure is logged and answered with `empty`. */
  const answer = <P extends { textDocument: { uri: string } }, R>(what: string, empty: R, compute: (analysis: Analysis, params: P) => R) => {
    return async (params: P): Promise<R> => {
      try {
        const analysis = await workspace.analysis(params.textDocument.uri);
        return analysis ? compute(analysis, params) : empty;
      } catch (error) {
        connection.console.error(`${what} failed on ${params.textDocument.uri}: ${(error as Error).stack ?? String(error)}`);
        return empty;
      }
    };
  };
  const offset = (analysis: Analysis, position: { line: number; character: number }) => workspace.documents.get(analysis.uri)?.offsetAt(position) ?? 0;

  connection.onHover(answer("hover", null, (analysis, params: TextDocumentPositionParams) => hoverAt(analysis, offset(analysis, params.position))));
  connection.onDefinition(
    answer("definition", null, (analysis, params: TextDocumentPositionParams) => definitionAt(analysis, offset(analysis, params.position))),
  );
  connection.onCompletion(
    answer("completion", [], (analysis, params: TextDocumentPositionParams) => {
      const program = analysis.root?.result ? analysis.program : workspace.lastChecked(analysis.uri)?.program;
      return completionsAt(analysis.text, offset(analysis, params.position), program);
    }),
  );
  connection.onDocumentSymbol(answer("document symbols", [], (analysis) => documentSymbols(analysis)));
  connection.onDocumentFormatting(
    answer("formatting", [], (analysis) => {
      const document = workspace.documents.get(analysis.uri);
      return document ? formattingEdits(document) : [];
    }),
  );

  workspace.documents.listen(connection);
  connection.listen();
  return ended;
}

function publish(connection: Connection, analysis: Analysis): void {
  try {
    connection.sendDiagnostics({ uri: analysis.uri, version: analysis.version, diagnostics: documentDiagnostics(analysis) });
  } catch (error) {
    connection.console.error(`diagnostics failed on ${analysis.uri}: ${(error as Error).stack ?? String(error)}`);
  }
}
