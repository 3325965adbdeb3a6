import ts from 'typescript';

export interface Import {
  specifier: string;
  line: number;
}

/** Every module a file names: import/export from, import(), require() — TypeScript's own pre-parser. */
export function importsOf(text: string): Import[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((f) => ({ specifier: f.fileName, line: lineAt(text, f.pos) }));
}

function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
