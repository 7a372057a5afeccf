import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Control, format (bidi overrides, zero-width characters), line/paragraph separators,
 * private-use, surrogate and unassigned code points: none belongs in a name that is printed
 * on a seal or a license, or shown to a person who must be able to read all of it.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}\p{Zl}\p{Zp}]/u;
const VISIBLE = /[^\p{White_Space}]/u;

/** Whether `value` is a string a reader sees in full: something visible, nothing hidden. */
export function isDisplayText(value: unknown): value is string {
  return typeof value === 'string' && VISIBLE.test(value) && !HIDDEN.test(value);
}

/**
 * class-validator decorator for names and titles: refuses control and invisible characters
 * (U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH SPACE, ...) and blank strings.
 */
export function IsDisplayText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDisplayText',
      validator: {
        validate: (value: unknown) => isDisplayText(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be visible text without control or invisible characters`,
      },
    },
    options,
  );
}
