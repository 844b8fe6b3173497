/**
 * `npm run drill | head` closes stdout after ten lines; Node then fails the next write with EPIPE,
 * and an unhandled 'error' event ends the process with a stack trace. Once the reader is gone, drop
 * what would have been printed and let the drill finish (its report files are still written and its
 * exit status still says whether the invariants held). Other stream errors stay fatal.
 */
export function tolerateClosedStdout(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    stream.write = (() => true) as typeof stream.write;
  });
}
