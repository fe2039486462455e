import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsString, Matches, ValidateNested, validate } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { fieldErrorsFromValidation } from './validation';

class Residence {
  @Matches(/^\d{5}$/)
  communeCode!: string;
}

class Person {
  @IsString()
  fullName!: string;

  @IsInt()
  age!: number;

  @IsDefined()
  @ValidateNested()
  @Type(() => Residence)
  residence!: Residence;

  @ValidateNested({ each: true })
  @Type(() => Residence)
  previous: Residence[] = [];
}

async function errorsFor(plain: object) {
  const errors = await validate(plainToInstance(Person, plain), {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
  });
  return fieldErrorsFromValidation(errors);
}

describe('fieldErrorsFromValidation', () => {
  it('names nested fields by their path, arrays by index', async () => {
    const errors = await errorsFor({ fullName: 1, age: 'x', residence: { communeCode: 'bad' }, previous: [{ communeCode: '06793' }, { communeCode: 7 }] });
    expect(errors.map((error) => error.field).sort()).toEqual(['age', 'fullName', 'previous.1.communeCode', 'residence.communeCode']);
    expect(errors.every((error) => error.message.length > 0)).toBe(true);
  });

  it('names unknown fields at any depth', async () => {
    const errors = await errorsFor({ fullName: 'a', age: 1, residence: { communeCode: '06793', street: 'x' }, extra: true });
    expect(errors.map((error) => error.field).sort()).toEqual(['extra', 'residence.street']);
  });

  it('returns nothing for a valid object', async () => {
    expect(await errorsFor({ fullName: 'a', age: 1, residence: { communeCode: '06793' } })).toEqual([]);
  });

  it('keeps client-chosen field names short', () => {
    const long = 'x'.repeat(500);
    expect(
      fieldErrorsFromValidation([{ property: long, constraints: { whitelistValidation: 'should not exist' }, children: [] }])[0]?.field.length,
    ).toBeLessThanOrEqual(120);
  });
});
