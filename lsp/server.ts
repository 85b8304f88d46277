/**
 * The language server (docs/architecture.md "roux lsp"): JSON-RPC over the given streams, the
 * open documents kept in sync incrementally, each checked in process as `roux check` checks it.
 * A request never throws into the connection: whatever the checker does with a document, the
 * server answers (with nothing, at worst) and stays up.
 */
import {
  type CodeActionParams,
  CodeActionKind,
  type Connection,
  createConnection,
  DidChangeWatchedFilesNotification,
  type InitializeResult,
  ProposedFeatures,
  type ReferenceParams,
  type RenameParams,
  ResponseError,
  type ServerCapabilities,
  type TextDocumentPositionParams,
  TextDocumentSyncKind,
} from "vscode-languageserver/node";
import type { Analysis } from "./analysis.js";
import { quickFixes } from "./code-actions.js";
import { completionsAt } from "./completion.js";
import { definitionAt } from "./definition.js";
import { documentDiagnostics } from "./diagnostics.js";
import { formattingEdits } from "./formatting.js";
import { hoverAt } from "./hover.js";
import { fileOfUri } from "./locations.js";
import { declarationAt, referencesTo } from "./references.js";
import { fieldAt, fieldReferences } from "./field-references.js";
import { prepareRename, renameEdits } from "./rename.js";
import { SEMANTIC_LEGEND, semanticTokens } from "./semantic-tokens.js";
import { documentSymbols } from "./symbols.js";
import { Workspace } from "./workspace.js";

const CAPABILITIES: ServerCapabilities = {
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
  hoverProvider: true,
  completionProvider: { triggerCharacters: ["."] },
  definitionProvider: true,
  documentFormattingProvider: true,
  documentSymbolProvider: true,
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true },
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

  let watchesFiles = false;
  connection.onInitialize((params): InitializeResult => {
    watchesFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return { capabilities: CAPABILITIES, serverInfo: { name: "roux", version: options.version } };
  });
  connection.onShutdown(() => workspace.dispose());
  // Modules that are not open are read from disk: ask the editor to report their changes.
  connection.onInitialized(() => {
    if (watchesFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: "**/*.recipe" }] });
  });
  connection.onDidChangeWatchedFiles(({ changes }) => workspace.filesChanged(changes.map((c) => fileOfUri(c.uri))));
  workspace.documents.onDidClose(({ document }) => connection.sendDiagnostics({ uri: document.uri, diagnostics: [] }));

  /** Answers a request about a document from its current analysis; a failure is logged and answered with `empty`. */
  const answer = <P extends { textDocument: { uri: string } }, R>(what: string, empty: R, compute: (analysis: Analysis, params: P) => R | Promise<R>) => {
    return async (params: P): Promise<R> => {
      try {
        const analysis = await workspace.analysis(params.textDocument.uri);
        return analysis ? await compute(analysis, params) : empty;
      } catch (error) {
        // A refusal the user should read (a rename of the standard library) goes back as it is.
        if (error instanceof ResponseError) throw error;
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
  connection.onReferences(
    answer("references", [], async (analysis, params: ReferenceParams) => {
      const at = offset(analysis, params.position);
      const target = declarationAt(analysis, at);
      if (target) return referencesTo(await workspace.openAnalyses(), target.declaration, params.context.includeDeclaration);
      const field = fieldAt(analysis, at);
      return field ? fieldReferences(await workspace.openAnalyses(), field) : [];
    }),
  );
  connection.onPrepareRename(
    answer("prepare rename", null, async (analysis, params: TextDocumentPositionParams) =>
      prepareRename(await workspace.openAnalyses(), renameTarget(analysis, offset(analysis, params.position)), analysis),
    ),
  );
  connection.onRenameRequest(
    answer("rename", null, async (analysis, params: RenameParams) =>
      renameEdits(await workspace.openAnalyses(), renameTarget(analysis, offset(analysis, params.position)), params.newName),
    ),
  );
  connection.onCodeAction(answer("code actions", [], (analysis, params: CodeActionParams) => quickFixes(analysis, params.range)));
  connection.languages.semanticTokens.on(answer("semantic tokens", { data: [] }, (analysis) => semanticTokens(analysis)));
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

/** What a rename at the offset would rename: a declaration or an alias, or a field (which is refused). */
function renameTarget(analysis: Analysis, at: number) {
  return declarationAt(analysis, at) ?? fieldAt(analysis, at);
}

function publish(connection: Connection, analysis: Analysis): void {
  try {
    connection.sendDiagnostics({ uri: analysis.uri, version: analysis.version, diagnostics: documentDiagnostics(analysis) });
  } catch (error) {
    connection.console.error(`diagnostics failed on ${analysis.uri}: ${(error as Error).stack ?? String(error)}`);
  }
}
