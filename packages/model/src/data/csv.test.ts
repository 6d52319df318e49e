import { describe, expect, it } from 'vitest';
import { numericColumn, parseCsv, parseTimestamp, stringColumn, timestampColumn } from './csv.js';
import { CsvParseError, DataValueError, MissingColumnError } from './errors.js';

describe('parseCsv', () => {
  it('reads a header and records', () => {
    const t = parseCsv('a,b,c\n1,2,3\n4,5,6\n', { fileName: 'x.csv' });
    expect(t.columns).toEqual(['a', 'b', 'c']);
    expect(t.rows).toEqual([
      ['1', '2', '3'],
      ['4', '5', '6'],
    ]);
    expect(t.lines).toEqual([2, 3]);
  });

  it('handles quotes, escaped quotes, delimiters and line breaks inside quotes', () => {
    const t = parseCsv('name,note\n"Smith, J","said ""hi"""\n"multi\nline",x\nplain,""\n');
    expect(t.rows).toEqual([
      ['Smith, J', 'said "hi"'],
      ['multi\nline', 'x'],
      ['plain', ''],
    ]);
    expect(t.lines).toEqual([2, 3, 5]);
  });

  it('accepts CRLF, CR and a missing final newline, and strips a BOM', () => {
    expect(parseCsv('\uFEFFa,b\r\n1,2\r\n3,4').rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(parseCsv('\uFEFFa,b\r\n1,2').columns).toEqual(['a', 'b']);
    expect(parseCsv('a,b\r1,2\r3,4\r').rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(parseCsv('a,b,c\n,,\n1,,\n1,2,').rows).toEqual([
      ['', '', ''],
      ['1', '', ''],
      ['1', '2', ''],
    ]);
  });

  it('skips blank lines but keeps a quoted empty field in a one-column file', () => {
    const t = parseCsv('a\n1\n\n""\n\n2\n');
    expect(t.rows).toEqual([['1'], [''], ['2']]);
    expect(t.lines).toEqual([2, 4, 6]);
    expect(() => parseCsv('a,b\n1,2\n\n3,4', { skipEmptyLines: false })).toThrow(/row 3: expected 2 fields/);
  });

  it('supports other delimiters and headerless files', () => {
    const t = parseCsv('1;2\n3;4\n', { delimiter: ';', header: false });
    expect(t.columns).toEqual(['1', '2']);
    expect(t.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('names file, row and column in errors', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', { fileName: 'f.csv' })).toThrow(
      'f.csv, row 3: expected 2 fields (as in the header), found 1',
    );
    const unterminated = (() => {
      try {
        parseCsv('a,b\n1,"open\n', { fileName: 'q.csv' });
      } catch (e) {
        return e;
      }
    })();
    expect(unterminated).toBeInstanceOf(CsvParseError);
    expect((unterminated as CsvParseError).row).toBe(2);
    expect((unterminated as CsvParseError).column).toBe(2);
    expect((unterminated as CsvParseError).code).toBe('E_CSV_PARSE');
    expect(() => parseCsv('a,b\n1,x"y\n', { fileName: 'q.csv' })).toThrow(
      'q.csv, row 2, column 2: quote inside',
    );
    expect(() => parseCsv('a,b\n"x"y,1\n', { fileName: 'q.csv' })).toThrow(
      /row 2, column 1: unexpected character 'y'/,
    );
    expect(() => parseCsv('a,a\n1,2\n', { fileName: 'd.csv' })).toThrow(/duplicate column name 'a'/);
    expect(() => parseCsv('', { fileName: 'e.csv' })).toThrow('e.csv: the file is empty');
  });
});

describe('typed columns', () => {
  const table = parseCsv('date,x,y,label\n2020-01-01,1.5,-2,a\n2020-01-02, 3e2 ,NA,b\n', {
    fileName: 't.csv',
  });

  it('reads numbers, strings and timestamps', () => {
    expect(Array.from(numericColumn(table, 'x'))).toEqual([1.5, 300]);
    expect(stringColumn(table, 'label')).toEqual(['a', 'b']);
    expect(Array.from(timestampColumn(table, 'date'))).toEqual([Date.UTC(2020, 0, 1), Date.UTC(2020, 0, 2)]);
    expect(Array.from(numericColumn(table, 'y', { missing: 'nan' }))).toEqual([-2, Number.NaN]);
  });

  it('reports bad values with file, row and column', () => {
    expect(() => numericColumn(table, 'y')).toThrow("t.csv, row 3, column 'y': missing value 'NA'");
    expect(() => numericColumn(table, 'label')).toThrow(DataValueError);
    expect(() => numericColumn(table, 'label')).toThrow("t.csv, row 2, column 'label': 'a' is not a number");
    expect(() => timestampColumn(table, 'label')).toThrow(/'a' is not a date/);
    expect(() => numericColumn(table, 'nope')).toThrow(MissingColumnError);
    expect(() => numericColumn(table, 'nope')).toThrow("columns are 'date', 'x', 'y', 'label'");
  });

  it('reads zone-less ISO date-times as UTC', () => {
    expect(parseTimestamp('2010-01-01T01:00:00')).toBe(Date.UTC(2010, 0, 1, 1));
    expect(parseTimestamp('2010-01-01 01:30')).toBe(Date.UTC(2010, 0, 1, 1, 30));
    expect(parseTimestamp('2010-01-01T01:00:00+01:00')).toBe(Date.UTC(2010, 0, 1, 0));
    expect(parseTimestamp('1517966773840')).toBe(1517966773840);
    expect(parseTimestamp('soon')).toBeNaN();
  });
});
