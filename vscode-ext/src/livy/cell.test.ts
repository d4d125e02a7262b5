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
    expect(parseLivyCell('%%livy -o df -n 2500\ndf = spark.range(10**5)')).toEqual({
      output: 'df',
      maxRows: 2500,
      code: 'df = spark.range(10**5)'
    });
    expect(parseLivyCell('%%livy sql -o t --all\nSELECT 1')).toEqual({
      kind: 'sql',
      output: 't',
      code: 'SELECT 1'
    });
    expect(parseLivyCell('%%livy sql -n 10\nSELECT 1')).toEqual({
      kind: 'sql',
      maxRows: 10,
      code: 'SELECT 1'
    });
    expect(isLivyCell('  %%livy -s a\nx')).toBe(true);
    expect(isLivyCell('%%livyx\nx')).toBe(false);
  });

  it('says what is wrong with a bad first line', () => {
    expect(() => parseLivyCell('%%livy -k python\nx')).toThrow(/unknown kind "python"/);
    expect(() => parseLivyCell('%%livy -s\nx')).toThrow(LivyCellError);
    expect(() => parseLivyCell('%%livy --bogus\nx')).toThrow(/unknown option "--bogus"/);
    expect(() => parseLivyCell('%%livy --all\nx')).toThrow(/--all goes with -o NAME/);
    expect(() => parseLivyCell('%%livy -o df.x\nx')).toThrow(/variable name/);
    expect(() => parseLivyCell('%%livy -o df -n ten\nx')).toThrow(/row count/);
    expect(() => parseLivyCell('%%livy -o df -n 5 --all\nx')).toThrow(/do not go together/);
    expect(() => parseLivyCell('%%livy -k spark -o df\nval df = spark.range(3)')).toThrow(
      /createOrReplaceTempView/
    );
    expect(() => parseLivyCell('%%livy\n  \n')).toThrow(/no code/);
  });
});
