/** Where the command line writes: lines, and in a terminal a status line kept at the bottom (the progress bar). */
export interface Terminal {
  /** Columns of the terminal a person watches; undefined when the output goes to a pipe or a file. */
  readonly width: number | undefined;
  print(...lines: string[]): void;
  /** The line kept under the others: redrawn in place in a terminal, printed when it changed otherwise. */
  status(line: string): void;
  /** Clears the screen (a terminal only), for a view redrawn in place. */
  clear(): void;
}

/** The process's standard output as a Terminal. */
export function processTerminal(output: NodeJS.WriteStream = process.stdout): Terminal {
  const interactive = output.isTTY === true;
  let shown: string | undefined;
  return {
    get width() {
      return interactive ? output.columns : undefined;
    },
    print(...lines) {
      // In a terminal the status line is taken away, the lines printed, and the status line drawn again under them.
      if (interactive && shown !== undefined) output.write('\r\x1b[2K');
      for (const line of lines) output.write(`${line}\n`);
      if (interactive && shown !== undefined) output.write(shown);
    },
    status(line) {
      if (line === shown) return;
      shown = line;
      output.write(interactive ? `\r\x1b[2K${line}` : `${line}\n`);
    },
    clear() {
      if (interactive) output.write('\x1b[2J\x1b[H');
    },
  };
}
