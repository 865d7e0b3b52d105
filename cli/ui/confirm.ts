// A yes/no question on the terminal (only ever asked when one is there). Anything but y/yes is no.
import { createInterface } from 'node:readline/promises';

export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^(y|yes|ya)$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
