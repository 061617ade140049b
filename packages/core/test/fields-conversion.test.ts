import { describe, expect, it } from 'vitest';
import { ArrayField, ByteaField, DateField, DateTimeField, FloatField, model, TextField, TimeField } from '../src/index.js';
import { decoderFor, parseArrayLiteral, parseTimestamp } from '../src/types/text-decoders.js';

class Sample extends model('samples', {
  at: DateTimeField(),
  day: DateField(),
  clock: TimeField(),
  ratio: FloatField(),
  texts: ArrayField(TextField({ null: true })),
  blob: ByteaField(),
}) {}

describe('timestamps are parsed from the server text by hand', () => {
  it.each([
    ['2024-02-29 23:59:59.999+00', '2024-02-29T23:59:59.999Z'],
    ['2024-03-01 05:29:59.999+05:30', '2024-02-29T23:59:59.999Z'],
    ['2024-01-01 00:00:00-08', '2024-01-01T08:00:00.000Z'],
    ['2024-01-01 00:00:00.123456+00', '2024-01-01T00:00:00.123Z'],
    ['0001-01-01 05:53:28+05:53:28', '0001-01-01T00:00:00.000Z'],
    ['10000-01-01 05:29:59.999+05:30', '9999-12-31T23:59:59.999Z'],
    ['10000-01-01 06:00:00+00', '+010000-01-01T06:00:00.000Z'],
    ['0044-03-15 12:00:00+00 BC', '-000043-03-15T12:00:00.000Z'],
    ['2024-01-01 00:00:00', '2024-01-01T00:00:00.000Z'],
    ['2024-01-01T00:00:00.5+01', '2023-12-31T23:00:00.500Z'],
    ['2024-01-01 00:00:00.07-03:45', '2024-01-01T03:45:00.070Z'],
    ['2024-01-01 00:00:00.0009+00', '2024-01-01T00:00:00.000Z'],
    ['1900-01-01 00:00:00.999999+00', '1900-01-01T00:00:00.999Z'],
    ['0099-12-31 23:59:59+00', '0099-12-31T23:59:59.000Z'],
    ['0100-01-01 00:00:00+00', '0100-01-01T00:00:00.000Z'],
    ['2024-06-30 12:00:00+00 BC', '-002023-06-30T12:00:00.000Z'],
  ])('%s → %s', (text, iso) => {
    expect(parseTimestamp(text).toISOString()).toBe(iso);
  });

  it('refuses text it does not understand instead of guessing', () => {
    expect(() => parseTimestamp('01/02/2024 10:00')).toThrow(/set DateStyle to ISO/);
    expect(() => parseTimestamp('2024-01-01 0a:00:00+00')).toThrow(/set DateStyle to ISO/);
    expect(() => parseTimestamp('2024-01-01 00:00:00+0x')).toThrow(/set DateStyle to ISO/);
  });

  it('reads every millisecond of a day and every whole-hour offset the same as Date does', () => {
    // The fast path computes with Date.UTC; Date's own ISO parser is the independent reference here.
    for (let ms = 0; ms < 86_400_000; ms += 997_003) {
      for (const offset of [-12, -5, 0, 3, 14]) {
        const local = new Date(Date.UTC(2023, 10, 5) + ms + offset * 3_600_000).toISOString().slice(0, 23).replace('T', ' ');
        const sign = offset < 0 ? '-' : '+';
        const text = `${local}${sign}${String(Math.abs(offset)).padStart(2, '0')}`;
        expect(parseTimestamp(text).getTime(), text).toBe(Date.UTC(2023, 10, 5) + ms);
      }
    }
  });

  it('the timestamptz decoder by OID uses the same parser', () => {
    expect((decoderFor(1184)('1999-12-31 23:59:59.5-01') as Date).toISOString()).toBe('2000-01-01T00:59:59.500Z');
  });
});

describe('array literals', () => {
  it('quoted elements keep quotes, commas, braces, backslashes and the word NULL', () => {
    expect(parseArrayLiteral('{"a,b","c\\"d","{e}","back\\\\slash","NULL",NULL,"",plain}')).toEqual([
      'a,b',
      'c"d',
      '{e}',
      'back\\slash',
      'NULL',
      null,
      '',
      'plain',
    ]);
    expect(parseArrayLiteral('{}')).toEqual([]);
    expect(parseArrayLiteral('{{1,2},{3,NULL}}')).toEqual([
      ['1', '2'],
      ['3', null],
    ]);
  });
});

describe('field conversion', () => {
  it('TimeField normalises to the server form so written equals read', () => {
    const s = new Sample({ clock: '07:08' });
    expect(s.clock).toBe('07:08:00');
    s.clock = '07:08:09.120000';
    expect(s.clock).toBe('07:08:09.12');
    s.clock = '24:00:00';
    expect(s.clock).toBe('24:00:00');
    expect(() => {
      s.clock = '24:00:01';
    }).toThrow(/time of day/);
    expect(() => {
      s.clock = '12:60';
    }).toThrow(/time of day/);
  });

  it('DateField accepts real calendar days and Dates (UTC day)', () => {
    const s = new Sample({ day: '2024-02-29' });
    expect(s.day).toBe('2024-02-29');
    s.day = new Date('2024-03-01T00:30:00Z') as unknown as string;
    expect(s.day).toBe('2024-03-01');
    for (const bad of ['2023-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00']) {
      expect(() => {
        s.day = bad;
      }, bad).toThrow(/YYYY-MM-DD/);
    }
  });

  it('FloatField keeps the sign of negative zero on the way to the driver', () => {
    expect(Sample.ratio.toParam(-0)).toBe('-0');
    expect(Sample.ratio.toParam(1.5)).toBe(1.5);
    expect(Object.is(Sample.ratio.fromDb('-0'), -0)).toBe(true);
  });

  it('ByteaField decodes the hex format and refuses the escape format', () => {
    expect(Sample.blob.fromDb('\\x00ff10')).toEqual(Buffer.from([0, 255, 16]));
    expect(() => Sample.blob.fromDb('abc')).toThrow(/bytea_output = 'hex'/);
  });

  it('ArrayField validates each element and names its position', () => {
    expect(() => new Sample({ texts: ['a', 3 as unknown as string] })).toThrow(/^Sample\.texts: element 1: expected a string/);
  });
});
