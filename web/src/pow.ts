// Solves the server's proof-of-work challenge: finds a solution whose
// SHA-256 over "challenge:solution" starts with `difficulty` zero bits.
// Hashes in parallel batches with Web Crypto, yielding to keep the page live.
function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) { bits += 8; continue; }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

export async function solveChallenge(challenge: string, difficulty: number, onProgress?: (tried: number) => void): Promise<string> {
  if (difficulty <= 0) return '0';
  const encoder = new TextEncoder();
  const batch = 2048;
  for (let start = 0; ; start += batch) {
    const digests = await Promise.all(
      Array.from({ length: batch }, (_, i) => crypto.subtle.digest('SHA-256', encoder.encode(`${challenge}:${start + i}`))),
    );
    for (let i = 0; i < batch; i++) {
      if (leadingZeroBits(new Uint8Array(digests[i])) >= difficulty) return String(start + i);
    }
    onProgress?.(start + batch);
  }
}
