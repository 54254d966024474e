/**
 * Who is on the cards: names in many forms, titles, companies, addresses, phones, emails and web addresses.
 * The development set draws from the even entries of each pool; the held-out set from pools of its own
 * (`people-holdout.ts`) or, where a pool has no counterpart there (family names of Korea, China, Japan, names with
 * particles), from the odd entries: it holds other people, companies, streets and titles than the set the
 * extractor is tuned on. The validation set has pools of its own too (`people-validation.ts`; the even entries
 * where it has none): other words than the development set's, open to card-by-card reading while tuning.
 */
import type { PhoneKind } from '../../src/domain/card-fields.js';
import * as heldOut from './people-holdout.js';
import * as validation from './people-validation.js';
import type { Rng } from './rng.js';

export type SetName = 'dev' | 'validation' | 'holdout';
export type Country =
  | 'US'
  | 'UK'
  | 'IE'
  | 'CA'
  | 'AU'
  | 'DE'
  | 'NL'
  | 'FR'
  | 'ES'
  | 'KR'
  | 'JP'
  | 'CN'
  | 'SG'
  | 'MY'
  | 'IN';

export interface Phone {
  kind: PhoneKind;
  number: string;
}

export interface Person {
  id: string;
  /** As printed on the card. */
  name: string;
  nameForm: string;
  title: string;
  /** As printed on the card. */
  company: string;
  country: Country;
  domain: string;
  email: string;
  phones: Phone[];
  /** Address lines as printed; null when the card has none. */
  address: string[] | null;
  url: string | null;
}

/** Entries of `list` that belong to `set`. */
function half<T>(list: readonly T[], set: SetName): T[] {
  const own = set === 'dev' ? undefined : poolsOf(set).get(list);
  if (own) return own as T[];
  return list.filter((_, i) => i % 2 === (set === 'holdout' ? 1 : 0));
}

const ENGLISH_GIVEN = [
  'Emma',
  'Oliver',
  'Grace',
  'Nathan',
  'Chloe',
  'Marcus',
  'Hannah',
  'Owen',
  'Leah',
  'Caleb',
  'Ruby',
  'Declan',
  'Isabel',
  'Felix',
  'Tessa',
  'Gavin',
  'Naomi',
  'Russell',
  'Abigail',
  'Spencer',
  'Violet',
  'Damian',
  'Heidi',
  'Graham',
  'Lydia',
  'Trevor',
  'Paige',
  'Wesley',
  'Molly',
  'Curtis',
  'Audrey',
  'Preston',
];
const ENGLISH_FAMILY = [
  'Whitaker',
  'Holloway',
  'Pennington',
  'Ashby',
  'Caldwell',
  'Sinclair',
  'Thornbury',
  'Galloway',
  'Redfern',
  'Lockhart',
  'Marlowe',
  'Fairbanks',
  'Kingsley',
  'Hadley',
  'Prescott',
  'Winslow',
  'Bramwell',
  'Chadwick',
  'Ellison',
  'Fenwick',
  'Garrison',
  'Hollis',
  'Kendrick',
  'Langford',
  'Merriman',
  'Norwood',
  'Oakley',
  'Pryor',
];
const APOSTROPHE_FAMILY = [
  "O'Brien",
  "O'Connor",
  "O'Sullivan",
  "D'Angelo",
  "O'Neill",
  "D'Souza",
  "O'Hara",
  "O'Donnell",
  "D'Arcy",
  "O'Malley",
  "N'Diaye",
  "O'Rourke",
  "D'Amico",
  "O'Keefe",
];
const IRISH_GIVEN = ['Sean', 'Aoife', 'Ciaran', 'Niamh', 'Eoin', 'Orla', 'Cormac', 'Maeve', 'Padraig', 'Roisin'];
const HYPHEN_GIVEN = [
  'Anne-Marie',
  'Jean-Luc',
  'Mary-Kate',
  'Jean-Pierre',
  'Marie-Claire',
  'Hans-Peter',
  'Lisa-Marie',
  'Karl-Heinz',
  'Sarah-Jane',
  'Jean-Michel',
];
const HYPHEN_FAMILY = [
  'Dubois-Leclerc',
  'Smith-Jones',
  'Garcia-Lopez',
  'Harper-Reed',
  'Fraser-Hughes',
  'Ortiz-Mena',
  'Baker-Whitfield',
  'Moreau-Blanc',
  'Lang-Fischer',
  'Hill-Wood',
];
/** Given name, family name with its particle. */
const PARTICLE_NAMES: Array<[string[], string[]]> = [
  [
    ['Pieter', 'Sanne', 'Joost', 'Femke', 'Maarten', 'Lotte'],
    ['van der Berg', 'van den Broek', 'de Vries', 'van Leeuwen', 'ter Horst', 'van der Linde'],
  ],
  [
    ['Maria', 'Carlos', 'Lucia', 'Javier', 'Elena', 'Diego'],
    ['de la Cruz', 'de la Fuente', 'del Rio', 'de la Vega', 'de los Santos', 'de la Torre'],
  ],
  [
    ['Ahmad', 'Farid', 'Hafiz', 'Rizal', 'Amir', 'Iskandar'],
    ['bin Ismail', 'bin Osman', 'bin Yusof', 'bin Abdullah', 'bin Hamid', 'bin Zakaria'],
  ],
  [
    ['Rafael', 'Beatriz', 'Tiago', 'Mariana', 'Bruno', 'Larissa'],
    ['da Silva', 'dos Santos', 'da Costa', 'de Souza', 'da Rocha', 'dos Reis'],
  ],
  [
    ['Ludwig', 'Clara', 'Moritz', 'Helena', 'Konrad', 'Amelie'],
    ['von Stein', 'von Hagen', 'von Bergen', 'von Arnim', 'von Falken', 'von Lindau'],
  ],
];
const INITIAL_FAMILY = [
  'Hartley',
  'Foster',
  'Lindqvist',
  'Okonkwo',
  'Brennan',
  'Castellano',
  'Mwangi',
  'Rasmussen',
  'Delacroix',
  'Sorensen',
];
const INDIAN_NAMES: Array<[string, string]> = [
  ['Priya', 'Raghunathan'],
  ['Arjun', 'Mehta'],
  ['Kavya', 'Iyer'],
  ['Rohan', 'Deshpande'],
  ['Ananya', 'Krishnan'],
  ['Vikram', 'Nair'],
  ['Meera', 'Subramanian'],
  ['Aditya', 'Kulkarni'],
  ['Sneha', 'Banerjee'],
  ['Karthik', 'Venkatesan'],
];
const AFRICAN_NAMES: Array<[string, string]> = [
  ['Chidi', 'Okafor'],
  ['Amara', 'Nwosu'],
  ['Kwame', 'Mensah'],
  ['Thandiwe', 'Dlamini'],
  ['Tendai', 'Moyo'],
  ['Folake', 'Adeyemi'],
  ['Kofi', 'Asante'],
  ['Zanele', 'Khumalo'],
  ['Emeka', 'Eze'],
  ['Wanjiru', 'Kamau'],
];
const KOREAN_FAMILY = [
  'Kim',
  'Lee',
  'Park',
  'Choi',
  'Jung',
  'Kang',
  'Cho',
  'Yoon',
  'Jang',
  'Lim',
  'Han',
  'Shin',
  'Seo',
  'Kwon',
  'Hwang',
  'Ahn',
];
const KOREAN_GIVEN = [
  'Min-jun',
  'Seo-yeon',
  'Ji-ho',
  'Ha-eun',
  'Do-hyun',
  'Su-bin',
  'Jae-won',
  'Ye-jin',
  'Hyun-woo',
  'Eun-ji',
  'Sung-min',
  'Yu-na',
  'Tae-yang',
  'Hye-jin',
  'Joon-ho',
  'Da-eun',
];
const CHINESE_FAMILY = [
  'Wang',
  'Li',
  'Zhang',
  'Liu',
  'Chen',
  'Yang',
  'Huang',
  'Zhao',
  'Wu',
  'Zhou',
  'Xu',
  'Sun',
  'Ma',
  'Zhu',
  'Hu',
  'Guo',
  'Lin',
  'He',
  'Gao',
  'Luo',
];
const CHINESE_GIVEN = [
  'Xiaoming',
  'Wei',
  'Jing',
  'Hao',
  'Yifan',
  'Meilin',
  'Zihan',
  'Jiahui',
  'Haoran',
  'Xinyi',
  'Yuting',
  'Jun',
  'Lei',
  'Fang',
  'Qiang',
  'Yan',
];
const JAPANESE_FAMILY = [
  'Tanaka',
  'Suzuki',
  'Takahashi',
  'Watanabe',
  'Ito',
  'Yamamoto',
  'Nakamura',
  'Kobayashi',
  'Kato',
  'Yoshida',
  'Yamada',
  'Sasaki',
  'Matsumoto',
  'Inoue',
  'Kimura',
  'Hayashi',
];
const JAPANESE_GIVEN = [
  'Hiroshi',
  'Yuki',
  'Kenji',
  'Akiko',
  'Takumi',
  'Haruka',
  'Daisuke',
  'Naoko',
  'Sho',
  'Emi',
  'Ryota',
  'Ayaka',
  'Kenta',
  'Mai',
];

const TITLES = [
  'Senior Software Engineer',
  'Director, Product Marketing',
  'Account Executive',
  'Vice President, Global Sales',
  'Chief Financial Officer',
  'Partner, Tax Advisory',
  'Data Scientist',
  'Senior Manager, Cloud Infrastructure',
  'Head of Design, EMEA',
  'Office Manager',
  'Principal Architect',
  'Manager, Customer Success',
  'Business Development Manager',
  'Associate, Corporate Finance',
  'Lead UX Researcher',
  'Director of Operations',
  'Founder & CEO',
  'Senior Consultant, Risk Advisory',
  'Marketing Coordinator',
  'Staff Engineer, Payments',
  'Chief Operating Officer',
  'Regional Sales Manager',
  'Project Manager',
  'Head of People',
  'Legal Counsel',
  'Analyst, Equity Research',
  'Product Owner',
  'VP, Engineering',
  'Creative Director',
  'Procurement Specialist',
  'Supply Chain Analyst',
  'General Manager, Asia Pacific',
  'Research Scientist',
  'Senior Associate',
  'Brand Strategist',
  'Managing Partner',
  'Financial Controller',
  'Site Reliability Engineer',
  'Director, Investor Relations',
  'Talent Acquisition Lead',
  'Security Engineer',
  'Technical Writer',
  'Executive Assistant to the CEO',
  'Sales Engineer',
  'Clinical Research Associate',
  'Interior Designer',
  'Head of Partnerships',
  'Quantity Surveyor',
];

const COMPANY_STEMS = [
  'Bluestone',
  'Kestrel',
  'Northgate',
  'Ironbark',
  'Silverline',
  'Harbourview',
  'Meridian',
  'Cobalt',
  'Lanternfish',
  'Brightwater',
  'Juniper',
  'Quarry Hill',
  'Tidewater',
  'Oakridge',
  'Falconer',
  'Granite Peak',
  'Saltmarsh',
  'Windmill',
  'Copperleaf',
  'Starling',
  'Redkite',
  'Ashgrove',
  'Vantage',
  'Pinecrest',
  'Clearwater',
  'Lumen',
  'Arclight',
  'Halcyon',
  'Sable',
  'Verdant',
  'Hanbit',
  'Gaon',
  'Haneul',
  'Mirae',
  'Hikari',
  'Tsubasa',
  'Kaizen',
  'Asahi',
  'Longmen',
  'Jinhua',
  'Merlion',
  'Pelangi',
  'Nordhavn',
  'Zilverberg',
  'Lindenhof',
  'Rheinwerk',
  'Boreal',
  'Solenne',
  'Alameda',
  'Cascadia',
  'Ember',
  'Fjord',
  'Glacier',
  'Helix',
  'Indigo',
  'Jadeite',
];
const SECTORS = [
  'Analytics',
  'Robotics',
  'Logistics',
  'Capital',
  'Partners',
  'Design',
  'Labs',
  'Health',
  'Foods',
  'Energy',
  'Software',
  'Consulting',
  'Architects',
  'Legal',
  'Biotech',
  'Media',
  'Systems',
  'Networks',
  'Ventures',
  'Studio',
  'Materials',
  'Insights',
  'Mobility',
  'Security',
];
const LEGAL_FORMS: Record<Country, string[]> = {
  US: ['Inc.', 'LLC', 'Corp.'],
  CA: ['Inc.', 'Ltd.'],
  UK: ['Ltd', 'Limited', 'LLP', 'plc'],
  IE: ['Ltd', 'DAC'],
  AU: ['Pty Ltd'],
  DE: ['GmbH', 'AG', 'GmbH & Co. KG'],
  NL: ['B.V.', 'N.V.'],
  FR: ['SAS', 'SARL'],
  ES: ['S.L.', 'S.A.'],
  KR: ['Co., Ltd.', 'Inc.'],
  JP: ['K.K.', 'Co., Ltd.'],
  CN: ['Co., Ltd.'],
  SG: ['Pte. Ltd.'],
  MY: ['Sdn. Bhd.'],
  IN: ['Pvt. Ltd.'],
};
const TLD: Record<Country, string[]> = {
  US: ['com', 'io', 'co'],
  CA: ['ca', 'com'],
  UK: ['co.uk', 'com'],
  IE: ['ie', 'com'],
  AU: ['com.au'],
  DE: ['de', 'com'],
  NL: ['nl', 'com'],
  FR: ['fr', 'com'],
  ES: ['es', 'com'],
  KR: ['co.kr', 'com', 'kr'],
  JP: ['co.jp', 'jp', 'com'],
  CN: ['cn', 'com.cn', 'com'],
  SG: ['com.sg', 'sg'],
  MY: ['com.my', 'my'],
  IN: ['in', 'co.in', 'com'],
};

interface Name {
  printed: string;
  form: string;
  /** ASCII lower-case pieces for the mailbox. */
  given: string;
  family: string;
  familyFirstCulture: boolean;
}

const ascii = (s: string) => s.toLowerCase().replace(/[^a-z-]/g, '');
const compact = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');

function familyFirst(r: Rng, family: string, given: string, form: string): Name {
  const style = r.weighted([
    ['FAMILY Given', 3],
    ['Family Given', 3],
    ['Family, Given', 2],
    ['FAMILY, Given', 2],
    ['Given Family', 2],
  ] as const);
  const printed = {
    'FAMILY Given': `${family.toUpperCase()} ${given}`,
    'Family Given': `${family} ${given}`,
    'Family, Given': `${family}, ${given}`,
    'FAMILY, Given': `${family.toUpperCase()}, ${given}`,
    'Given Family': `${given} ${family}`,
  }[style];
  return {
    printed,
    form: `${form} (${style})`,
    given: compact(given),
    family: compact(family),
    familyFirstCulture: true,
  };
}

function makeName(r: Rng, set: SetName): Name {
  const form = r.weighted([
    ['plain', 4],
    ['apostrophe', 3],
    ['hyphen', 3],
    ['particle', 3],
    ['initials', 2],
    ['korean', 3],
    ['chinese', 3],
    ['japanese', 2],
    ['all caps', 2],
    ['indian', 1],
    ['african', 1],
  ] as const);
  const plain = (given: string, family: string, label: string): Name => ({
    printed: `${given} ${family}`,
    form: label,
    given: ascii(given),
    family: compact(family),
    familyFirstCulture: false,
  });
  switch (form) {
    case 'plain':
      return plain(r.pick(half(ENGLISH_GIVEN, set)), r.pick(half(ENGLISH_FAMILY, set)), form);
    case 'apostrophe':
      return plain(
        r.pick(half(r.chance(0.5) ? IRISH_GIVEN : ENGLISH_GIVEN, set)),
        r.pick(half(APOSTROPHE_FAMILY, set)),
        form,
      );
    case 'hyphen':
      return r.chance(0.5)
        ? plain(r.pick(half(HYPHEN_GIVEN, set)), r.pick(half(ENGLISH_FAMILY, set)), 'hyphenated given name')
        : plain(r.pick(half(ENGLISH_GIVEN, set)), r.pick(half(HYPHEN_FAMILY, set)), 'hyphenated family name');
    case 'particle': {
      const [given, family] = r.pick(PARTICLE_NAMES);
      return plain(r.pick(half(given, set)), r.pick(half(family, set)), 'particle');
    }
    case 'initials': {
      const family = r.pick(half(INITIAL_FAMILY, set));
      const given = r.pick(half(ENGLISH_GIVEN, set));
      const middle = String.fromCharCode(65 + r.int(0, 25));
      const style = r.pick([
        `${given[0]}. ${middle}. ${family}`,
        `${given} ${middle}. ${family}`,
        `${given[0]}.${middle}. ${family}`,
      ]);
      return {
        printed: style,
        form: 'initials',
        given: ascii(style.startsWith(given) ? given : given[0]),
        family: compact(family),
        familyFirstCulture: false,
      };
    }
    case 'korean':
      return familyFirst(r, r.pick(half(KOREAN_FAMILY, set)), r.pick(half(KOREAN_GIVEN, set)), 'korean');
    case 'chinese':
      return familyFirst(r, r.pick(half(CHINESE_FAMILY, set)), r.pick(half(CHINESE_GIVEN, set)), 'chinese');
    case 'japanese':
      return familyFirst(r, r.pick(half(JAPANESE_FAMILY, set)), r.pick(half(JAPANESE_GIVEN, set)), 'japanese');
    case 'all caps': {
      const pool = r.chance(0.5) ? APOSTROPHE_FAMILY : ENGLISH_FAMILY;
      const name = plain(r.pick(half(ENGLISH_GIVEN, set)), r.pick(half(pool, set)), form);
      return { ...name, printed: name.printed.toUpperCase() };
    }
    case 'indian': {
      const [given, family] = r.pick(half(INDIAN_NAMES, set));
      return plain(given, family, form);
    }
    case 'african': {
      const [given, family] = r.pick(half(AFRICAN_NAMES, set));
      return plain(given, family, form);
    }
  }
}

function mailbox(r: Rng, name: Name): string {
  const g = name.given.replace(/-/g, '');
  const f = name.family;
  const options = [`${g}.${f}`, `${g[0]}${f}`, `${g[0]}.${f}`, ...(g.length > 1 ? [g, `${g}${f[0]}`] : [])];
  if (name.familyFirstCulture) options.push(`${f}.${g}`, `${f}${g}`);
  if (name.given.includes('-')) options.push(`${name.given}.${f}`);
  return r.pick(options);
}

const COUNTRY_OF_FORM: Record<string, Country[]> = {
  korean: ['KR', 'KR', 'US', 'SG'],
  chinese: ['CN', 'CN', 'SG', 'US', 'AU'],
  japanese: ['JP', 'JP', 'US'],
  particle: ['NL', 'ES', 'MY', 'DE', 'US'],
  apostrophe: ['IE', 'UK', 'US', 'CA'],
  indian: ['IN', 'IN', 'UK', 'US', 'SG'],
  african: ['UK', 'US', 'CA', 'FR'],
};
const ALL_COUNTRIES: Country[] = [
  'US',
  'UK',
  'IE',
  'CA',
  'AU',
  'DE',
  'NL',
  'FR',
  'ES',
  'KR',
  'JP',
  'CN',
  'SG',
  'MY',
  'IN',
];

function country(r: Rng, name: Name): Country {
  const key = Object.keys(COUNTRY_OF_FORM).find((k) => name.form.startsWith(k));
  if (key && r.chance(0.7)) return r.pick(COUNTRY_OF_FORM[key]);
  return r.pick(ALL_COUNTRIES);
}

function company(r: Rng, set: SetName, c: Country): { printed: string; domain: string } {
  const stem = r.pick(half(COMPANY_STEMS, set));
  const sector = r.pick(half(SECTORS, set));
  const form = r.pick(LEGAL_FORMS[c]);
  const style = r.weighted([
    ['stem sector form', 4],
    ['stem sector', 3],
    ['stem form', 2],
    ['stem & stem', 1],
  ] as const);
  let printed: string;
  let label: string;
  if (style === 'stem & stem') {
    const other = r.pick(half(ENGLISH_FAMILY, set));
    printed = `${stem} & ${other}`;
    label = `${compact(stem)}${compact(other)}`;
  } else {
    printed =
      style === 'stem form'
        ? `${stem} ${form}`
        : style === 'stem sector'
          ? `${stem} ${sector}`
          : `${stem} ${sector} ${form}`;
    label =
      r.chance(0.5) || style === 'stem form'
        ? compact(stem)
        : `${compact(stem)}${r.chance(0.5) ? '-' : ''}${compact(sector)}`;
  }
  return { printed, domain: `${label}.${r.pick(TLD[c])}` };
}

function url(r: Rng, domain: string): string | null {
  return r.weighted([
    [null, 2],
    [`www.${domain}`, 5],
    [domain, 3],
    [`https://www.${domain}`, 2],
    [`https://${domain}`, 1],
    [`${domain}/${r.pick(['team', 'contact', 'en', 'about'])}`, 1],
  ] as const);
}

const ext = (r: Rng) => r.pick([` ext. ${r.int(10, 899)}`, ` x${r.int(100, 899)}`, ` Ext. ${r.int(10, 99)}`]);

/** A number as printed in `c`: national or international, sometimes with an extension. */
function phoneNumber(r: Rng, c: Country, kind: PhoneKind): string {
  const intl = r.chance(0.6);
  const d = (n: number) => r.digits(n);
  const withExt = (n: string) => (kind !== 'mobile' && r.chance(0.15) ? n + ext(r) : n);
  switch (c) {
    case 'US':
    case 'CA': {
      const area = String(r.int(201, 989));
      const line = `555-01${d(2)}`;
      if (!intl) return withExt(r.pick([`(${area}) ${line}`, `${area}.555.01${d(2)}`, `${area}-${line}`]));
      return withExt(r.pick([`+1 ${area} 555 01${d(2)}`, `+1 (${area}) ${line}`, `+1-${area}-${line}`]));
    }
    case 'UK':
      if (kind === 'mobile') return intl ? `+44 7700 900${d(3)}` : `07700 900${d(3)}`;
      return withExt(
        intl
          ? r.pick([`+44 20 7946 0${d(3)}`, `+44 (0)20 7946 0${d(3)}`, `+44 161 496 0${d(3)}`])
          : `020 7946 0${d(3)}`,
      );
    case 'IE':
      return intl ? `+353 1 ${d(3)} ${d(4)}` : `01 ${d(3)} ${d(4)}`;
    case 'AU':
      if (kind === 'mobile') return intl ? `+61 4${d(2)} ${d(3)} ${d(3)}` : `04${d(2)} ${d(3)} ${d(3)}`;
      return intl ? `+61 2 ${d(4)} ${d(4)}` : `(02) ${d(4)} ${d(4)}`;
    case 'DE':
      if (kind === 'mobile') return intl ? `+49 151 ${d(4)} ${d(4)}` : `0151 ${d(8)}`;
      if (kind === 'direct') return `+49 30 ${d(6)}-${d(2)}`;
      return intl ? r.pick([`+49 30 ${d(4)} ${d(4)}`, `+49 (0)89 ${d(4)} ${d(4)}`]) : `030 ${d(4)} ${d(4)}`;
    case 'NL':
      return intl ? `+31 20 ${d(3)} ${d(4)}` : `020 ${d(3)} ${d(4)}`;
    case 'FR':
      return intl ? `+33 1 ${d(2)} ${d(2)} ${d(2)} ${d(2)}` : `01 ${d(2)} ${d(2)} ${d(2)} ${d(2)}`;
    case 'ES':
      return intl ? `+34 91 ${d(3)} ${d(2)} ${d(2)}` : `91 ${d(3)} ${d(2)} ${d(2)}`;
    case 'KR':
      if (kind === 'mobile')
        return intl ? r.pick([`+82 10-${d(4)}-${d(4)}`, `+82 10 ${d(4)} ${d(4)}`]) : `010-${d(4)}-${d(4)}`;
      return intl ? `+82 2 ${d(4)} ${d(4)}` : `02-${d(4)}-${d(4)}`;
    case 'JP':
      if (kind === 'mobile') return intl ? `+81 90-${d(4)}-${d(4)}` : `090-${d(4)}-${d(4)}`;
      return intl ? `+81 3-${d(4)}-${d(4)}` : `03-${d(4)}-${d(4)}`;
    case 'CN':
      if (kind === 'mobile') return intl ? `+86 138 ${d(4)} ${d(4)}` : `138 ${d(4)} ${d(4)}`;
      return intl ? `+86 21 ${d(4)} ${d(4)}` : `021-${d(4)}-${d(4)}`;
    case 'SG':
      return kind === 'mobile' ? `+65 9${d(3)} ${d(4)}` : `+65 6${d(3)} ${d(4)}`;
    case 'MY':
      return intl ? `+60 3-${d(4)} ${d(4)}` : `03-${d(4)} ${d(4)}`;
    case 'IN':
      if (kind === 'mobile') return intl ? `+91 98${d(3)} ${d(5)}` : `098${d(3)} ${d(5)}`;
      return intl ? `+91 80 ${d(4)} ${d(4)}` : `080 ${d(4)} ${d(4)}`;
  }
}

function phones(r: Rng, c: Country): Phone[] {
  const set = r.weighted([
    [[], 1],
    [['office'], 4],
    [['mobile'], 4],
    [['office', 'mobile'], 5],
    [['mobile', 'office'], 2],
    [['office', 'fax'], 2],
    [['fax', 'office'], 1],
    [['direct', 'mobile'], 1],
    [['office', 'mobile', 'fax'], 2],
  ] as Array<[PhoneKind[], number]>);
  return set.map((kind) => ({ kind, number: phoneNumber(r, c, kind) }));
}

const STREETS = [
  'Mission',
  'Harrison',
  'Lakeshore',
  'Cedar',
  'Maple',
  'Bay',
  'Queen',
  'King',
  'Elm',
  'Willow',
  'Harbor',
  'Orchard',
  'Granville',
  'Market',
  'Union',
  'Jackson',
];
const US_CITIES: Array<[string, string, string]> = [
  ['San Francisco', 'CA', '94105'],
  ['Austin', 'TX', '78701'],
  ['Denver', 'CO', '80202'],
  ['Chicago', 'IL', '60606'],
  ['Portland', 'OR', '97204'],
  ['Atlanta', 'GA', '30303'],
  ['New York', 'NY', '10013'],
  ['Seattle', 'WA', '98101'],
  ['Boston', 'MA', '02210'],
  ['Raleigh', 'NC', '27601'],
];
const UK_CITIES: Array<[string, string]> = [
  ['London', 'EC1V 9BD'],
  ['Manchester', 'M1 3HE'],
  ['Edinburgh', 'EH2 4AD'],
  ['Bristol', 'BS1 5TR'],
  ['Leeds', 'LS1 2HT'],
  ['Cambridge', 'CB2 1TN'],
  ['Glasgow', 'G2 5QY'],
  ['Birmingham', 'B3 2BJ'],
];
const DE_STREETS = [
  'Friedrichstraße',
  'Lindenstraße',
  'Am Kaiserkai',
  'Schillerplatz',
  'Hafenweg',
  'Gartenstraße',
  'Torstraße',
  'Marienallee',
];
const DE_CITIES: Array<[string, string]> = [
  ['10117', 'Berlin'],
  ['20457', 'Hamburg'],
  ['60311', 'Frankfurt am Main'],
  ['70173', 'Stuttgart'],
  ['04109', 'Leipzig'],
  ['01067', 'Dresden'],
  ['28195', 'Bremen'],
  ['30159', 'Hannover'],
];
const NL_ADDR: Array<[string, string]> = [
  ['Keizersgracht', '1016 GD Amsterdam'],
  ['Coolsingel', '3012 AD Rotterdam'],
  ['Lange Voorhout', '2514 EA Den Haag'],
  ['Oudegracht', '3511 AP Utrecht'],
];
const FR_ADDR: Array<[string, string]> = [
  ['rue de la Paix', '75002 Paris'],
  ['boulevard Haussmann', '75009 Paris'],
  ['rue de la République', '69002 Lyon'],
  ['cours Mirabeau', '13100 Aix-en-Provence'],
];
const ES_ADDR: Array<[string, string]> = [
  ['Paseo de la Castellana', '28046 Madrid'],
  ['Avinguda Diagonal', '08019 Barcelona'],
  ['Calle Larios', '29005 Malaga'],
  ['Gran Via', '28013 Madrid'],
];
const KR_ADDR: Array<[string, string]> = [
  ['Teheran-ro, Gangnam-gu', 'Seoul 06236'],
  ['Sejong-daero, Jung-gu', 'Seoul 04519'],
  ['Pangyo-ro, Bundang-gu', 'Seongnam-si 13494'],
  ['Centum jungang-ro, Haeundae-gu', 'Busan 48059'],
];
const JP_ADDR: Array<[string, string]> = [
  ['Marunouchi, Chiyoda-ku', 'Tokyo 100-6390'],
  ['Shibuya, Shibuya-ku', 'Tokyo 150-0002'],
  ['Umeda, Kita-ku', 'Osaka 530-0001'],
  ['Minatomirai, Nishi-ku', 'Yokohama 220-0012'],
];
const CN_ADDR: Array<[string, string]> = [
  ['Century Avenue, Pudong', 'Shanghai 200120'],
  ['Jianguo Road, Chaoyang District', 'Beijing 100022'],
  ['Shennan Avenue, Futian District', 'Shenzhen 518048'],
  ['Tianhe Road, Tianhe District', 'Guangzhou 510620'],
];
const AU_ADDR: Array<[string, string]> = [
  ['Martin Place', 'Sydney NSW 2000'],
  ['Collins Street', 'Melbourne VIC 3000'],
  ['Queen Street', 'Brisbane QLD 4000'],
  ['St Georges Terrace', 'Perth WA 6000'],
];
const CA_ADDR: Array<[string, string]> = [
  ['Bay Street', 'Toronto, ON M5J 2J2'],
  ['Granville Street', 'Vancouver, BC V6C 1T2'],
  ['Rue Sherbrooke Ouest', 'Montreal, QC H3A 1B9'],
  ['Elgin Street', 'Ottawa, ON K2P 1L4'],
];
const IN_ADDR: Array<[string, string]> = [
  ['MG Road', 'Bengaluru 560001'],
  ['Bandra Kurla Complex', 'Mumbai 400051'],
  ['Cyber City, DLF Phase 2', 'Gurugram 122002'],
  ['Anna Salai', 'Chennai 600002'],
];
const IE_ADDR: Array<[string, string]> = [
  ['Grand Canal Street', 'Dublin 2, D02 X576'],
  ['South Mall', 'Cork T12 RX2C'],
  ['Eyre Square', 'Galway H91 FD92'],
  ['Harcourt Street', 'Dublin 2, D02 H364'],
];
const SG_ADDR = ['Raffles Place', 'Marina Boulevard', 'Anson Road', 'Cecil Street'];
const MY_ADDR: Array<[string, string]> = [
  ['Jalan Binjai', '50450 Kuala Lumpur'],
  ['Jalan Sultan Ismail', '50250 Kuala Lumpur'],
  ['Persiaran Perbandaran', '40000 Shah Alam'],
  ['Lebuh Pantai', '10300 George Town'],
];

const COUNTRY_NAME: Record<Country, string[]> = {
  US: ['USA', 'United States'],
  CA: ['Canada'],
  UK: ['United Kingdom', 'UK'],
  IE: ['Ireland'],
  AU: ['Australia'],
  DE: ['Germany'],
  NL: ['The Netherlands', 'Netherlands'],
  FR: ['France'],
  ES: ['Spain'],
  KR: ['Korea', 'South Korea'],
  JP: ['Japan'],
  CN: ['China'],
  SG: ['Singapore'],
  MY: ['Malaysia'],
  IN: ['India'],
};

/** Address lines in the country's own order; a country line is added sometimes. */
function address(r: Rng, set: SetName, c: Country): string[] {
  const n = () => String(r.int(1, 480));
  const floor = () =>
    r.pick([`Level ${r.int(2, 40)}`, `Suite ${r.int(100, 2400)}`, `${r.int(2, 30)}F`, `Floor ${r.int(2, 30)}`]);
  const countryLine = r.chance(0.5) ? [r.pick(COUNTRY_NAME[c])] : [];
  const pair = <T>(list: T[]) => r.pick(half(list, set));
  switch (c) {
    case 'US': {
      const [city, state, zip] = pair(US_CITIES);
      const street = `${n()} ${r.pick(half(STREETS, set))} ${r.pick(['Street', 'Avenue', 'Blvd', 'St', 'Road'])}`;
      const lines = r.chance(0.5)
        ? [`${street}, Suite ${r.int(100, 900)}`]
        : r.chance(0.5)
          ? [street, `Suite ${r.int(100, 900)}`]
          : [street];
      return [...lines, `${city}, ${state} ${zip}`, ...countryLine];
    }
    case 'CA': {
      const [street, city] = pair(CA_ADDR);
      return [`${n()} ${street}, Suite ${r.int(100, 2900)}`, city, ...countryLine];
    }
    case 'UK': {
      const [city, pc] = pair(UK_CITIES);
      const street = `${n()} ${r.pick(half(STREETS, set))} ${r.pick(['Road', 'Street', 'Lane', 'Place'])}`;
      const building = r.chance(0.4)
        ? [
            `${r.pick(['Unit 4', 'Floor 3', 'Suite 12'])}, ${r.pick(['Riverside House', 'Albion Court', 'The Exchange', 'Lowry Building'])}`,
          ]
        : [];
      return r.chance(0.5)
        ? [...building, street, city, pc, ...countryLine]
        : [...building, street, `${city} ${pc}`, ...countryLine];
    }
    case 'IE': {
      const [street, city] = pair(IE_ADDR);
      return [`${n()} ${street}`, city, ...countryLine];
    }
    case 'AU': {
      const [street, city] = pair(AU_ADDR);
      return [`${floor()}, ${n()} ${street}`, city, ...countryLine];
    }
    case 'DE': {
      const [zip, city] = pair(DE_CITIES);
      return [`${pair(DE_STREETS)} ${r.int(1, 140)}`, `${zip} ${city}`, ...countryLine];
    }
    case 'NL': {
      const [street, city] = pair(NL_ADDR);
      return [`${street} ${n()}`, city, ...countryLine];
    }
    case 'FR': {
      const [street, city] = pair(FR_ADDR);
      return [`${r.int(1, 120)} ${street}`, city, ...countryLine];
    }
    case 'ES': {
      const [street, city] = pair(ES_ADDR);
      return [`${street} ${r.int(1, 200)}`, city, ...countryLine];
    }
    case 'KR': {
      const [street, city] = pair(KR_ADDR);
      const line = `${r.int(2, 30)}F, ${n()} ${street}`;
      return [line, `${city}, ${r.pick(COUNTRY_NAME.KR)}`];
    }
    case 'JP': {
      const [area, city] = pair(JP_ADDR);
      return [`${r.int(1, 4)}-${r.int(1, 12)}-${r.int(1, 30)} ${area}`, `${city}, Japan`];
    }
    case 'CN': {
      const [street, city] = pair(CN_ADDR);
      return [`Room ${r.int(2, 30)}0${r.int(1, 9)}, ${n()} ${street}`, `${city}, China`];
    }
    case 'SG':
      return [`${r.int(1, 80)} ${pair(SG_ADDR)}, #${r.int(10, 40)}-${r.int(10, 99)}`, `Singapore 0${r.digits(5)}`];
    case 'MY': {
      const [street, city] = pair(MY_ADDR);
      return [`${floor()}, ${r.int(1, 80)} ${street}`, city, ...countryLine];
    }
    case 'IN': {
      const [street, city] = pair(IN_ADDR);
      return [
        `${r.int(2, 12)}th Floor, ${r.pick(['Prestige Tower', 'Embassy Point', 'One Horizon', 'Brigade Centre'])}`,
        `${street}, ${city}`,
        ...countryLine,
      ];
    }
  }
}

/** A set's own replacement for each development pool (built on first use: the pools are declared above). */
const ownPools = new Map<SetName, Map<readonly unknown[], readonly unknown[]>>();
function poolsOf(set: Exclude<SetName, 'dev'>): Map<readonly unknown[], readonly unknown[]> {
  const source = set === 'holdout' ? heldOut : validation;
  let pools = ownPools.get(set);
  if (!pools) {
    pools = new Map<readonly unknown[], readonly unknown[]>([
      [ENGLISH_GIVEN, source.ENGLISH_GIVEN],
      [ENGLISH_FAMILY, source.ENGLISH_FAMILY],
      [APOSTROPHE_FAMILY, source.APOSTROPHE_FAMILY],
      [IRISH_GIVEN, source.IRISH_GIVEN],
      [HYPHEN_GIVEN, source.HYPHEN_GIVEN],
      [HYPHEN_FAMILY, source.HYPHEN_FAMILY],
      [INITIAL_FAMILY, source.INITIAL_FAMILY],
      [INDIAN_NAMES, source.INDIAN_NAMES],
      [AFRICAN_NAMES, source.AFRICAN_NAMES],
      [KOREAN_GIVEN, source.KOREAN_GIVEN],
      [CHINESE_GIVEN, source.CHINESE_GIVEN],
      [JAPANESE_GIVEN, source.JAPANESE_GIVEN],
      [TITLES, source.TITLES],
      [COMPANY_STEMS, source.COMPANY_STEMS],
      [SECTORS, source.SECTORS],
      [STREETS, source.STREETS],
      [US_CITIES, source.US_CITIES],
      [UK_CITIES, source.UK_CITIES],
      [DE_STREETS, source.DE_STREETS],
      [DE_CITIES, source.DE_CITIES],
      [NL_ADDR, source.NL_ADDR],
      [FR_ADDR, source.FR_ADDR],
      [ES_ADDR, source.ES_ADDR],
      [KR_ADDR, source.KR_ADDR],
      [JP_ADDR, source.JP_ADDR],
      [CN_ADDR, source.CN_ADDR],
      [AU_ADDR, source.AU_ADDR],
      [CA_ADDR, source.CA_ADDR],
      [IN_ADDR, source.IN_ADDR],
      [IE_ADDR, source.IE_ADDR],
      [SG_ADDR, source.SG_ADDR],
      [MY_ADDR, source.MY_ADDR],
    ]);
    ownPools.set(set, pools);
  }
  return pools;
}

/** One person of `set`; `used` keeps names and mailboxes (and so owner ids) unique within the set. */
export function makePerson(r: Rng, set: SetName, index: number, used: Set<string>): Person {
  let name = makeName(r, set);
  while (used.has(name.printed.toLowerCase())) name = makeName(r, set);
  used.add(name.printed.toLowerCase());
  const c = country(r, name);
  const co = company(r, set, c);
  let local = mailbox(r, name);
  while (used.has(local)) local = `${local}${r.int(2, 9)}`;
  used.add(local);
  const freemail = r.chance(0.06);
  const email = `${local}@${freemail ? r.pick(['gmail.com', 'outlook.com', 'proton.me']) : co.domain}`;
  return {
    id: `${set}-${String(index).padStart(3, '0')}`,
    name: name.printed,
    nameForm: name.form,
    title: r.pick(half(TITLES, set)),
    company: co.printed,
    country: c,
    domain: co.domain,
    email,
    phones: phones(r, c),
    address: r.chance(0.85) ? address(r, set, c) : null,
    url: url(r, co.domain),
  };
}
