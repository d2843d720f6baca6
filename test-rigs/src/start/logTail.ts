// Follows a log file another process appends to (the gateway's), line by line, so the
// terminal can show the moments only that process sees (an ack written to a post's link).

import { closeSync, openSync, readSync, statSync } from 'node:fs';

export function followLog(path: string, onLine: (line: string) => void): () => void {
  let offset = safeSize(path);
  let partial = '';
  const timer = setInterval(() => {
    const size = safeSize(path);
    if (size <= offset) return;
    const buffer = Buffer.alloc(size - offset);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, offset);
    } finally {
      closeSync(fd);
    }
    offset = size;
    const lines = (partial + buffer.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  }, 300);
  return () => clearInterval(timer);
}

function safeSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
