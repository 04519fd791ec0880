import { ValidateBy, type ValidationOptions } from 'class-validator';

/** Every `key` of a list of tags is unique. */
export function HasUniqueKeys(key: string, validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'hasUniqueKeys',
      validator: {
        validate: (value: unknown) => {
          if (!Array.isArray(value)) return true;
          const keys = value.map((item) => (item && typeof item === 'object' ? (item as Record<string, unknown>)[key] : item));
          return new Set(keys).size === keys.length;
        },
        defaultMessage: () => `$property must not repeat a ${key}`,
      },
    },
    validationOptions,
  );
}

/** At least one element of the list has `predicate` true. */
export function SomeItem(predicate: (item: Record<string, unknown>) => boolean, message: string): PropertyDecorator {
  return ValidateBy({
    name: 'someItem',
    validator: {
      validate: (value: unknown) => !Array.isArray(value) || value.some((item) => item && typeof item === 'object' && predicate(item)),
      defaultMessage: () => `$property ${message}`,
    },
  });
}

/** The property may not be given together with `other`. */
export function NotTogetherWith(other: string): PropertyDecorator {
  return ValidateBy({
    name: 'notTogetherWith',
    validator: {
      validate: (value: unknown, args) => value === undefined || (args?.object as Record<string, unknown>)[other] === undefined,
      defaultMessage: () => `$property cannot be given together with ${other}`,
    },
  });
}
