import { describe, expect, it } from 'vitest';
import { emailsClose, nameKey, phoneKey, preferredReading, samePerson } from '../../src/domain/person-id.js';

describe('person identity across cards read with a slip', () => {
  it('keys a name by its words in any order and a phone by its last eight digits', () => {
    expect(nameKey('Kim, Min-jun')).toBe(nameKey('MIN-JUN KIM'));
    expect(nameKey("Seán  O'Brien")).toBe('obrien sean');
    expect(phoneKey('+44 20 7946 0958')).toBe(phoneKey('020 7946 0958'));
    expect(phoneKey('12 34')).toBeUndefined();
  });

  it('takes mailboxes one or two letters apart as one reading, not two similar people', () => {
    expect(emailsClose('padraigo@nordhavn.com', 'padrago@nordhavn.com')).toBe(true);
    expect(emailsClose('jane.doe@acme.com', 'jane.doe@acrne.com')).toBe(true);
    expect(emailsClose('ann@acme.com', 'ben@acme.com')).toBe(false);
    expect(emailsClose('jane.doe@acme.com', 'jane.dee@acrne.com')).toBe(false);
  });

  it('merges on one misread field and keeps namesakes apart', () => {
    const jane = { name: 'Jane Doe', email: 'jane.doe@acme.com', phone_number: '+1 415 555 0134' };
    expect(samePerson(jane, { ...jane, email: 'jane.dce@acme.com' })).toBe(true);
    expect(samePerson(jane, { ...jane, email: null })).toBe(true);
    expect(samePerson(jane, { ...jane, name: 'Jane Dae' })).toBe(true);
    expect(samePerson(jane, { ...jane, name: 'Jone Dae', email: 'jane.dce@acme.com' })).toBe(true);
    // another Jane Doe: other mailbox, or no mailbox and another phone
    expect(samePerson(jane, { ...jane, email: 'jdoe@globex.com' })).toBe(false);
    expect(samePerson(jane, { ...jane, email: null, phone_number: '+1 212 555 0199' })).toBe(false);
    expect(samePerson(jane, { name: 'John Roe', email: 'john.roe@acme.com' })).toBe(false);
  });

  it('keeps the reading of a field that fits the other field, else the newer one', () => {
    const stored = { name: 'Padraig Kelly', email: 'padraigk@nordhavn.com' };
    expect(preferredReading('email', stored, { ...stored, email: 'padragk@nordhavn.com' })).toBe(stored.email);
    expect(preferredReading('email', { ...stored, email: 'padragk@nordhavn.com' }, stored)).toBe(stored.email);
    expect(preferredReading('name', stored, { ...stored, name: 'Padraiq Kelly' })).toBe('Padraig Kelly');
    expect(preferredReading('name', stored, { ...stored, name: null })).toBe('Padraig Kelly');
    expect(preferredReading('email', { ...stored, email: null }, stored)).toBe(stored.email);
  });
});
