// The service's synchronous work (SQLite writes and reads through better-sqlite3, answers built from them) in
// turns of the event loop, one slice a turn, first come first served (issue 12): however many batches and
// queries wait, a turn runs one of them and then the loop reads the sockets again, so a health check waits
// behind one slice, not behind all of them.
const waiting: Array<() => void> = [];
let pumping = false;

function pump() {
  // One waiter per turn: its continuation (up to its next await of a turn) runs before the next immediate.
  waiting.shift()?.();
  if (waiting.length) {
    setImmediate(pump);
  } else {
    pumping = false;
  }
}

/** Resolves in a later turn of the event loop, after the slices queued before it have each had theirs. */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    if (!pumping) {
      pumping = true;
      setImmediate(pump);
    }
  });
}

/** A yield point for a long loop: `await slice()` waits for a later turn once this one has run `budgetMs`. */
export function slicer(budgetMs = 4): () => Promise<void> {
  let start = performance.now();
  return async () => {
    if (performance.now() - start >= budgetMs) {
      await nextTurn();
      start = performance.now();
    }
  };
}
