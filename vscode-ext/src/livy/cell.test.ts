import { describe, expect, it } from 'vitest';
import { isLivyCell, LivyCellError, parseLivyCell } from './cell.js';

describe('%%livy cells', () => {
  it('reads the session, the kind and the code', () => {
    expect(parseLivyCell('%%livy\nspark.range(3).count()')).toEqual({
      code: 'spark.range(3).count()'
    });
    expect(parseLivyCell('%%spark -s etl -k spark\nval x = 1\nx + 1')).toEqual({
      session: 'etl',
      kind: 'spark',
      code: 'val x = 1\nx + 1'
    });
    expect(parseLivyCell('%%livy sql -s #4\nSELECT 1')).toEqual({
      session: '#4',
      kind: 'sql',
      code: 'SELECT 1'
    });
    expect(parseLivyCell('print(1)')).toBeUndefined();
    expect(isLivyCell('  %%livy -s a\nx')).toBe(true);
    expect(isLivyCell('%%livyx\nx')).toBe(false);
  });

  it('says what is wrong with a bad first line', () => {
    expect(() => parseLivyCell('%%livy -k python\nx')).toThrow(/unknown kind "python"/);
    expect(() => parseLivyCell('%%livy -s\nx')).toThrow(LivyCellError);
    expect(() => parseLivyCell('%%livy --all\nx')).toThrow(/unknown option "--all"/);
    expect(() => parseLivyCell('%%livy\n  \n')).toThrow(/no code/);
  });
});
