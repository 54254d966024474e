export type PhoneKind = 'mobile' | 'office' | 'direct' | 'fax' | 'other';

export interface PhoneNumber {
  number: string;
  kind: PhoneKind;
}

/** What the pipeline stores for one business card. Absent values are null, never invented. */
export interface CardFields {
  name: string | null;
  job_title: string | null;
  company: string | null;
  email: string | null;
  phone_number: string | null;
  phones: PhoneNumber[];
  addr: string | null;
  url: string | null;
}

/** Card fields with every value absent except the ones given. */
export function cardFields(values: Partial<CardFields> = {}): CardFields {
  return {
    name: null,
    job_title: null,
    company: null,
    email: null,
    phone_number: null,
    phones: [],
    addr: null,
    url: null,
    ...values,
  };
}
