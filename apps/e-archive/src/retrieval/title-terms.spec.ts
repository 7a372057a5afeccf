import { queryTerms, titleTerms } from './title-terms.js';

describe('title terms for search', () => {
  it('indexes Chinese titles as characters and bigrams, Latin words in lower case', () => {
    const terms = titleTerms('关于印发PDF方案的通知');
    expect(terms).toEqual(expect.arrayContaining(['关于', '于印', '印发', 'pdf', '通知', '知']));
    expect(terms).not.toContain('发P');
  });

  it('asks for every bigram of a Chinese query, and the character alone for one character', () => {
    expect(queryTerms('营商环境')).toEqual(['营商', '商环', '环境']);
    expect(queryTerms('证')).toEqual(['证']);
    expect(queryTerms('Annual  Report, 2025')).toEqual(['annual', 'report', '2025']);
  });

  it('finds a title by any substring of Chinese words: query terms are a subset of title terms', () => {
    const title = titleTerms('某省人民政府办公厅关于优化营商环境的通知');
    for (const q of ['营商环境', '办公厅', '通知', '省']) {
      expect(title).toEqual(expect.arrayContaining(queryTerms(q)));
    }
  });
});
