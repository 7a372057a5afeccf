/**
 * Index terms of a title, for search without an external engine: each Han (and kana/hangul)
 * character and each pair of neighbouring ones (bigrams, the usual unit of CJK full-text
 * search), and each Latin word or number in lower case. A GIN index over these terms answers
 * `title_terms @> query_terms`; the exact substring is then checked on the few rows found.
 */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD = /[\p{L}\p{N}]/u;

export function titleTerms(title: string): string[] {
  const terms = new Set<string>();
  for (const run of runs(title)) {
    if (run.cjk) {
      const chars = [...run.text];
      chars.forEach((c, i) => {
        terms.add(c);
        if (i + 1 < chars.length) terms.add(c + chars[i + 1]!);
      });
    } else {
      terms.add(run.text.toLowerCase());
    }
  }
  return [...terms];
}

/**
 * The terms a query must all match: bigrams for CJK runs longer than one character (their
 * single characters add nothing), the character itself for a one-character run, and words.
 */
export function queryTerms(query: string): string[] {
  const terms = new Set<string>();
  for (const run of runs(query)) {
    if (!run.cjk) {
      terms.add(run.text.toLowerCase());
      continue;
    }
    const chars = [...run.text];
    if (chars.length === 1) terms.add(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) terms.add(chars[i]! + chars[i + 1]!);
  }
  return [...terms];
}

function runs(text: string): { text: string; cjk: boolean }[] {
  const out: { text: string; cjk: boolean }[] = [];
  let current: { text: string; cjk: boolean } | undefined;
  for (const ch of text.normalize('NFKC')) {
    const cjk = CJK.test(ch);
    if (!cjk && !WORD.test(ch)) {
      current = undefined;
      continue;
    }
    if (!current || current.cjk !== cjk) {
      current = { text: '', cjk };
      out.push(current);
    }
    current.text += ch;
  }
  return out;
}

/**
 * The fonds as one more index term (`fonds:J001`, never a title word: titles have no colon
 * terms), so that a title search within a fonds is one GIN lookup instead of a title lookup
 * across every fonds filtered afterwards.
 */
export function fondsTerm(fondsCode: string): string {
  return `fonds:${fondsCode}`;
}
